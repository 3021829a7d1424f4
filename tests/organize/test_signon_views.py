"""Sign-on statements on the organizer pages: writing them and deciding on endorsements."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from solidaire.core.intake import form_token_check, form_token_new
from solidaire.core.models import AuditEntry, OutboxEmail
from solidaire.petitions.models import Endorsement, SignOn
from solidaire.petitions.signons import endorsement_submit

from tests.factories import CampaignFactory, SignOnFactory, TargetFactory
from tests.organize.conftest import translated, url


def form_data(**overrides):
    data = {
        "title_fr": "Un statut pour tous", "title_en": "Status for all",
        "body_fr": "Nous demandons.", "body_en": "We call for.",
        "slug": "", "organization": "cti", "chapter": "", "campaign": "",
        "status": "open",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def endorse(sign_on, org_name="Inter Pares", email="rosa@example.org", phone=""):
    return endorsement_submit(
        sign_on=sign_on, key=form_token_check(form_token_new()), org_name=org_name,
        kind="community", city="Ottawa", website="", contact_name="Rosa Lopez",
        contact_email=email, contact_phone=phone, language="en",
    ).endorsement


@pytest.fixture
def statements(world):
    """One statement of the whole centre, one of Montréal, one of Bas-Saint-Laurent, one
    of the other organization; each with one pending endorsement."""
    made = {
        "centre": SignOnFactory(organization=world.centre, slug="centre-wide",
                                title={"en": "Centre statement"}),
        "montreal": SignOnFactory(organization=world.centre, chapter=world.montreal,
                                  slug="montreal-own", title={"en": "Montreal statement"}),
        "bsl": SignOnFactory(organization=world.centre, chapter=world.bsl, slug="bsl-own",
                             title={"en": "BSL statement"}),
        "msu": SignOnFactory(organization=world.other, slug="msu-own",
                             title={"en": "MSU statement"}),
    }
    for number, (name, sign_on) in enumerate(made.items()):
        endorse(sign_on, org_name=f"Endorser of {name}", email=f"{name}@example.org",
                phone=f"+1613555010{number}")
    return made


def test_a_coordinator_creates_a_statement_with_targets_and_a_campaign(world, as_user):
    target = TargetFactory(name="Marc Miller")
    campaign = CampaignFactory(organization=world.centre, slug="status")
    client = as_user(world.coordinator)
    response = client.post(url("signon_add"), form_data(targets=[target.pk],
                                                        campaign="status"))
    sign_on = SignOn.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("signon_detail", "un-statut-pour-tous")
    assert sign_on.title == {"fr": "Un statut pour tous", "en": "Status for all"}
    assert sign_on.body == {"fr": "Nous demandons.", "en": "We call for."}
    assert (sign_on.organization, sign_on.chapter, sign_on.campaign, sign_on.status) == (
        world.centre, None, campaign, "open")
    assert list(sign_on.targets.all()) == [target]
    assert AuditEntry.objects.get(action="solidaire.signon.created").actor == world.coordinator
    page = client.get(response["Location"]).content.decode()
    assert "The statement Status for all was created." in page
    assert "Marc Miller" in page and "We call for." in page


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_statement_needs_a_title_and_keeps_what_was_typed(world, as_user, lang):
    response = as_user(world.coordinator).post(url("signon_add", lang=lang),
                                               form_data(title_fr="", title_en=""))
    assert response.status_code == 200
    html = response.content.decode()
    assert translated(lang, "Give the statement a title, in at least one language.") in html
    assert "We call for.</textarea>" in html
    assert not SignOn.objects.exists()


def test_a_campaign_of_another_organization_is_refused(world, as_user):
    CampaignFactory(organization=world.other, slug="msu-campaign")
    response = as_user(world.coordinator).post(url("signon_add"),
                                               form_data(campaign="msu-campaign"))
    assert response.status_code == 200
    assert not SignOn.objects.exists()


def test_a_chapter_organizer_needs_one_of_their_chapters(world, as_user):
    client = as_user(world.montreal_organizer)
    response = client.post(url("signon_add"), form_data())
    assert response.status_code == 200
    assert "only the coordinators of Centre des travailleurs immigrants" in (
        response.content.decode())
    response = client.post(url("signon_add"), form_data(chapter="montreal"))
    assert response.status_code == 302
    assert SignOn.objects.get().chapter == world.montreal


def test_editing_saves_the_changes_and_writes_the_audit_log(world, as_user, statements):
    client = as_user(world.coordinator)
    response = client.post(url("signon_edit", "centre-wide"),
                           form_data(slug="centre-wide", status="closed"))
    assert response.status_code == 302
    sign_on = SignOn.objects.get(slug="centre-wide")
    assert sign_on.status == "closed" and sign_on.title["en"] == "Status for all"
    assert AuditEntry.objects.get(action="solidaire.signon.updated").actor == world.coordinator


def test_the_list_shows_statements_in_scope_with_their_counts(world, as_user, statements):
    html = as_user(world.montreal_organizer).get(url("signons")).content.decode()
    assert "Montreal statement" in html and "Centre statement" in html
    assert "BSL statement" not in html and "MSU statement" not in html


def test_the_detail_shows_pending_endorsements_with_their_contact_to_those_who_decide(
    world, as_user, statements,
):
    html = as_user(world.montreal_organizer).get(
        url("signon_detail", "montreal-own")).content.decode()
    assert "Endorser of montreal" in html
    assert "Rosa Lopez" in html and "montreal@example.org" in html
    assert 'href="tel:+16135550101"' in html
    assert url("endorsement_decide", "montreal-own",
               statements["montreal"].endorsements.get().pk) in html


def test_organizers_who_cannot_decide_see_neither_contacts_nor_pending(
    world, as_user, statements,
):
    client = as_user(world.montreal_organizer)
    html = client.get(url("signon_detail", "centre-wide")).content.decode()
    assert "Centre statement" in html
    assert "Endorser of centre" not in html and "centre@example.org" not in html
    pk = statements["centre"].endorsements.get().pk
    response = client.post(url("endorsement_decide", "centre-wide", pk),
                           {"decision": "approve"})
    assert response.status_code == 404
    assert Endorsement.objects.get(pk=pk).status == Endorsement.Status.PENDING


def test_approving_lists_the_endorsement_and_rejecting_takes_it_off(world, as_user, statements):
    client = as_user(world.montreal_organizer)
    endorsement = statements["montreal"].endorsements.get()
    response = client.post(url("endorsement_decide", "montreal-own", endorsement.pk),
                           {"decision": "approve"})
    assert response.status_code == 302
    assert response["Location"] == url("signon_detail", "montreal-own")
    endorsement.refresh_from_db()
    assert endorsement.status == Endorsement.Status.APPROVED
    assert endorsement.decided_by == world.montreal_organizer
    assert AuditEntry.objects.get(action="solidaire.endorsement.approved").actor == (
        world.montreal_organizer)
    assert OutboxEmail.objects.filter(kind="signon.approved",
                                      to="montreal@example.org").count() == 1
    public = client.get("/en/sign-ons/montreal-own/").content.decode()
    assert "<li>Endorser of montreal, Ottawa</li>" in public
    client.post(url("endorsement_decide", "montreal-own", endorsement.pk),
                {"decision": "reject"})
    endorsement.refresh_from_db()
    assert endorsement.status == Endorsement.Status.REJECTED
    public = client.get("/en/sign-ons/montreal-own/").content.decode()
    assert "<li>Endorser of montreal, Ottawa</li>" not in public
    assert AuditEntry.objects.filter(action="solidaire.endorsement.rejected").count() == 1


def test_deciding_needs_a_post_and_a_decision(world, as_user, statements):
    client = as_user(world.coordinator)
    endorsement = statements["centre"].endorsements.get()
    assert client.get(url("endorsement_decide", "centre-wide", endorsement.pk)).status_code \
        == 405
    client.post(url("endorsement_decide", "centre-wide", endorsement.pk), {"decision": "x"})
    assert Endorsement.objects.get(pk=endorsement.pk).status == Endorsement.Status.PENDING


def test_out_of_scope_statements_and_endorsements_are_404(world, as_user, statements):
    client = as_user(world.montreal_organizer)
    for slug in ("bsl-own", "msu-own"):
        assert client.get(url("signon_detail", slug)).status_code == 404
        assert client.get(url("signon_edit", slug)).status_code == 404
        pk = statements[slug.removesuffix("-own")].endorsements.get().pk
        assert client.post(url("endorsement_decide", slug, pk),
                           {"decision": "approve"}).status_code == 404
    assert client.get(url("signon_edit", "centre-wide")).status_code == 404
    # An endorsement of another statement, through a statement in scope.
    other = statements["bsl"].endorsements.get().pk
    assert client.post(url("endorsement_decide", "montreal-own", other),
                       {"decision": "approve"}).status_code == 404
    assert not Endorsement.objects.filter(status=Endorsement.Status.APPROVED).exists()


def test_volunteers_see_no_statements_and_cannot_decide(world, as_user, statements):
    client = as_user(world.volunteer)
    assert "Montreal statement" not in client.get(url("signons")).content.decode()
    assert client.get(url("signon_detail", "montreal-own")).status_code == 404
    pk = statements["montreal"].endorsements.get().pk
    assert client.post(url("endorsement_decide", "montreal-own", pk),
                       {"decision": "approve"}).status_code == 404
    assert Endorsement.objects.get(pk=pk).status == Endorsement.Status.PENDING


def test_the_list_uses_a_fixed_number_of_queries(world, as_user, statements,
                                                 django_assert_max_num_queries):
    client = as_user(world.coordinator)
    client.get(url("signons"))
    with django_assert_max_num_queries(12):
        response = client.get(url("signons"))
    assert response.status_code == 200


def test_the_detail_page_queries_do_not_grow_with_the_endorsements(
    world, as_user, statements,
):
    client = as_user(world.coordinator)
    client.get(url("signon_detail", "centre-wide"))

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("signon_detail", "centre-wide")).status_code == 200
        return len(queries)

    before = count_queries()
    for number in range(8):
        endorse(statements["centre"], org_name=f"More {number}",
                email=f"more{number}@example.org", phone=f"+1514555020{number}")
    assert count_queries() == before


def test_the_add_and_edit_forms_render(world, as_user, statements):
    client = as_user(world.coordinator)
    html = client.get(url("signon_add")).content.decode()
    assert 'name="body_fr"' in html and "Statement in English" in html
    html = client.get(url("signon_edit", "centre-wide")).content.decode()
    assert 'value="centre-wide"' in html and "Centre statement" in html
