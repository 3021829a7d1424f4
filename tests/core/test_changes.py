"""The helpers every service shares (decision 0059): applying only the changed fields of an
edit, and checking that the rows a service is given belong to the same organization."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from solidaire.campaigns.models import Campaign
from solidaire.core.changes import changed_fields_apply, editable_check, fields_changed
from solidaire.core.ownership import OtherOrganization, same_organization_check

from tests.factories import CampaignFactory, PersonFactory


def updated_columns(queries) -> list[set[str]]:
    """The columns each UPDATE statement set."""
    return [set(re.findall(r'"(\w+)" = ', query["sql"].split(" WHERE ")[0]))
            for query in queries if query["sql"].startswith("UPDATE")]


def test_only_the_changed_fields_are_set_and_saved_with_the_timestamp(world):
    campaign = CampaignFactory(organization=world.centre, chapter=None,
                               starts_on=datetime.date(2026, 3, 1))
    before = campaign.updated_at
    with CaptureQueriesContext(connection) as queries:
        changed = changed_fields_apply(campaign, {
            "slug": campaign.slug, "chapter": world.montreal,
            "starts_on": datetime.date(2026, 3, 1), "ends_on": datetime.date(2026, 6, 1),
        })
    assert changed == ["chapter", "ends_on"]  # sorted, for the audit log
    assert updated_columns(queries) == [{"chapter_id", "ends_on", "updated_at"}]
    stored = Campaign.objects.get(pk=campaign.pk)
    assert (stored.chapter, stored.ends_on) == (world.montreal, datetime.date(2026, 6, 1))
    assert stored.updated_at > before


def test_an_edit_that_changes_nothing_writes_nothing(world):
    campaign = CampaignFactory(organization=world.centre, chapter=world.montreal)
    with CaptureQueriesContext(connection) as queries:
        changed = changed_fields_apply(campaign, {"chapter": world.montreal,
                                                  "title": dict(campaign.title)})
    assert changed == []
    assert updated_columns(queries) == []


def test_a_field_outside_the_editable_ones_is_a_programming_error(world):
    campaign = CampaignFactory(organization=world.centre)
    with pytest.raises(TypeError, match="not editable here: id, organization"):
        changed_fields_apply(campaign, {"slug": "x", "organization": world.other, "id": 9},
                             editable=("slug", "title"))
    assert Campaign.objects.get(pk=campaign.pk).slug != "x"
    editable_check({"slug": "x"}, ("slug", "title"))  # allowed: no error


def test_without_saving_the_caller_saves_after_changes_of_its_own(world):
    campaign = CampaignFactory(organization=world.centre, is_active=True)
    with CaptureQueriesContext(connection) as queries:
        changed = changed_fields_apply(campaign, {"is_active": False, "slug": campaign.slug},
                                       save=False)
    assert changed == ["is_active"] and campaign.is_active is False
    assert updated_columns(queries) == []
    assert Campaign.objects.get(pk=campaign.pk).is_active is True


def test_fields_changed_names_the_differences_without_touching_the_row(world):
    campaign = CampaignFactory(organization=world.centre, is_active=True)
    assert fields_changed(campaign, {"is_active": False, "slug": campaign.slug,
                                     "chapter": None}) == ["is_active"]
    assert campaign.is_active is True


def test_rows_of_the_same_organization_pass_and_none_is_skipped(world):
    same_organization_check(world.centre, chapter=world.montreal, campaign=None,
                            home_chapter=world.bsl)
    same_organization_check(world.centre.pk, person=world.in_montreal)


def test_a_row_of_another_organization_is_refused_by_name(world):
    with pytest.raises(OtherOrganization, match="the home chapter belongs to another"):
        same_organization_check(world.centre, chapter=world.montreal,
                                home_chapter=world.toronto)
    campaign = CampaignFactory(organization=world.other)
    with pytest.raises(ValueError, match="the campaign belongs to another organization"):
        same_organization_check(world.centre.pk, campaign=campaign)
    with pytest.raises(OtherOrganization):
        same_organization_check(world.montreal.organization_id,
                                person=PersonFactory(home_chapter=world.toronto))
