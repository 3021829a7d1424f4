"""Public intake pages stay light: at most 30 KB of HTML plus CSS (images excluded)."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from tests.factories import ActionFactory, PetitionFactory, SignOnFactory, TargetFactory

BUDGET = 30 * 1024
STYLESHEET = re.compile(r'<link rel="stylesheet" href="/static/([^"]+)"')


@pytest.fixture
def intake(world):
    targets = [TargetFactory(name=f"Member {n}") for n in range(5)]
    long_text = {"fr": "Paragraphe. " * 300, "en": "Paragraph. " * 300}
    petition = PetitionFactory(organization=world.centre, slug="health-care", body=long_text,
                               show_signers=True)
    petition.targets.add(*targets)
    SignOnFactory(organization=world.centre, slug="status-on-arrival", body=long_text)
    for slug, kind in (("call-minister", "call"), ("write-minister", "email")):
        action = ActionFactory(organization=world.centre, slug=slug, kind=kind,
                               letter_body={"en": "Dear Minister, " * 100})
        action.targets.add(*targets)
    return world


def weight(client, path: str) -> int:
    response = client.get(path)
    assert response.status_code == 200, path
    html = response.content.decode()
    css = sum(Path(finders.find(name)).stat().st_size for name in STYLESHEET.findall(html))
    return len(response.content) + css


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("path", ["petitions/health-care/", "petitions/health-care/thanks/",
                                  "petitions/health-care/signers/",
                                  "sign-ons/status-on-arrival/", "act/call-minister/",
                                  "act/write-minister/"])
def test_public_intake_pages_weigh_at_most_30_kb_of_html_and_css(client, intake, path, lang):
    assert weight(client, f"/{lang}/{path}") <= BUDGET


@pytest.fixture
def event_pages(world):
    import datetime

    from django.utils import timezone

    from solidaire.events.models import Event

    from tests.factories import EventFactory, RegistrationFactory, SeriesFactory

    long_text = {"fr": "Paragraphe. " * 300, "en": "Paragraph. " * 300}
    long_title = {"fr": "Assemblée générale des travailleuses et travailleurs " * 2,
                  "en": "General assembly of migrant workers and their families " * 2}
    series = SeriesFactory(organization=world.centre, slug="status-week", summary=long_text)
    start = timezone.now() + datetime.timedelta(days=2)
    for n in range(70):
        EventFactory(organization=world.centre, series=series, slug=f"event-{n}",
                     title=long_title, city="Saint-Jean-sur-Richelieu", province="QC",
                     kind=Event.Kind.INFO_SESSION, languages=["fr", "en", "es", "tl"],
                     starts_at=start + datetime.timedelta(hours=n),
                     ends_at=start + datetime.timedelta(hours=n + 2))
    event = EventFactory(organization=world.centre, chapter=world.cdn, series=series,
                         slug="assembly", title=long_title, summary=long_text, body=long_text,
                         accessibility=long_text, format=Event.Format.HYBRID, capacity=500,
                         online_url="https://meet.example.org/" + "x" * 200,
                         online_details="Passcode " * 20, languages=["fr", "en", "es"],
                         interpretation=["tl", "pa"])
    event.cosponsors.add(world.other)
    registration = RegistrationFactory(event=event)
    return {"registration": registration}


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("path", ["events/", "events/assembly/", "events/series/status-week/",
                                  "registration"])
def test_public_event_pages_weigh_at_most_30_kb_of_html_and_css(client, event_pages, path, lang):
    if path == "registration":
        path = f"events/r/{event_pages['registration'].manage_token}/"
    assert weight(client, f"/{lang}/{path}") <= BUDGET


@pytest.fixture
def campaign_story(world, settings, tmp_path):
    import datetime

    from django.core.files.base import ContentFile

    from solidaire.campaigns.models import Demand, Milestone, Resource

    from tests.factories import CampaignFactory

    settings.MEDIA_ROOT = tmp_path
    long_text = {"fr": "Paragraphe de l'histoire. " * 40, "en": "Paragraph of the story. " * 40}
    campaign = CampaignFactory(organization=world.centre, slug="status-for-all",
                               story_published=True, story_intro=long_text)
    for n in range(5):
        Demand.objects.create(campaign=campaign, position=n,
                              text={"fr": f"Revendication numéro {n} " * 3,
                                    "en": f"Demand number {n} " * 3})
    kinds = list(Milestone.Kind.values)
    for n in range(40):
        Milestone.objects.create(
            campaign=campaign, kind=kinds[n % len(kinds)],
            happened_on=datetime.date(2025, 1, 1) + datetime.timedelta(days=7 * n),
            title={"fr": f"Rencontre avec les élus de la circonscription {n}",
                   "en": f"Meeting with the elected officials of the riding {n}"},
            description={"fr": "Nous avons porté nos revendications. " * 3,
                         "en": "We carried our demands to them. " * 3},
            outlet="Le Devoir" if n % 7 == 1 else "",
            url=f"https://www.ledevoir.com/societe/article-{n}" if n % 7 == 1 else "")
    for n, kind in enumerate(Resource.Kind.values):
        for language in ("fr", "en", "es"):
            item = Resource(campaign=campaign, kind=kind, language=language,
                            title=f"Resource {kind} {language} {n}")
            item.file.save(f"{kind}-{language}.pdf", ContentFile(b"%PDF"), save=False)
            item.save()
    return campaign


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_public_campaign_story_weighs_at_most_30_kb_with_a_long_timeline(
        client, campaign_story, lang):
    assert weight(client, f"/{lang}/campaigns/status-for-all/") <= BUDGET


@pytest.fixture
def busy_home(world):
    import datetime

    from django.utils import timezone

    from tests.factories import CampaignFactory, EventFactory, make_chapter

    long_title = {"fr": "Un statut pour toutes et tous, maintenant et sans exception " * 2,
                  "en": "Status for all, now and without exception, for every worker " * 2}
    long_text = {"fr": "Paragraphe. " * 300, "en": "Paragraph. " * 300}
    for n in range(10):
        PetitionFactory(organization=world.centre, slug=f"petition-{n}", title=long_title,
                        summary=long_text)
        SignOnFactory(organization=world.centre, slug=f"sign-on-{n}", title=long_title)
        ActionFactory(organization=world.centre, slug=f"action-{n}", title=long_title)
        CampaignFactory(organization=world.centre, slug=f"campaign-{n}", title=long_title,
                        summary=long_text, story_published=True)
    start = timezone.now() + datetime.timedelta(days=1)
    for n in range(10):
        EventFactory(organization=world.centre, chapter=world.montreal, slug=f"event-{n}",
                     title=long_title, starts_at=start + datetime.timedelta(hours=n),
                     ends_at=start + datetime.timedelta(hours=n + 2))
    for n in range(30):
        make_chapter(organization=world.centre, name=f"Campus numéro {n}", parent=world.cdn,
                     kind="campus", languages=["fr", "en", "es"])
    return world


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("path", ["", "chapters/montreal/"])
def test_the_home_and_chapter_pages_weigh_at_most_30_kb_when_much_is_open(
        client, busy_home, path, lang):
    assert weight(client, f"/{lang}/{path}") <= BUDGET
