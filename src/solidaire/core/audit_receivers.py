"""Audit entries for logins and for changes to who may see what.

Connected by `CoreConfig.ready()`. Logins, failed logins and logouts come with their
request; role and permission changes come from model signals, wherever they are made
(the admin, a page, a command), with the actor and IP address of the request that
runs (`audit_context`), or none outside a request.

What lands in `data`: the username as typed on a failed login (cut to 150 characters,
never the password), the IP address, the names of changed fields, and before/after
values of role, organization, chapters, groups, permissions and the
status-access / staff / superuser / active flags. Never a password, a hash, an e-mail
or anything about a person's status.
"""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from . import audit_actions as actions
from .audit_context import client_ip, current
from .models import OrganizerRole
from .services import audit_log

TYPED_USERNAME_MAX = 150
ROLE_FIELDS = ("role", "organization_id", "status_access")
ACCOUNT_FLAGS = ("is_staff", "is_superuser", "is_active")


def connect() -> None:
    user_model = settings.AUTH_USER_MODEL
    user_logged_in.connect(login_recorded, dispatch_uid="audit_login")
    user_login_failed.connect(login_failure_recorded, dispatch_uid="audit_login_failed")
    user_logged_out.connect(logout_recorded, dispatch_uid="audit_logout")
    pre_save.connect(role_before_save, sender=OrganizerRole, dispatch_uid="audit_role_pre")
    post_save.connect(role_saved, sender=OrganizerRole, dispatch_uid="audit_role_saved")
    post_delete.connect(role_deleted, sender=OrganizerRole, dispatch_uid="audit_role_deleted")
    pre_save.connect(account_before_save, sender=user_model, dispatch_uid="audit_account_pre")
    post_save.connect(account_saved, sender=user_model, dispatch_uid="audit_account_saved")
    post_delete.connect(account_deleted, sender=user_model, dispatch_uid="audit_account_del")
    user = get_user_model()
    for through, uid in ((OrganizerRole.chapters.through, "audit_role_chapters"),
                         (user.groups.through, "audit_account_groups"),
                         (user.user_permissions.through, "audit_account_permissions")):
        m2m_changed.connect(relations_changed, sender=through, dispatch_uid=uid)


def _context_actor_and_ip(*, not_account_id=None) -> tuple[object | None, str | None]:
    context = current()
    if context is None:
        return None, None
    actor = context.user if getattr(context.user, "is_authenticated", False) else None
    # An account removing itself cannot stay the actor of rows written as it goes.
    if actor is not None and not_account_id is not None and actor.pk == not_account_id:
        actor = None
    return actor, context.ip


def _record(action: str, *, obj, data: dict, not_account_id=None) -> None:
    actor, ip = _context_actor_and_ip(not_account_id=not_account_id)
    audit_log(action=action, actor=actor, obj=obj, data=data, ip=ip)


def _account_stub(account_id: int):
    """The account as an audit object, without reading it."""
    return get_user_model()(pk=account_id)


# -- logins ------------------------------------------------------------------------------------

def login_recorded(sender, request, user, **kwargs) -> None:
    """Someone logged in."""
    audit_log(action=actions.LOGIN, actor=user, obj=user, ip=client_ip(request))


def login_failure_recorded(sender, credentials, request=None, **kwargs) -> None:
    """A login failed: keep the username as typed and the address, never the password."""
    user_model = get_user_model()
    typed = credentials.get(user_model.USERNAME_FIELD, credentials.get("username"))
    typed = "" if typed is None else str(typed)[:TYPED_USERNAME_MAX]
    account = (user_model._default_manager.filter(**{user_model.USERNAME_FIELD: typed}).first()
               if typed else None)
    audit_log(action=actions.LOGIN_FAILED, obj=account, data={"username": typed},
              ip=client_ip(request) if request is not None else None)


def logout_recorded(sender, request, user, **kwargs) -> None:
    """Someone logged out (user is None when the session had no account)."""
    audit_log(action=actions.LOGOUT, actor=user, obj=user,
              ip=client_ip(request) if request is not None else None)


# -- organizer roles ---------------------------------------------------------------------------

def _watched(update_fields, fields) -> bool:
    """Whether a save may change one of `fields` (all fields unless update_fields says)."""
    if update_fields is None:
        return True
    names = set(fields) | {name.removesuffix("_id") for name in fields}
    return bool(names & set(update_fields))


def _role_after(role: OrganizerRole) -> dict:
    return {
        "role": role.role,
        "organization_id": role.organization_id,
        "organization": role.organization.name if role.organization else None,
        "status_access": role.status_access,
    }


def _shown(values: dict) -> dict:
    """Role values as the trail keeps them: the organization by name."""
    return {name: value for name, value in values.items() if name != "organization_id"}


def role_before_save(sender, instance: OrganizerRole, update_fields=None, **kwargs) -> None:
    instance._audit_before = None  # type: ignore[attr-defined]  # read back after save
    if instance._state.adding or not _watched(update_fields, ROLE_FIELDS):
        return
    stored = (OrganizerRole.objects.filter(pk=instance.pk)
              .values(*ROLE_FIELDS, "organization__name").first())
    if stored is not None:
        stored["organization"] = stored.pop("organization__name")
    instance._audit_before = stored  # type: ignore[attr-defined]


def role_saved(sender, instance: OrganizerRole, created: bool, **kwargs) -> None:
    """An account was given an organizer role, or its role changed."""
    after = _role_after(instance)
    if created:
        _record(actions.ROLE_CREATED, obj=_account_stub(instance.user_id), data=_shown(after))
        return
    before = getattr(instance, "_audit_before", None)
    if before is None:
        return
    changed = sorted(name.removesuffix("_id") for name in ROLE_FIELDS
                     if before[name] != after[name])
    if changed:
        _record(actions.ROLE_CHANGED, obj=_account_stub(instance.user_id), data={
            "fields": changed,
            "before": {name: before[name] for name in changed},
            "after": {name: after[name] for name in changed},
        })


def role_deleted(sender, instance: OrganizerRole, **kwargs) -> None:
    """An account lost its organizer role (also when the account itself is deleted)."""
    _record(actions.ROLE_DELETED, obj=_account_stub(instance.user_id),
            data=_shown(_role_after(instance)), not_account_id=instance.user_id)


# -- accounts ----------------------------------------------------------------------------------

def account_before_save(sender, instance, update_fields=None, **kwargs) -> None:
    instance._audit_flags = None
    if instance._state.adding or not _watched(update_fields, ACCOUNT_FLAGS):
        return
    instance._audit_flags = (
        sender._default_manager.filter(pk=instance.pk).values(*ACCOUNT_FLAGS).first()
    )


def account_saved(sender, instance, created: bool, **kwargs) -> None:
    """An account was created, or its staff, superuser or active flag changed."""
    after = {name: getattr(instance, name) for name in ACCOUNT_FLAGS}
    if created:
        _record(actions.ACCOUNT_CREATED, obj=instance, data=after)
        return
    before = getattr(instance, "_audit_flags", None)
    if before is None:
        return
    changed = sorted(name for name in ACCOUNT_FLAGS if before[name] != after[name])
    if changed:
        _record(actions.ACCOUNT_CHANGED, obj=instance, data={
            "fields": changed,
            "before": {name: before[name] for name in changed},
            "after": {name: after[name] for name in changed},
        })


def account_deleted(sender, instance, **kwargs) -> None:
    """An account was deleted; its username stays in the trail."""
    _record(actions.ACCOUNT_DELETED, obj=_account_stub(instance.pk),
            data={"username": instance.get_username()}, not_account_id=instance.pk)


# -- chapters of a role, groups and permissions of an account ---------------------------------

def _relation(sender):
    """(action, owner model, field name, names by id) for the through model of a relation."""
    user_model = get_user_model()
    if sender is OrganizerRole.chapters.through:
        return actions.ROLE_CHAPTERS_CHANGED, OrganizerRole, "chapters", _chapter_names
    if sender is user_model.groups.through:
        return actions.ACCOUNT_GROUPS_CHANGED, user_model, "groups", _group_names
    return actions.ACCOUNT_PERMISSIONS_CHANGED, user_model, "user_permissions", _permission_names


def _chapter_names(ids) -> dict:
    # The chapter model lives above core: reached through the relation, not imported.
    chapter = cast("type[models.Model]", OrganizerRole.chapters.field.related_model)
    return dict(chapter._default_manager.filter(pk__in=ids).values_list("pk", "name"))


def _group_names(ids) -> dict:
    return dict(Group.objects.filter(pk__in=ids).values_list("pk", "name"))


def _permission_names(ids) -> dict:
    rows = Permission.objects.filter(pk__in=ids).values_list(
        "pk", "content_type__app_label", "codename")
    return {pk: f"{app}.{codename}" for pk, app, codename in rows}


def relations_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    """Chapters of a role, or groups / permissions of an account, were added or removed.

    One entry per role or account, with the names before and after the change.
    """
    if action not in ("pre_clear", "post_clear", "post_add", "post_remove"):
        return
    audit_action, owner_model, field_name, names_of = _relation(sender)
    field = owner_model._meta.get_field(field_name)
    owner_column = f"{field.m2m_field_name()}_id"
    other_column = f"{field.m2m_reverse_field_name()}_id"
    if action == "pre_clear":
        # Remember what the clear removes: post_clear no longer knows.
        column, wanted = (owner_column, other_column) if not reverse else (other_column,
                                                                           owner_column)
        instance._audit_cleared = set(sender.objects.filter(**{column: instance.pk})
                                      .values_list(wanted, flat=True))
        return
    cleared: set | None = (getattr(instance, "_audit_cleared", set()) if action == "post_clear"
                           else None)
    if reverse:
        # e.g. group.user_set.add(account): `instance` is the group, pk_set the accounts.
        owner_ids = sorted(cleared if cleared is not None else (pk_set or ()))
        changed_ids = {instance.pk}
    else:
        owner_ids = [instance.pk]
        changed_ids = cleared if cleared is not None else set(pk_set or ())
    if not changed_ids:
        return
    removing = action in ("post_remove", "post_clear")
    for owner_id in owner_ids:
        after_ids = set(sender.objects.filter(**{owner_column: owner_id})
                        .values_list(other_column, flat=True))
        before_ids = after_ids | changed_ids if removing else after_ids - changed_ids
        names = names_of(before_ids | after_ids)
        if owner_model is OrganizerRole:
            account_id = (instance.user_id if not reverse else
                          OrganizerRole.objects.values_list("user_id", flat=True).get(pk=owner_id))
        else:
            account_id = owner_id
        _record(audit_action, obj=_account_stub(account_id), data={
            "fields": [field_name],
            "before": {field_name: sorted(str(names.get(pk, pk)) for pk in before_ids)},
            "after": {field_name: sorted(str(names.get(pk, pk)) for pk in after_ids)},
        })
