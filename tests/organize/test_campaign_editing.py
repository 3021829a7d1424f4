"""Creating and editing campaigns from the organizer pages."""

import datetime

import pytest

from solidaire.campaigns.models import Campaign
from solidaire.core.models import AuditEntry

from tests.factories import CampaignFactory
from tests.organize.conftest import translated, url


def form_data(**overrides):
    data = {
        "title_fr": "Statut pour tous", "title_en": "Status for all",
        "summary_fr": "La résidence permanente maintenant.", "summary_en": "",
        "slug": "", "organization": "cti", "chapter": "",
        "starts_on": "2026-03-01", "ends_on": "2026-12-31", "is_active": "on",
        "demands_fr": "Régulariser les sans-papiers\nUn statut pour tous",
        "demands_en": "Regularize the undocumented\r\nStatus for all\r\n",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def demand_texts(campaign) -> list[dict]:
    return [d.text for d in campaign.demands.order_by("position")]


def test_a_coordinator_creates_a_campaign_with_its_demands_in_order(world, as_user):
    client = as_user(world.coordinator)
    response = client.post(url("campaign_add"), form_data())
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("campaign_detail", "statut-pour-tous")
    assert campaign.title == {"fr": "Statut pour tous", "en": "Status for all"}
    assert campaign.summary == {"fr": "La résidence permanente maintenant."}
    assert (campaign.organization, campaign.chapter, campaign.is_active) == (
        world.centre, None, True)
    assert (campaign.starts_on, campaign.ends_on) == (datetime.date(2026, 3, 1),
                                                      datetime.date(2026, 12, 31))
    assert demand_texts(campaign) == [
        {"fr": "Régulariser les sans-papiers", "en": "Regularize the undocumented"},
        {"fr": "Un statut pour tous", "en": "Status for all"},
    ]
    assert AuditEntry.objects.get(action="solidaire.campaign.created").actor == world.coordinator
    page = client.get(response["Location"]).content.decode()
    assert "The campaign Status for all was created." in page
    assert "<li>Regularize the undocumented</li><li>Status for all</li>" in page


def test_the_address_is_made_from_the_title_and_never_new(world, as_user):
    CampaignFactory(organization=world.centre, slug="statut-pour-tous")
    client = as_user(world.coordinator)
    client.post(url("campaign_add"), form_data())
    assert Campaign.objects.filter(slug="statut-pour-tous-2").exists()
    client.post(url("campaign_add", lang="fr"), form_data(title_fr="New", title_en=""))
    assert Campaign.objects.filter(title={"fr": "New"}).get().slug == "new-1"


def test_demands_can_be_written_in_one_language_only(world, as_user):
    as_user(world.coordinator).post(url("campaign_add"), form_data(demands_en=""))
    assert demand_texts(Campaign.objects.get()) == [
        {"fr": "Régulariser les sans-papiers"}, {"fr": "Un statut pour tous"}]


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize(("overrides", "field", "msgid", "params"), [
    ({"title_fr": "", "title_en": " "}, "title_{lang}",
     "Give the campaign a title, in at least one language.", {}),
    ({"starts_on": "2026-05-01", "ends_on": "2026-04-30"}, "ends_on",
     "The campaign cannot end before it starts: choose an end date on or after the start "
     "date.", {}),
    ({"demands_en": "Regularize the undocumented"}, "demands_en",
     "This list has %(count)d line, but another language has %(longest)d. Write one demand "
     "per line, in the same order in each language.", {"count": 1, "longest": 2}),
    ({"slug": "taken"}, "slug", "This address is already taken. Choose another one.", {}),
    ({"slug": "new"}, "slug", "“%(slug)s” cannot be used as an address. Choose another one.",
     {"slug": "new"}),
    ({"ends_on": "31/31/2026"}, "ends_on", "Enter a valid date.", {}),
])
def test_bad_input_shows_a_clear_error_keeps_what_was_typed_and_saves_nothing(
    world, as_user, lang, overrides, field, msgid, params,
):
    CampaignFactory(organization=world.centre, slug="taken")
    before = Campaign.objects.count()
    response = as_user(world.coordinator).post(url("campaign_add", lang=lang),
                                               form_data(**overrides))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert translated(lang, msgid, **params) in html
    assert f'id="id_{field.format(lang=lang)}_error"' in html
    assert Campaign.objects.count() == before
    assert "Régulariser les sans-papiers\nUn statut pour tous</textarea>" in html
    assert 'value="2026-03-01"' in html or 'value="2026-05-01"' in html


def test_a_chapter_organizer_runs_campaigns_of_their_chapters_only(world, as_user):
    client = as_user(world.montreal_organizer)
    html = client.get(url("campaign_add")).content.decode()
    assert 'value="cote-des-neiges"' in html
    assert "Bas-Saint-Laurent" not in html and "Migrant Students United" not in html
    response = client.post(url("campaign_add"), form_data(chapter=""))
    assert response.status_code == 200
    assert "only the coordinators of Centre des travailleurs immigrants" in (
        response.content.decode())
    response = client.post(url("campaign_add"), form_data(chapter="bas-saint-laurent"))
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert not Campaign.objects.exists()
    response = client.post(url("campaign_add"), form_data(chapter="cote-des-neiges"))
    assert response.status_code == 302
    assert Campaign.objects.get().chapter == world.cdn


def test_a_chapter_campaign_is_edited_by_its_chapter_organizer_but_not_the_whole_centres(
    world, as_user,
):
    CampaignFactory(organization=world.centre, slug="centre-wide")
    CampaignFactory(organization=world.centre, chapter=world.montreal, slug="montreal-own")
    client = as_user(world.montreal_organizer)
    assert client.get(url("campaign_edit", "centre-wide")).status_code == 404
    assert client.post(url("campaign_edit", "centre-wide"), form_data()).status_code == 404
    assert url("campaign_edit", "centre-wide") not in client.get(
        url("campaign_detail", "centre-wide")).content.decode()
    assert url("campaign_edit", "montreal-own") in client.get(
        url("campaign_detail", "montreal-own")).content.decode()
    assert client.get(url("campaign_edit", "montreal-own")).status_code == 200


def test_editing_a_campaign_saves_details_and_demands_and_follows_a_new_address(
    world, as_user,
):
    campaign = CampaignFactory(organization=world.centre, slug="status",
                               title={"fr": "Statut", "en": "Status", "es": "Estatus"})
    campaign.demands.create(position=0, text={"fr": "Un", "en": "One", "es": "Uno"})
    campaign.demands.create(position=1, text={"fr": "Deux", "en": "Two"})
    client = as_user(world.coordinator)
    html = client.get(url("campaign_edit", "status")).content.decode()
    assert 'value="status"' in html
    assert ">\nUn\nDeux</textarea>" in html and ">\nOne\nTwo</textarea>" in html
    response = client.post(url("campaign_edit", "status"), form_data(
        slug="status-2026", title_fr="Statut 2026", title_en="", is_active=None,
        chapter="montreal", demands_fr="Zéro\nUn\nDeux", demands_en="Zero\nOne\nTwo",
    ))
    assert response.status_code == 302
    assert response["Location"] == url("campaign_detail", "status-2026")
    campaign.refresh_from_db()
    assert campaign.title == {"fr": "Statut 2026", "es": "Estatus"}  # Spanish is kept
    assert (campaign.is_active, campaign.chapter) == (False, world.montreal)
    assert demand_texts(campaign) == [
        {"fr": "Zéro", "en": "Zero"},
        {"fr": "Un", "en": "One", "es": "Uno"},  # matched by its unchanged text
        {"fr": "Deux", "en": "Two"},
    ]
    entry = AuditEntry.objects.get(action="solidaire.campaign.changed")
    assert entry.actor == world.coordinator
    assert entry.data["fields"] == ["chapter", "ends_on", "is_active", "slug", "starts_on",
                                   "summary", "title"]
    assert AuditEntry.objects.filter(action="solidaire.campaign.demands.replaced").exists()


def test_a_demand_missing_in_one_language_survives_an_unchanged_save(world, as_user):
    campaign = CampaignFactory(organization=world.centre, slug="status")
    campaign.demands.create(position=0, text={"en": "Only English"})
    campaign.demands.create(position=1, text={"fr": "Deux", "en": "Two"})
    campaign.demands.create(position=2, text={"en": "English again"})
    client = as_user(world.coordinator)
    form = client.get(url("campaign_edit", "status")).context["form"]
    # What the browser sends back: every initial value as it is.
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("on" if v is True else v) for k, v in data.items() if v not in (None, False)}
    assert data["demands_fr"] == "\nDeux\n"
    response = client.post(url("campaign_edit", "status"), data)
    assert response.status_code == 302
    assert demand_texts(campaign) == [{"en": "Only English"}, {"fr": "Deux", "en": "Two"},
                                      {"en": "English again"}]


def test_a_superuser_picks_chapters_grouped_by_organization_and_cannot_mix_them(
    world, as_user, django_user_model,
):
    root = django_user_model.objects.create_superuser("root", password="x")
    client = as_user(root)
    html = client.get(url("campaign_add")).content.decode()
    assert '<optgroup label="Migrant Students United">' in html
    assert '<option value="" selected>Choose an organization</option>' in html
    response = client.post(url("campaign_add"), form_data(chapter="toronto"))
    assert response.status_code == 200
    assert "Toronto is not a chapter of Centre des travailleurs immigrants." in (
        response.content.decode())
    assert not Campaign.objects.exists()


def test_a_committee_or_campaign_can_start_from_a_chapter_page(world, as_user):
    client = as_user(world.coordinator)
    form = client.get(url("campaign_add") + "?chapter=montreal").context["form"]
    assert (form["chapter"].value(), form["organization"].value()) == ("montreal", "cti")
    form = client.get(url("campaign_add") + "?chapter=toronto").context["form"]
    assert form["chapter"].value() in ("", None)


@pytest.mark.parametrize("page", ["campaign_add", "campaign_edit"])
def test_volunteers_create_and_edit_nothing(world, as_user, page):
    CampaignFactory(organization=world.centre, slug="centre-wide")
    client = as_user(world.volunteer)
    target = url(page, "centre-wide") if page == "campaign_edit" else url(page)
    assert client.get(target).status_code == 404
    assert client.post(target, form_data()).status_code == 404
    assert Campaign.objects.count() == 1
    html = client.get(url("campaigns")).content.decode()
    assert url("campaign_add") not in html
    html = client.get(url("campaign_detail", "centre-wide")).content.decode()
    assert url("campaign_edit", "centre-wide") not in html
