"""Organizing services: chapters, organizations and coalition members."""

import pytest
from django.core.exceptions import ValidationError

from solidaire.core.models import AuditEntry, OrganizerRole
from solidaire.organizing.models import Chapter, CoalitionMembership, Organization
from solidaire.organizing.services import (
    chapter_create,
    chapter_move,
    chapter_update,
    coalition_member_create,
    organization_update,
    unique_slug,
)

from tests.factories import OrganizationFactory, make_organizer


def tree(organization) -> list[tuple[str, int]]:
    """Names in tree order with their depth."""
    return [(c.name, c.depth) for c in
            Chapter.objects.filter(organization=organization).order_by("path")]


def test_a_new_address_is_made_unique_from_the_name(world):
    OrganizationFactory(slug="housing")
    assert unique_slug(Organization, "Housing") == "housing-2"
    assert unique_slug(Organization, "Logement — Montréal") == "logement-montreal"


def test_creating_a_chapter_below_another_writes_the_audit_log(world):
    chapter = chapter_create(organization=world.centre, name=" Sherbrooke ", kind="city",
                             parent=world.quebec, actor=world.coordinator)
    assert (chapter.name, chapter.slug) == ("Sherbrooke", "sherbrooke")
    assert Chapter.objects.get_parent(chapter) == world.quebec
    entry = AuditEntry.objects.get(action="solidaire.chapter.created")
    assert (entry.actor, entry.object_id) == (world.coordinator, str(chapter.pk))


def test_updating_a_chapter_normalizes_the_contact_and_logs_only_field_names(world):
    chapter = chapter_update(
        chapter=world.cdn, actor=world.montreal_organizer, city="Montréal",
        languages=["fr", "es"], contact_email=" CDN@Example.org ",
        contact_phone="(514) 555-0199", is_public=False,
    )
    chapter.refresh_from_db()
    assert (chapter.city, chapter.languages, chapter.contact_email, chapter.contact_phone,
            chapter.is_public) == ("Montréal", ["fr", "es"], "cdn@example.org", "+15145550199",
                                   False)
    entry = AuditEntry.objects.get(action="solidaire.chapter.changed")
    assert entry.actor == world.montreal_organizer
    assert entry.data == {"fields": ["city", "contact_email", "contact_phone", "is_public",
                                     "languages"]}
    assert "555" not in str(entry.data)


def test_a_chapter_phone_that_is_not_a_phone_is_refused(world):
    with pytest.raises(ValidationError):
        chapter_update(chapter=world.cdn, contact_phone="call me")


def test_the_organization_of_a_chapter_is_not_changed_by_an_update(world):
    with pytest.raises(TypeError):
        chapter_update(chapter=world.cdn, organization=world.other)


def test_a_renamed_chapter_keeps_its_siblings_in_name_order(world):
    chapter_update(chapter=world.bsl, name="Abitibi")
    assert tree(world.centre) == [("Québec", 1), ("Abitibi", 2), ("Montréal", 2),
                                  ("Côte-des-Neiges", 3)]


def test_moving_a_chapter_takes_the_chapters_below_with_it(world):
    chapter_move(chapter=world.montreal, parent=world.bsl, actor=world.coordinator)
    assert tree(world.centre) == [("Québec", 1), ("Bas-Saint-Laurent", 2), ("Montréal", 3),
                                  ("Côte-des-Neiges", 4)]
    entry = AuditEntry.objects.get(action="solidaire.chapter.moved")
    assert entry.data == {"from_parent_id": world.quebec.pk, "to_parent_id": world.bsl.pk}


def test_a_chapter_can_move_to_the_top_of_the_tree(world):
    chapter = chapter_update(chapter=world.montreal, parent=None)
    assert chapter.is_root()
    assert Chapter.objects.get_parent(Chapter.objects.get(slug="cote-des-neiges")) == chapter


def test_moving_under_the_same_parent_changes_nothing(world):
    chapter_update(chapter=world.montreal, parent=world.quebec)
    assert not AuditEntry.objects.filter(action="solidaire.chapter.moved").exists()


@pytest.mark.parametrize("target", ["cdn", "montreal", "toronto"])
def test_a_chapter_cannot_move_below_itself_or_into_another_organization(world, target):
    with pytest.raises(ValueError):
        chapter_move(chapter=world.montreal, parent=getattr(world, target))
    assert Chapter.objects.get_parent(Chapter.objects.get(pk=world.montreal.pk)) == world.quebec


def test_updating_an_organization_normalizes_its_phone_and_e_mail(world):
    organization_update(organization=world.centre, actor=world.coordinator,
                        short_name="CTI", phone="514-555-0100", email="Info@CTI.org",
                        description={"fr": "Un centre", "en": "A centre"})
    world.centre.refresh_from_db()
    assert (world.centre.short_name, world.centre.phone, world.centre.email) == (
        "CTI", "+15145550100", "info@cti.org")
    entry = AuditEntry.objects.get(action="solidaire.organization.changed")
    assert entry.data == {"fields": ["description", "email", "phone", "short_name"]}


def test_the_host_flag_is_not_changed_by_an_update(world):
    with pytest.raises(TypeError):
        organization_update(organization=world.other, is_host=True)


def test_a_new_coalition_member_is_recorded_and_attached(world):
    coalition = OrganizationFactory(name="Status for All", slug="status", kind="coalition")
    # The coalition's own coordinator (decision 0056: only they add its members).
    coordinator = make_organizer(role=OrganizerRole.Role.COORDINATOR, organization=coalition)
    member = coalition_member_create(
        coalition=coalition, name="Cooper Institute", kind="community_group",
        city="Charlottetown", phone="902 555 0100", is_founding=True, actor=coordinator,
    )
    assert (member.slug, member.phone, member.city) == ("cooper-institute", "+19025550100",
                                                        "Charlottetown")
    membership = CoalitionMembership.objects.get(coalition=coalition)
    assert (membership.member, membership.is_founding) == (member, True)
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"solidaire.organization.created", "solidaire.coalition.member.added"} <= actions


def test_only_a_coalition_has_members(world):
    before = Organization.objects.count()
    with pytest.raises(ValueError):
        coalition_member_create(coalition=world.centre, name="Ally", kind="union")
    assert Organization.objects.count() == before


def test_a_renamed_top_chapter_keeps_the_top_of_the_tree_in_name_order(world):
    chapter_update(chapter=world.quebec, name="Ungava")
    roots = [c.name for c in Chapter.objects.filter(depth=1).order_by("path")]
    assert roots == ["Toronto", "Ungava"]
    assert tree(world.centre)[:2] == [("Ungava", 1), ("Bas-Saint-Laurent", 2)]
