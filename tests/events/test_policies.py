"""Who may edit events and series, who approves submitted events, and the services
refusing the others (decision 0056)."""

import datetime

import pytest
from django.utils import timezone

from solidaire.core.access import NotAllowed
from solidaire.events import editing
from solidaire.events.attendance import attendance_import
from solidaire.events.models import Event, FollowUp, Registration, Series
from solidaire.events.selectors import (
    event_may_edit,
    event_may_import_attendance,
    event_may_work_door,
    events_editable_by,
    series_editable_by,
    series_for_new_events,
    series_may_approve,
    series_may_edit,
)
from solidaire.events.services import (
    attendance_mark,
    attendance_unmark,
    event_capacity_set,
    registration_cancel,
    registration_decide,
    walk_in_add,
)

from tests.factories import EventFactory, PersonFactory, RegistrationFactory, SeriesFactory
from tests.policies import EDITS, accounts, editable_names, placements

# Series belong to a whole organization: its coordinators run them.
SERIES_EDITS = {account: {name for name in places if name in ("centre", "other")}
                for account, places in EDITS.items()}


def _new_event(world, actor, **fields):
    start = timezone.now() + datetime.timedelta(days=3)
    arguments = {"actor": actor, "organization": world.centre, "chapter": world.montreal,
                 "slug": "local", "title": {"fr": "Rassemblement"}, "starts_at": start,
                 "ends_at": start + datetime.timedelta(hours=1)}
    return editing.event_create(**{**arguments, **fields})


@pytest.mark.parametrize("account", sorted(EDITS))
def test_events_editable_by_follow_the_table(world, account):
    user = accounts(world)[account]
    items = {p.name: EventFactory(organization=p.organization, chapter=p.chapter)
             for p in placements(world)}
    by_pk = {event.pk: name for name, event in items.items()}
    assert editable_names(events_editable_by(user), by_pk) == EDITS[account]
    for name, event in items.items():
        assert event_may_edit(user, event) is (name in EDITS[account])


@pytest.mark.parametrize("account", sorted(EDITS))
def test_series_are_edited_and_approved_by_their_organizations_coordinators(world, account):
    user = accounts(world)[account]
    items = {"centre": SeriesFactory(organization=world.centre),
             "other": SeriesFactory(organization=world.other)}
    by_pk = {series.pk: name for name, series in items.items()}
    assert editable_names(series_editable_by(user), by_pk) == SERIES_EDITS[account]
    for name, series in items.items():
        assert series_may_edit(user, series) is (name in SERIES_EDITS[account])
        assert series_may_approve(user, series) is (name in SERIES_EDITS[account])


def test_chapter_organizers_add_events_to_their_organizations_open_series_only(world):
    accounts(world)
    open_series = SeriesFactory(organization=world.centre)
    closed = SeriesFactory(organization=world.centre, accepts_submissions=False)
    elsewhere = SeriesFactory(organization=world.other)
    assert set(series_for_new_events(world.montreal_organizer)) == {open_series}
    assert set(series_for_new_events(world.coordinator)) == {open_series, closed}
    assert set(series_for_new_events(world.other_coordinator)) == {elsewhere}
    assert not series_for_new_events(world.no_role).exists()


def test_event_create_refuses_a_placement_out_of_scope(world):
    accounts(world)
    for actor, chapter in ((world.montreal_organizer, world.bsl),
                           (world.montreal_organizer, None),
                           (world.volunteer, world.montreal),
                           (world.no_role, world.montreal),
                           (world.other_coordinator, world.montreal)):
        with pytest.raises(NotAllowed):
            _new_event(world, actor, chapter=chapter)
    assert not Event.objects.exists()
    assert _new_event(world, world.montreal_organizer, chapter=world.cdn).chapter == world.cdn


def test_event_create_refuses_a_series_of_another_organization(world):
    accounts(world)
    elsewhere = SeriesFactory(organization=world.other)
    with pytest.raises(NotAllowed):
        _new_event(world, world.coordinator, series=elsewhere)
    assert not Event.objects.exists()


def test_event_update_refuses_who_may_not_edit_and_changes_nothing(world):
    accounts(world)
    event = EventFactory(organization=world.centre, chapter=world.montreal, city="Montréal")
    for actor in (world.rimouski_organizer, world.other_coordinator, world.volunteer,
                  world.no_role):
        with pytest.raises(NotAllowed):
            editing.event_update(actor=actor, event=event, city="Rimouski")
    with pytest.raises(NotAllowed):  # moving it to a chapter out of the organizer's scope
        editing.event_update(actor=world.montreal_organizer, event=event, chapter=world.bsl)
    event.refresh_from_db()
    assert (event.city, event.chapter) == ("Montréal", world.montreal)
    editing.event_update(actor=world.montreal_organizer, event=event, city="Laval")


def test_series_services_refuse_chapter_organizers(world):
    with pytest.raises(NotAllowed):
        editing.series_create(actor=world.montreal_organizer, organization=world.centre,
                              slug="week", title={"fr": "Semaine"},
                              starts_on=datetime.date(2026, 5, 1),
                              ends_on=datetime.date(2026, 5, 7))
    assert not Series.objects.exists()
    series = SeriesFactory(organization=world.centre, is_public=True)
    with pytest.raises(NotAllowed):
        editing.series_update(actor=world.montreal_organizer, series=series, is_public=False)
    series.refresh_from_db()
    assert series.is_public
    editing.series_update(actor=world.coordinator, series=series, is_public=False)


def test_deciding_on_a_registration_is_editing_the_event(world):
    event = EventFactory(organization=world.centre, chapter=world.montreal,
                         visibility=Event.Visibility.MEMBERS)
    registration = RegistrationFactory(event=event, person=PersonFactory(),
                                       status=Registration.Status.AWAITING)
    with pytest.raises(NotAllowed):
        registration_decide(registration=registration, approve=True,
                            actor=world.rimouski_organizer)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.AWAITING
    decided = registration_decide(registration=registration, approve=False,
                                  actor=world.montreal_organizer)
    assert decided.status == Registration.Status.CANCELLED


def test_a_follow_up_is_sent_only_by_who_may_edit_the_event(world):
    event = EventFactory(organization=world.centre,
                         starts_at=timezone.now() - datetime.timedelta(hours=2),
                         ends_at=timezone.now() - datetime.timedelta(hours=1))
    with pytest.raises(NotAllowed):
        editing.follow_up_send(event=event, audience=FollowUp.Audience.ATTENDED,
                               subject={"en": "Thanks"}, body={"en": "Thanks"}, token="t",
                               actor=world.montreal_organizer)
    assert not FollowUp.objects.exists()


# Door work (checking in, walk-ins, paper sheets) and attendance reports: an organizer's
# events are those they see, organization-wide ones included; a volunteer works at the
# door of their organization's events, of their chapters or organization-wide, while the
# door is open, and imports no reports (decision 0044).
SEES = {"coordinator": {"centre", "montreal", "cdn", "bsl"},
        "montreal_organizer": {"centre", "montreal", "cdn"},
        "rimouski_organizer": {"centre", "bsl"},
        "other_coordinator": {"other", "toronto"},
        "volunteer": set(), "no_role": set()}
DOOR = {**SEES, "volunteer": {"centre", "montreal", "cdn"}}


def _today(placement):
    # Under way: a participant report is refused before its event starts.
    start = timezone.now() - datetime.timedelta(hours=1)
    return EventFactory(organization=placement.organization, chapter=placement.chapter,
                        starts_at=start, ends_at=start + datetime.timedelta(hours=2))


@pytest.mark.parametrize("account", sorted(EDITS))
def test_door_work_and_attendance_reports_follow_the_table(world, account):
    user = accounts(world)[account]
    for placement in placements(world):
        event = _today(placement)
        assert event_may_work_door(user, event.pk) is (placement.name in DOOR[account])
        assert event_may_import_attendance(user, event) is (placement.name in SEES[account])


def test_checking_in_is_refused_outside_the_door_and_kept_for_volunteers(world):
    accounts(world)
    ours = _today(next(p for p in placements(world) if p.name == "montreal"))
    theirs = _today(next(p for p in placements(world) if p.name == "bsl"))
    registration = RegistrationFactory(event=theirs, person=world.in_bsl)
    for actor in (world.montreal_organizer, world.volunteer, world.other_coordinator,
                  world.no_role):
        with pytest.raises(NotAllowed):
            attendance_mark(registration=registration, source="check_in", actor=actor)
        with pytest.raises(NotAllowed):
            walk_in_add(event=theirs, chosen_name="Passant", language="fr", actor=actor)
    registration.refresh_from_db()
    assert registration.attended_at is None
    assert not Registration.objects.filter(person__chosen_name="Passant").exists()
    assert attendance_mark(registration=registration, source="check_in",
                           actor=world.rimouski_organizer)
    with pytest.raises(NotAllowed):
        attendance_unmark(registration=registration, actor=world.volunteer)
    assert attendance_unmark(registration=registration, actor=world.rimouski_organizer)
    # The volunteer of Montréal at their chapter's door, today.
    here = RegistrationFactory(event=ours, person=world.in_montreal)
    assert attendance_mark(registration=here, source="check_in", actor=world.volunteer)
    assert walk_in_add(event=ours, chosen_name="Passante", language="fr",
                       actor=world.volunteer).registration is not None


def test_a_volunteer_cannot_check_in_before_the_door_opens(world):
    event = EventFactory(organization=world.centre, chapter=world.montreal)  # next week
    registration = RegistrationFactory(event=event, person=world.in_montreal)
    with pytest.raises(NotAllowed):
        attendance_mark(registration=registration, source="check_in", actor=world.volunteer)
    assert attendance_mark(registration=registration, source="check_in",
                           actor=world.montreal_organizer)


ZOOM = "Name (original name),User Email,Duration (minutes)\nAna,ana@example.org,60\n"


def test_attendance_reports_are_imported_by_organizers_who_see_the_event(world):
    accounts(world)
    event = _today(next(p for p in placements(world) if p.name == "bsl"))
    for actor in (world.montreal_organizer, world.volunteer, world.other_coordinator,
                  world.no_role):
        with pytest.raises(NotAllowed):
            attendance_import(event=event, file=ZOOM.encode(), filename="zoom.csv",
                              actor=actor)
    assert not event.attendance_imports.exists()
    attendance_import(event=event, file=ZOOM.encode(), filename="zoom.csv",
                      actor=world.rimouski_organizer)
    attendance_import(event=event, file=ZOOM.encode(), filename="zoom.csv",
                      actor=None)  # the application (a command, the benchmarks)
    assert event.attendance_imports.count() == 2


def test_cancelling_and_the_capacity_are_editing_the_event(world):
    accounts(world)
    event = EventFactory(organization=world.centre, chapter=world.montreal, capacity=10)
    registration = RegistrationFactory(event=event, person=world.in_montreal)
    for actor in (world.rimouski_organizer, world.volunteer, world.no_role):
        with pytest.raises(NotAllowed):
            registration_cancel(registration=registration, actor=actor)
        with pytest.raises(NotAllowed):
            event_capacity_set(event=event, capacity=20, actor=actor)
    registration.refresh_from_db()
    event.refresh_from_db()
    assert (registration.status, event.capacity) == (Registration.Status.CONFIRMED, 10)
    event_capacity_set(event=event, capacity=20, actor=world.montreal_organizer)
    registration_cancel(registration=registration, actor=world.montreal_organizer)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
