"""Immigration status: encrypted, readable only with status access, never shown to others."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from solidaire.core.models import AuditEntry
from solidaire.people.models import PersonStatus
from solidaire.people.services import person_merge, status_clear, status_read, status_set

from tests.organize.conftest import url
from tests.second_factor import log_in


@pytest.fixture(autouse=True)
def own_keys(settings, tmp_path):
    settings.FIELD_KEYS_FILE = tmp_path / "keys.json"


@pytest.fixture
def as_user(client):
    """Logged in as the login asks: a status-access account types its code."""
    def login(user):
        return log_in(client, user)

    return login


@pytest.fixture
def reader(world):
    role = world.coordinator.organizer_role
    role.status_access = True
    role.save(update_fields=["status_access"])
    return world.coordinator


def record(person, actor, **values):
    values = {"category": "closed_work_permit", "expiry_month": datetime.date(2027, 3, 18),
              "flags": ["peq_applicant"], "note": "Afraid of the employer", **values}
    return status_set(person=person, actor=actor, **values)


def test_a_status_reads_back_with_its_expiry_kept_to_the_month(world, reader):
    record(world.in_montreal, reader)
    view = status_read(person=world.in_montreal, actor=reader)
    assert view.category == "closed_work_permit"
    assert view.expiry_month == datetime.date(2027, 3, 1)
    assert view.flags == ("peq_applicant",)
    assert view.note == "Afraid of the employer"
    from django.utils import translation

    with translation.override("en"):
        assert str(view.category_label) == "Closed (employer-specific) work permit"


def test_every_value_is_stored_encrypted(world, reader):
    record(world.in_montreal, reader)
    row = PersonStatus.objects.values().get(person=world.in_montreal)
    stored = " ".join(str(value) for value in row.values())
    for plain in ("closed_work_permit", "2027-03", "peq_applicant", "Afraid"):
        assert plain not in stored
    assert row["updated_by_id"] == reader.pk


def test_accounts_without_status_access_can_neither_read_nor_set(world, reader):
    record(world.in_montreal, reader)
    for account in (world.montreal_organizer, world.volunteer):
        with pytest.raises(PermissionDenied):
            status_read(person=world.in_montreal, actor=account)
        with pytest.raises(PermissionDenied):
            record(world.in_montreal, account, category="citizen")
        with pytest.raises(PermissionDenied):
            status_clear(person=world.in_montreal, actor=account)
    assert status_read(person=world.in_montreal, actor=reader).category == "closed_work_permit"


def test_reading_a_status_is_audited_without_any_value(world, reader):
    record(world.in_montreal, reader)
    status_read(person=world.in_montreal, actor=reader)
    entry = AuditEntry.objects.get(action="solidaire.person.status.viewed")
    assert entry.actor == reader and entry.object_id == str(world.in_montreal.pk)
    every_entry = " ".join(f"{e.action} {e.data}" for e in AuditEntry.objects.all())
    for plain in ("closed", "2027", "peq", "Afraid"):
        assert plain not in every_entry


def test_unknown_values_are_refused(world, reader):
    with pytest.raises(ValueError):
        record(world.in_montreal, reader, category="tourist")
    with pytest.raises(ValueError):
        record(world.in_montreal, reader, flags=["vip"])
    assert not PersonStatus.objects.exists()


def test_clearing_removes_the_row(world, reader):
    record(world.in_montreal, reader)
    assert status_clear(person=world.in_montreal, actor=reader)
    assert status_read(person=world.in_montreal, actor=reader) is None


def test_a_merge_keeps_the_status_of_the_removed_record(world, reader):
    record(world.in_cdn, reader, category="seasonal_agricultural_worker")
    keep = person_merge(keep=world.in_montreal, remove=world.in_cdn, actor=reader)
    assert status_read(person=keep, actor=reader).category == "seasonal_agricultural_worker"


# The person page


def test_the_person_page_shows_status_to_a_status_access_account(world, reader, as_user):
    record(world.in_montreal, reader)
    html = as_user(reader).get(url("person_detail", pk=world.in_montreal.pk)).content.decode()
    assert "Closed (employer-specific) work permit" in html
    assert "Afraid of the employer" in html
    assert 'type="month"' in html and 'value="2027-03"' in html
    assert AuditEntry.objects.filter(action="solidaire.person.status.viewed").count() == 1


def test_others_learn_only_that_a_status_is_recorded(world, reader, as_user):
    client = as_user(world.montreal_organizer)
    page = url("person_detail", pk=world.in_montreal.pk)
    assert "No immigration status is recorded" in client.get(page).content.decode()
    record(world.in_montreal, reader)
    html = client.get(page).content.decode()
    assert "An immigration status is recorded" in html
    for plain in ("Closed", "2027", "PEQ", "Afraid", 'type="month"'):
        assert plain not in html
    response = client.post(url("person_status", pk=world.in_montreal.pk),
                           {"category": "citizen"})
    assert response.status_code == 403
    assert status_read(person=world.in_montreal, actor=reader).category == "closed_work_permit"


def test_the_status_form_saves_through_the_service(world, reader, as_user):
    response = as_user(reader).post(url("person_status", pk=world.in_montreal.pk), {
        "category": "open_work_permit", "expiry_month": "2028-01",
        "flags": ["pr_applied", "renewal_pending"], "note": " Call after 6 pm ",
    })
    assert response.status_code == 302
    assert response["Location"] == url("person_detail", pk=world.in_montreal.pk) + "#status"
    view = status_read(person=world.in_montreal, actor=reader)
    assert view.category == "open_work_permit"
    assert view.expiry_month == datetime.date(2028, 1, 1)
    assert set(view.flags) == {"pr_applied", "renewal_pending"}
    assert view.note == "Call after 6 pm"


def test_bad_input_on_the_status_form_shows_errors_and_keeps_what_was_typed(
    world, reader, as_user,
):
    record(world.in_montreal, reader)
    response = as_user(reader).post(url("person_status", pk=world.in_montreal.pk), {
        "category": "open_work_permit", "expiry_month": "next spring",
        "flags": ["pr_applied"], "note": "Keep this text",
    })
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a month as year-month" in html
    assert 'value="next spring"' in html and "Keep this text" in html
    assert status_read(person=world.in_montreal, actor=reader).category == "closed_work_permit"


def test_details_without_a_category_are_refused(world, reader, as_user):
    response = as_user(reader).post(url("person_status", pk=world.in_montreal.pk),
                                    {"category": "", "note": "something"})
    assert response.status_code == 200
    assert "Choose a status" in response.content.decode()
    assert not PersonStatus.objects.exists()


def test_the_status_can_be_removed_from_the_page(world, reader, as_user):
    record(world.in_montreal, reader)
    as_user(reader).post(url("person_status", pk=world.in_montreal.pk), {"action": "clear"})
    assert not PersonStatus.objects.exists()


def test_the_people_list_never_shows_a_status(world, reader, as_user):
    record(world.in_montreal, reader)
    html = as_user(reader).get(url("people")).content.decode()
    assert "Ana Montréal" in html
    for plain in ("Closed (employer-specific)", "2027", "Afraid", "status"):
        assert plain not in html.split("<main", 1)[-1], plain


def test_error_reports_hide_what_the_status_form_posted(world, reader, rf):
    """A crash report (debug page, error e-mail) must not carry a status in its POST data."""
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore
    from django.views.debug import SafeExceptionReporterFilter

    from solidaire.organize.views.people import person_status

    request = rf.post("/fr/organize/", {"category": "no_status", "expiry_month": "2027-03",
                                        "note": "Afraid of the employer"})
    request.user = reader
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    person_status(request, pk=world.in_montreal.pk)
    cleansed = SafeExceptionReporterFilter().get_post_parameters(request)
    assert "no_status" not in cleansed.values()
    assert "Afraid of the employer" not in cleansed.values()
    assert set(cleansed) == {"category", "expiry_month", "note"}
