"""The chapter, committee, organization and campaign lists run a fixed number of queries,
however many rows they show (an N+1 would show up here as a failing test)."""

import pytest

from solidaire.membership.services import committee_join

from tests.factories import (
    CampaignFactory,
    CommitteeFactory,
    OrganizationFactory,
    PersonFactory,
    make_chapter,
)
from tests.organize.conftest import url


def add_chapters(world, count):
    for _n in range(count):
        parent = world.cdn.__class__.objects.get(pk=world.cdn.pk)
        chapter = make_chapter(organization=world.centre, name=f"Campus {parent.numchild}",
                               parent=parent, kind="campus")
        PersonFactory(home_chapter=chapter)


def add_committees(world, count):
    for _n in range(count):
        committee = CommitteeFactory(organization=world.centre, chapter=world.montreal)
        committee_join(committee=committee, person=PersonFactory(home_chapter=world.montreal))


def add_organizations(world, count):
    OrganizationFactory.create_batch(count)


def add_campaigns(world, count):
    for n in range(count):
        CampaignFactory(organization=world.centre, chapter=world.montreal if n % 2 else None)


@pytest.mark.parametrize(("page", "add", "marker"), [
    ("chapters", add_chapters, "Campus "),
    ("committees", add_committees, "Committee "),
    ("organizations", add_organizations, "Workers&#x27; Centre "),
    ("campaigns", add_campaigns, "Campaign "),
])
def test_a_list_page_query_count_does_not_grow_with_the_rows(
    world, as_user, django_user_model, django_assert_max_num_queries,
    django_assert_num_queries, page, add, marker,
):
    # A superuser sees every organization; the coordinator sees the centre's chapters,
    # committees and campaigns.
    user = (django_user_model.objects.create_superuser("root", password="x")
            if page == "organizations" else world.coordinator)
    client = as_user(user)
    add(world, 3)
    with django_assert_max_num_queries(12) as few:
        response = client.get(url(page))
    assert response.content.decode().count(marker) >= 3
    add(world, 12)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url(page))
    assert response.content.decode().count(marker) >= 15
