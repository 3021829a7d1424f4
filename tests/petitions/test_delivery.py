"""The delivery packet's contents and recording a delivery."""

import datetime
import itertools

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from solidaire.campaigns.models import Level, PostalPrefixRiding, Riding
from solidaire.core.models import AuditEntry
from solidaire.petitions.delivery import (
    DELIVERED,
    PACKET_LINE_CHARS,
    delivery_record,
    packet_context,
    packet_pages,
    packet_rows,
    packet_summary,
    region_of,
)
from solidaire.petitions.models import Delivery, Signature

from tests.factories import PetitionFactory, TargetFactory, TargetOfficeFactory

_numbers = itertools.count(1)


def add(petition, name, *, postal_code="", city="", status=Signature.Status.COUNTED):
    n = next(_numbers)
    return Signature.objects.create(
        petition=petition, token=f"t{n}", contact_key=f"c{n}", name=name,
        postal_code=postal_code, city=city, language="fr", status=status,
        email=f"s{n}@example.org",
    )


@pytest.fixture
def petition(world):
    petition = PetitionFactory(organization=world.centre, slug="care-for-all")
    add(petition, "Ana Pérez", postal_code="H2X 1Y4", city="Montréal")
    add(petition, "Bea Roy", postal_code="H3T 1A1", city="Montréal")
    add(petition, "Carlos Díaz", postal_code="G5L 1A1", city="Rimouski")
    add(petition, "Dev Singh", postal_code="M5V 2T6", city="Toronto")
    add(petition, "Eve Sans-code", city="Laval")
    add(petition, "Not Counted", postal_code="H2X 1Y4", status=Signature.Status.DUPLICATE)
    add(petition, "Removed", postal_code="H2X 1Y4", status=Signature.Status.REMOVED)
    return petition


@pytest.mark.parametrize(("code", "region"), [
    ("H2X 1Y4", "Montréal region"), ("g5l1a1", "Eastern Québec"), ("J8Y 3R8", "Western Québec"),
    ("K1A 0A6", "Eastern Ontario"), ("M5V 2T6", "Toronto"), ("V6B 1A1", "British Columbia"),
    ("X0A 0H0", "Northwest Territories and Nunavut"), ("", "unknown"), ("D1A", "unknown"),
])
def test_the_region_is_the_postal_district_of_the_first_letter(code, region):
    with translation.override("en"):
        assert region_of(code) == region


def test_the_summary_counts_counted_signatures_by_region(petition):
    with translation.override("en"):
        summary = packet_summary(petition)
    assert summary.total == 5
    assert summary.by_region == [("Montréal region", 2), ("Eastern Québec", 1), ("Toronto", 1),
                                 ("unknown", 1)]
    assert summary.by_riding == []


def test_the_summary_counts_by_riding_with_one_query_for_the_prefix_table(petition):
    papineau = Riding.objects.create(name="Papineau", level=Level.FEDERAL)
    outremont = Riding.objects.create(name="Outremont", level=Level.FEDERAL)
    rimouski = Riding.objects.create(name="Rimouski", level=Level.FEDERAL)
    PostalPrefixRiding.objects.create(prefix="H2X", riding=papineau)
    PostalPrefixRiding.objects.create(prefix="H3T", riding=outremont)
    PostalPrefixRiding.objects.create(prefix="H3T1A1", riding=papineau)  # the longest wins
    PostalPrefixRiding.objects.create(prefix="G5L", riding=rimouski)
    PostalPrefixRiding.objects.create(prefix="G5L", riding=papineau)  # straddles
    with translation.override("en"), CaptureQueriesContext(connection) as queries:
        summary = packet_summary(petition, level=Level.FEDERAL)
    assert len(queries) == 2
    assert summary.by_riding == [("Papineau", 2), ("Papineau / Rimouski", 1), ("unknown", 2)]
    assert packet_summary(petition, level=Level.PROVINCIAL).by_riding == []


def test_the_packet_rows_hold_names_cities_and_regions_only(petition):
    with translation.override("en"):
        rows = list(packet_rows(petition))
    assert rows == [("Ana Pérez", "Montréal", "Montréal region"),
                    ("Bea Roy", "Montréal", "Montréal region"),
                    ("Carlos Díaz", "Rimouski", "Eastern Québec"),
                    ("Dev Singh", "Toronto", "Toronto"),
                    ("Eve Sans-code", "Laval", "unknown")]


def test_the_packet_sorts_names_ignoring_accents_and_case(petition):
    add(petition, "Éloïse Côté", city="Québec")
    add(petition, "zoé Tremblay", city="Laval")
    names = [name for name, _city, _region in packet_rows(petition)]
    assert names == ["Ana Pérez", "Bea Roy", "Carlos Díaz", "Dev Singh", "Éloïse Côté",
                     "Eve Sans-code", "zoé Tremblay"]


def test_a_petition_with_email_confirmation_hands_over_confirmed_signatures_only(petition):
    petition.double_opt_in = True
    petition.save()
    add(petition, "Pending Person", status=Signature.Status.PENDING)
    add(petition, "Unconfirmed Person", status=Signature.Status.UNCONFIRMED)
    assert packet_summary(petition).total == 5
    assert "Pending Person" not in [name for name, _c, _r in packet_rows(petition)]


def test_signer_pages_fill_columns_in_order_and_shorten_long_lines():
    rows = [(f"Person {i}", "Montréal", "") for i in range(1, 601)]
    rows[0] = ("A" * 80, "Montréal", "")
    pages = packet_pages(rows)
    assert [len(column) for column in pages[0]] == [78, 78, 78]
    assert [len(column) for column in pages[1]] == [82, 82, 82]
    assert pages[1][0][0] == "235. Person 235 — Montréal"
    assert pages[-1][-1][-1] == "600. Person 600 — Montréal"
    assert len(pages[0][0][0]) == PACKET_LINE_CHARS and pages[0][0][0].endswith("…")
    assert pages[0][0][1] == "2. Person 2 — Montréal"


def test_the_packet_letter_is_addressed_to_the_target_with_the_text_and_count(petition):
    target = TargetFactory(name="Marc Miller")
    TargetOfficeFactory(target=target, address="365 Laurier Ave W\nOttawa ON K1A 1L1")
    with translation.override("en"):
        html = render_to_string("petitions/pdf/packet.html", packet_context(
            petition=petition, target=target, today="November 21, 2026"))
    assert "Marc Miller" in html and "Minister of Immigration" in html
    assert "365 Laurier Ave W" in html
    assert "We call for health care." in html
    assert "signed by 5 people" in html
    assert "1. Ana Pérez — Montréal" in html and "Not Counted" not in html
    assert "@example.org" not in html and "H2X" not in html


def test_recording_a_delivery_stores_the_date_and_count_and_audits_it(petition, world):
    target = TargetFactory()
    delivery = delivery_record(actor=world.coordinator, petition=petition, target=target,
                               delivered_on=datetime.date(2026, 11, 20), signature_count=16000,
                               note=" Handed to the chief of staff. ")
    stored = Delivery.objects.get()
    assert stored == delivery
    assert (stored.delivered_on, stored.signature_count, stored.note, stored.recorded_by) == (
        datetime.date(2026, 11, 20), 16000, "Handed to the chief of staff.", world.coordinator)
    entry = AuditEntry.objects.get(action=DELIVERED)
    assert entry.actor == world.coordinator
    assert entry.data == {"delivery": delivery.pk, "target": target.pk,
                          "delivered_on": "2026-11-20", "count": 16000}
