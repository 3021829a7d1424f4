"""Audience pages: the builder and its count, saved audiences, their people and export."""

import json

import pytest
from django.test import Client

from solidaire.core.models import Activity, AuditEntry
from solidaire.messaging.models import Audience
from solidaire.messaging.services import audience_save
from solidaire.petitions.activities import PETITION_SIGNED

from tests.factories import CampaignFactory, PersonFactory
from tests.organize.conftest import url
from tests.second_factor import log_in


@pytest.fixture
def montreal_audience(world):
    return audience_save(name="Whole Québec", organization=world.centre, chapter=world.montreal,
                         definition={"chapters": [world.quebec.pk]},
                         actor=world.montreal_organizer)


def test_the_builder_counts_with_a_plain_get_form(world, as_user):
    response = as_user(world.montreal_organizer).get(
        url("audience_new"), {"chapters": [world.montreal.pk]})
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["count"] == 2
    assert "2 people" in html
    assert "<script>" not in html and "style=" not in html
    definition = json.loads(response.context["save_form"]["definition"].value())
    assert definition == {"chapters": [world.montreal.pk]}


def test_the_builder_offers_only_chapters_and_campaigns_in_scope(world, as_user):
    CampaignFactory(organization=world.centre, chapter=world.bsl, slug="bsl-campaign")
    form = as_user(world.montreal_organizer).get(url("audience_new")).context["form"]
    assert set(form.fields["chapters"].queryset) == {world.montreal, world.cdn}
    assert "bsl-campaign" not in {c.slug for c in form.fields["did_1_campaign"].queryset}
    assert not form.offers_permit


def test_bad_filters_keep_the_form_with_a_message(world, as_user):
    response = as_user(world.coordinator).get(url("audience_new"), {
        "actions_min": "5", "actions_max": "2", "languages": ["es"]})
    assert response.status_code == 200
    assert response.context["count"] is None
    html = response.content.decode()
    assert "The least number of actions is more than the most." in html
    assert 'name="actions_min" value="5"' in html
    assert response.context["form"]["languages"].value() == ["es"]



@pytest.mark.parametrize("field", ["chapters", "tags", "committees"])
def test_an_id_too_large_for_any_column_is_a_form_error_not_a_crash(world, as_user, field):
    # Typed into the address: on SQLite Django's lookup overflowed (a server error).
    response = as_user(world.coordinator).get(url("audience_new"), {
        field: ["99999999999999999999"], "languages": ["fr"]})
    assert response.status_code == 200
    assert response.context["count"] is None
    assert response.context["form"].errors[field]
    assert response.context["form"]["languages"].value() == ["fr"]
    count = as_user(world.coordinator).get(url("audience_count"), {field: ["1" + "0" * 30]})
    assert count.status_code == 400 and count.json()["errors"]

def test_the_count_endpoint_answers_json(world, as_user):
    client = as_user(world.montreal_organizer)
    response = client.get(url("audience_count"), {"chapters": [world.montreal.pk]})
    assert response.status_code == 200
    assert response.json()["count"] == 2 and response.json()["text"] == "2 people"
    bad = client.get(url("audience_count"), {"actions_min": "x"})
    assert bad.status_code == 400 and bad.json()["errors"]


def test_saving_an_audience_and_seeing_it_counted_again(world, as_user):
    client = as_user(world.montreal_organizer)
    response = client.post(
        url("audience_new") + f"?chapters={world.montreal.pk}",
        {"name": "Montréal members", "chapter": world.montreal.slug,
         "definition": json.dumps({"chapters": [world.montreal.pk]})})
    audience = Audience.objects.get(name="Montréal members")
    assert response.status_code == 302
    assert audience.chapter == world.montreal and audience.organization == world.centre
    assert AuditEntry.objects.filter(action="solidaire.audience.created").exists()
    PersonFactory(chosen_name="Fay Nouvelle", home_chapter=world.cdn)
    detail = client.get(url("audience_detail", audience.pk))
    assert detail.context["count"] == 3
    assert "Fay Nouvelle" in detail.content.decode()


def test_a_saved_bad_definition_is_refused(world, as_user):
    response = as_user(world.coordinator).post(url("audience_new"), {
        "name": "Broken", "definition": json.dumps({"colour": ["red"]})})
    assert response.status_code == 200
    assert not Audience.objects.filter(name="Broken").exists()
    assert "Unknown filter" in response.content.decode()


def test_montreal_organizer_sees_only_montreal_scope_people(world, as_user,
                                                             montreal_audience):
    """Done means: the audiences of montreal count only Montréal-scope people."""
    client = as_user(world.montreal_organizer)
    listing = client.get(url("audiences"))
    assert [a.count for a in listing.context["audiences"]] == [2]
    detail = client.get(url("audience_detail", montreal_audience.pk))
    html = detail.content.decode()
    assert detail.context["count"] == 2
    assert "Ana Montréal" in html and "Bea Côte-des-Neiges" in html
    assert "Carlos Rimouski" not in html
    # The same audience, used by the coordinator, counts the whole of Québec.
    assert as_user(world.coordinator).get(
        url("audience_detail", montreal_audience.pk)).context["count"] == 3


def test_detail_describes_the_filters_and_links_to_calls_and_export(world, as_user):
    campaign = CampaignFactory(organization=world.centre, title={"en": "Health for all"})
    audience = audience_save(
        name="Signers", organization=world.centre,
        definition={"did": [{"kind": PETITION_SIGNED, "campaign": campaign.pk}],
                    "consent": ["phone"]}, actor=world.coordinator)
    Activity.objects.create(person=world.in_bsl, kind=PETITION_SIGNED,
                            campaign=campaign)
    world.in_bsl.consent_phone = True
    world.in_bsl.save()
    html = as_user(world.coordinator).get(url("audience_detail", audience.pk)).content.decode()
    assert "Signed a petition in the campaign Health for all" in html
    assert f"?audience={audience.pk}" in html
    assert url("audience_export", audience.pk) in html
    assert "Carlos Rimouski" in html


def test_export_of_an_audience_is_its_people_in_scope_and_audited(world, as_user,
                                                                  montreal_audience):
    client = as_user(world.montreal_organizer)
    response = client.post(url("audience_export", montreal_audience.pk),
                           {"file_format": "csv", "columns": ["name", "chapter"]})
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Ana Montréal" in content and "Bea Côte-des-Neiges" in content
    assert "Carlos Rimouski" not in content and "Dev Toronto" not in content
    entry = AuditEntry.objects.get(action="solidaire.people.exported")
    assert entry.actor == world.montreal_organizer
    assert entry.data["count"] == 2 and entry.data["via"] == "audience"
    assert entry.data["filters"]["audience"] == montreal_audience.pk
    assert entry.data["status_included"] is False


def test_out_of_scope_audiences_are_404(world, as_user):
    bsl = audience_save(name="BSL", organization=world.centre, chapter=world.bsl,
                        definition={}, actor=world.rimouski_organizer)
    client = as_user(world.montreal_organizer)
    for name in ("audience_detail", "audience_edit", "audience_export",
                 "saved_audience_count"):
        assert client.get(url(name, bsl.pk)).status_code == 404


def test_chapter_organizers_cannot_change_organization_wide_audiences(world, as_user):
    whole = audience_save(name="Everyone", organization=world.centre, definition={},
                          actor=world.coordinator)
    client = as_user(world.montreal_organizer)
    assert client.get(url("audience_detail", whole.pk)).status_code == 200
    assert client.get(url("audience_edit", whole.pk)).status_code == 404


def test_editing_an_audience_starts_from_its_filters(world, as_user, montreal_audience):
    montreal_audience.definition = {"chapters": [world.montreal.pk], "languages": ["fr"]}
    montreal_audience.save()
    client = as_user(world.montreal_organizer)
    response = client.get(url("audience_edit", montreal_audience.pk))
    assert response.status_code == 200
    assert response.context["form"].definition() == montreal_audience.definition
    assert response.context["count"] == 2
    saved = client.post(url("audience_edit", montreal_audience.pk), {
        "name": "Côte-des-Neiges", "definition": json.dumps({"chapters": [world.cdn.pk]})})
    assert saved.status_code == 302
    montreal_audience.refresh_from_db()
    assert montreal_audience.name == "Côte-des-Neiges"
    assert montreal_audience.definition == {"chapters": [world.cdn.pk]}


def test_volunteers_get_404_on_every_audience_page(world, as_user, montreal_audience):
    client = as_user(world.volunteer)
    pk = montreal_audience.pk
    for name, args in (("audiences", ()), ("audience_new", ()), ("audience_count", ()),
                       ("audience_detail", (pk,)), ("audience_edit", (pk,)),
                       ("audience_export", (pk,)), ("saved_audience_count", (pk,))):
        assert client.get(url(name, *args)).status_code == 404, name
    assert client.post(url("audience_export", pk),
                       {"file_format": "csv", "columns": ["name"]}).status_code == 404


def test_the_permit_window_is_offered_only_to_status_access_accounts(world, as_user, settings,
                                                                      tmp_path, monkeypatch):
    from solidaire.people.services import status_set
    from solidaire.people.status_cliff import current_month, month_add

    monkeypatch.delenv("SOLIDAIRE_FIELD_KEYS", raising=False)
    settings.FIELD_KEYS_FILE = tmp_path / "keys" / "keys.json"
    settings.FIELD_KEYS_CREATE = True
    role = world.coordinator.organizer_role
    role.status_access = True
    role.save(update_fields=["status_access"])
    soon = month_add(current_month(), 1).strftime("%Y-%m")
    status_set(person=world.in_cdn, actor=world.coordinator, category="study_permit",
               expiry_month=month_add(current_month(), 1))
    window = {"permit_from": soon, "permit_to": soon}
    response = log_in(Client(), world.coordinator).get(url("audience_new"), window)
    assert response.context["form"].offers_permit and response.context["count"] == 1
    other = as_user(world.montreal_organizer).get(url("audience_new"), window)
    assert not other.context["form"].offers_permit and other.context["count"] == 2
    assert 'name="permit_from"' not in other.content.decode()


def test_the_list_counts_within_its_time_and_leaves_the_rest_to_a_request_each(
        world, as_user, montreal_audience, settings):
    """On a large database each count can take up to a second: past the list's budget,
    a row links to the audience's page and the page's script asks for its count."""
    client = as_user(world.montreal_organizer)
    listing = client.get(url("audiences"))
    assert [a.count for a in listing.context["audiences"]] == [2]
    assert b"audience-list.js" not in listing.content

    settings.AUDIENCE_LIST_COUNT_SECONDS = 0
    listing = client.get(url("audiences"))
    html = listing.content.decode()
    assert [a.count for a in listing.context["audiences"]] == [None]
    assert "audience-list.js" in html
    count_url = url("saved_audience_count", montreal_audience.pk)
    assert f'href="{url("audience_detail", montreal_audience.pk)}" ' \
           f'data-count-url="{count_url}"' in html
    # The count, within what each account sees.
    assert client.get(count_url).json() == {"count": 2, "text": "2"}
    assert as_user(world.coordinator).get(count_url).json()["count"] == 3
