"""A campaign's toolkit: flyers, FAQs and backgrounders, as files or links, with download
counts (issue 7). Services write (keyword-only arguments), selectors read."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, QuerySet

from solidaire.core.changes import changed_fields_apply, editable_check
from solidaire.core.services import audit_log

from .models import Campaign, Resource
from .services import require_campaign_editor

# What the organizer pages may change on a resource.
RESOURCE_EDITABLE = ("kind", "title", "language", "file", "url", "is_public")


@transaction.atomic
def resource_create(*, campaign: Campaign, kind: str, title: str, language: str, file=None,
                    url: str = "", is_public: bool = True, actor=None) -> Resource:
    """Add a resource to the campaign's toolkit: a file (stored under MEDIA_ROOT) or a link."""
    require_campaign_editor(actor, campaign)
    if not file and not url:
        raise ValueError("a resource needs a file or a link")
    resource = Resource(campaign=campaign, kind=kind, title=title, language=language,
                        url=url if not file else "", is_public=is_public)
    if file:
        resource.file = file
    resource.save()
    audit_log(action="solidaire.resource.created", actor=actor, obj=resource,
              data={"campaign": campaign.pk})
    return resource


@transaction.atomic
def resource_update(*, resource: Resource, actor=None, **fields) -> Resource:
    """Change a resource. A new file replaces the old one (deleted from storage); a file
    replaces a link and a link given without a file drops the file."""
    editable_check(fields, RESOURCE_EDITABLE)
    resource = (Resource.objects.select_for_update(of=("self",)).select_related("campaign")
                .get(pk=resource.pk))
    require_campaign_editor(actor, resource.campaign)
    new_file = fields.pop("file", None)
    old_name = resource.file.name if resource.file else ""
    # Saved below, whole, once the file and the link agree.
    changed = changed_fields_apply(resource, fields, save=False)
    drop_old = False
    if new_file:
        resource.file = new_file
        resource.url = ""
        changed = sorted({*changed, "file", "url"})
        drop_old = bool(old_name)
    elif resource.url and old_name:
        resource.file = ""
        changed = sorted({*changed, "file"})
        drop_old = True
    if not resource.file and not resource.url:
        raise ValueError("a resource needs a file or a link")
    if changed:
        resource.save()
    if drop_old and old_name != resource.file.name:
        storage = Resource._meta.get_field("file").storage
        transaction.on_commit(lambda: storage.delete(old_name))
    audit_log(action="solidaire.resource.updated", actor=actor, obj=resource,
              data={"fields": changed})
    return resource


@transaction.atomic
def resource_delete(*, resource: Resource, actor=None) -> None:
    """Remove a resource from the toolkit, and its file from storage."""
    require_campaign_editor(actor, resource.campaign)
    name = resource.file.name if resource.file else ""
    audit_log(action="solidaire.resource.deleted", actor=actor, obj=resource,
              data={"campaign": resource.campaign_id, "downloads": resource.download_count})
    resource.delete()
    if name:
        storage = Resource._meta.get_field("file").storage
        transaction.on_commit(lambda: storage.delete(name))


def resource_download_record(*, resource: Resource) -> None:
    """Count one download, atomically in the database (no lost updates under load)."""
    Resource.objects.filter(pk=resource.pk).update(download_count=F("download_count") + 1)


# -- selectors ------------------------------------------------------------------------------


def campaign_resources(campaign: Campaign) -> QuerySet[Resource]:
    """Every resource of a campaign, public or not (organizer pages)."""
    return Resource.objects.filter(campaign=campaign).order_by("kind", "title", "id")


def public_resources(campaign: Campaign) -> QuerySet[Resource]:
    """The resources of the campaign's public toolkit, by kind then title."""
    return Resource.objects.filter(campaign=campaign, is_public=True).order_by(
        "kind", "title", "language", "id")


def public_resource(*, slug: str, pk: int) -> Resource | None:
    """A public resource of the campaign with this address, or None."""
    return (Resource.objects.filter(pk=pk, campaign__slug=slug, is_public=True)
            .select_related("campaign").first())
