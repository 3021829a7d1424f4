"""The organizer pages about events: list, add, edit, series approval, registrations, follow-up."""

import datetime

import pytest
from django.utils import timezone

from solidaire.core.models import AuditEntry, OutboxEmail
from solidaire.events.models import Event, FollowUp, Registration

from tests.factories import (
    EmailFactory,
    EventFactory,
    PersonFactory,
    RegistrationFactory,
    SeriesFactory,
)
from tests.organize.conftest import url


def form_data(**overrides):
    data = {
        "title_fr": "Assemblée de quartier", "title_en": "Neighbourhood assembly",
        "summary_fr": "", "summary_en": "", "body_fr": "", "body_en": "",
        "accessibility_fr": "", "accessibility_en": "Step-free entrance.",
        "kind": "assembly", "slug": "", "organization": "cti", "chapter": "montreal",
        "campaign": "", "series": "", "start_date": "2027-01-15", "start_time": "19:00",
        "end_date": "", "end_time": "21:00", "time_zone": "America/Montreal",
        "format": "in_person", "venue": "Salle paroissiale", "address": "", "city": "Montréal",
        "province": "QC", "postal_code": "", "online_url": "", "online_details": "",
        "languages": ["fr", "en"], "interpretation": ["es"], "capacity": "",
        "waitlist": "on", "visibility": "public", "status": "published",
        "registration_open": "on", "reminders": ["1440", "60"],
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def events(world):
    return {
        "mtl": EventFactory(organization=world.centre, chapter=world.montreal, slug="mtl-event",
                            title={"en": "Montréal meeting"}),
        "bsl": EventFactory(organization=world.centre, chapter=world.bsl, slug="bsl-event",
                            title={"en": "Rimouski rally"}),
        "msu": EventFactory(organization=world.other, slug="msu-event",
                            title={"en": "MSU congress"}),
    }


def test_the_list_shows_upcoming_events_in_scope_with_their_registrations(world, as_user,
                                                                           events):
    RegistrationFactory.create_batch(3, event=events["mtl"])
    RegistrationFactory(event=events["mtl"], status=Registration.Status.CANCELLED)
    past = EventFactory(organization=world.centre, chapter=world.montreal, slug="old",
                        title={"en": "Last year's meeting"},
                        starts_at=timezone.now() - datetime.timedelta(days=30),
                        ends_at=timezone.now() - datetime.timedelta(days=30, hours=-2))
    client = as_user(world.montreal_organizer)
    html = client.get(url("events")).content.decode()
    assert "Montréal meeting" in html
    assert "Rimouski rally" not in html and "MSU congress" not in html
    assert "Last year" not in html
    assert '<td class="number">3</td>' in html
    html = client.get(url("events"), {"when": "past"}).content.decode()
    assert "Last year&#x27;s meeting" in html and "Montréal meeting" not in html
    assert past.slug in html


def test_an_event_out_of_scope_is_not_found(world, as_user, events):
    client = as_user(world.montreal_organizer)
    for name in ("event_detail", "event_edit", "event_registrations", "event_follow_up"):
        assert client.get(url(name, slug="bsl-event")).status_code == 404
        assert client.get(url(name, slug="msu-event")).status_code == 404
    assert client.get(url("event_detail", slug="mtl-event")).status_code == 200


def test_volunteers_do_not_see_the_event_pages(world, as_user, events):
    client = as_user(world.volunteer)
    assert client.get(url("events")).status_code == 404
    assert client.get(url("event_detail", slug="mtl-event")).status_code == 404


def test_an_event_at_19h_in_montreal_is_stored_in_utc(world, as_user):
    client = as_user(world.montreal_organizer)
    response = client.post(url("event_add"), form_data(slug="winter"))
    assert response.status_code == 302, response.content.decode()
    winter = Event.objects.get(slug="winter")
    assert winter.starts_at == datetime.datetime(2027, 1, 16, 0, 0, tzinfo=datetime.UTC)
    assert winter.ends_at == datetime.datetime(2027, 1, 16, 2, 0, tzinfo=datetime.UTC)
    client.post(url("event_add"), form_data(slug="summer", start_date="2027-07-15"))
    summer = Event.objects.get(slug="summer")
    assert summer.starts_at == datetime.datetime(2027, 7, 15, 23, 0, tzinfo=datetime.UTC)
    assert summer.languages == ["fr", "en"] and summer.interpretation == ["es"]
    assert summer.reminders == [1440, 60]
    assert summer.status == Event.Status.PUBLISHED
    assert AuditEntry.objects.filter(action="solidaire.event.created",
                                     object_id=str(summer.pk)).exists()
    # The edit form shows the local time again.
    html = client.get(url("event_edit", slug="winter")).content.decode()
    assert 'value="19:00"' in html and 'value="2027-01-15"' in html


def test_an_end_before_the_start_is_refused_keeping_what_was_typed(world, as_user):
    client = as_user(world.montreal_organizer)
    response = client.post(url("event_add"), form_data(end_time="18:00", venue="Chez Lise"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "The event must end after it starts" in html
    assert 'value="Chez Lise"' in html and "Neighbourhood assembly" in html
    assert not Event.objects.exists()


def test_a_reserved_address_is_refused(world, as_user):
    client = as_user(world.montreal_organizer)
    for slug in ("series", "feed", "new"):
        response = client.post(url("event_add"), form_data(slug=slug))
        assert response.status_code == 200
        assert "cannot be used as an address" in response.content.decode()
    assert not Event.objects.exists()


def test_a_chapter_organizer_cannot_hold_an_event_of_another_chapter(world, as_user):
    response = as_user(world.montreal_organizer).post(url("event_add"),
                                                      form_data(chapter="bas-saint-laurent"))
    assert response.status_code == 200
    assert not Event.objects.exists()


def test_raising_the_capacity_seats_the_waiting_list(world, as_user, events):
    event = events["mtl"]
    Event.objects.filter(pk=event.pk).update(capacity=1, seats_taken=1)
    RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, status=Registration.Status.WAITLISTED)
    client = as_user(world.montreal_organizer)
    html = client.get(url("event_edit", slug=event.slug)).content.decode()
    data = form_data(slug=event.slug, capacity="2")
    response = client.post(url("event_edit", slug=event.slug), data)
    assert response.status_code == 302, html
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    event.refresh_from_db()
    assert event.capacity == 2 and event.seats_taken == 2


def test_a_chapter_event_in_a_series_waits_for_a_coordinator(world, as_user):
    series = SeriesFactory(organization=world.centre, slug="status-now-week",
                           title={"en": "#StatusNow week"})
    client = as_user(world.montreal_organizer)
    response = client.post(url("event_add"),
                           form_data(slug="mtl-week", series="status-now-week"))
    assert response.status_code == 302
    event = Event.objects.get(slug="mtl-week")
    assert event.status == Event.Status.SUBMITTED
    # The chapter organizer sees it waiting, but has no approve button and cannot approve.
    html = client.get(url("series_detail", slug=series.slug)).content.decode()
    assert "Submitted, waiting for a coordinator" in html
    assert url("event_review", slug="mtl-week") not in html
    response = client.post(url("event_review", slug="mtl-week"), {"decision": "approve"})
    assert response.status_code == 404
    event.refresh_from_db()
    assert event.status == Event.Status.SUBMITTED
    # The coordinator sees it waiting for approval and approves it.
    coordinator = as_user(world.coordinator)
    html = coordinator.get(url("series_detail", slug=series.slug)).content.decode()
    assert "Waiting for approval" in html and url("event_review", slug="mtl-week") in html
    response = coordinator.post(url("event_review", slug="mtl-week"), {"decision": "approve"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED and event.approved_by == world.coordinator
    assert AuditEntry.objects.filter(action="solidaire.event.approved").count() == 1


def test_a_coordinators_event_in_a_series_is_published_directly(world, as_user):
    SeriesFactory(organization=world.centre, slug="week")
    response = as_user(world.coordinator).post(url("event_add"),
                                               form_data(slug="cti-week", series="week",
                                                         chapter=""))
    assert response.status_code == 302
    assert Event.objects.get(slug="cti-week").status == Event.Status.PUBLISHED


def test_the_detail_shows_the_figures_and_the_links(world, as_user, events):
    event = events["mtl"]
    RegistrationFactory(event=event, attended_at=timezone.now(), first_time=True)
    RegistrationFactory(event=event, status=Registration.Status.WAITLISTED)
    Event.objects.filter(pk=event.pk).update(visibility=Event.Visibility.PRIVATE)
    event.refresh_from_db()
    html = as_user(world.montreal_organizer).get(url("event_detail",
                                                     slug=event.slug)).content.decode()
    assert f"?k={event.private_key}" in html
    for name in ("event_checkin", "event_paper", "event_sheet", "event_registrations",
                 "event_follow_up"):
        assert url(name, slug=event.slug) in html
    assert "First time with us" in html and "On the waiting list" in html


def test_registrations_show_names_linked_only_in_scope_and_no_contact(world, as_user,
                                                                      events):
    event = events["mtl"]
    RegistrationFactory(event=event, person=world.in_montreal)
    RegistrationFactory(event=event, person=world.in_bsl)
    EmailFactory(person=world.in_montreal, address="ana@example.org")
    html = as_user(world.montreal_organizer).get(
        url("event_registrations", slug=event.slug)).content.decode()
    assert "Ana Montréal" in html and "Carlos Rimouski" in html
    assert url("person_detail", pk=world.in_montreal.pk) in html
    assert url("person_detail", pk=world.in_bsl.pk) not in html
    assert "ana@example.org" not in html


def test_an_awaiting_registration_is_approved_and_another_cancelled(world, as_user, events):
    event = events["mtl"]
    awaiting = RegistrationFactory(event=event, status=Registration.Status.AWAITING)
    confirmed = RegistrationFactory(event=event)
    Event.objects.filter(pk=event.pk).update(seats_taken=1)
    client = as_user(world.montreal_organizer)
    html = client.get(url("event_registrations", slug=event.slug),
                      {"status": "awaiting"}).content.decode()
    assert "Approve" in html
    client.post(url("event_registration_decide", slug=event.slug, pk=awaiting.pk),
                {"decision": "approve"})
    awaiting.refresh_from_db()
    assert awaiting.status == Registration.Status.CONFIRMED
    client.post(url("event_registration_decide", slug=event.slug, pk=confirmed.pk),
                {"decision": "cancel"})
    confirmed.refresh_from_db()
    assert confirmed.status == Registration.Status.CANCELLED
    # Not through another event's address.
    other = RegistrationFactory(event=events["bsl"], status=Registration.Status.AWAITING)
    response = client.post(url("event_registration_decide", slug=event.slug, pk=other.pk),
                           {"decision": "approve"})
    assert response.status_code == 404


def test_the_follow_up_goes_once_to_attendees_in_their_language(world, as_user, events):
    event = events["mtl"]
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        ends_at=timezone.now() - datetime.timedelta(hours=1))
    french = PersonFactory(preferred_language="fr")
    english = PersonFactory(preferred_language="en")
    spanish = PersonFactory(preferred_language="es")
    absent = PersonFactory(preferred_language="fr")
    for person in (french, english, spanish, absent):
        EmailFactory(person=person)
    for person in (french, english, spanish):
        RegistrationFactory(event=event, person=person, attended_at=timezone.now())
    RegistrationFactory(event=event, person=absent)
    RegistrationFactory(event=event, attended_at=timezone.now())  # no e-mail address
    client = as_user(world.montreal_organizer)
    page = client.get(url("event_follow_up", slug=event.slug)).content.decode()
    assert "3 people with an e-mail address" in page
    data = {"audience": "attended", "token": "form-key-1",
            "subject_fr": "Merci d'être venus", "body_fr": "Les photos sont en ligne.",
            "subject_en": "Thanks for coming", "body_en": "The photos are online."}
    assert client.post(url("event_follow_up", slug=event.slug), data).status_code == 302
    assert client.post(url("event_follow_up", slug=event.slug), data).status_code == 302
    follow_up = FollowUp.objects.get()
    assert follow_up.recipients == 3
    sent = {email.to: email for email in OutboxEmail.objects.filter(kind="event.follow_up")}
    assert len(sent) == 3 and OutboxEmail.objects.filter(kind="event.follow_up").count() == 3
    addresses = {p: p.emails.get().address for p in (french, english, spanish, absent)}
    assert sent[addresses[french]].subject == "Merci d'être venus"
    assert "Les photos sont en ligne." in sent[addresses[french]].body_text
    assert sent[addresses[english]].subject == "Thanks for coming"
    # No Spanish text: the site language's.
    assert addresses[spanish] in sent
    assert addresses[absent] not in sent
    html = client.get(url("event_follow_up", slug=event.slug)).content.decode()
    assert "Thanks for coming" in html or "Merci" in html


def test_the_follow_up_to_no_shows_and_not_before_the_event(world, as_user, events):
    event = events["mtl"]
    client = as_user(world.montreal_organizer)
    data = {"audience": "no_shows", "token": "k2", "subject_en": "We missed you",
            "body_en": "Here is the recording."}
    response = client.post(url("event_follow_up", slug=event.slug), data)
    assert response.status_code == 200 and not FollowUp.objects.exists()
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        ends_at=timezone.now() - datetime.timedelta(hours=1))
    came = EmailFactory(person=PersonFactory()).person
    absent = EmailFactory(person=PersonFactory()).person
    cancelled = EmailFactory(person=PersonFactory()).person
    RegistrationFactory(event=event, person=came, attended_at=timezone.now())
    RegistrationFactory(event=event, person=absent)
    RegistrationFactory(event=event, person=cancelled, status=Registration.Status.CANCELLED)
    client.post(url("event_follow_up", slug=event.slug), data)
    assert list(OutboxEmail.objects.filter(kind="event.follow_up")
                .values_list("to", flat=True)) == [absent.emails.get().address]


def test_the_event_list_query_count_does_not_grow(world, as_user, django_assert_num_queries,
                                                  django_assert_max_num_queries):
    def add(count):
        for _n in range(count):
            event = EventFactory(organization=world.centre, chapter=world.montreal,
                                 title={"en": "Listed event"},
                                 series=SeriesFactory(organization=world.centre))
            RegistrationFactory(event=event)

    client = as_user(world.coordinator)
    add(3)
    with django_assert_max_num_queries(12) as few:
        response = client.get(url("events"))
    assert response.content.decode().count("Listed event") == 3
    add(12)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url("events"))
    assert response.content.decode().count("Listed event") == 15


def test_a_coordinator_adds_and_edits_a_series(world, as_user):
    client = as_user(world.coordinator)
    data = {"title_fr": "", "title_en": "Week of action", "summary_fr": "", "summary_en": "",
            "slug": "", "organization": "cti", "campaign": "", "starts_on": "2027-03-01",
            "ends_on": "2027-02-01", "is_public": "on", "accepts_submissions": "on"}
    response = client.post(url("series_add"), data)
    assert response.status_code == 200
    assert "The last day must be on or after the first day." in response.content.decode()
    data["ends_on"] = "2027-03-07"
    assert client.post(url("series_add"), data).status_code == 302
    assert client.get(url("series_edit", slug="week-of-action")).status_code == 200
    # Chapter organizers add no series and edit none.
    organizer = as_user(world.montreal_organizer)
    assert organizer.get(url("series_add")).status_code == 404
    assert organizer.get(url("series_edit", slug="week-of-action")).status_code == 404


def test_every_event_page_renders_in_french_and_english(world, as_user, events):
    series = SeriesFactory(organization=world.centre, slug="week")
    event = events["mtl"]
    Event.objects.filter(pk=event.pk).update(
        series=series, status=Event.Status.SUBMITTED,
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        ends_at=timezone.now() - datetime.timedelta(hours=1))
    RegistrationFactory(event=event, status=Registration.Status.AWAITING)
    FollowUp.objects.create(event=event, audience="attended", subject={"fr": "Merci"},
                            body={"fr": "Merci"}, token="old")
    client = as_user(world.coordinator)
    for lang in ("fr", "en"):
        for name, kwargs in [("events", {}), ("event_add", {}), ("series_list", {}),
                             ("series_add", {}), ("series_detail", {"slug": "week"}),
                             ("series_edit", {"slug": "week"}),
                             ("event_detail", {"slug": event.slug}),
                             ("event_edit", {"slug": event.slug}),
                             ("event_registrations", {"slug": event.slug}),
                             ("event_follow_up", {"slug": event.slug})]:
            response = client.get(url(name, lang=lang, **kwargs))
            assert response.status_code == 200, (name, lang)


def test_another_organizations_event_submitted_to_the_series_is_approved(world, as_user):
    series = SeriesFactory(organization=world.centre, slug="week")
    event = EventFactory(organization=world.other, chapter=world.toronto, slug="toronto-rally",
                         series=series, status=Event.Status.SUBMITTED)
    client = as_user(world.coordinator)
    html = client.get(url("series_detail", slug="week")).content.decode()
    assert url("event_review", slug="toronto-rally") in html
    client.post(url("event_review", slug="toronto-rally"), {"decision": "reject"})
    event.refresh_from_db()
    assert event.status == Event.Status.DRAFT


@pytest.mark.parametrize(("lang", "place", "expected"), [
    ("en", {"venue": "", "address": "", "city": "Montréal", "province": "QC"},
     "<dd>Montréal (Quebec)</dd>"),
    ("fr", {"venue": "", "address": "", "city": "Montréal", "province": "QC"},
     "<dd>Montréal (Québec)</dd>"),
    ("en", {"venue": "Salle paroissiale", "address": "", "city": "", "province": ""},
     "<dd>Salle paroissiale</dd>"),
    ("en", {"venue": "", "address": "12 rue Jarry", "city": "", "province": "QC"},
     "<dd>12 rue Jarry, Quebec</dd>"),
    ("fr", {"venue": "", "address": "", "city": "", "province": ""},
     "<dd>Lieu pas encore précisé</dd>"),
])
def test_the_detail_names_only_the_parts_of_the_place_that_exist(world, as_user, events, lang,
                                                                  place, expected):
    Event.objects.filter(pk=events["mtl"].pk).update(**place)
    client = as_user(world.montreal_organizer)
    html = client.get(url("event_detail", slug="mtl-event", lang=lang)).content.decode()
    assert expected in html


@pytest.mark.parametrize(("lang", "summer", "winter"), [
    ("en", "Toronto time (EDT)", "EST"),
    ("fr", "heure de Toronto (HAE)", "HNE"),
])
def test_event_pages_name_the_time_zone_as_people_say_it(world, as_user, lang, summer, winter):
    """Not "America/Toronto": the detail says whose time it is, the lists its abbreviation."""
    series = SeriesFactory(organization=world.centre, slug="week")
    june = datetime.datetime(2027, 6, 9, 23, tzinfo=datetime.UTC)
    EventFactory(organization=world.centre, chapter=world.montreal, slug="toronto-june",
                 time_zone="America/Toronto", starts_at=june,
                 ends_at=june + datetime.timedelta(hours=2), series=series)
    january = datetime.datetime(2027, 1, 9, 23, tzinfo=datetime.UTC)
    EventFactory(organization=world.centre, chapter=world.montreal, slug="toronto-january",
                 time_zone="America/Toronto", starts_at=january,
                 ends_at=january + datetime.timedelta(hours=2), series=series)
    client = as_user(world.coordinator)
    pages = [client.get(url("event_detail", slug="toronto-june", lang=lang)),
             client.get(url("events", lang=lang)),
             client.get(url("series_detail", slug="week", lang=lang))]
    for response in pages:
        assert response.status_code == 200
        assert "America/" not in response.content.decode()
    assert summer in pages[0].content.decode()
    for listing in pages[1:]:
        assert winter in listing.content.decode()
