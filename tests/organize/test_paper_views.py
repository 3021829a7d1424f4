"""Typing paper signatures, and the delivery page with its packet downloads."""

import csv
import io
import re

import pytest
from django.utils import translation

from solidaire.core.models import AuditEntry
from solidaire.people.models import Person
from solidaire.petitions.delivery import DELIVERED, PACKET_DOWNLOADED
from solidaire.petitions.models import Delivery, Signature

from tests.factories import PetitionFactory, TargetFactory
from tests.organize.conftest import url


@pytest.fixture
def petition(world):
    petition = PetitionFactory(organization=world.centre, chapter=world.montreal,
                               slug="care-for-all")
    petition.targets.add(TargetFactory(name="Marc Miller"))
    return petition


@pytest.fixture
def target(petition):
    return petition.targets.get()


def form_key(response) -> str:
    return re.search(r'name="key" value="([^"]+)"', response.content.decode()).group(1)


def entry(client, **fields):
    """Open the entry page (for its form key), then post one line."""
    page = client.get(url("petition_paper", "care-for-all"),
                      {"sheet": fields.get("sheet_number", "")})
    data = {"key": form_key(page), "sheet_number": "12", "language": "fr", "name": "",
            "postal_code": "", "city": "", "email": "", "phone": ""}
    data.update(fields)
    return client.post(url("petition_paper", "care-for-all"), data)


def test_a_paper_line_makes_a_counted_paper_signature_and_a_person(world, petition, as_user):
    client = as_user(world.volunteer)
    response = entry(client, name="Ana Pérez", postal_code="h2x1y4", city="Montréal",
                     email="Ana@Example.org", phone="514 555 0123", keep_informed="on")
    assert response.status_code == 302
    assert response["Location"] == url("petition_paper", "care-for-all") + \
        "?sheet=12&language=fr"
    signature = Signature.objects.get()
    assert (signature.source, signature.sheet_number, signature.status, signature.entered_by) \
        == (Signature.Source.PAPER, "12", Signature.Status.COUNTED, world.volunteer)
    assert (signature.postal_code, signature.language) == ("H2X 1Y4", "fr")
    person = Person.objects.get(emails__address="ana@example.org")
    assert signature.person == person
    assert (person.consent_email, person.consent_sms) == (True, True)

    page = client.get(response["Location"])
    html = page.content.decode()
    assert "Saved: 1 on sheet 12." in html
    assert 'name="sheet_number" value="12"' in html
    assert re.search(r'name="name"[^>]*autofocus', html)
    assert "Ana Pérez" in html and "Last entries on sheet 12" in html


def test_a_line_without_e_mail_or_phone_is_saved_too(world, petition, as_user):
    client = as_user(world.montreal_organizer)
    assert entry(client, name="Sans Contact", city="Laval").status_code == 302
    signature = Signature.objects.get()
    assert signature.status == Signature.Status.COUNTED and signature.person is not None


def test_the_same_e_mail_twice_is_already_signed_and_nothing_is_saved(world, petition,
                                                                       as_user):
    client = as_user(world.volunteer)
    entry(client, name="Ana Pérez", email="ana@example.org")
    with translation.override("en"):
        response = entry(client, name="Ana P.", email="ANA@example.org", city="Laval")
    assert response.status_code == 400
    html = response.content.decode()
    assert "already signed this petition" in html
    assert 'value="Ana P."' in html and 'value="Laval"' in html
    assert Signature.objects.count() == 1


def test_same_name_and_postal_code_warns_then_save_anyway_saves(world, petition, as_user):
    client = as_user(world.volunteer)
    entry(client, name="José Núñez", postal_code="H2X 1Y4", email="jose@example.org")
    line = {"name": "Jose Nunez", "postal_code": "H2X 1Y4", "city": "Montréal"}
    response = entry(client, **line)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Maybe the same person" in html and "same name and postal code" in html
    assert re.search(r'name="save_anyway"[^>]*autofocus', html)
    assert 'value="Jose Nunez"' in html
    assert Signature.objects.count() == 1

    data = {"key": form_key(response), "sheet_number": "12", "language": "fr",
            "email": "", "phone": "", "save_anyway": "on", **line}
    assert client.post(url("petition_paper", "care-for-all"), data).status_code == 302
    assert Signature.objects.filter(name="Jose Nunez").count() == 1


def test_bad_postal_code_e_mail_and_phone_keep_what_was_typed(world, petition, as_user):
    client = as_user(world.volunteer)
    with translation.override("en"):
        response = entry(client, name="Ana Pérez", postal_code="12345", email="ana@",
                         phone="12", city="Montréal")
    html = response.content.decode()
    assert response.status_code == 400
    assert "is not a Canadian postal code" in html
    assert "Enter a valid email address." in html
    assert "is not a phone number" in html or "is not a valid phone number" in html
    for typed in ('value="Ana Pérez"', 'value="12345"', 'value="ana@"', 'value="Montréal"'):
        assert typed in html
    assert Signature.objects.count() == 0


def test_the_same_form_posted_twice_saves_once_without_a_duplicate_warning(world, petition,
                                                                           as_user):
    client = as_user(world.volunteer)
    page = client.get(url("petition_paper", "care-for-all"))
    data = {"key": form_key(page), "sheet_number": "3", "language": "en", "name": "Ana",
            "postal_code": "", "city": "", "email": "", "phone": ""}
    assert client.post(url("petition_paper", "care-for-all"), data).status_code == 302
    again = client.post(url("petition_paper", "care-for-all"), data)
    assert again.status_code == 302 and "sheet=3" in again["Location"]
    assert Signature.objects.count() == 1


def test_paper_entry_of_an_out_of_scope_petition_is_404(world, petition, as_user):
    client = as_user(world.rimouski_organizer)
    assert client.get(url("petition_paper", "care-for-all")).status_code == 404


def make_signers(petition):
    for i, (name, postal, city) in enumerate([("Ana Pérez", "H2X 1Y4", "Montréal"),
                                              ("=HYPERLINK(1)", "G5L 1A1", "Rimouski"),
                                              ("Dev Singh", "", "Toronto")]):
        Signature.objects.create(petition=petition, token=f"t{i}", contact_key=f"c{i}",
                                 name=name, postal_code=postal, city=city, language="fr",
                                 email=f"s{i}@example.org", phone="+15145550123",
                                 status=Signature.Status.COUNTED)


def test_the_delivery_page_shows_the_counts_and_records_a_delivery(world, petition, target,
                                                                   as_user):
    make_signers(petition)
    client = as_user(world.montreal_organizer)
    page = client.get(url("petition_delivery", "care-for-all", target.pk))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Montréal region" in html and "Eastern Québec" in html
    assert 'name="signature_count" value="3"' in html
    response = client.post(url("petition_delivery", "care-for-all", target.pk), {
        "delivered_on": "2026-11-20", "signature_count": "16000", "note": "Chief of staff"})
    assert response.status_code == 302
    delivery = Delivery.objects.get()
    assert (str(delivery.delivered_on), delivery.signature_count, delivery.target) == (
        "2026-11-20", 16000, target)
    assert AuditEntry.objects.filter(action=DELIVERED).count() == 1


def test_the_packet_csv_holds_names_cities_and_regions_only(world, petition, target, as_user):
    make_signers(petition)
    client = as_user(world.coordinator)
    response = client.get(url("petition_packet_csv", "care-for-all", target.pk))
    body = b"".join(response.streaming_content)
    assert response["Content-Type"].startswith("text/csv")
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows == [["name", "city", "region"],
                    ["Ana Pérez", "Montréal", "Montréal region"],
                    ["Dev Singh", "Toronto", "unknown"],
                    ["'=HYPERLINK(1)", "Rimouski", "Eastern Québec"]]
    assert b"@example.org" not in body and b"5550123" not in body and b"H2X" not in body
    entry = AuditEntry.objects.get(action=PACKET_DOWNLOADED)
    assert entry.data["count"] == 3 and entry.data["format"] == "csv"
    assert "Ana" not in str(entry.data)


def test_the_packet_pdf_is_a_pdf_and_its_download_is_audited(world, petition, target,
                                                             as_user):
    make_signers(petition)
    response = as_user(world.coordinator).get(url("petition_packet_pdf", "care-for-all",
                                                  target.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AuditEntry.objects.get(action=PACKET_DOWNLOADED).data["format"] == "pdf"


def test_delivery_pages_are_404_out_of_scope_for_volunteers_and_for_other_targets(
        world, petition, target, as_user):
    stranger = TargetFactory(name="Not a target of this petition")
    coordinator = as_user(world.coordinator)
    for name in ("petition_delivery", "petition_packet_pdf", "petition_packet_csv"):
        assert coordinator.get(url(name, "care-for-all", stranger.pk)).status_code == 404
    for user in (world.rimouski_organizer, world.volunteer):
        client = as_user(user)
        for name in ("petition_delivery", "petition_packet_pdf", "petition_packet_csv"):
            assert client.get(url(name, "care-for-all", target.pk)).status_code == 404
    assert not AuditEntry.objects.filter(action=PACKET_DOWNLOADED).exists()
