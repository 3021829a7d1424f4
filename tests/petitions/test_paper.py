"""The printable signature sheet, and finding likely duplicates of a typed paper entry."""

import re
import subprocess

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from solidaire.campaigns.models import Publication
from solidaire.core.pdf import RefusedURL, _fetcher, html_to_pdf
from solidaire.petitions.models import Signature
from solidaire.petitions.paper import (
    ALREADY_SIGNED,
    MAYBE_SAME,
    paper_duplicates_find,
    petitions_for_paper_entry,
    sheet_context,
    sheet_rows,
)
from solidaire.petitions.services import signature_process, signature_submit

from tests.factories import PetitionFactory, TargetFactory
from tests.tools import require_program

URL = "https://solidaire.example.org/en/petitions/care-for-all/"


def sign(petition, name, *, key, email="", phone="", postal_code="", city="", source=None):
    result = signature_submit(
        petition=petition, key=key, name=name, email=email, phone=phone,
        postal_code=postal_code, city=city, language="fr",
        source=source or Signature.Source.ONLINE,
    )
    return signature_process(signature=result.signature)


@pytest.fixture
def petition(world):
    petition = PetitionFactory(organization=world.centre, chapter=world.montreal,
                               slug="care-for-all")
    petition.targets.add(TargetFactory(name="Marc Miller"))
    return petition


def test_the_sheet_prints_the_petition_its_targets_numbered_rows_and_the_address(petition):
    with translation.override("en"):
        html = render_to_string("petitions/pdf/sheet.html",
                                sheet_context(petition=petition, url=URL, rows=12))
    assert petition.title["en"] in html
    assert "Health care for all." in html
    assert "Marc Miller, Minister of Immigration" in html
    assert "solidaire.example.org/en/petitions/care-for-all" in html
    assert 'src="data:image/svg+xml' in html
    assert html.count('<td class="n">') == 12 and '<td class="n">12</td>' in html
    assert "Keep me informed" in html and "Sheet no." in html
    assert '@bottom-left { content: "Sheet no. ________"' in html
    assert "Your information is used only for this campaign" in html


def pdf_pages(pdf: bytes) -> list[str]:
    done = subprocess.run([require_program("pdftotext", "poppler-utils"), "-layout", "-", "-"],
                          input=pdf, capture_output=True, check=True)
    return [page for page in done.stdout.decode().split("\f") if page.strip()]


LONG_TEXT = {
    "fr": "\n\n".join(
        [f"Considérant le point {n} : les soins doivent être offerts à toutes et à tous, "
         "quel que soit le statut migratoire, sans délai de carence." for n in range(1, 6)]
        + ["Nous demandons au gouvernement d'abolir le délai de carence dès cette année."]),
    "en": "\n\n".join(
        [f"Whereas point {n}: care must be offered to everyone, whatever their "
         "immigration status, without a waiting period." for n in range(1, 6)]
        + ["We call on the government to end the waiting period this year."]),
}


@pytest.mark.parametrize(("language", "last_paragraph"), [
    ("fr", "Nous demandons au gouvernement d'abolir le délai de carence dès cette année."),
    ("en", "We call on the government to end the waiting period this year."),
])
def test_the_full_text_is_printed_behind_the_signature_rows(petition, language,
                                                            last_paragraph):
    petition.body = LONG_TEXT
    petition.save()
    with translation.override(language):
        pages = pdf_pages(html_to_pdf(render_to_string(
            "petitions/pdf/sheet.html", sheet_context(petition=petition, url=URL))))
    assert len(pages) == 2
    rows, text = pages
    # The front: the summary and the 20 signature rows, nothing of the full text.
    assert petition.summary[language] in rows
    assert re.search(r"^\s*20\s", rows, re.M)
    assert "Signature" in rows
    assert "waiting period" not in rows and "délai de carence" not in rows
    # The back: the title, then the whole text in the sheet's language, to its end.
    assert petition.title[language] in text
    assert last_paragraph in " ".join(text.split())
    other = "fr" if language == "en" else "en"
    assert LONG_TEXT[other].split("\n\n")[-1] not in " ".join(text.split())


def test_a_short_text_without_a_summary_stays_on_the_one_page(petition):
    petition.summary = {}
    petition.body = {"en": "We call for health care for everyone, now."}
    petition.save()
    with translation.override("en"):
        pages = pdf_pages(html_to_pdf(render_to_string(
            "petitions/pdf/sheet.html", sheet_context(petition=petition, url=URL))))
    assert len(pages) == 1
    assert "We call for health care for everyone, now." in pages[0]
    assert "Full text of the petition" not in pages[0]


def test_no_page_of_text_when_the_summary_is_the_whole_text(petition):
    petition.body = dict(petition.summary)
    petition.save()
    with translation.override("en"):
        context = sheet_context(petition=petition, url=URL)
    assert context["paragraphs"] == []


def test_the_public_sheet_has_the_full_text_on_its_second_page(petition, client):
    petition.body = LONG_TEXT
    petition.save()
    pages = pdf_pages(client.get("/fr/petitions/care-for-all/sheet.pdf").content)
    assert len(pages) == 2
    assert "Texte complet de la pétition" in pages[0] and "Signature" in pages[0]
    assert "dès cette année." in pages[1]


def test_the_sheet_is_in_the_readers_language(petition):
    with translation.override("fr"):
        html = render_to_string("petitions/pdf/sheet.html",
                                sheet_context(petition=petition, url=URL))
    assert petition.title["fr"] in html and "Des soins pour tous." in html
    assert "Ministre de l'Immigration" in html or "Ministre de l&#x27;Immigration" in html
    assert html.count('<td class="n">') == 20


@pytest.mark.parametrize(("asked", "rows"), [(None, 20), ("abc", 20), ("5", 10), ("25", 25),
                                              ("500", 30)])
def test_the_number_of_rows_stays_between_10_and_30(asked, rows):
    assert sheet_rows(asked) == rows


def test_the_public_sheet_is_a_cacheable_pdf(petition, client):
    response = client.get("/en/petitions/care-for-all/sheet.pdf?rows=10")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and len(response.content) > 5000
    assert "public" in response["Cache-Control"] and "max-age" in response["Cache-Control"]
    # Asked again: the cached PDF, byte for byte.
    assert client.get("/en/petitions/care-for-all/sheet.pdf?rows=10").content == \
        response.content


@pytest.mark.parametrize("status", [Publication.DRAFT, Publication.CLOSED])
def test_no_sheet_for_a_petition_that_is_not_open(petition, client, status):
    petition.status = status
    petition.save()
    assert client.get("/en/petitions/care-for-all/sheet.pdf").status_code == 404


def test_pdfs_never_fetch_network_addresses():
    fetcher = _fetcher()
    for address in ("https://example.org/x.png", "http://127.0.0.1/", "file:///etc/passwd"):
        with pytest.raises(RefusedURL):
            fetcher.fetch(address)
    # An image pointing outside is left out; the PDF still prints.
    assert html_to_pdf('<p>hi</p><img src="http://127.0.0.1:9/x.png">').startswith(b"%PDF")


def test_same_email_on_the_petition_is_already_signed_even_after_processing(petition):
    sign(petition, "Ana Pérez", key="k1", email="ana@example.org", postal_code="H2X 1Y4")
    # Processing moved the e-mail to the person record; the signature holds none.
    assert Signature.objects.get().email == ""
    matches = paper_duplicates_find(petition=petition, name="Someone Else",
                                    email="ana@example.org")
    assert [(m.kind, m.reason, m.name) for m in matches] == [
        (ALREADY_SIGNED, "contact", "Ana Pérez")]


def test_same_phone_through_the_person_is_already_signed(petition):
    # Signed with an e-mail (the contact key is the e-mail's) and a phone.
    sign(petition, "Ana Pérez", key="k1", email="ana@example.org", phone="+15145550123")
    matches = paper_duplicates_find(petition=petition, name="A. P.", phone="+15145550123")
    assert [m.kind for m in matches] == [ALREADY_SIGNED]


def test_same_name_folded_and_postal_code_is_maybe_the_same_person(petition):
    sign(petition, "José Núñez", key="k1", email="jose@example.org", postal_code="H2X 1Y4",
         city="Montréal")
    sign(petition, "Jose Nunez", key="k2", email="other@example.org", postal_code="G5L 1A1")
    matches = paper_duplicates_find(petition=petition, name="JOSÉ  nuñez",
                                    postal_code="H2X 1Y4")
    assert [(m.kind, m.reason, m.city) for m in matches] == [
        (MAYBE_SAME, "name_postal", "Montréal"), (MAYBE_SAME, "name", "")]
    assert matches[0].reason_label == "same name and postal code"


def test_other_names_other_petitions_and_removed_signatures_are_not_duplicates(petition, world):
    other = PetitionFactory(organization=world.centre)
    sign(other, "Lina Haddad", key="k1", email="lina@example.org")
    removed = sign(petition, "Lina Haddad", key="k2", email="l2@example.org")
    Signature.objects.filter(pk=removed.pk).update(status=Signature.Status.REMOVED)
    sign(petition, "Lina Haddadi", key="k3", email="l3@example.org")
    assert paper_duplicates_find(petition=petition, name="Lina Haddad",
                                 email="lina@example.org") == []


def test_volunteers_type_sheets_of_their_organization_and_chapters(world):
    centre_wide = PetitionFactory(organization=world.centre)
    montreal = PetitionFactory(organization=world.centre, chapter=world.cdn)
    rimouski = PetitionFactory(organization=world.centre, chapter=world.bsl)
    elsewhere = PetitionFactory(organization=world.other)
    visible = set(petitions_for_paper_entry(world.volunteer))
    assert visible == {centre_wide, montreal}
    assert rimouski not in visible and elsewhere not in visible
    assert set(petitions_for_paper_entry(world.montreal_organizer)) == {centre_wide, montreal}
