"""Audiences and call lists saved before `uses_status` existed (decision 0047).

- An audience whose definition has a status filter is marked.
- A call list made from such an audience is marked (its audience as it is now: a list
  whose audience was deleted or changed since cannot be told apart, see the decision).
- A marked list's assignments to accounts without status access are withdrawn: the
  people still on them go to the end of the assignment of the list's maker when that
  account has status access (outcomes kept), or are removed with the assignment when it
  does not. One audit entry per list says whose assignments were withdrawn and where
  the people went, never who they are.
"""

from django.db import migrations

# messaging.audiences.STATUS_KEYS when this was written: a migration keeps its own copy.
STATUS_KEYS = ("permit_expiry",)
ACTION = "solidaire.call_list.callers_withdrawn"


def _uses_status(definition) -> bool:
    return isinstance(definition, dict) and any(definition.get(key) for key in STATUS_KEYS)


def mark_and_withdraw(apps, schema_editor):
    Audience = apps.get_model("messaging", "Audience")
    CallList = apps.get_model("messaging", "CallList")
    CallAssignment = apps.get_model("messaging", "CallAssignment")
    CallEntry = apps.get_model("messaging", "CallEntry")
    OrganizerRole = apps.get_model("core", "OrganizerRole")
    AuditEntry = apps.get_model("core", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")

    status_audiences = [pk for pk, definition in
                        Audience.objects.values_list("pk", "definition").iterator()
                        if _uses_status(definition)]
    Audience.objects.filter(pk__in=status_audiences).update(uses_status=True)
    CallList.objects.filter(audience_id__in=status_audiences).update(uses_status=True)

    allowed = set(OrganizerRole.objects.filter(status_access=True, user__is_active=True)
                  .values_list("user_id", flat=True))
    list_type = None
    for call_list in CallList.objects.filter(uses_status=True).order_by("pk"):
        withdrawn = list(CallAssignment.objects.filter(call_list=call_list)
                         .exclude(caller_id__in=allowed).order_by("pk"))
        if not withdrawn:
            continue
        maker = call_list.created_by_id if call_list.created_by_id in allowed else None
        entries = CallEntry.objects.filter(assignment__in=withdrawn)
        count = entries.count()
        if maker is not None:
            kept, _created = CallAssignment.objects.get_or_create(call_list=call_list,
                                                                  caller_id=maker)
            last = (CallEntry.objects.filter(assignment=kept).order_by("-position")
                    .values_list("position", flat=True).first())
            start = 0 if last is None else last + 1
            moving = list(entries.order_by("assignment_id", "position", "id"))
            for offset, entry in enumerate(moving):
                entry.assignment_id = kept.pk
                entry.position = start + offset
            CallEntry.objects.bulk_update(moving, ["assignment", "position"], batch_size=2000)
        CallAssignment.objects.filter(pk__in=[a.pk for a in withdrawn]).delete()
        if list_type is None:
            list_type, _created = ContentType.objects.get_or_create(app_label="messaging",
                                                                    model="calllist")
        AuditEntry.objects.create(
            action=ACTION, object_type=list_type, object_id=str(call_list.pk),
            data={"callers": [a.caller_id for a in withdrawn], "people": count,
                  "moved_to": maker, "reason": "status"},
        )


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0010_engagement_covering_indexes"),
        ("messaging", "0002_status_audiences"),
    ]

    operations = [
        migrations.RunPython(mark_and_withdraw, migrations.RunPython.noop),
    ]
