"""Signing a petition from its public page, as a supporter on a phone would."""

import re
import time

import pytest
from django.core import mail
from django.utils import translation

from solidaire.campaigns.models import Publication
from solidaire.core.models import Activity, OutboxEmail
from solidaire.core.outbox import email_send
from solidaire.people.models import ConsentEvent, EmailAddress, Person
from solidaire.petitions.activities import PETITION_SIGNED
from solidaire.petitions.models import Signature
from solidaire.petitions.selectors import signature_count
from solidaire.petitions.services import signatures_process

from tests.factories import PetitionFactory, TargetFactory

KEY = re.compile(r'name="key" value="([^"]+)"')


@pytest.fixture
def petition(db):
    petition = PetitionFactory(slug="health-care", goal=12000,
                               title={"fr": "Des soins pour tous", "en": "Health care for all"})
    petition.targets.add(TargetFactory(name="Marco Mendicino"))
    return petition


def page_key(client, petition, lang="en"):
    response = client.get(f"/{lang}/petitions/{petition.slug}/")
    assert response.status_code == 200
    return KEY.search(response.content.decode()).group(1)


def sign(client, petition, lang="en", key=None, **fields):
    data = {"name": "Amina Diallo", "email": "amina@example.org", "phone": "",
            "postal_code": "H2X 1Y4", "city": "Montréal", "language": lang, "comment": "",
            "key": key or page_key(client, petition, lang)}
    data.update(fields)
    return client.post(f"/{lang}/petitions/{petition.slug}/", data)


def test_the_page_shows_the_text_in_the_readers_language_with_target_and_count(client, petition):
    html = client.get("/fr/petitions/health-care/").content.decode()
    assert "Des soins pour tous" in html and "Marco Mendicino" in html
    assert 'value="0"' in html  # the progress bar
    english = client.get("/en/petitions/health-care/").content.decode()
    assert "Health care for all" in english and "Sign the petition" in english


def test_every_visit_gets_its_own_form_key_even_from_the_cached_page(client, petition):
    assert page_key(client, petition) != page_key(client, petition)


def test_consent_boxes_are_unticked_by_default(client, petition):
    html = client.get("/en/petitions/health-care/").content.decode()
    for name in ("consent_email", "consent_sms"):
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
        assert "checked" not in tag


def test_a_signature_is_stored_at_once_and_counted_before_it_is_processed(client, petition):
    response = sign(client, petition)
    assert response.status_code == 303
    assert response["Location"].startswith("/en/petitions/health-care/thanks/?signed=")
    signature = Signature.objects.get()
    assert signature.status == Signature.Status.PENDING
    assert signature_count(petition) == 1


def test_the_same_email_in_another_case_is_one_signature_and_the_count_rises_by_one(
        client, petition):
    sign(client, petition, email="Amina@Example.org")
    response = sign(client, petition, email="AMINA@example.ORG", name="A. Diallo")
    assert response["Location"].endswith("?already=1")
    assert Signature.objects.count() == 1
    assert signature_count(petition) == 1
    with translation.override("en"):
        thanks = client.get(response["Location"]).content.decode()
    assert "You had already signed" in thanks


def test_the_same_post_replayed_counts_once(client, petition):
    key = page_key(client, petition)
    first = sign(client, petition, key=key)
    again = sign(client, petition, key=key)
    assert first.status_code == again.status_code == 303
    assert "already" not in again["Location"]
    assert Signature.objects.count() == 1


def test_signed_in_french_the_confirmation_email_is_in_french(client, petition):
    sign(client, petition, lang="fr", email="luc@example.org", name="Luc Tremblay")
    assert signatures_process() == 1
    email = OutboxEmail.objects.get(to="luc@example.org")
    assert email.language == "fr"
    assert "Merci" in email.subject and "Des soins pour tous" in email.subject
    email_send(email_id=email.pk)
    assert mail.outbox[0].to == ["luc@example.org"]


def test_processing_makes_a_person_writes_the_ledger_and_keeps_no_copy_of_the_contact(
        client, petition):
    sign(client, petition, phone="514 555-0142", consent_email="on")
    signatures_process()
    signature = Signature.objects.get()
    assert signature.status == Signature.Status.COUNTED
    assert signature.email == signature.phone == ""
    person = signature.person
    assert EmailAddress.objects.get(person=person).address == "amina@example.org"
    assert person.postal_code == "H2X 1Y4" and person.consent_email and not person.consent_sms
    assert ConsentEvent.objects.filter(person=person, channel="email", granted=True).exists()
    assert Activity.objects.filter(person=person, kind=PETITION_SIGNED,
                                   object_id=petition.pk).count() == 1


def test_an_existing_member_signing_is_matched_not_duplicated(client, petition, world):
    petition.organization = world.centre  # the member is on the centre's list
    petition.save(update_fields=["organization"])
    member = world.in_montreal
    EmailAddress.objects.create(person=member, address="member@example.org", is_primary=True)
    people = Person.objects.count()
    sign(client, petition, email="Member@example.org")
    signatures_process()
    assert Person.objects.count() == people
    assert Signature.objects.get().person == member


def test_the_same_person_under_a_second_contact_is_not_counted_twice(client, petition):
    sign(client, petition, email="amina@example.org", phone="514 555-0142")
    signatures_process()
    sign(client, petition, email="", phone="514 555-0142")
    signatures_process()
    statuses = sorted(Signature.objects.values_list("status", flat=True))
    assert statuses == [Signature.Status.COUNTED, Signature.Status.DUPLICATE]
    assert signature_count(petition) == 1


def test_bad_input_keeps_what_was_typed_and_stores_nothing(client, petition):
    with translation.override("en"):
        response = sign(client, petition, email="not-an-address", comment="Je signe")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="not-an-address"' in html and "Je signe" in html and "Amina Diallo" in html
    assert "Enter a valid email address" in html
    assert not Signature.objects.exists()


def test_without_email_or_phone_the_form_says_why(client, petition):
    with translation.override("fr"):
        response = sign(client, petition, lang="fr", email="")
    assert response.status_code == 400
    assert "adresse courriel ou un numéro de téléphone" in response.content.decode()


def test_a_forged_form_key_is_refused_and_the_form_comes_back_filled_with_a_new_key(
        client, petition):
    response = sign(client, petition, key="made-up")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Amina Diallo" in html and KEY.search(html).group(1) != "made-up"
    assert not Signature.objects.exists()


def test_a_robot_filling_the_hidden_field_sees_thanks_but_nothing_is_stored(client, petition):
    response = sign(client, petition, website="http://spam.example")
    assert response.status_code == 302
    assert not Signature.objects.exists()


def test_too_many_posts_from_one_address_are_refused_with_the_input_kept(
        client, petition, settings):
    settings.PUBLIC_FORM_RATE = "2/m"
    for n in range(2):
        assert sign(client, petition, email=f"p{n}@example.org").status_code == 303
    response = sign(client, petition, email="third@example.org")
    assert response.status_code == 429
    assert 'value="third@example.org"' in response.content.decode()
    assert Signature.objects.count() == 2


def test_double_opt_in_counts_only_after_the_link_is_followed_with_a_click(client, petition):
    petition.double_opt_in = True
    petition.save()
    response = sign(client, petition, lang="en")
    assert response["Location"].endswith("?confirm=1")
    signatures_process()
    signature = Signature.objects.get()
    assert signature.status == Signature.Status.UNCONFIRMED
    assert signature_count(petition) == 0
    body = OutboxEmail.objects.get().body_text
    link = re.search(r"http://\S+/confirm/\S+/", body).group(0)
    path = link.split("8000", 1)[1]
    assert client.get(path).status_code == 200  # a mail scanner's visit confirms nothing
    assert signature_count(petition) == 0
    assert client.post(path).status_code == 200
    assert signature_count(petition) == 1
    assert Activity.objects.filter(kind=PETITION_SIGNED).count() == 1
    client.post(path)
    assert Activity.objects.filter(kind=PETITION_SIGNED).count() == 1


def test_double_opt_in_needs_an_email(client, petition):
    petition.double_opt_in = True
    petition.save()
    assert sign(client, petition, email="", phone="514 555-0142").status_code == 400


def test_the_public_list_shows_first_names_and_cities_only(client, petition):
    petition.show_signers = True
    petition.save()
    sign(client, petition, name="Amina Diallo", city="Montréal")
    html = client.get("/en/petitions/health-care/signers/").content.decode()
    assert "Amina" in html and "Montréal" in html
    assert "Diallo" not in html and "amina@example.org" not in html


def test_without_a_public_list_the_signers_page_does_not_exist(client, petition):
    assert client.get("/en/petitions/health-care/signers/").status_code == 404


def test_drafts_are_not_public_and_closed_petitions_take_no_signature(client, petition):
    petition.status = Publication.DRAFT
    petition.save()
    assert client.get("/en/petitions/health-care/").status_code == 404
    petition.status = Publication.CLOSED
    petition.save()
    forget_cached_pages()
    html = client.get("/en/petitions/health-care/").content.decode()
    assert 'name="key"' not in html
    sign(client, petition, key="x")
    assert not Signature.objects.exists()


def forget_cached_pages():
    from django.core.cache import cache

    from solidaire.public.petition_views import local_cache_clear
    cache.clear()
    local_cache_clear()


def test_a_published_change_shows_within_seconds_not_at_once(client, petition):
    client.get("/en/petitions/health-care/")
    petition.title = {"en": "Renamed"}
    petition.save()
    assert "Renamed" not in client.get("/en/petitions/health-care/").content.decode()
    forget_cached_pages()  # what the cache's few seconds of life would do
    assert "Renamed" in client.get("/en/petitions/health-care/").content.decode()


def test_the_thanks_page_offers_plain_share_links_and_the_campaigns_call_action(
        client, petition):
    from tests.factories import ActionFactory, CampaignFactory
    campaign = CampaignFactory(organization=petition.organization)
    petition.campaign = campaign
    petition.save()
    ActionFactory(campaign=campaign, organization=petition.organization, slug="call-minister",
                  title={"en": "Call the Minister"})
    html = client.get("/en/petitions/health-care/thanks/").content.decode()
    assert "/en/act/call-minister/" in html and "Call the Minister" in html
    assert "mailto:?" in html and "<script" not in html


def counted_on(html: str) -> int:
    return int(re.search(r'class="count"><strong>([\d,\s\u00a0\u202f]+)</strong>', html)
               .group(1).replace(",", "").replace("\u00a0", "").replace("\u202f", "").strip())


def test_the_thanks_page_counts_the_signers_own_waiting_signature_once_then_after_recording(
        client, petition):
    assert counted_on(client.get("/en/petitions/health-care/").content.decode()) == 0
    response = sign(client, petition)  # the page's count of 0 is still in the cache
    assert Signature.objects.get().status == Signature.Status.PENDING  # the worker has not run
    thanks = client.get(response["Location"]).content.decode()
    assert counted_on(thanks) == 1
    signatures_process()
    assert Signature.objects.get().status == Signature.Status.COUNTED
    assert counted_on(client.get(response["Location"]).content.decode()) == 1
    assert counted_on(client.get("/en/petitions/health-care/thanks/").content.decode()) == 1



def test_the_thanks_page_counts_again_only_for_a_signer_its_cached_count_may_miss(
        client, petition):
    from django.core.cache import cache

    from solidaire.public.petition_views import local_cache_clear
    thanks = sign(client, petition)["Location"]  # one signature in the database
    key = f"petition-count:v2:{petition.pk}"

    def shown(address, cached):  # the count as cached (the moment its query began, n)
        local_cache_clear()
        cache.set(key, cached, None)
        return counted_on(client.get(address).content.decode())

    # A count begun after the signature is reused as it is: no second count.
    assert shown(thanks, (time.time() + 60, 7)) == 7
    # A count begun before it is counted again, and shared with the signers after.
    assert shown(thanks, (0.0, 0)) == 1
    assert cache.get(key)[1] == 1
    # Without a mark, or with one anyone could write, the cached count stays (a flood of
    # visits must not each count the signatures).
    assert shown("/en/petitions/health-care/thanks/", (0.0, 0)) == 0
    assert shown("/en/petitions/health-care/thanks/?signed=99999999999999:forged",
                 (0.0, 0)) == 0


def test_a_consent_box_is_labelled_by_its_sentence_without_a_colon(client, petition):
    for language in ("en", "fr"):
        html = client.get(f"/{language}/petitions/health-care/").content.decode()
        label = re.search(r'<label for="id_consent_email">([^<]*)</label>', html).group(1)
        assert label.strip() and not label.rstrip().endswith(":")
