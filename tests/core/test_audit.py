"""The audit trail: append-only, and it records logins, role and permission changes."""

import json

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory

from solidaire.core import audit_actions as actions
from solidaire.core.models import AuditEntry, AuditEntryIsAppendOnly, OrganizerRole
from solidaire.core.services import audit_log

from tests.organize.conftest import url
from tests.second_factor import log_in_with_code

PASSWORD = "correct horse battery"
# A password that reads like a status: it must never reach the trail either.
STATUS_LIKE_PASSWORD = "no status (undocumented) closed work permit"


def entries(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("id"))


def about(user) -> dict:
    return {"object_type": ContentType.objects.get_for_model(get_user_model()),
            "object_id": str(user.pk)}


# -- append-only -------------------------------------------------------------------------------

def test_an_audit_entry_cannot_be_changed_once_written(db):
    entry = audit_log(action="solidaire.test", data={"n": 1})
    entry.action = "solidaire.rewritten"
    with pytest.raises(AuditEntryIsAppendOnly):
        entry.save()
    assert AuditEntry.objects.get(pk=entry.pk).action == "solidaire.test"


def test_an_audit_entry_cannot_be_deleted(db):
    entry = audit_log(action="solidaire.test")
    with pytest.raises(AuditEntryIsAppendOnly):
        entry.delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_bulk_updates_and_deletes_of_audit_entries_are_refused(db):
    entry = audit_log(action="solidaire.test")
    with pytest.raises(AuditEntryIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(action="solidaire.rewritten")
    with pytest.raises(AuditEntryIsAppendOnly):
        AuditEntry.objects.all().delete()
    entry.action = "solidaire.rewritten"
    with pytest.raises(AuditEntryIsAppendOnly):
        AuditEntry.objects.bulk_update([entry], ["action"])
    assert AuditEntry.objects.get(pk=entry.pk).action == "solidaire.test"


def test_deleting_an_account_keeps_its_entries_without_an_actor(world):
    entry = audit_log(action="solidaire.test", actor=world.volunteer)
    volunteer_id = world.volunteer.pk
    world.volunteer.delete()
    assert AuditEntry.objects.get(pk=entry.pk).actor is None
    deleted = entries(actions.ACCOUNT_DELETED)[-1]
    assert deleted.object_id == str(volunteer_id)
    assert deleted.data == {"username": "volunteer"}
    assert entries(actions.ROLE_DELETED)[-1].object_id == str(volunteer_id)


# -- logins ------------------------------------------------------------------------------------

def test_a_successful_login_is_recorded_with_the_account_and_address(world, client):
    client.post(url("login"), {"username": "montreal", "password": PASSWORD},
                REMOTE_ADDR="203.0.113.7")
    entry = entries(actions.LOGIN)[-1]
    assert entry.actor == world.montreal_organizer
    assert entry.data == {"ip": "203.0.113.7"}


def test_a_failed_login_keeps_the_typed_username_and_address_never_the_password(world, client):
    client.post(url("login"), {"username": "montreal", "password": STATUS_LIKE_PASSWORD},
                REMOTE_ADDR="198.51.100.23")
    entry = entries(actions.LOGIN_FAILED)[-1]
    assert entry.actor is None
    assert entry.data == {"username": "montreal", "ip": "198.51.100.23"}
    # The attempt is filed under the account it aimed at.
    assert (entry.object_type, entry.object_id) == tuple(about(world.montreal_organizer).values())
    assert STATUS_LIKE_PASSWORD not in json.dumps(entry.data)


def test_a_failed_login_for_an_unknown_username_cuts_it_to_150_characters(db):
    typed = "x" * 200  # the login form stops at 150; authenticate() itself does not
    request = RequestFactory().post("/", REMOTE_ADDR="2001:db8::1")
    assert authenticate(request, username=typed, password="whatever") is None
    entry = entries(actions.LOGIN_FAILED)[-1]
    assert entry.data == {"username": "x" * 150, "ip": "2001:db8::1"}
    assert entry.object_type is None


def test_logging_out_is_recorded(world, client):
    client.post(url("login"), {"username": "montreal", "password": PASSWORD})
    client.post(url("logout"), REMOTE_ADDR="192.0.2.1")
    entry = entries(actions.LOGOUT)[-1]
    assert entry.actor == world.montreal_organizer
    assert entry.data == {"ip": "192.0.2.1"}


# -- organizer roles ---------------------------------------------------------------------------

def test_giving_a_role_is_recorded_with_its_values(world):
    user = get_user_model().objects.create_user("newcomer")
    OrganizerRole.objects.create(user=user, role=OrganizerRole.Role.VOLUNTEER,
                                 organization=world.centre)
    entry = entries(actions.ROLE_CREATED)[-1]
    assert (entry.object_type, entry.object_id) == tuple(about(user).values())
    assert entry.data == {"role": "volunteer", "organization": world.centre.name,
                          "status_access": False}


def test_a_role_change_is_recorded_with_before_and_after(world):
    role = world.montreal_organizer.organizer_role
    role.role = OrganizerRole.Role.COORDINATOR
    role.organization = world.centre
    role.status_access = True
    role.save()
    entry = entries(actions.ROLE_CHANGED)[-1]
    assert entry.data == {
        "fields": ["organization", "role", "status_access"],
        "before": {"organization": None, "role": "chapter_organizer", "status_access": False},
        "after": {"organization": world.centre.name, "role": "coordinator",
                  "status_access": True},
    }
    assert entry.object_id == str(world.montreal_organizer.pk)


def test_saving_a_role_unchanged_writes_nothing(world):
    before = AuditEntry.objects.count()
    world.montreal_organizer.organizer_role.save()
    assert AuditEntry.objects.count() == before


def test_status_access_granted_and_removed_is_recorded_each_time(world):
    role = world.coordinator.organizer_role
    for granted in (True, False):
        role.status_access = granted
        role.save(update_fields=["status_access"])
    changes = [e.data["after"] for e in entries(actions.ROLE_CHANGED)]
    assert changes == [{"status_access": True}, {"status_access": False}]


def test_the_chapters_of_a_role_are_recorded_before_and_after(world):
    role = world.montreal_organizer.organizer_role
    role.chapters.add(world.bsl)
    added = entries(actions.ROLE_CHAPTERS_CHANGED)[-1]
    assert added.data == {"fields": ["chapters"],
                          "before": {"chapters": ["Montréal"]},
                          "after": {"chapters": ["Bas-Saint-Laurent", "Montréal"]}}
    role.chapters.clear()
    cleared = entries(actions.ROLE_CHAPTERS_CHANGED)[-1]
    assert cleared.data["before"] == {"chapters": ["Bas-Saint-Laurent", "Montréal"]}
    assert cleared.data["after"] == {"chapters": []}
    assert cleared.object_id == str(world.montreal_organizer.pk)


def test_removing_a_role_is_recorded(world):
    world.rimouski_organizer.organizer_role.delete()
    entry = entries(actions.ROLE_DELETED)[-1]
    assert entry.data == {"role": "chapter_organizer", "organization": None,
                          "status_access": False}
    assert entry.object_id == str(world.rimouski_organizer.pk)


def test_a_role_changed_in_the_admin_names_the_admin_and_the_address(world, client):
    admin = get_user_model().objects.create_superuser("boss", "boss@example.org", PASSWORD)
    log_in_with_code(client, admin)  # the admin asks for a recent code
    role = world.montreal_organizer.organizer_role
    page = f"/admin/core/organizerrole/{role.pk}/change/"
    response = client.post(page, {
        "user": world.montreal_organizer.pk, "role": "chapter_organizer",
        "organization": "", "chapters": [world.montreal.pk, world.bsl.pk],
        "status_access": "on",
    }, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 302, response.content.decode()[:2000]
    changed = entries(actions.ROLE_CHANGED)[-1]
    assert changed.actor == admin
    assert changed.data["after"] == {"status_access": True}
    assert changed.data["ip"] == "203.0.113.9"
    chapters = entries(actions.ROLE_CHAPTERS_CHANGED)[-1]
    assert chapters.actor == admin
    assert chapters.data["after"] == {"chapters": ["Bas-Saint-Laurent", "Montréal"]}


# -- accounts ----------------------------------------------------------------------------------

def test_making_an_account_superuser_is_recorded_with_before_and_after(world):
    user = world.volunteer
    user.is_superuser = True
    user.is_staff = True
    user.save()
    entry = entries(actions.ACCOUNT_CHANGED)[-1]
    assert entry.data == {"fields": ["is_staff", "is_superuser"],
                          "before": {"is_staff": False, "is_superuser": False},
                          "after": {"is_staff": True, "is_superuser": True}}
    assert entry.object_id == str(user.pk)


def test_deactivating_an_account_is_recorded(world):
    world.volunteer.is_active = False
    world.volunteer.save(update_fields=["is_active"])
    assert entries(actions.ACCOUNT_CHANGED)[-1].data["after"] == {"is_active": False}


def test_saving_other_account_fields_writes_no_flag_entry(world):
    world.volunteer.first_name = "Val"
    world.volunteer.save()
    world.volunteer.set_password("another long password")
    world.volunteer.save(update_fields=["password"])
    assert entries(actions.ACCOUNT_CHANGED) == []


def test_groups_and_permissions_of_an_account_are_recorded(world):
    group = Group.objects.create(name="Editors")
    world.volunteer.groups.add(group)
    assert entries(actions.ACCOUNT_GROUPS_CHANGED)[-1].data["after"] == {"groups": ["Editors"]}
    permission = Permission.objects.get(codename="view_auditentry")
    world.volunteer.user_permissions.add(permission)
    entry = entries(actions.ACCOUNT_PERMISSIONS_CHANGED)[-1]
    assert entry.data["after"] == {"user_permissions": ["core.view_auditentry"]}
    # From the other side too: the group's member list.
    group.user_set.remove(world.volunteer)
    removed = entries(actions.ACCOUNT_GROUPS_CHANGED)[-1]
    assert (removed.object_id, removed.data["after"]) == (str(world.volunteer.pk),
                                                          {"groups": []})


# -- never a sensitive value -------------------------------------------------------------------

def test_no_audited_flow_writes_a_password_or_a_status_value(world, client):
    user_model = get_user_model()
    secret_holder = user_model.objects.create_user("holder", password=STATUS_LIKE_PASSWORD)
    client.post(url("login"), {"username": "holder", "password": STATUS_LIKE_PASSWORD})
    client.post(url("logout"))
    client.post(url("login"), {"username": "holder", "password": STATUS_LIKE_PASSWORD + "!"})
    client.post(url("login"), {"username": "ghost", "password": STATUS_LIKE_PASSWORD})
    role = OrganizerRole.objects.create(user=secret_holder, role="coordinator",
                                        status_access=True)
    role.chapters.set([world.montreal])
    role.status_access = False
    role.save()
    secret_holder.is_superuser = True
    secret_holder.set_password(PASSWORD + " renewed")
    secret_holder.save()
    role.delete()
    secret_holder.delete()

    everything = json.dumps(list(AuditEntry.objects.values("action", "object_id", "data")),
                            ensure_ascii=False).lower()
    assert len(AuditEntry.objects.all()) > 8
    for forbidden in (STATUS_LIKE_PASSWORD, PASSWORD, "undocumented", "no status",
                      "closed work permit", "pbkdf2", "md5$"):
        assert forbidden.lower() not in everything, forbidden
