"""The data migration for audiences saved before `uses_status` (decision 0047), applied to
rows made before it: it marks them, and takes their call lists from callers without
status access."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from solidaire.core.models import Activity, AuditEntry, OrganizerRole
from solidaire.messaging.models import Audience, CallAssignment, CallEntry, CallList

from tests.factories import PersonFactory, make_organizer

BEFORE = ("messaging", "0002_status_audiences")
MARKING = ("messaging", "0003_status_audiences_marked")
PERMITS = {"permit_expiry": {"from": "2027-01", "to": "2027-06"}}


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def leaves() -> list[tuple[str, str]]:
    """The latest migration of every app: going back to BEFORE also unapplies what
    depends on it elsewhere (people's tenancy migrations run after messaging's)."""
    executor = MigrationExecutor(connection)
    return list(executor.loader.graph.leaf_nodes())


@pytest.fixture
def before_marking(transactional_db):
    """The database as it was before the marking migration (its schema is the same);
    back to the latest migration afterwards."""
    migrate([BEFORE])
    yield
    migrate(leaves())


def entries_of(assignment) -> list[str]:
    return list(CallEntry.objects.filter(assignment=assignment).order_by("position")
                .values_list("person__chosen_name", flat=True))


def test_the_migration_marks_status_audiences_and_takes_their_lists_from_other_callers(
    before_marking, world,
):
    coordinator = world.coordinator
    OrganizerRole.objects.filter(user=coordinator).update(status_access=True)
    keeper = make_organizer(role=OrganizerRole.Role.COORDINATOR, username="keeper",
                            organization=world.centre)
    people = [PersonFactory(chosen_name=name, home_chapter=world.montreal)
              for name in ("Amina", "Bruno", "Chen", "Dana", "Eli")]

    permits = Audience.objects.create(name="Permits", organization=world.centre,
                                      chapter=world.montreal, definition=PERMITS)
    plain = Audience.objects.create(name="Everyone", organization=world.centre,
                                    definition={"chapters": [world.montreal.pk]})
    # As the attack left it: made by the coordinator, given to the Montréal organizer
    # and the volunteer; the coordinator called its own part already.
    attacked = CallList.objects.create(name="Call day", organization=world.centre,
                                       chapter=world.montreal, audience=permits,
                                       created_by=coordinator)
    own = CallAssignment.objects.create(call_list=attacked, caller=coordinator)
    CallEntry.objects.create(assignment=own, person=people[0], position=0)
    to_montreal = CallAssignment.objects.create(call_list=attacked,
                                                caller=world.montreal_organizer)
    CallEntry.objects.create(assignment=to_montreal, person=people[1], position=0,
                             outcome="reached")
    CallEntry.objects.create(assignment=to_montreal, person=people[2], position=1)
    to_volunteer = CallAssignment.objects.create(call_list=attacked, caller=world.volunteer)
    CallEntry.objects.create(assignment=to_volunteer, person=people[3], position=0)
    # Made by an account without status access: no one left to hand the people to.
    orphan = CallList.objects.create(name="Orphan day", organization=world.centre,
                                     audience=permits, created_by=world.montreal_organizer)
    orphaned = CallAssignment.objects.create(call_list=orphan, caller=world.volunteer)
    CallEntry.objects.create(assignment=orphaned, person=people[4], position=0)
    # Not made with status: left as it is.
    untouched = CallList.objects.create(name="Plain day", organization=world.centre,
                                        audience=plain, created_by=keeper)
    plain_part = CallAssignment.objects.create(call_list=untouched, caller=world.volunteer)
    CallEntry.objects.create(assignment=plain_part, person=people[0], position=0)
    ledger_rows = Activity.objects.count()

    migrate([MARKING])

    assert Audience.objects.get(pk=permits.pk).uses_status
    assert not Audience.objects.get(pk=plain.pk).uses_status
    assert CallList.objects.get(pk=attacked.pk).uses_status
    assert CallList.objects.get(pk=orphan.pk).uses_status
    assert not CallList.objects.get(pk=untouched.pk).uses_status

    # The attacked list: only the coordinator's part is left, with everyone on it, the
    # outcome already recorded kept.
    assert list(CallAssignment.objects.filter(call_list=attacked)
                .values_list("caller", flat=True)) == [coordinator.pk]
    assert entries_of(own) == ["Amina", "Bruno", "Chen", "Dana"]
    assert CallEntry.objects.get(person=people[1]).outcome == "reached"
    # The orphan list: no account with status access made it, so its part is gone.
    assert not CallAssignment.objects.filter(call_list=orphan).exists()
    assert entries_of(plain_part) == ["Amina"]
    assert Activity.objects.count() == ledger_rows  # calls made stay in the ledger

    entries = {entry.object_id: entry.data for entry in
               AuditEntry.objects.filter(action="solidaire.call_list.callers_withdrawn")}
    assert entries == {
        str(attacked.pk): {"callers": [world.montreal_organizer.pk, world.volunteer.pk],
                           "people": 3, "moved_to": coordinator.pk, "reason": "status"},
        str(orphan.pk): {"callers": [world.volunteer.pk], "people": 1, "moved_to": None,
                         "reason": "status"},
    }
    assert "Amina" not in str(entries) and "2027" not in str(entries)
