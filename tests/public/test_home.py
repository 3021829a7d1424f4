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
    ("lang", "title", "summary", "description"),
    [
        ("fr", "Un statut pour tous", "Régularisation maintenant.",
         "Nous défendons les travailleurs."),
        ("en", "Status for all", "Regularization now.", "We stand with workers."),
    ],
)
def test_home_shows_the_host_its_campaigns_and_chapters_in_the_page_language(
    client, world, campaign, described_host, lang, title, summary, description,
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
    # The demands are on the campaign's story, not on the home page's cards.
    assert "Première demande" not in html
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
    # host, open petitions, actions, sign-ons, upcoming events, campaigns, chapters (with
    # their organization); no petition is open, so no count.
    with django_assert_num_queries(7):
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


# -- what one can do now (decision 0066) ------------------------------------------------------

def add_signatures(petition, n, status=None):
    from solidaire.petitions.models import Signature

    Signature.objects.bulk_create(
        Signature(petition=petition, token=f"t-{petition.pk}-{i}", contact_key=f"k-{i}",
                  name=f"Signer {i}", language="fr",
                  status=status or Signature.Status.COUNTED)
        for i in range(n))


@pytest.fixture
def open_things(world):
    from solidaire.campaigns.models import Publication

    from tests.factories import ActionFactory, PetitionFactory

    older = PetitionFactory(organization=world.centre, slug="fair-wages",
                            title={"fr": "Salaires justes", "en": "Fair wages"})
    add_signatures(older, 3)
    # The newest open petition of the host is the page's main call to action.
    petition = PetitionFactory(organization=world.centre, slug="status-now",
                               title={"fr": "Un statut maintenant", "en": "Status now"})
    add_signatures(petition, 1234)
    PetitionFactory(organization=world.centre, slug="closed-one", status=Publication.CLOSED,
                    title={"fr": "Pétition fermée", "en": "Closed petition"})
    PetitionFactory(organization=world.centre, slug="draft-one", status=Publication.DRAFT,
                    title={"fr": "Brouillon", "en": "Draft petition"})
    ActionFactory(organization=world.centre, slug="call-the-minister", kind="call",
                  title={"fr": "Appelez le ministre", "en": "Call the minister"})
    return petition


def test_home_leads_with_an_open_petition_its_count_and_a_link_to_sign(client, open_things):
    html = client.get("/en/").content.decode()
    first = html.index('href="/en/petitions/status-now/"')
    assert html.index("Status now") < first
    assert "1,234" in html[:first] and "signatures" in html[:first]
    assert "Sign the petition" in html
    # The primary call to action comes first; the chapters and "start a chapter" after.
    main = html.index('<main')
    assert main < first < html.index('id="chapters-title"') < html.index(
        'href="/en/chapters/start/"', main)
    assert 'class="button" href="/en/chapters/start/"' not in html
    assert 'href="/en/petitions/fair-wages/"' in html
    assert 'href="/en/act/call-the-minister/"' in html


def test_home_counts_in_french(client, open_things):
    html = client.get("/fr/").content.decode()
    assert "Signer la pétition" in html
    assert "1\u00a0234" in html or "1 234" in html


def test_home_never_lists_closed_or_draft_petitions(client, open_things):
    html = client.get("/en/").content.decode()
    for hidden in ("Closed petition", "closed-one", "Draft petition", "draft-one"):
        assert hidden not in html


def test_home_lists_open_sign_ons_and_not_closed_ones(client, world):
    from solidaire.campaigns.models import Publication

    from tests.factories import SignOnFactory

    SignOnFactory(organization=world.centre, slug="open-letter",
                  title={"en": "Open letter"})
    SignOnFactory(organization=world.centre, slug="old-letter", status=Publication.CLOSED,
                  title={"en": "Old letter"})
    html = client.get("/en/").content.decode()
    assert 'href="/en/sign-ons/open-letter/"' in html
    assert "old-letter" not in html


def test_home_does_not_list_things_of_an_unlisted_chapter(client, world):
    from tests.factories import PetitionFactory

    hidden = make_chapter(organization=world.centre, name="Cellule discrète",
                          parent=world.quebec, is_public=False)
    PetitionFactory(organization=world.centre, chapter=hidden, slug="quiet",
                    title={"en": "Quiet petition"})
    assert "Quiet petition" not in client.get("/en/").content.decode()


def test_home_campaign_card_opens_its_story(client, world):
    CampaignFactory(organization=world.centre, slug="status-for-all", story_published=True,
                    title={"en": "Status for all"})
    html = client.get("/en/").content.decode()
    assert '<a href="/en/campaigns/status-for-all/">Status for all</a>' in html


def test_home_shows_upcoming_events_and_not_past_ones(client, world):
    from django.utils import timezone

    from tests.factories import EventFactory

    soon = timezone.now() + datetime.timedelta(days=3)
    EventFactory(organization=world.centre, slug="assembly", starts_at=soon,
                 ends_at=soon + datetime.timedelta(hours=2),
                 title={"fr": "Assemblée générale", "en": "General assembly"})
    past = timezone.now() - datetime.timedelta(days=3)
    EventFactory(organization=world.centre, slug="last-week", starts_at=past,
                 ends_at=past + datetime.timedelta(hours=2),
                 title={"fr": "Rencontre passée", "en": "Past meeting"})
    html = client.get("/fr/").content.decode()
    assert 'href="/fr/events/assembly/"' in html
    assert "Montréal" in html
    assert "Rencontre passée" not in html


def test_home_lists_no_wall_of_chapter_addresses(client, world):
    world.montreal.contact_email = "montreal@cti.example.org"
    world.montreal.save()
    html = client.get("/en/").content.decode()
    assert "montreal@cti.example.org" not in html
    assert f'href="/en/chapters/{world.montreal.slug}/"' in html


def test_home_counts_petitions_without_a_query_per_petition(
        client, world, django_assert_max_num_queries):
    from tests.factories import PetitionFactory

    for n in range(6):
        add_signatures(PetitionFactory(organization=world.centre, slug=f"p-{n}"), n + 1)
    # host, petitions, their counts (one query), actions, sign-ons, events, campaigns,
    # chapters.
    with django_assert_max_num_queries(8):
        html = client.get("/en/").content.decode()
    assert 'href="/en/petitions/p-0/"' in html


def test_home_counts_are_the_petition_page_s_cached_counts(client, open_things):
    from solidaire.petitions.models import Signature

    client.get("/en/petitions/status-now/")  # the page counts and keeps its count
    Signature.objects.bulk_create(
        Signature(petition=open_things, token=f"late-{i}", contact_key=f"late-{i}", name="Late",
                  language="en", status=Signature.Status.COUNTED) for i in range(10))
    html = client.get("/en/").content.decode()
    assert "1,234" in html  # the same copy, not a count of its own


def test_home_links_the_story_of_a_finished_campaign(client, world):
    CampaignFactory(organization=world.centre, slug="fix-pgwp", story_published=True,
                    is_active=False, title={"en": "How we fixed the work permit"})
    html = client.get("/en/").content.decode()
    assert '<a href="/en/campaigns/fix-pgwp/">How we fixed the work permit</a>' in html
    assert "Campaign over" in html
