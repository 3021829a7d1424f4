"""The organizations, chapter trees, committees, campaigns and tags of the demo.

A few dozen rows, written through the domain services like an organizer's work.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from solidaire.campaigns.models import Campaign
from solidaire.campaigns.services import campaign_create
from solidaire.membership.models import Committee
from solidaire.membership.services import committee_create
from solidaire.organizing.models import Chapter, Organization
from solidaire.organizing.services import chapter_create, coalition_member_add, organization_create
from solidaire.people.models import Tag

from .data.organizations import (
    CMWRC,
    CMWRC_MEMBERS,
    COALITION_JOINED_ON,
    ORGANIZATIONS,
    OrganizationSpec,
)
from .data.people import TAGS


@dataclass
class Structure:
    """What the members are attached to, by the keys of the demo data."""

    organizations: dict[str, Organization] = field(default_factory=dict)
    chapters: dict[str, Chapter] = field(default_factory=dict)
    committees: dict[str, Committee] = field(default_factory=dict)
    campaigns: dict[str, Campaign] = field(default_factory=dict)
    tags: dict[str, list[Tag]] = field(default_factory=dict)  # organization key → its tags


def structure_build() -> Structure:
    structure = Structure()
    for spec in ORGANIZATIONS:
        _organization_build(structure, spec)
    coalition = structure.organizations[CMWRC.key]
    for member_spec in CMWRC_MEMBERS:
        member = organization_create(
            name=member_spec.name, slug=member_spec.slug, kind=member_spec.kind,
            short_name=member_spec.short_name, city=member_spec.city,
            province=member_spec.province,
        )
        coalition_member_add(
            coalition=coalition, member=member, is_founding=member_spec.is_founding,
            joined_on=COALITION_JOINED_ON if member_spec.is_founding else None,
        )
    for org_key, names in TAGS.items():
        structure.tags[org_key] = [Tag.objects.get_or_create(name=name)[0] for name in names]
    return structure


def _organization_build(structure: Structure, spec: OrganizationSpec) -> None:
    organization = organization_create(
        name=spec.name, slug=spec.slug, kind=spec.kind, short_name=spec.short_name,
        description=spec.description, city=spec.city, province=spec.province,
        website=spec.website, is_host=spec.is_host,
    )
    structure.organizations[spec.key] = organization
    for chapter_spec in spec.chapters:
        parent = None
        if chapter_spec.parent:
            # Re-read the parent: the tree API counts children on the row it is given.
            parent = Chapter.objects.get(pk=structure.chapters[chapter_spec.parent].pk)
        structure.chapters[chapter_spec.key] = chapter_create(
            organization=organization, name=chapter_spec.name, slug=chapter_spec.slug,
            kind=chapter_spec.kind, parent=parent, city=chapter_spec.city,
            languages=list(chapter_spec.languages),
            contact_email=f"{chapter_spec.slug}@example.org",
        )
    for committee_spec in spec.committees:
        structure.committees[committee_spec.key] = committee_create(
            organization=organization, name=committee_spec.name, slug=committee_spec.slug,
            description=committee_spec.description,
            chapter=structure.chapters[committee_spec.chapter] if committee_spec.chapter
            else None,
        )
    for campaign_spec in spec.campaigns:
        structure.campaigns[campaign_spec.slug] = campaign_create(
            slug=campaign_spec.slug, title=campaign_spec.title, summary=campaign_spec.summary,
            demands=list(campaign_spec.demands), organization=organization,
            chapter=structure.chapters[campaign_spec.chapter] if campaign_spec.chapter
            else None,
            starts_on=campaign_spec.starts_on, ends_on=campaign_spec.ends_on,
            is_active=campaign_spec.is_active,
        )
