"""Call and e-mail actions from their public page, as a supporter on a phone would."""

import re
from urllib.parse import unquote

import pytest

from solidaire.advocacy.activities import TARGET_CALLED, TARGET_EMAILED
from solidaire.advocacy.models import CallReport, EmailSent
from solidaire.campaigns.models import PostalPrefixRiding, Publication, Riding
from solidaire.core.models import Activity, OutboxEmail

from tests.factories import (
    ActionFactory,
    CampaignFactory,
    PetitionFactory,
    TargetFactory,
    TargetOfficeFactory,
)

KEY = re.compile(r'name="key" value="([^"]+)"')
SHOWN = re.compile(r'name="shown" value="([^"]*)"')


@pytest.fixture
def call_action(world):
    action = ActionFactory(organization=world.centre, slug="call-minister",
                           title={"fr": "Appelez le ministre", "en": "Call the minister"},
                           script={"fr": "Bonjour, je suis…", "en": "Hello, my name is…"})
    minister = TargetFactory(name="Marc Miller", role={"en": "Minister of Immigration"})
    TargetOfficeFactory(target=minister, phone="+16135550101", hours="9 to 5")
    action.targets.set([minister])
    action.minister = minister
    return action


@pytest.fixture
def email_action(world):
    action = ActionFactory(
        organization=world.centre, slug="write-mps", kind="email",
        title={"en": "Write to your MP"},
        letter_subject={"fr": "Un statut pour tous", "en": "Status for all"},
        letter_body={"fr": "Madame, Monsieur,", "en": "Dear Minister,\nStatus for all now."},
    )
    action.targets.set([TargetFactory(name="Arif Virani", email="arif@example.org"),
                        TargetFactory(name="Marc Miller", email="marc@example.org"),
                        TargetFactory(name="No Mail Office", email="")])
    return action


def page(client, action, lang="en"):
    response = client.get(f"/{lang}/act/{action.slug}/")
    assert response.status_code == 200
    return response.content.decode()


def report(client, action, lang="en", key=None, **fields):
    html = page(client, action, lang)
    data = {"key": key or KEY.search(html).group(1), "shown": SHOWN.search(html).group(1),
            "outcome": "message", "note": "", "chosen_name": "", "email": "", "phone": ""}
    data.update(fields)
    return client.post(f"/{lang}/act/{action.slug}/report/", data)


def write(client, action, lang="en", **fields):
    html = page(client, action, lang)
    data = {"key": KEY.search(html).group(1), "shown": SHOWN.search(html).group(1),
            "subject": "Status for all", "body": "My own words.", "chosen_name": "Amina",
            "email": "amina@example.org", "postal_code": "", "method": "outbox"}
    data.update(fields)
    return client.post(f"/{lang}/act/{action.slug}/report/", data)


def test_the_call_page_shows_the_target_phone_hours_script_and_counts(client, call_action):
    CallReport.objects.create(action=call_action, target=call_action.minister,
                              outcome="message", token="old")
    html = page(client, call_action)
    assert "Marc Miller" in html and "Minister of Immigration" in html
    assert 'href="tel:+16135550101"' in html and "(613) 555-0101" in html
    assert "9 to 5" in html and "Hello, my name is…" in html
    assert "<strong>1</strong> call, <strong>1</strong> message left" in html
    french = page(client, call_action, "fr")
    assert "Appelez le ministre" in french and "Bonjour, je suis…" in french


def test_consent_is_unticked_and_the_form_has_a_honeypot(client, call_action):
    html = page(client, call_action)
    tag = re.search(r'<input[^>]*name="consent"[^>]*>', html).group(0)
    assert "checked" not in tag
    assert 'name="website"' in html


def test_a_drafts_page_is_not_found(client, call_action):
    call_action.status = Publication.DRAFT
    call_action.save()
    assert client.get("/en/act/call-minister/").status_code == 404
    assert client.post("/en/act/call-minister/report/", {}).status_code == 404


def test_a_closed_action_shows_counts_and_no_form(client, call_action):
    call_action.status = Publication.CLOSED
    call_action.save()
    html = page(client, call_action)
    assert "This action is closed." in html and 'name="outcome"' not in html
    assert "0</strong> calls" in html


def test_a_call_report_replayed_counts_once_and_thanks_the_caller(client, call_action):
    html = page(client, call_action)
    key = KEY.search(html).group(1)
    first = report(client, call_action, key=key, email="ana@example.org", chosen_name="Ana")
    second = report(client, call_action, key=key, email="ana@example.org", chosen_name="Ana")
    assert first.status_code == second.status_code == 303
    assert first["Location"] == "/en/act/call-minister/thanks/"
    assert CallReport.objects.count() == 1
    activity = Activity.objects.get(kind=TARGET_CALLED)
    assert activity.person.emails.get().address == "ana@example.org"
    thanks = client.get(first["Location"]).content.decode()
    assert "Thank you for calling!" in thanks and "mailto:?" in thanks
    assert "<script" not in thanks


def test_the_thanks_page_points_to_the_campaigns_open_petition(client, call_action, world):
    campaign = CampaignFactory(organization=world.centre)
    call_action.campaign = campaign
    call_action.save()
    PetitionFactory(organization=world.centre, campaign=campaign, slug="status-now",
                    title={"en": "Status now"})
    html = client.get("/en/act/call-minister/thanks/").content.decode()
    assert 'href="/en/petitions/status-now/"' in html


def test_a_report_with_a_bad_email_keeps_everything_typed(client, call_action):
    response = report(client, call_action, note="They hung up", email="not-an-email",
                      chosen_name="Rosa")
    assert response.status_code == 400
    html = response.content.decode()
    assert "They hung up" in html and 'value="Rosa"' in html and 'value="not-an-email"' in html
    assert 'href="#id_email"' in html and 'aria-invalid="true"' in html
    assert 'aria-describedby="id_email_helptext id_email_error"' in html
    assert not CallReport.objects.exists()


def test_a_robot_filling_the_honeypot_is_thanked_and_not_counted(client, call_action):
    response = report(client, call_action, website="http://spam.example")
    assert response.status_code == 303
    assert not CallReport.objects.exists()


def test_too_many_reports_from_one_address_are_refused_keeping_the_input(
        client, call_action, settings):
    settings.PUBLIC_FORM_RATE = "2/m"
    assert report(client, call_action).status_code == 303
    assert report(client, call_action).status_code == 303
    response = report(client, call_action, note="Third call")
    assert response.status_code == 429
    assert "Third call" in response.content.decode()
    assert CallReport.objects.count() == 2


def test_a_forged_form_key_is_refused_with_a_fresh_one(client, call_action):
    response = report(client, call_action, key="forged", note="Kept")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Kept" in html and 'name="key" value="forged"' not in html
    assert not CallReport.objects.exists()


@pytest.fixture
def riding_action(world):
    riding = Riding.objects.create(name="Papineau", level="federal")
    PostalPrefixRiding.objects.create(prefix="H2R", riding=riding)
    mp = TargetFactory(name="Justin Papineau", kind="mp", riding=riding)
    TargetOfficeFactory(target=mp, phone="+15145550199")
    action = ActionFactory(organization=world.centre, slug="call-your-mp", targeting="riding")
    action.targets.set([TargetFactory(name="Fallback Minister")])
    return action


def test_riding_targeting_asks_the_postal_code_by_post_and_shows_the_mp(client, riding_action):
    html = page(client, riding_action)
    assert 'name="postal_code"' in html and "Justin Papineau" not in html
    assert 'method="post" action="/en/act/call-your-mp/"' in html
    response = client.post("/en/act/call-your-mp/", {"postal_code": "h2r 1a1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Justin Papineau" in html and 'href="tel:+15145550199"' in html
    assert "Fallback Minister" not in html
    mp_id = SHOWN.search(html).group(1)
    posted = client.post("/en/act/call-your-mp/report/", {
        "key": KEY.search(html).group(1), "shown": mp_id, "target": mp_id,
        "outcome": "reached"})
    assert posted.status_code == 303
    assert CallReport.objects.get().target.name == "Justin Papineau"


def test_an_unknown_postal_code_says_so_and_falls_back_to_the_list(client, riding_action):
    html = client.post("/en/act/call-your-mp/", {"postal_code": "K1A 0A6"}).content.decode()
    assert "could not find your representative" in html
    assert "Fallback Minister" in html and 'name="outcome"' in html


def test_a_malformed_postal_code_is_explained(client, riding_action):
    response = client.post("/en/act/call-your-mp/", {"postal_code": "12345"})
    assert response.status_code == 400
    assert "is not a Canadian postal code" in response.content.decode()


def test_the_letter_is_prefilled_in_the_readers_language(client, email_action):
    html = page(client, email_action)
    assert 'value="Status for all"' in html and "Dear Minister,\nStatus for all now." in html
    assert "No e-mail address is known for this office" in html
    assert 'value="Un statut pour tous"' in page(client, email_action, "fr")


def test_sending_the_letter_queues_one_email_per_target_in_the_supporters_words(
        client, email_action):
    response = write(client, email_action, body="My own words & more.")
    assert response.status_code == 303
    assert response["Location"] == "/en/act/write-mps/thanks/?sent=2"
    emails = OutboxEmail.objects.order_by("to")
    assert [e.to for e in emails] == ["arif@example.org", "marc@example.org"]
    assert {e.reply_to for e in emails} == {"amina@example.org"}
    assert all(e.body_text.startswith("My own words & more.") for e in emails)
    assert EmailSent.objects.filter(method="outbox").count() == 2
    assert Activity.objects.filter(kind=TARGET_EMAILED).count() == 2
    thanks = client.get(response["Location"]).content.decode()
    assert "on its way to 2 offices" in thanks


def test_opening_the_letter_in_the_mail_app_gives_a_mailto_link(client, email_action):
    response = write(client, email_action, method="mail_app", body="Line one\nLine two")
    assert response.status_code == 200
    html = response.content.decode()
    link = re.search(r'href="(mailto:[^"]+)"', html).group(1)
    assert link.startswith("mailto:arif@example.org,marc@example.org?subject=Status%20for%20all")
    assert "body=Line%20one%0D%0ALine%20two" in link
    assert unquote(link).count("Line two") == 1
    assert EmailSent.objects.filter(method="mail_app").count() == 2
    assert not OutboxEmail.objects.exists()


def test_a_letter_with_a_bad_email_keeps_everything_typed(client, email_action):
    response = write(client, email_action, email="amina@", body="Keep these words")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Keep these words" in html and 'value="amina@"' in html and 'value="Amina"' in html
    assert not EmailSent.objects.exists()


def test_a_replayed_letter_is_sent_once(client, email_action):
    html = page(client, email_action)
    data = {"key": KEY.search(html).group(1), "shown": SHOWN.search(html).group(1),
            "subject": "S", "body": "B", "chosen_name": "A", "email": "a@example.org",
            "method": "outbox"}
    client.post("/en/act/write-mps/report/", data)
    client.post("/en/act/write-mps/report/", data)
    assert OutboxEmail.objects.count() == 2 and EmailSent.objects.count() == 2


def test_a_letter_to_offices_without_email_is_refused_kindly(client, email_action):
    email_action.targets.set([TargetFactory(name="Paper Only", email="")])
    response = write(client, email_action)
    assert response.status_code == 400
    assert "No e-mail address is known for these offices" in response.content.decode()
    assert not EmailSent.objects.exists()


def test_too_many_postal_code_look_ups_are_refused_keeping_the_code(
        client, riding_action, settings):
    settings.PUBLIC_FORM_RATE = "1/m"
    client.post("/en/act/call-your-mp/", {"postal_code": "H2R 1A1"})
    response = client.post("/en/act/call-your-mp/", {"postal_code": "H2R 1A2"})
    assert response.status_code == 429
    assert 'value="H2R 1A2"' in response.content.decode()


def test_a_report_sent_after_the_action_closed_is_not_counted(client, call_action):
    html = page(client, call_action)
    call_action.status = Publication.CLOSED
    call_action.save()
    response = client.post("/en/act/call-minister/report/", {
        "key": KEY.search(html).group(1), "shown": SHOWN.search(html).group(1),
        "outcome": "reached"})
    assert response.status_code == 200
    assert "This action is closed." in response.content.decode()
    assert not CallReport.objects.exists()


def test_the_letter_footer_is_in_the_supporters_language(client, email_action):
    write(client, email_action, lang="fr", chosen_name="Amina")
    email = OutboxEmail.objects.first()
    assert email.language == "fr" and "Amina" in email.body_text.strip().splitlines()[-1]


def test_a_role_that_names_the_riding_does_not_repeat_it(client, riding_action):
    mp = riding_action.targets.model.objects.get(name="Justin Papineau")
    mp.role = {"en": "Member of Parliament for Papineau", "fr": "Député de Papineau"}
    mp.save()
    html = client.post("/en/act/call-your-mp/", {"postal_code": "h2r 1a1"}).content.decode()
    assert "Member of Parliament for Papineau</p>" in html
    assert "Papineau · Papineau" not in html
