"""The public "how we won" page of a campaign and its toolkit downloads."""

import datetime

import pytest
from django.core.files.base import ContentFile

from solidaire.campaigns.models import Demand, Milestone, Resource

from tests.factories import ActionFactory, CampaignFactory, PetitionFactory


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def milestone(campaign, day, kind="meeting", title=None, **extra):
    return Milestone.objects.create(
        campaign=campaign, kind=kind, happened_on=datetime.date(2026, 1, 1)
        + datetime.timedelta(days=day),
        title=title or {"fr": f"Étape {day}", "en": f"Step {day}"}, **extra)


@pytest.fixture
def story(world):
    campaign = CampaignFactory(
        organization=world.centre, slug="status", story_published=True, is_active=False,
        title={"fr": "Un statut pour tous", "en": "Status for all"},
        story_intro={"fr": "Comment nous avons gagné.", "en": "How we won."})
    Demand.objects.create(campaign=campaign, position=0,
                          text={"fr": "Régulariser", "en": "Regularize"})
    milestone(campaign, 30, kind="victory",
              title={"fr": "Victoire !", "en": "Victory!"})
    milestone(campaign, 2, kind="media", title={"fr": "Article", "en": "Article"},
              outlet="Le Devoir", url="https://www.ledevoir.com/article-1")
    milestone(campaign, 10, title={"fr": "Rencontre avec la ministre",
                                   "en": "Meeting with the minister"})
    milestone(campaign, 5, title={"fr": "Rencontre secrète", "en": "Secret meeting"},
              is_public=False)
    return campaign


def resource(campaign, *, is_public=True, content=b"%PDF-1.4 flyer", name="flyer.pdf",
             url="", **extra):
    item = Resource(campaign=campaign, kind=extra.pop("kind", "flyer"),
                    title=extra.pop("title", "Flyer"), language=extra.pop("language", "fr"),
                    is_public=is_public, url=url)
    if not url:
        item.file.save(name, ContentFile(content), save=False)
    item.save()
    return item


def download_url(item, lang="fr"):
    return f"/{lang}/campaigns/{item.campaign.slug}/toolkit/{item.pk}/"


@pytest.mark.parametrize("lang,texts", [
    ("fr", ["Article", "Rencontre avec la ministre", "Victoire !"]),
    ("en", ["Article", "Meeting with the minister", "Victory!"]),
])
def test_the_story_shows_the_public_timeline_in_order_in_each_language(client, story, lang,
                                                                        texts):
    response = client.get(f"/{lang}/campaigns/status/")
    assert response.status_code == 200
    page = response.content.decode()
    positions = [page.index(text) for text in texts]
    assert positions == sorted(positions)
    assert '<time datetime="2026-01-03">' in page
    assert '<time datetime="2026-01-31">' in page
    assert ("Comment nous avons gagné." if lang == "fr" else "How we won.") in page
    assert ("Régulariser" if lang == "fr" else "Regularize") in page
    assert "Secret meeting" not in page and "Rencontre secrète" not in page


def test_media_coverage_shows_its_outlet_and_link(client, story):
    page = client.get("/en/campaigns/status/").content.decode()
    assert 'href="https://www.ledevoir.com/article-1"' in page
    assert "Read in Le Devoir" in page


def test_an_unpublished_story_is_not_found(client, world):
    CampaignFactory(organization=world.centre, slug="quiet", story_published=False)
    assert client.get("/en/campaigns/quiet/").status_code == 404
    assert client.get("/en/campaigns/nothing/").status_code == 404


def test_the_story_lists_the_public_toolkit_by_kind_with_languages(client, story):
    flyer = resource(story, title="Flyer A4", language="fr")
    faq = resource(story, kind="faq", title="FAQ in English", language="en",
                   url="https://example.org/faq")
    resource(story, title="Internal notes", is_public=False)
    page = client.get("/en/campaigns/status/").content.decode()
    assert f'href="{download_url(flyer, "en")}"' in page
    assert f'href="{download_url(faq, "en")}"' in page
    assert "Flyer or poster" in page and "Questions and answers" in page
    assert page.index("Flyer or poster") < page.index("Questions and answers")
    assert "French" in page and "English" in page
    assert "Internal notes" not in page


def test_the_story_links_to_what_is_still_open_in_the_campaign(client, story, world):
    PetitionFactory(organization=world.centre, campaign=story, slug="sign-now",
                    title={"fr": "Signez", "en": "Sign now"})
    ActionFactory(organization=world.centre, campaign=story, slug="call-now")
    page = client.get("/en/campaigns/status/").content.decode()
    assert 'href="/en/petitions/sign-now/"' in page
    assert 'href="/en/act/call-now/"' in page


def test_each_download_counts_once_and_serves_the_file_safely(client, story):
    item = resource(story)
    for expected in (1, 2):
        response = client.get(download_url(item))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"%PDF-1.4 flyer"
        item.refresh_from_db()
        assert item.download_count == expected
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="flyer.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_head_request_does_not_count(client, story):
    item = resource(story)
    assert client.head(download_url(item)).status_code == 200
    item.refresh_from_db()
    assert item.download_count == 0


def test_a_link_resource_counts_then_redirects(client, story):
    item = resource(story, url="https://example.org/video")
    response = client.get(download_url(item))
    assert response.status_code == 302
    assert response["Location"] == "https://example.org/video"
    item.refresh_from_db()
    assert item.download_count == 1


def test_a_resource_not_public_or_of_another_campaign_is_not_found(client, story, world):
    hidden = resource(story, is_public=False)
    assert client.get(download_url(hidden)).status_code == 404
    hidden.refresh_from_db()
    assert hidden.download_count == 0
    other = CampaignFactory(organization=world.centre, slug="other")
    elsewhere = resource(other)
    assert client.get(f"/en/campaigns/status/toolkit/{elsewhere.pk}/").status_code == 404


def test_a_public_resource_downloads_even_before_the_story_is_published(client, world):
    campaign = CampaignFactory(organization=world.centre, slug="ongoing")
    item = resource(campaign)
    assert client.get(download_url(item)).status_code == 200


def test_posting_to_a_download_is_refused(client, story):
    item = resource(story)
    assert client.post(download_url(item)).status_code == 405
    item.refresh_from_db()
    assert item.download_count == 0
