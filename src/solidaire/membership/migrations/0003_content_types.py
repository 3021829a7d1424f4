"""The content types of committees, committee memberships and chapter requests take this
app's label (decision 0055).

The rows keep their ids, so what points at them stays: the ledger's object types, the
audit log's, admin history and the permissions groups were given. On a fresh database
there is nothing to move yet (content types are made after migrating).
"""

from django.db import migrations

MODELS = ("committee", "committeemembership", "chapterrequest")


def _relabel(apps, old_label, new_label):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for model in MODELS:
        old = ContentType.objects.filter(app_label=old_label, model=model).first()
        if old is None:
            continue
        new = ContentType.objects.filter(app_label=new_label, model=model).first()
        if new is not None:
            # Made by a `migrate` since the tables moved back (its post_migrate signal
            # creates the content types of the models in the code): the old row keeps what
            # points at it; the new one takes nothing with it but its own permissions.
            _repoint(ContentType, Permission, new, old)
            new.delete()
        old.app_label = new_label
        old.save(update_fields=["app_label"])


def _repoint(ContentType, Permission, source, target):
    """Whatever points at `source` now points at `target` (a permission `target`
    already has under the same codename is the one kept)."""
    # Every foreign key to content types, those without a reverse name ("+") included.
    for relation in ContentType._meta.get_fields(include_hidden=True):
        if (not relation.is_relation or relation.concrete or relation.many_to_many
                or relation.related_model._meta.label == "auth.Permission"):
            continue
        relation.related_model._base_manager.filter(
            **{relation.field.name: source}).update(**{relation.field.name: target})
    kept = set(Permission.objects.filter(content_type=target).values_list("codename", flat=True))
    Permission.objects.filter(content_type=source).exclude(codename__in=kept).update(
        content_type=target)


def forward(apps, schema_editor):
    _relabel(apps, "organizing", "membership")


def backward(apps, schema_editor):
    _relabel(apps, "membership", "organizing")


class Migration(migrations.Migration):

    dependencies = [
        ("membership", "0002_tenancy_rows"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
    ]
