"""The campaign room: what is linked to a campaign, its timeline, and its milestones."""

import datetime

import pytest
from django.utils import timezone

from solidaire.campaigns.models import Milestone
from solidaire.core.models import AuditEntry
from solidaire.petitions.models import Delivery

from tests.factories import (
    ActionFactory,
    CampaignFactory,
    EventFactory,
    PetitionFactory,
    RegistrationFactory,
    TargetFactory,
)
from tests.organize.conftest import url


@pytest.fixture
def campaign(world):
    campaign = CampaignFactory(organization=world.centre, slug="status",
                               title={"en": "Status for all", "fr": "Statut pour tous"})
    minister = TargetFactory(name="Marc Miller")
    petition = PetitionFactory(organization=world.centre, campaign=campaign, slug="regularize",
                               title={"en": "Regularize now"}, goal=500)
    petition.targets.add(minister)
    Delivery.objects.create(petition=petition, target=minister,
                            delivered_on=datetime.date(2026, 3, 1), signature_count=1240)
    action = ActionFactory(organization=world.centre, campaign=campaign,
                           title={"en": "Call the minister"})
    action.targets.add(TargetFactory(name="Jenny Kwan"))
    past = timezone.now() - datetime.timedelta(days=3)
    event = EventFactory(organization=world.centre, campaign=campaign, slug="march",
                         title={"en": "Big march"}, starts_at=past,
                         ends_at=past + datetime.timedelta(hours=2))
    registration = RegistrationFactory(event=event)
    registration.attended_at = past
    registration.save()
    Milestone.objects.create(campaign=campaign, kind=Milestone.Kind.MEETING,
                             happened_on=datetime.date(2026, 2, 25),
                             title={"en": "Meeting the minister"}, is_public=False)
    return campaign


def test_the_room_shows_demands_targets_linked_items_and_timeline(world, as_user, campaign):
    campaign.demands.create(position=0, text={"en": "Status for all"})
    page = as_user(world.coordinator).get(url("campaign_detail", "status")).content.decode()
    for text in ("Status for all", "Marc Miller", "Jenny Kwan", "Regularize now",
                 "Call the minister", "Big march", "Petition delivered to Marc Miller",
                 "1,240 signatures", "1 attended", "Meeting the minister", "Organizers only",
                 url("milestone_add", "status"), url("resources", "status")):
        assert text in page, text
    assert url("milestone_edit", "status", campaign.milestones.get().pk) in page
    assert "Public story" not in page


def test_the_room_links_the_public_story_once_published(world, as_user, campaign):
    campaign.story_published = True
    campaign.save()
    page = as_user(world.coordinator).get(url("campaign_detail", "status")).content.decode()
    assert "/en/campaigns/status/" in page


def test_the_room_query_count_does_not_grow_with_the_campaign(world, as_user, campaign,
                                                               django_assert_max_num_queries):
    for n in range(5):
        PetitionFactory(organization=world.centre, campaign=campaign)
        ActionFactory(organization=world.centre, campaign=campaign)
        Milestone.objects.create(campaign=campaign, kind="letter",
                                 happened_on=datetime.date(2026, 1, 1 + n),
                                 title={"en": f"Letter {n}"})
    client = as_user(world.coordinator)
    with django_assert_max_num_queries(30):
        assert client.get(url("campaign_detail", "status")).status_code == 200


def test_a_campaign_out_of_scope_is_not_found(world, as_user):
    CampaignFactory(organization=world.other, slug="elsewhere")
    client = as_user(world.coordinator)
    assert client.get(url("campaign_detail", "elsewhere")).status_code == 404
    assert client.get(url("milestone_add", "elsewhere")).status_code == 404


def test_a_volunteer_sees_the_room_but_cannot_add_milestones(world, as_user, campaign):
    client = as_user(world.volunteer)
    page = client.get(url("campaign_detail", "status"))
    assert page.status_code == 200
    assert url("milestone_add", "status") not in page.content.decode()
    assert client.get(url("milestone_add", "status")).status_code == 404
    pk = campaign.milestones.get().pk
    assert client.post(url("milestone_edit", "status", pk), {"delete": "1"}).status_code == 404
    assert campaign.milestones.exists()


def milestone_data(**overrides):
    data = {"kind": "media", "happened_on": "2026-04-02", "title_fr": "",
            "title_en": "On the evening news", "description_fr": "", "description_en": "",
            "outlet": "CBC", "url": "https://example.org/news", "is_public": "on"}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_an_organizer_adds_a_milestone_and_it_is_audited(world, as_user, campaign):
    client = as_user(world.coordinator)
    response = client.post(url("milestone_add", "status"), milestone_data())
    assert response.status_code == 302
    assert response["Location"] == url("campaign_detail", "status")
    milestone = campaign.milestones.get(kind="media")
    assert (milestone.title, milestone.outlet, milestone.url, milestone.is_public,
            milestone.happened_on, milestone.created_by) == (
        {"en": "On the evening news"}, "CBC", "https://example.org/news", True,
        datetime.date(2026, 4, 2), world.coordinator)
    assert AuditEntry.objects.filter(action="solidaire.milestone.created").exists()
    page = client.get(response["Location"]).content.decode()
    assert "On the evening news" in page and "CBC" in page


def test_a_milestone_without_title_is_refused_keeping_what_was_typed(world, as_user, campaign):
    client = as_user(world.coordinator)
    response = client.post(url("milestone_add", "status"),
                           milestone_data(title_en="", outlet="Radio-Canada"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Give the milestone a title, in at least one language." in page
    assert 'value="Radio-Canada"' in page
    assert not campaign.milestones.filter(kind="media").exists()


def test_an_organizer_edits_then_deletes_a_milestone(world, as_user, campaign):
    client = as_user(world.coordinator)
    milestone = campaign.milestones.get()
    edit = url("milestone_edit", "status", milestone.pk)
    assert "Meeting the minister" in client.get(edit).content.decode()
    response = client.post(edit, milestone_data(kind="commitment", title_en="Minister commits",
                                                outlet="", url="", is_public=None))
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert (milestone.kind, milestone.title, milestone.is_public) == (
        "commitment", {"en": "Minister commits"}, False)
    assert AuditEntry.objects.filter(action="solidaire.milestone.updated").exists()
    assert client.post(edit, {"delete": "1"}).status_code == 302
    assert not campaign.milestones.exists()
    assert AuditEntry.objects.filter(action="solidaire.milestone.deleted").exists()


def test_a_milestone_of_another_campaign_is_not_found(world, as_user, campaign):
    other = CampaignFactory(organization=world.centre, slug="other")
    pk = campaign.milestones.get().pk
    assert as_user(world.coordinator).get(url("milestone_edit", "other", pk)).status_code == 404
    assert other.pk


def test_a_chapter_organizer_room_timeline_leaves_out_other_chapters(
        world, as_user, campaign, django_assert_max_num_queries):
    """On an organization-wide campaign, a Montréal organizer reads Montréal's petition
    and event (and the organization-wide ones) but not Bas-Saint-Laurent's titles,
    whose organizer pages they could not open anyway; a coordinator reads both."""
    past = timezone.now() - datetime.timedelta(days=2)
    for chapter, slug in ((world.montreal, "mtl"), (world.bsl, "bsl")):
        PetitionFactory(organization=world.centre, chapter=chapter, campaign=campaign,
                        slug=f"petition-{slug}", title={"en": f"Petition of {chapter.name}"})
        EventFactory(organization=world.centre, chapter=chapter, campaign=campaign,
                     slug=f"event-{slug}", title={"en": f"Assembly of {chapter.name}"},
                     starts_at=past, ends_at=past + datetime.timedelta(hours=1))
    client = as_user(world.montreal_organizer)
    with django_assert_max_num_queries(30):
        response = client.get(url("campaign_detail", "status"))
    page = response.content.decode()
    assert response.status_code == 200
    for text in ("Petition launched: Petition of Montréal", "Assembly of Montréal",
                 "Regularize now", "Big march", "Meeting the minister"):
        assert text in page, text
    for text in ("Bas-Saint-Laurent", url("petition_detail", "petition-bsl"),
                 url("event_detail", "event-bsl")):
        assert text not in page, text
    assert client.get(url("petition_detail", "petition-bsl")).status_code == 404

    page = as_user(world.coordinator).get(url("campaign_detail", "status")).content.decode()
    for text in ("Petition launched: Petition of Montréal", "Assembly of Montréal",
                 "Petition launched: Petition of Bas-Saint-Laurent",
                 "Assembly of Bas-Saint-Laurent", url("petition_detail", "petition-bsl")):
        assert text in page, text


def test_the_public_story_still_tells_every_chapters_part(world, client, campaign):
    campaign.story_published = True
    campaign.save()
    past = timezone.now() - datetime.timedelta(days=2)
    for chapter in (world.montreal, world.bsl):
        EventFactory(organization=world.centre, chapter=chapter, campaign=campaign,
                     title={"en": f"Assembly of {chapter.name}"}, starts_at=past,
                     ends_at=past + datetime.timedelta(hours=1))
    page = client.get("/en/campaigns/status/").content.decode()
    for text in ("Assembly of Montréal", "Assembly of Bas-Saint-Laurent", "Big march"):
        assert text in page, text
    assert "Meeting the minister" not in page
