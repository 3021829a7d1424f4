"""The issue-6 demo: the stories' events, a week of action, upcoming events, attendance."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.db.models import Count, Q
from django.utils import timezone

from solidaire.core.models import Activity
from solidaire.demo.events import FIRST_WEEK, MONTH, info_session_attendance, scale_for
from solidaire.events.activities import EVENT_ATTENDED, EVENT_REGISTERED
from solidaire.events.models import AttendanceImport, Event, Registration, Series
from solidaire.people.models import Person

PEOPLE = 300


@pytest.fixture
def demo(db):
    call_command("demo-data", people=PEOPLE, seed=1, verbosity=0)


def info_sessions():
    return Event.objects.filter(kind=Event.Kind.INFO_SESSION,
                                starts_at__year=2020).order_by("starts_at")


def test_the_march_2020_sessions_reach_2300_then_3500_people_scaled(demo):
    # Scaled to the student network's list: its sessions' crowd is on it (decision 0035).
    scale = scale_for(Person.objects.filter(organization__slug="msu").count())
    sessions = list(info_sessions())
    assert len(sessions) == len(info_session_attendance(scale))
    assert all(s.organization.slug == "msu" and s.format == Event.Format.ONLINE
               for s in sessions)
    assert {s.campaign.slug for s in sessions} == {"msu-health-income-support-2020"}
    assert all(s.local_start.year == 2020 and s.local_start.month == 3 for s in sessions)
    attended = [s.registrations.filter(attended_at__isnull=False).count() for s in sessions]
    assert sum(attended[:3]) == round(FIRST_WEEK * scale)
    assert sum(attended) == round(MONTH * scale)
    came = Registration.objects.filter(event__in=sessions, attended_at__isnull=False)
    assert not came.exclude(attendance_source=Registration.Attendance.IMPORT).exists()
    assert not came.filter(minutes_online__isnull=True).exists()
    assert Registration.objects.filter(event__in=sessions, attended_at__isnull=True).exists()
    imports = AttendanceImport.objects.filter(event__in=sessions)
    assert sum(i.participants for i in imports) == sum(attended)


def test_the_statusnow_week_of_action_lists_events_in_several_provinces(demo):
    series = Series.objects.get(slug="statusnow-semaine-action-2016")
    assert series.is_public and series.organization.slug == "cmwrc"
    events = series.events.all()
    assert events.values("province").distinct().count() >= 5
    assert all(datetime.date(2016, 5, 28) <= e.local_start.date() <= datetime.date(2016, 6, 5)
               for e in events)


def test_the_stories_rallies_press_conferences_congress_and_assembly(demo):
    press = Event.objects.filter(kind=Event.Kind.PRESS, campaign__slug="move")
    assert sorted(press.values_list("city", flat=True)) == [
        "Charlottetown", "Edmonton", "Montréal", "Toronto", "Vancouver"]
    assert {e.local_start.date() for e in press} == {datetime.date(2015, 10, 28)}
    congress = Event.objects.get(kind=Event.Kind.CONGRESS)
    assert congress.venue == "Centre St-Pierre"
    assert congress.local_start == datetime.datetime(2024, 12, 8, 9, tzinfo=congress.tz)
    day = Event.objects.filter(starts_at__date=datetime.date(2025, 11, 15))
    assert set(day.values_list("kind", flat=True)) == {
        Event.Kind.ASSEMBLY, Event.Kind.RALLY, Event.Kind.CELEBRATION}
    assert Event.objects.get(slug="rassemblement-bureau-vice-premiere-ministre-2020").kind == \
        Event.Kind.RALLY


def test_upcoming_public_events_exist_and_one_full_event_has_a_waiting_list(demo):
    upcoming = Event.objects.filter(starts_at__gt=timezone.now(),
                                    status=Event.Status.PUBLISHED,
                                    visibility=Event.Visibility.PUBLIC)
    assert upcoming.count() >= 2
    assert upcoming.filter(kind=Event.Kind.INFO_SESSION).exists()
    full = upcoming.get(kind=Event.Kind.ASSEMBLY)
    assert full.capacity and full.seats_left == 0
    assert full.registrations.filter(status=Registration.Status.WAITLISTED).exists()
    submitted = Event.objects.filter(status=Event.Status.SUBMITTED)
    assert submitted.count() >= 2 and all(e.series_id for e in submitted)
    assert submitted.filter(chapter__slug="bas-saint-laurent").exists()


def test_seats_taken_equals_confirmed_registrations_for_every_event(demo):
    events = Event.objects.annotate(confirmed=Count(
        "registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)))
    assert events.count() > 20
    assert [(e.slug, e.seats_taken) for e in events] == [(e.slug, e.confirmed) for e in events]


def test_registrations_mix_statuses_and_sources_with_ledger_rows(demo):
    statuses = set(Registration.objects.values_list("status", flat=True))
    assert {Registration.Status.CONFIRMED, Registration.Status.WAITLISTED,
            Registration.Status.CANCELLED} <= statuses
    sources = set(Registration.objects.values_list("source", flat=True))
    assert {Registration.Source.WALK_IN, Registration.Source.PAPER} <= sources
    assert Registration.objects.filter(first_time=True).exists()
    attended = Registration.objects.filter(attended_at__isnull=False)
    ledger = Activity.objects.filter(kind=EVENT_ATTENDED)
    assert ledger.count() == attended.count() > 0
    assert Activity.objects.filter(kind=EVENT_REGISTERED).count() == \
        Registration.objects.count()


def test_a_demo_without_people_still_loads_the_events(db):
    call_command("demo-data", people=0, seed=1, verbosity=0)
    assert Event.objects.count() > 20
    assert not Registration.objects.exists()


def test_every_address_in_the_demo_is_a_url_slug_and_its_public_event_pages_open(demo, client):
    # Slugs go into URLs whose converter takes ASCII only: "montréal" broke the events list.
    from django.apps import apps
    from django.db.models import SlugField

    slug = re.compile(r"^[-a-zA-Z0-9_]+$")
    for model in apps.get_models():
        for field in model._meta.fields:
            if isinstance(field, SlugField) and not field.allow_unicode:
                bad = [value for value in model.objects.values_list(field.name, flat=True)
                       if value and not slug.match(value)]
                assert not bad, f"{model.__name__}.{field.name}: {bad}"
    for lang in ("fr", "en"):
        listing = client.get(f"/{lang}/events/")
        assert listing.status_code == 200
        assert "semaine-action-statut-montreal" in listing.content.decode()
        series = Series.objects.get(slug="semaine-action-statut-pour-tous")
        assert client.get(f"/{lang}/events/series/{series.slug}/").status_code == 200
        for event in Event.objects.filter(series=series, status=Event.Status.PUBLISHED):
            assert client.get(f"/{lang}/events/{event.slug}/").status_code == 200
