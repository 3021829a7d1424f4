"""Retention: a status is erased after the organization's period without activity."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from solidaire.core.models import Activity, AuditEntry
from solidaire.core.worker import daily_task_enqueue, daily_tasks_enqueue
from solidaire.membership.activities import COMMITTEE_JOINED
from solidaire.people.models import Person, PersonStatus
from solidaire.people.retention import (
    RETENTION_ACTION,
    months_before,
    statuses_expire,
)
from solidaire.people.services import status_set

from tests.factories import PersonFactory
from tests.organize.conftest import url
from tests.organize.test_organization_editing import form_data
from tests.policies import accounts

TODAY = datetime.date(2026, 11, 21)
LONG_AGO = timezone.make_aware(datetime.datetime(2025, 1, 10, 12))
TASK = "solidaire.people.tasks.status_retention_run"


@pytest.fixture(autouse=True)
def own_keys(settings, tmp_path):
    settings.FIELD_KEYS_FILE = tmp_path / "keys.json"


def with_status_access(user):
    role = user.organizer_role
    role.status_access = True
    role.save(update_fields=["status_access"])
    return user


@pytest.fixture
def reader(world):
    return with_status_access(world.coordinator)


def quiet_person_with_status(reader, chapter, *, name="Quiet"):
    """A person added long ago, with a status set long ago and no activity since."""
    person = PersonFactory(chosen_name=name, home_chapter=chapter)
    status_set(person=person, actor=reader, category="closed_work_permit",
               note="Sensitive note")
    Person.objects.filter(pk=person.pk).update(created_at=LONG_AGO)
    PersonStatus.objects.filter(pk=person.pk).update(updated_at=LONG_AGO)
    Activity.objects.filter(person=person).update(occurred_at=LONG_AGO)
    return person


def set_period(organization, months):
    organization.status_retention_months = months
    organization.save(update_fields=["status_retention_months"])


def test_months_before_keeps_the_day_or_takes_the_last_day_of_a_shorter_month():
    assert months_before(datetime.date(2026, 11, 21), 12) == datetime.date(2025, 11, 21)
    assert months_before(datetime.date(2026, 3, 31), 1) == datetime.date(2026, 2, 28)
    assert months_before(datetime.date(2026, 1, 15), 1) == datetime.date(2025, 12, 15)


def test_a_person_inactive_longer_than_the_period_loses_the_status(world, reader):
    set_period(world.centre, 6)
    quiet = quiet_person_with_status(reader, world.montreal)
    assert statuses_expire(today=TODAY) == 1
    assert not PersonStatus.objects.filter(person=quiet).exists()
    assert Person.objects.filter(pk=quiet.pk).exists()  # only the status goes


def test_a_person_with_recent_activity_keeps_the_status(world, reader):
    set_period(world.centre, 6)
    active = quiet_person_with_status(reader, world.cdn, name="Active")
    Activity.objects.create(person=active, kind=COMMITTEE_JOINED,
                            occurred_at=timezone.make_aware(datetime.datetime(2026, 10, 1)))
    assert statuses_expire(today=TODAY) == 0
    assert PersonStatus.objects.filter(person=active).exists()


def test_a_status_changed_within_the_period_is_kept(world, reader):
    set_period(world.centre, 6)
    person = quiet_person_with_status(reader, world.montreal)
    PersonStatus.objects.filter(pk=person.pk).update(updated_at=timezone.now())
    assert statuses_expire(today=TODAY) == 0


def test_an_organization_without_a_period_keeps_everything(world, reader):
    set_period(world.centre, 6)
    # Set by the other organization's coordinator: a status is set by whoever sees the person.
    other_reader = with_status_access(accounts(world)["other_coordinator"])
    in_other = quiet_person_with_status(other_reader, world.toronto, name="Other org")
    assert world.other.status_retention_months is None
    assert statuses_expire(today=TODAY) == 0
    assert PersonStatus.objects.filter(person=in_other).exists()


def test_someone_without_a_chapter_follows_their_organizations_period(world, reader):
    """A person is on one organization's list, chapter or not (decision 0035)."""
    set_period(world.centre, 6)
    no_chapter = quiet_person_with_status(reader, None, name="No chapter")
    assert no_chapter.organization == world.centre
    assert statuses_expire(today=TODAY) == 1
    assert not PersonStatus.objects.filter(person=no_chapter).exists()


def test_running_twice_on_one_day_erases_nothing_more(world, reader):
    set_period(world.centre, 6)
    quiet_person_with_status(reader, world.montreal)
    quiet_person_with_status(reader, world.bsl, name="Also quiet")
    assert statuses_expire(today=TODAY) == 2
    assert statuses_expire(today=TODAY) == 0
    assert AuditEntry.objects.filter(action=RETENTION_ACTION).count() == 1


def test_the_audit_entry_holds_a_count_and_the_organization_never_a_value(world, reader):
    set_period(world.centre, 6)
    quiet = quiet_person_with_status(reader, world.montreal)
    statuses_expire(today=TODAY)
    entry = AuditEntry.objects.get(action=RETENTION_ACTION)
    assert entry.data == {"count": 1, "organization_id": world.centre.pk, "months": 6}
    assert entry.object_id == str(world.centre.pk)
    text = str(entry.data)
    assert "closed_work_permit" not in text and "Sensitive" not in text
    assert entry.object_type.model == "organization" and entry.actor is None
    assert quiet.chosen_name not in text


def test_dry_run_counts_without_erasing(world, reader, capsys):
    set_period(world.centre, 6)
    quiet_person_with_status(reader, world.montreal)
    call_command("status-retention", "--dry-run")
    assert "1 status(es) would be erased" in capsys.readouterr().out
    assert PersonStatus.objects.count() == 1
    assert not AuditEntry.objects.filter(action=RETENTION_ACTION).exists()
    call_command("status-retention")
    assert PersonStatus.objects.count() == 0


def test_the_daily_guard_enqueues_each_task_once_a_day(db, settings):
    settings.SOLIDAIRE_DAILY_TASKS = [TASK]
    assert daily_tasks_enqueue(today=timezone.localdate()) == ([TASK], True)
    assert daily_tasks_enqueue(today=timezone.localdate()) == ([], True)
    assert daily_task_enqueue(task_path=TASK) is False
    assert DBTaskResult.objects.filter(task_path=TASK).count() == 1


def test_a_task_enqueued_yesterday_does_not_stop_todays(db):
    assert daily_task_enqueue(task_path=TASK)
    DBTaskResult.objects.filter(task_path=TASK).update(
        enqueued_at=timezone.now() - datetime.timedelta(days=2))
    assert daily_task_enqueue(task_path=TASK)
    assert DBTaskResult.objects.filter(task_path=TASK).count() == 2


def test_the_retention_task_runs_and_erases(world, reader):
    from solidaire.people.tasks import status_retention_run

    set_period(world.centre, 1)
    quiet_person_with_status(reader, world.montreal)
    assert status_retention_run.call() == 1


def test_a_coordinator_sets_and_clears_the_period_on_the_organization_form(world, client):
    client.force_login(world.coordinator)
    page = client.get(url("organization_edit", "cti")).content.decode()
    assert 'name="status_retention_months"' in page
    response = client.post(url("organization_edit", "cti"),
                           form_data(status_retention_months="24"))
    assert response.status_code == 302
    world.centre.refresh_from_db()
    assert world.centre.status_retention_months == 24
    assert 'value="24"' in client.get(url("organization_edit", "cti")).content.decode()
    client.post(url("organization_edit", "cti"), form_data(status_retention_months=""))
    world.centre.refresh_from_db()
    assert world.centre.status_retention_months is None


def test_a_bad_period_is_refused_and_what_was_typed_is_kept(world, client):
    client.force_login(world.coordinator)
    response = client.post(url("organization_edit", "cti"),
                           form_data(status_retention_months="0"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_status_retention_months_error"' in html and 'value="CTTI"' in html
    world.centre.refresh_from_db()
    assert world.centre.status_retention_months is None
