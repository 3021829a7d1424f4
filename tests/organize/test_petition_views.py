"""The organizer pages about petitions: the list, adding, editing and following one."""

import datetime

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from solidaire.campaigns.models import Publication
from solidaire.core.models import AuditEntry
from solidaire.petitions.models import Delivery, Petition, Signature

from tests.factories import CampaignFactory, PetitionFactory, TargetFactory
from tests.organize.conftest import translated, url


def make_signature(petition, n, *, status=Signature.Status.COUNTED, person=None, **fields):
    return Signature.objects.create(
        petition=petition, token=f"token-{petition.pk}-{n}", contact_key=f"key-{n}",
        name=f"Typed name {n}", language="fr", status=status, person=person, **fields,
    )


def form_data(**overrides):
    data = {
        "title_fr": "Des soins pour tous", "title_en": "Health care for all",
        "summary_fr": "", "summary_en": "Care now.", "body_fr": "", "body_en": "We ask.",
        "slug": "", "organization": "cti", "chapter": "", "campaign": "", "goal": "2500",
        "status": "open", "next_step_url": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def petitions(world):
    """A petition of the Montréal chapter, one of the whole centre, and two out of scope."""
    return {
        "mtl": PetitionFactory(organization=world.centre, chapter=world.montreal,
                               slug="mtl-petition", title={"en": "Montréal petition"}),
        "cti": PetitionFactory(organization=world.centre, slug="cti-petition",
                               title={"en": "Centre petition"}),
        "bsl": PetitionFactory(organization=world.centre, chapter=world.bsl,
                               slug="bsl-petition", title={"en": "BSL petition"}),
        "msu": PetitionFactory(organization=world.other, slug="msu-petition",
                               title={"en": "MSU petition"}),
    }


# -- the list ----------------------------------------------------------------------------------

def test_the_list_shows_the_petitions_in_scope_with_their_count_and_goal(world, as_user,
                                                                         petitions):
    mtl = petitions["mtl"]
    mtl.campaign = CampaignFactory(organization=world.centre, title={"en": "Care campaign"})
    mtl.save()
    for n in range(3):
        make_signature(mtl, n)
    make_signature(mtl, 9, status=Signature.Status.REMOVED)
    html = as_user(world.montreal_organizer).get(url("petitions")).content.decode()
    assert "Montréal petition" in html and "Centre petition" in html
    assert "BSL petition" not in html and "MSU petition" not in html
    assert '<td class="number">3</td>' in html
    assert "Care campaign" in html
    assert url("petition_add") in html


def test_the_list_filters_by_status_and_campaign(world, as_user, petitions):
    campaign = CampaignFactory(organization=world.centre, slug="care")
    petitions["cti"].campaign = campaign
    petitions["cti"].save()
    Petition.objects.filter(pk=petitions["mtl"].pk).update(status=Publication.DRAFT)
    client = as_user(world.coordinator)
    html = client.get(url("petitions"), {"status": "draft"}).content.decode()
    assert "Montréal petition" in html and "Centre petition" not in html
    html = client.get(url("petitions"), {"campaign": "care"}).content.decode()
    assert "Centre petition" in html and "Montréal petition" not in html
    # An unknown campaign is an error on the form, not a crash.
    assert client.get(url("petitions"), {"campaign": "msu-campaign"}).status_code == 200


def test_the_list_query_count_does_not_grow_with_petitions_or_signatures(
    world, as_user, django_assert_max_num_queries, django_assert_num_queries,
):
    client = as_user(world.coordinator)

    def add(count):
        for _n in range(count):
            campaign = CampaignFactory(organization=world.centre)
            petition = PetitionFactory(organization=world.centre, campaign=campaign,
                                       chapter=world.montreal)
            for n in range(3):
                make_signature(petition, n)

    add(2)
    with django_assert_max_num_queries(12) as few:
        response = client.get(url("petitions"))
    assert response.content.decode().count("Petition ") >= 2
    add(8)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url("petitions"))
    assert response.content.decode().count("Petition ") >= 10


# -- adding and editing ------------------------------------------------------------------------

def test_a_coordinator_creates_a_petition_with_targets_and_a_campaign(world, as_user):
    minister = TargetFactory(name="Marc Miller")
    TargetFactory(name="Gone", is_active=False)
    CampaignFactory(organization=world.centre, slug="care", title={"en": "Care campaign"})
    client = as_user(world.coordinator)
    page = client.get(url("petition_add")).content.decode()
    assert "Marc Miller — Minister of Immigration" in page
    assert "Gone" not in page
    response = client.post(url("petition_add"), form_data(
        targets=[str(minister.pk)], campaign="care", double_opt_in="on",
        next_step_url="https://example.org/call"))
    petition = Petition.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("petition_detail", "des-soins-pour-tous")
    assert petition.title == {"fr": "Des soins pour tous", "en": "Health care for all"}
    assert petition.summary == {"en": "Care now."} and petition.body == {"en": "We ask."}
    assert list(petition.targets.all()) == [minister]
    assert (petition.campaign.slug, petition.goal, petition.status) == ("care", 2500, "open")
    assert petition.double_opt_in and not petition.show_signers
    assert petition.next_step_url == "https://example.org/call"
    assert AuditEntry.objects.filter(action="solidaire.petition.created").exists()
    assert "The petition Health care for all was created." in client.get(
        response["Location"]).content.decode()


def test_bad_input_is_explained_in_the_users_language_and_kept(world, as_user):
    client = as_user(world.coordinator)
    response = client.post(url("petition_add", lang="fr"), form_data(
        title_fr="", title_en="", summary_en="Garder ce texte", slug="new", goal="0"))
    assert response.status_code == 200
    html = response.content.decode()
    assert translated("fr", "Give the petition a title, in at least one language.") in html
    assert "Garder ce texte" in html
    assert "new" in html and "cannot be used as an address" not in html  # English msgid
    assert not Petition.objects.exists()
    response = client.post(url("petition_add"), form_data(slug="new"))
    assert "“new” cannot be used as an address" in response.content.decode()


def test_a_campaign_of_another_organization_or_out_of_sight_is_refused(world, as_user):
    CampaignFactory(organization=world.other, slug="msu-campaign")
    response = as_user(world.coordinator).post(url("petition_add"),
                                               form_data(campaign="msu-campaign"))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Petition.objects.exists()


def test_a_chapter_organizer_creates_for_their_chapter_only(world, as_user):
    client = as_user(world.montreal_organizer)
    response = client.post(url("petition_add"), form_data())
    assert response.status_code == 200
    assert "only the coordinators of" in response.content.decode()
    response = client.post(url("petition_add"), form_data(chapter="montreal"))
    assert response.status_code == 302
    assert Petition.objects.get().chapter == world.montreal
    response = client.post(url("petition_add"), form_data(chapter="bas-saint-laurent",
                                                          slug="bsl"))
    assert response.status_code == 200 and not Petition.objects.filter(slug="bsl").exists()


def test_an_organizer_edits_a_petition_and_the_audit_log_lists_the_fields(world, as_user,
                                                                          petitions):
    petition = petitions["mtl"]
    target = TargetFactory()
    client = as_user(world.montreal_organizer)
    page = client.get(url("petition_edit", petition.slug)).content.decode()
    assert "Montréal petition" in page
    response = client.post(url("petition_edit", petition.slug), form_data(
        title_fr="", title_en="Montréal petition", summary_en="", body_en="",
        slug="mtl-petition", chapter="montreal", goal="100", status="closed",
        targets=[str(target.pk)], show_signers="on"))
    assert response.status_code == 302
    petition.refresh_from_db()
    assert petition.status == "closed" and petition.show_signers
    assert list(petition.targets.all()) == [target]
    entry = AuditEntry.objects.get(action="solidaire.petition.updated")
    assert entry.data == {"fields": ["body", "show_signers", "status", "summary", "targets"]}


def test_pages_out_of_scope_are_404(world, as_user, petitions):
    client = as_user(world.montreal_organizer)
    for slug in ("bsl-petition", "msu-petition"):
        for name in ("petition_detail", "petition_edit"):
            assert client.get(url(name, slug)).status_code == 404
            assert client.post(url(name, slug), {"action": "remove"}).status_code == 404
    # Seeing the centre's petition is not running it.
    assert client.get(url("petition_detail", "cti-petition")).status_code == 200
    assert client.get(url("petition_edit", "cti-petition")).status_code == 404
    assert as_user(world.coordinator).get(url("petition_edit", "cti-petition")).status_code \
        == 200


def test_a_volunteer_cannot_add_edit_or_remove(world, as_user, petitions):
    signature = make_signature(petitions["mtl"], 1)
    client = as_user(world.volunteer)
    response = client.get(url("petitions"))
    assert response.status_code == 200
    assert url("petition_add") not in response.content.decode()
    assert client.get(url("petition_add")).status_code == 404
    assert client.post(url("petition_add"), form_data()).status_code == 404
    for slug in ("mtl-petition", "cti-petition"):
        assert client.get(url("petition_edit", slug)).status_code == 404
        assert client.post(url("petition_detail", slug), {
            "action": "remove", "signature": signature.pk}).status_code == 404
    signature.refresh_from_db()
    assert signature.status == Signature.Status.COUNTED
    assert not Petition.objects.filter(title__en="Health care for all").exists()


# -- following a petition ----------------------------------------------------------------------

def test_the_detail_shows_the_count_against_the_goal_and_the_figures(world, as_user,
                                                                     petitions):
    petition = petitions["mtl"]
    petition.goal = 10
    petition.save()
    for n in range(3):
        make_signature(petition, n)
    make_signature(petition, 3, source=Signature.Source.PAPER, sheet_number="7")
    make_signature(petition, 4, status=Signature.Status.DUPLICATE)
    make_signature(petition, 5, status=Signature.Status.REMOVED)
    old = make_signature(petition, 6)
    two_days_ago = timezone.now() - datetime.timedelta(days=2)
    Signature.objects.filter(pk=old.pk).update(created_at=two_days_ago)
    target = TargetFactory(name="Marc Miller")
    other_target = TargetFactory(name="Lena Diab")
    petition.targets.set([target, other_target])
    Delivery.objects.create(petition=petition, target=target,
                            delivered_on=datetime.date(2026, 10, 1), signature_count=5)
    html = as_user(world.montreal_organizer).get(
        url("petition_detail", petition.slug)).content.decode()
    assert '<span class="count">5</span>' in html
    assert "of a goal of 10 (50%)" in html
    assert '<progress class="import-progress" max="10" value="5"' in html
    assert "<th scope=\"row\">Same person signed already</th><td class=\"number\">1</td>" in html
    assert "<th scope=\"row\">Paper sheet</th><td class=\"number\">1</td>" in html
    assert "<th scope=\"row\">Online</th><td class=\"number\">4</td>" in html
    day = timezone.localdate(two_days_ago)
    with translation.override("en"):
        with_date = date_format(day, "DATE_FORMAT")
    assert f'<th scope="row">{with_date}</th><td class="number">1</td>' in html
    assert url("petition_paper", petition.slug) in html
    assert url("petition_delivery", petition.slug, target.pk) in html
    assert url("petition_delivery", petition.slug, other_target.pk) in html
    assert "Delivered on Oct. 1, 2026: 5 signatures" in html
    assert f'href="/en/petitions/{petition.slug}/"' in html
    assert f"/en/petitions/{petition.slug}/sheet.pdf" in html


def test_signer_names_show_only_for_people_in_scope(world, as_user, petitions):
    petition = petitions["mtl"]
    make_signature(petition, 1, person=world.in_montreal)
    make_signature(petition, 2, person=world.in_bsl)
    make_signature(petition, 3, status=Signature.Status.PENDING)  # not matched yet
    html = as_user(world.montreal_organizer).get(
        url("petition_detail", petition.slug)).content.decode()
    assert "Ana Montréal" in html
    assert "Carlos Rimouski" not in html and "Typed name" not in html
    assert html.count("<td>—</td>") == 2
    assert '<span class="count">3</span>' in html  # everyone counts
    html = as_user(world.coordinator).get(url("petition_detail", petition.slug)).content.decode()
    assert "Carlos Rimouski" in html


def test_remove_and_restore_change_the_count(world, as_user, petitions):
    petition = petitions["mtl"]
    spam = make_signature(petition, 1)
    make_signature(petition, 2)
    client = as_user(world.montreal_organizer)
    page = url("petition_detail", petition.slug)
    assert "Remove (spam)" in client.get(page).content.decode()
    response = client.post(page, {"action": "remove", "signature": spam.pk})
    assert response.status_code == 302
    html = client.get(page).content.decode()
    assert '<span class="count">1</span>' in html
    assert "The signature was removed" in html and "Restore" in html
    client.post(page, {"action": "restore", "signature": spam.pk})
    assert '<span class="count">2</span>' in client.get(page).content.decode()
    assert AuditEntry.objects.filter(action="solidaire.signature.restored").count() == 1


def test_a_signature_of_another_petition_cannot_be_removed_from_this_page(world, as_user,
                                                                          petitions):
    elsewhere = make_signature(petitions["bsl"], 1)
    client = as_user(world.montreal_organizer)
    response = client.post(url("petition_detail", "mtl-petition"),
                           {"action": "remove", "signature": elsewhere.pk})
    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.status == Signature.Status.COUNTED
