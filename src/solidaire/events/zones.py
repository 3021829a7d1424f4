"""How an event's time zone reads: "Montréal time (EST)", « heure de Montréal (HNE) ».

The zone names people pick from (`organize.forms.events.TIME_ZONES`) are IANA keys
such as America/Montreal; nobody says that aloud. Each Canadian zone the product
offers gets a city and its standard and daylight abbreviations, all translatable
(French uses HNE/HAE and so on). A zone not in the table falls back to its key and
the abbreviation the time zone database gives.

Calendar files name the zone by its canonical IANA key instead (`canonical_zone`):
America/Montreal is only a link to America/Toronto, and some calendar programs
know the canonical keys only (decision 0062).
"""

from __future__ import annotations

import datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path

from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

# Standard and daylight abbreviations, by their English names. The context is written
# out in each call: xgettext cannot read a context from a variable, and would skip them.
_EASTERN = (pgettext_lazy("time zone abbreviation", "EST"),
            pgettext_lazy("time zone abbreviation", "EDT"))
_CENTRAL = (pgettext_lazy("time zone abbreviation", "CST"),
            pgettext_lazy("time zone abbreviation", "CDT"))
_MOUNTAIN = (pgettext_lazy("time zone abbreviation", "MST"),
             pgettext_lazy("time zone abbreviation", "MDT"))
_PACIFIC = (pgettext_lazy("time zone abbreviation", "PST"),
            pgettext_lazy("time zone abbreviation", "PDT"))
_ATLANTIC = (pgettext_lazy("time zone abbreviation", "AST"),
             pgettext_lazy("time zone abbreviation", "ADT"))
_NEWFOUNDLAND = (pgettext_lazy("time zone abbreviation", "NST"),
                 pgettext_lazy("time zone abbreviation", "NDT"))

# zone key -> (how its time is named, (standard, daylight)); a whole phrase per city,
# as French elides (« heure d'Edmonton »).
ZONES = {
    "America/Montreal": (_("Montréal time"), _EASTERN),
    "America/Toronto": (_("Toronto time"), _EASTERN),
    "America/Winnipeg": (_("Winnipeg time"), _CENTRAL),
    # Saskatchewan keeps Central Standard Time all year.
    "America/Regina": (_("Regina time"), _CENTRAL),
    "America/Edmonton": (_("Edmonton time"), _MOUNTAIN),
    "America/Vancouver": (_("Vancouver time"), _PACIFIC),
    # Yukon keeps Mountain Standard Time all year.
    "America/Whitehorse": (_("Whitehorse time"), _MOUNTAIN),
    "America/Halifax": (_("Halifax time"), _ATLANTIC),
    "America/Moncton": (_("Moncton time"), _ATLANTIC),
    "America/St_Johns": (_("St. John's time"), _NEWFOUNDLAND),
}


def zone_abbreviation(moment: datetime.datetime) -> str:
    """EST or EDT (HNE or HAE in French) for an aware moment in its own zone."""
    entry = ZONES.get(getattr(moment.tzinfo, "key", ""))
    if entry is None:
        return moment.tzname() or ""
    standard, daylight = entry[1]
    return str(daylight if moment.dst() else standard)


def zone_label(moment: datetime.datetime) -> str:
    """"Montréal time (EST)" in the active language, for an aware moment in its zone."""
    key = getattr(moment.tzinfo, "key", "") or ""
    entry = ZONES.get(key)
    if entry:
        name = str(entry[0])
    else:
        name = gettext("%(city)s time") % {"city": key.rsplit("/", 1)[-1].replace("_", " ")}
    return f"{name} ({zone_abbreviation(moment)})"


def _zone_links_file() -> str:
    try:
        return (resources.files("tzdata") / "zoneinfo" / "tzdata.zi").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        pass
    try:
        return Path("/usr/share/zoneinfo/tzdata.zi").read_text("utf-8")
    except OSError:
        return ""


@lru_cache(maxsize=1)
def _links() -> dict[str, str]:
    # tzdata.zi lists each link as "L <canonical> <link>".
    links = {}
    for line in _zone_links_file().splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "L":
            links[parts[2]] = parts[1]
    return links


def canonical_zone(key: str) -> str:
    """The canonical IANA key of a zone: America/Toronto for America/Montreal."""
    return _links().get(key, key)
