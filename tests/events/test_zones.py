"""How an event's time zone reads, in French and in English."""

import datetime
import zoneinfo

import pytest
from django.utils import translation

from solidaire.events.zones import canonical_zone, zone_label

WINTER = datetime.datetime(2026, 12, 5, 18, 0)
SUMMER = datetime.datetime(2026, 7, 5, 18, 0)


@pytest.mark.parametrize("zone, moment, english, french", [
    ("America/Montreal", WINTER, "Montréal time (EST)", "heure de Montréal (HNE)"),
    ("America/Montreal", SUMMER, "Montréal time (EDT)", "heure de Montréal (HAE)"),
    ("America/Toronto", WINTER, "Toronto time (EST)", "heure de Toronto (HNE)"),
    ("America/Vancouver", SUMMER, "Vancouver time (PDT)", "heure de Vancouver (HAP)"),
    ("America/Halifax", WINTER, "Halifax time (AST)", "heure d'Halifax (HNA)"),
    ("America/Winnipeg", SUMMER, "Winnipeg time (CDT)", "heure de Winnipeg (HAC)"),
    ("America/Edmonton", WINTER, "Edmonton time (MST)", "heure d'Edmonton (HNR)"),
    ("America/Regina", SUMMER, "Regina time (CST)", "heure de Regina (HNC)"),
    ("America/St_Johns", SUMMER, "St. John's time (NDT)", "heure de St. John's (HAT)"),
])
def test_a_canadian_zone_reads_as_its_city_with_the_languages_abbreviation(
        zone, moment, english, french):
    local = moment.replace(tzinfo=zoneinfo.ZoneInfo(zone))
    with translation.override("en"):
        assert zone_label(local) == english
    with translation.override("fr"):
        assert zone_label(local) == french


def test_an_unknown_zone_falls_back_to_its_name():
    local = WINTER.replace(tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))
    with translation.override("fr"):
        assert zone_label(local) == "heure de Paris (CET)"


def test_montreal_is_a_link_to_toronto_in_the_time_zone_database():
    assert canonical_zone("America/Montreal") == "America/Toronto"
    assert canonical_zone("America/Vancouver") == "America/Vancouver"
