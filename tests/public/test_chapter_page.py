"""A chapter's public page: what the chapter's people can do now (decision 0066)."""

import datetime

import pytest
from django.utils import timezone

from solidaire.campaigns.models import Publication

from tests.factories import (
    ActionFactory,
    CampaignFactory,
    EventFactory,
    PetitionFactory,
    make_chapter,
)


def test_a_chapter_page_shows_its_organization_s_open_actions(client, world):
    ActionFactory(organization=world.centre, slug="call-the-minister",
                  title={"fr": "Appelez le ministre", "en": "Call the minister"})
    ActionFactory(organization=world.centre, slug="closed-call", status=Publication.CLOSED)
    ActionFactory(organization=world.other, slug="other-org-call")
    response = client.get(f"/fr/chapters/{world.montreal.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and "Montréal" in html
    assert 'href="/fr/act/call-the-minister/"' in html
    assert "Faire l’appel" in html or "Appelez le ministre" in html
    assert "closed-call" not in html
    assert "other-org-call" not in html


def test_a_chapter_page_shows_its_own_above_and_below_but_not_a_sibling_s(client, world):
    PetitionFactory(organization=world.centre, chapter=world.quebec, slug="quebec-wide")
    PetitionFactory(organization=world.centre, chapter=world.cdn, slug="cdn-only")
    PetitionFactory(organization=world.centre, chapter=world.bsl, slug="rimouski-only")
    html = client.get(f"/en/chapters/{world.montreal.slug}/").content.decode()
    assert 'href="/en/petitions/quebec-wide/"' in html
    assert 'href="/en/petitions/cdn-only/"' in html
    assert "rimouski-only" not in html


def test_a_chapter_page_shows_its_events_and_its_organization_s_campaigns(client, world):
    soon = timezone.now() + datetime.timedelta(days=2)
    EventFactory(organization=world.centre, chapter=world.montreal, slug="montreal-assembly",
                 starts_at=soon, ends_at=soon + datetime.timedelta(hours=1))
    EventFactory(organization=world.other, chapter=world.toronto, slug="toronto-meeting",
                 starts_at=soon, ends_at=soon + datetime.timedelta(hours=1))
    CampaignFactory(organization=world.centre, slug="status", story_published=True,
                    title={"en": "Status for all"})
    CampaignFactory(organization=world.other, title={"en": "Students' fight"})
    html = client.get(f"/en/chapters/{world.montreal.slug}/").content.decode()
    assert 'href="/en/events/montreal-assembly/"' in html
    assert "toronto-meeting" not in html
    assert '<a href="/en/campaigns/status/">Status for all</a>' in html
    assert "Students' fight" not in html and "Students&#x27; fight" not in html


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_unlisted_chapter_has_no_public_page(client, world, lang):
    hidden = make_chapter(organization=world.centre, name="Cellule discrète",
                          parent=world.quebec, is_public=False)
    assert client.get(f"/{lang}/chapters/{hidden.slug}/").status_code == 404
    assert client.get(f"/{lang}/chapters/no-such-chapter/").status_code == 404


def test_a_chapter_page_query_count_does_not_grow_with_petitions(
        client, world, django_assert_max_num_queries):
    for n in range(6):
        PetitionFactory(organization=world.centre, chapter=world.montreal, slug=f"p-{n}")
    # chapter, petitions, their counts (one query), actions, sign-ons, events, campaigns,
    # and the site's name.
    with django_assert_max_num_queries(8):
        html = client.get(f"/en/chapters/{world.montreal.slug}/").content.decode()
    assert 'href="/en/petitions/p-5/"' in html
