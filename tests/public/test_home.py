"""The public home page: the host, its active campaigns and the chapter tree."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from solidaire.campaigns.models import Demand
from solidaire.organizing.models import Chapter

from tests.factories import CampaignFactory, OrganizationFactory, make_chapter

LOGIN_PATH = "/{lang}/organize/login/"


@pytest.fixture
def campaign(world):
    campaign = CampaignFactory(
        organization=world.centre,
        title={"fr": "Un statut pour tous", "en": "Status for all"},
        summary={"fr": "Régularisation maintenant.", "en": "Regularization now."},
        starts_on=datetime.date(2025, 5, 1), ends_on=datetime.date(2025, 12, 31),
    )
    # Created out of order: the page shows them by position.
    Demand.objects.create(campaign=campaign, position=2,
                          text={"fr": "Deuxième demande", "en": "Second demand"})
    Demand.objects.create(campaign=campaign, position=1,
                          text={"fr": "Première demande", "en": "First demand"})
    return campaign


@pytest.fixture
def described_host(world):
    world.centre.description = {"fr": "Nous défendons les travailleurs.",
                                "en": "We stand with workers."}
    world.centre.city = "Montréal"
    world.centre.email = "info@cti.example.org"
    world.centre.phone = "+15145550100"
    world.centre.save()
    return world.centre


@pytest.mark.parametrize(
    ("lang", "title", "summary", "first", "second", "description"),
    [
        ("fr", "Un statut pour tous", "Régularisation maintenant.", "Première demande",
         "Deuxième demande", "Nous défendons les travailleurs."),
        ("en", "Status for all", "Regularization now.", "First demand", "Second demand",
         "We stand with workers."),
    ],
)
def test_home_shows_the_host_its_campaigns_and_chapters_in_the_page_language(
    client, world, campaign, described_host, lang, title, summary, first, second, description,
):
    response = client.get(f"/{lang}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert "Centre des travailleurs immigrants" in html
    assert description in html
    assert "info@cti.example.org" in html
    assert "(514) 555-0100" in html
    assert title in html
    assert summary in html
    assert html.index(first) < html.index(second)
    for chapter in ("Québec", "Montréal", "Côte-des-Neiges", "Bas-Saint-Laurent", "Toronto",
                    "Migrant Students United"):
        assert chapter in html
    assert f'href="/{lang}/chapters/start/"' in html
    assert f'href="{LOGIN_PATH.format(lang=lang)}"' in html


def test_home_labels_are_in_english_under_en(client, world, campaign):
    html = client.get("/en/").content.decode()
    assert "Start a chapter" in html
    assert "Organizer login" in html
    assert "Our campaigns" in html


def test_home_nests_chapters_under_their_parent(client, world):
    html = client.get("/en/").content.decode()
    quebec, montreal, cdn = (html.index(n) for n in ("Québec", "Montréal", "Côte-des-Neiges"))
    assert quebec < montreal < cdn
    # Côte-des-Neiges sits in a list inside Montréal's item, inside Québec's.
    between = html[quebec:cdn]
    assert between.count('<ul class="chapter-tree">') == 2


def test_home_shows_chapter_languages_and_hides_private_chapters(client, world):
    world.montreal.languages = ["fr", "es"]
    world.montreal.save()
    make_chapter(organization=world.centre, name="Cellule discrète", parent=world.quebec,
                 is_public=False)
    html = client.get("/en/").content.decode()
    assert "French, Spanish" in html
    assert "Cellule discrète" not in html


def test_home_hides_inactive_campaigns(client, world):
    CampaignFactory(organization=world.centre, title={"en": "Old fight"}, is_active=False)
    assert "Old fight" not in client.get("/en/").content.decode()


def test_home_works_on_an_empty_site(client, db):
    response = client.get("/en/")
    assert response.status_code == 200
    assert "There is no active campaign right now." in response.content.decode()


def test_home_runs_a_fixed_number_of_queries(client, world, campaign, django_assert_num_queries):
    # host, campaigns, their demands, chapters (with their organization).
    with django_assert_num_queries(4):
        assert client.get("/fr/").status_code == 200


def test_home_query_count_does_not_grow_with_campaigns_or_chapters(client, world, campaign):
    with CaptureQueriesContext(connection) as before:
        client.get("/fr/")
    extra_org = OrganizationFactory()
    for n in range(5):
        more = CampaignFactory(organization=extra_org)
        Demand.objects.create(campaign=more, position=1, text={"fr": f"Demande {n}"})
        root = make_chapter(organization=extra_org, name=f"Région {n}",
                            kind=Chapter.Kind.REGION)
        make_chapter(organization=extra_org, name=f"Ville {n}", parent=root,
                     kind=Chapter.Kind.CITY, languages=["fr", "en"])
    with CaptureQueriesContext(connection) as after:
        response = client.get("/fr/")
    assert "Ville 4" in response.content.decode()
    assert len(after) == len(before)


def test_home_is_light_one_stylesheet_and_no_script(client, world, campaign):
    html = client.get("/fr/").content.decode()
    assert html.count('rel="stylesheet"') == 1
    assert "<script" not in html
    assert "http://" not in html.replace("http://testserver", "")
