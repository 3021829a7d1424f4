"""Every organizer page renders for a coordinator who can see everything in it."""

import pytest

from solidaire.membership.services import chapter_request_submit, committee_join

from tests.factories import CampaignFactory, CommitteeFactory, EmailFactory, PhoneFactory
from tests.organize.conftest import url


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_page_renders_for_a_coordinator(world, as_user, lang):
    EmailFactory(person=world.in_montreal)
    PhoneFactory(person=world.in_montreal)
    committee = CommitteeFactory(organization=world.centre, chapter=world.montreal)
    committee_join(committee=committee, person=world.in_montreal)
    campaign = CampaignFactory(organization=world.centre, summary={"en": "Status for all"})
    campaign.demands.create(position=0, text={"en": "Permanent status", "fr": "Statut"})
    request = chapter_request_submit(organization=world.centre, chapter_name="Sherbrooke",
                                     city="Sherbrooke", contact_name="Fatou")
    client = as_user(world.coordinator)
    pages = [
        url("home", lang=lang),
        url("people", lang=lang),
        url("people", lang=lang) + "?q=ana&chapter=montreal&language=fr",
        url("person_add", lang=lang),
        url("person_detail", world.in_montreal.pk, lang=lang),
        url("person_edit", world.in_montreal.pk, lang=lang),
        url("person_merge", world.in_montreal.pk, lang=lang),
        url("person_merge", world.in_montreal.pk, lang=lang) + "?q=bea",
        url("person_merge_confirm", world.in_montreal.pk, world.in_cdn.pk, lang=lang),
        url("chapters", lang=lang),
        url("chapter_detail", "montreal", lang=lang),
        url("chapter_requests", lang=lang),
        url("chapter_request_detail", request.pk, lang=lang),
        url("committees", lang=lang),
        url("committee_detail", committee.slug, lang=lang),
        url("committee_detail", committee.slug, lang=lang) + "?q=bea",
        url("organizations", lang=lang),
        url("organization_detail", "cti", lang=lang),
        url("campaigns", lang=lang),
        url("campaign_detail", campaign.slug, lang=lang),
        url("campaign_add", lang=lang),
        url("campaign_edit", campaign.slug, lang=lang),
        url("committee_add", lang=lang),
        url("committee_edit", committee.slug, lang=lang),
        url("chapter_add", lang=lang),
        url("chapter_add_child", "montreal", lang=lang),
        url("chapter_edit", "montreal", lang=lang),
        url("organization_edit", "cti", lang=lang),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert f'<html lang="{lang}">' in response.content.decode(), page
