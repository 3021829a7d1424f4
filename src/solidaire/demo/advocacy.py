"""Targets, petitions, a delivery, a sign-on and call/e-mail actions of the demo (issue 5).

Built from the stories: Migrant Students United's 2020 petitions (12,000 signatures
for health care and income support, 4,000+ for #FixPGWP, 16,000 delivered to the
Immigration Minister's office in Toronto on 2020-11-24), the calls left for the
Minister in December 2020, the coalition's policy recommendations endorsed by
fifteen organizations, and the letters to the Minister's parliamentary assistant.

Public officials appear by name and role only: every phone number (555-01xx),
e-mail address (@example.org) and office address below is INVENTED. The ridings
carry invented codes and the postal-prefix table is a handful of rows for trying
riding targeting in the demo, not a real map of electoral districts.

The few dozen rows of structure go through the ORM; signatures, call reports and
e-mails (thousands of rows with `--people 1000000`) are written in bulk with their
ledger rows, as `members.py` does for people.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType

from solidaire.advocacy.activities import TARGET_CALLED, TARGET_EMAILED
from solidaire.advocacy.models import Action, CallReport, EmailSent
from solidaire.campaigns.models import (
    Level,
    PostalPrefixRiding,
    Publication,
    Riding,
    Target,
    TargetOffice,
)
from solidaire.core.bulk import ids_in, rows_insert
from solidaire.core.intake import contact_key
from solidaire.core.models import Activity
from solidaire.organizing.models import Chapter
from solidaire.people.duplicates import name_fold
from solidaire.people.models import EmailAddress, Person
from solidaire.petitions.activities import PETITION_SIGNED, SIGNON_ENDORSED
from solidaire.petitions.models import Delivery, Endorsement, Petition, Signature, SignOn

from .structure import Structure

TZ = ZoneInfo("America/Montreal")
# The largest count in the stories: with fewer demo people, every petition is scaled
# down by the same factor (see `_petitions_build`).
LARGEST_PETITION = 16_000
CALL_REPORTS = 340  # "hundreds of migrants and allies called and left messages"
EMAILS_SENT = 120
PAPER_SHARE = 0.2
SHEET_ROWS = 20  # rows on a printed signature sheet

_ACTIVITY_COLUMNS = ("person_id", "kind", "object_type_id", "object_id", "campaign_id",
                     "chapter_id", "occurred_at")


def _at(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=TZ)


def _between(rng: random.Random, start: datetime.datetime, end: datetime.datetime,
             skew: float = 1.0) -> datetime.datetime:
    """A moment between start and end; skew > 1 crowds the early days (a launch rush)."""
    return start + (end - start) * (rng.random() ** skew)


# --- Ridings and the demo-only postal-prefix table ---------------------------------------

# (key, name, invented code, province). The names are the 2020 federal ridings of the
# officials below; the codes are invented (a real table comes from `ridings load`).
RIDINGS = (
    ("eglinton", "Eglinton—Lawrence", "DEMO-001", "ON"),
    ("parkdale", "Parkdale—High Park", "DEMO-002", "ON"),
    ("university", "University—Rosedale", "DEMO-003", "ON"),
    ("stpauls", "Toronto—St. Paul's", "DEMO-004", "ON"),
    ("malton", "Mississauga—Malton", "DEMO-005", "ON"),
    ("peterborough", "Peterborough—Kawartha", "DEMO-006", "ON"),
    ("delta", "Delta", "DEMO-007", "BC"),
    # The workers' centre's 2026 campaign: ridings of its regions (2023 representation
    # order names, invented codes).
    ("laurier", "Laurier—Sainte-Marie", "DEMO-008", "QC"),
    ("rosemont", "Rosemont—La Petite-Patrie", "DEMO-009", "QC"),
    ("outremont", "Outremont", "DEMO-010", "QC"),
    ("villemarie", "Ville-Marie—Le Sud-Ouest—Île-des-Sœurs", "DEMO-011", "QC"),
    ("rimouski", "Rimouski—La Matapédia", "DEMO-012", "QC"),
    ("chicoutimi", "Chicoutimi—Le Fjord", "DEMO-013", "QC"),
    ("gatineau", "Gatineau", "DEMO-014", "QC"),
)

# DEMO ONLY — a handful of prefixes so that a postal code can be tried on the riding
# action; not an accurate map. M5V straddles two ridings on purpose (the supporter
# chooses), and M6K1 shows that the longest prefix wins over M6K.
DEMO_PREFIXES = (
    ("M6B", "eglinton"), ("M5N", "eglinton"),
    ("M6K", "parkdale"), ("M6R", "parkdale"), ("M6P", "parkdale"), ("M6H", "parkdale"),
    ("M6K1", "university"),
    ("M5S", "university"), ("M5T", "university"), ("M4Y", "university"),
    ("M5V", "university"), ("M5V", "stpauls"),
    ("M4V", "stpauls"), ("M5P", "stpauls"), ("M4C", "stpauls"),
    ("L4T", "malton"), ("L5T", "malton"), ("L6T", "malton"),
    ("K9J", "peterborough"), ("K9H", "peterborough"),
    ("V4K", "delta"), ("V4C", "delta"),
    # H2X answers the example the public form's help text gives ("For example H2X 1Y4").
    ("H2X", "laurier"), ("H2J", "laurier"), ("H2L", "laurier"), ("H2W", "laurier"),
    ("H2G", "rosemont"), ("H2S", "rosemont"),
    ("H2V", "outremont"),
    ("H3B", "villemarie"), ("H3C", "villemarie"), ("H3K", "villemarie"),
    ("G5L", "rimouski"), ("G5M", "rimouski"),
    ("G7H", "chicoutimi"), ("G7J", "chicoutimi"),
    ("J8P", "gatineau"), ("J8T", "gatineau"),
)


# --- Targets ----------------------------------------------------------------------------

@dataclass(frozen=True)
class OfficeSpec:
    label: str
    phone: str  # INVENTED, 555-01xx
    address: str  # INVENTED
    hours: str = "lun.–ven. 9 h – 17 h · Mon–Fri 9 am – 5 pm"


@dataclass(frozen=True)
class TargetSpec:
    key: str
    name: str
    kind: str
    role: dict
    email: str  # INVENTED
    offices: tuple[OfficeSpec, ...]
    riding: str | None = None
    level: str = Level.FEDERAL
    body: str = ""
    notes: str = ""


def _mp_role(riding_name: str, feminine: bool) -> dict:
    return {
        "fr": f"{'Députée' if feminine else 'Député'} de {riding_name}",
        "en": f"Member of Parliament for {riding_name}",
    }


_OTTAWA_HOURS = "lun.–ven. 9 h – 17 h (Ottawa) · Mon–Fri 9 am – 5 pm (Ottawa)"

TARGETS = (
    TargetSpec(
        "minister", "Marco Mendicino", Target.Kind.MINISTER,
        {"fr": "Ministre de l'Immigration, des Réfugiés et de la Citoyenneté",
         "en": "Minister of Immigration, Refugees and Citizenship"},
        "minister.immigration@example.org",
        (OfficeSpec("Bureau de circonscription (Toronto) · Constituency office (Toronto)",
                    "+14165550101", "101–1000 Example Avenue\nToronto ON M6B 0A1"),
         OfficeSpec("Bureau du ministre (Ottawa) · Minister's office (Ottawa)",
                    "+16135550102", "200 Sample Street\nOttawa ON K1A 0A2",
                    _OTTAWA_HOURS)),
        riding="eglinton", body="Gouvernement du Canada · Government of Canada",
        notes="Petitions delivered to the Toronto office on 2020-11-24; committed to act in "
              "Parliament on 2020-12-01. Contact details in the demo are invented.",
    ),
    TargetSpec(
        "virani", "Arif Virani", Target.Kind.PARLIAMENTARY_SECRETARY,
        {"fr": "Adjoint parlementaire du ministre de l'Immigration, des Réfugiés et de la "
               "Citoyenneté",
         "en": "Parliamentary Assistant to the Minister of Immigration, Refugees and "
               "Citizenship"},
        "parliamentary.assistant@example.org",
        (OfficeSpec("Bureau de circonscription · Constituency office",
                    "+14165550103", "3000 Example Street West\nToronto ON M6R 0A3"),),
        riding="parkdale",
        notes="Office decorated by migrant workers on December 16. Contact details in the "
              "demo are invented.",
    ),
    TargetSpec(
        "freeland", "Chrystia Freeland", Target.Kind.MINISTER,
        {"fr": "Vice-première ministre", "en": "Deputy Prime Minister"},
        "deputy.prime.minister@example.org",
        (OfficeSpec("Bureau de circonscription · Constituency office",
                    "+14165550104", "400 Demo Road, Suite 5\nToronto ON M5S 0A4"),
         OfficeSpec("Bureau d'Ottawa · Ottawa office", "+16135550105",
                    "500 Sample Street\nOttawa ON K1A 0A5", _OTTAWA_HOURS)),
        riding="university",
        notes="Mass rally outside the office on 2020-09-12.",
    ),
    TargetSpec(
        "bennett", "Carolyn Bennett", Target.Kind.MP,
        _mp_role("Toronto—St. Paul's", True), "mp.stpauls@example.org",
        (OfficeSpec("Bureau de circonscription · Constituency office", "+14165550106",
                    "600 Example Avenue\nToronto ON M4V 0A6"),),
        riding="stpauls", notes="Office postered in December 2020.",
    ),
    TargetSpec(
        "bains", "Navdeep Bains", Target.Kind.MP,
        _mp_role("Mississauga—Malton", False), "mp.malton@example.org",
        (OfficeSpec("Bureau de circonscription · Constituency office", "+19055550107",
                    "700 Sample Drive, Unit 7\nMississauga ON L4T 0A7"),),
        riding="malton", notes="Office postered in December 2020.",
    ),
    TargetSpec(
        "monsef", "Maryam Monsef", Target.Kind.MP,
        _mp_role("Peterborough—Kawartha", True), "mp.peterborough@example.org",
        (OfficeSpec("Bureau de circonscription · Constituency office", "+17055550108",
                    "800 Example Street\nPeterborough ON K9J 0A8"),),
        riding="peterborough", notes="Office postered in December 2020.",
    ),
    TargetSpec(
        "qualtrough", "Carla Qualtrough", Target.Kind.MP,
        _mp_role("Delta", True), "mp.delta@example.org",
        (OfficeSpec("Bureau de circonscription · Constituency office", "+16045550109",
                    "900 Sample Road\nDelta BC V4K 0A9"),),
        riding="delta", notes="Office postered in December 2020.",
    ),
    TargetSpec(
        "ircc", "Immigration, Réfugiés et Citoyenneté Canada", Target.Kind.AGENCY,
        {"fr": "Ministère fédéral de l'immigration",
         "en": "Immigration, Refugees and Citizenship Canada (federal department)"},
        "ircc.demo@example.org",
        (OfficeSpec("Bureaux de Toronto · Toronto offices", "+14165550110",
                    "1100 Example Street\nToronto ON M5V 0B1"),),
        body="Immigration, Refugees and Citizenship Canada",
        notes="A giant work permit was installed outside its Toronto offices on 2020-10-25; "
              "MSU met civil servants there.",
    ),
    # The 2026 campaign's officials (the federal cabinet of May 2025 and the members
    # elected in April 2025): names and roles only, contact details invented.
    TargetSpec(
        "diab", "Lena Metlege Diab", Target.Kind.MINISTER,
        {"fr": "Ministre de l'Immigration, des Réfugiés et de la Citoyenneté",
         "en": "Minister of Immigration, Refugees and Citizenship"},
        "ministre.immigration.2026@example.org",
        (OfficeSpec("Bureau de la ministre (Ottawa) · Minister's office (Ottawa)",
                    "+16135550112", "365 Sample Street\nOttawa ON K1A 0B3", _OTTAWA_HOURS),
         OfficeSpec("Bureau de circonscription (Halifax) · Constituency office (Halifax)",
                    "+19025550113", "1400 Example Road\nHalifax NS B3M 0A1")),
        body="Gouvernement du Canada · Government of Canada",
        notes="Target of the workers' centre's 2026 campaign for permanent status. Contact "
              "details in the demo are invented.",
    ),
    TargetSpec(
        "guilbeault", "Steven Guilbeault", Target.Kind.MP,
        _mp_role("Laurier—Sainte-Marie", False), "mp.laurier@example.org",
        (OfficeSpec("Bureau de circonscription · Constituency office", "+15145550114",
                    "1500, rue Exemple\nMontréal QC H2J 0A1"),),
        riding="laurier",
    ),
    TargetSpec(
        "boulerice", "Alexandre Boulerice", Target.Kind.MP,
        _mp_role("Rosemont—La Petite-Patrie", False), "mp.rosemont@example.org",
        (OfficeSpec("Bureau de circonscription · Constituency office", "+15145550115",
                    "1600, rue Exemple\nMontréal QC H2G 0A2"),),
        riding="rosemont",
    ),
    TargetSpec(
        "bendayan", "Rachel Bendayan", Target.Kind.MP,
        _mp_role("Outremont", True), "mp.outremont@example.org",
        (OfficeSpec("Bureau de circonscription · Constituency office", "+15145550116",
                    "1700, avenue Exemple\nMontréal QC H2V 0A3"),),
        riding="outremont",
    ),
    TargetSpec(
        "miller", "Marc Miller", Target.Kind.MP,
        _mp_role("Ville-Marie—Le Sud-Ouest—Île-des-Sœurs", False), "mp.villemarie@example.org",
        (OfficeSpec("Bureau de circonscription · Constituency office", "+15145550117",
                    "1800, rue Exemple\nMontréal QC H3K 0A4"),),
        riding="villemarie",
    ),
    TargetSpec(
        "blanchette", "Maxime Blanchette-Joncas", Target.Kind.MP,
        _mp_role("Rimouski—La Matapédia", False), "mp.rimouski@example.org",
        (OfficeSpec("Bureau de circonscription · Constituency office", "+14185550118",
                    "1900, rue Exemple\nRimouski QC G5L 0A5"),),
        riding="rimouski",
    ),
    TargetSpec(
        "martel", "Richard Martel", Target.Kind.MP,
        _mp_role("Chicoutimi—Le Fjord", False), "mp.chicoutimi@example.org",
        (OfficeSpec("Bureau de circonscription · Constituency office", "+14185550119",
                    "2000, boulevard Exemple\nSaguenay QC G7H 0A6"),),
        riding="chicoutimi",
    ),
    TargetSpec(
        "mackinnon", "Steven MacKinnon", Target.Kind.MP,
        _mp_role("Gatineau", False), "mp.gatineau@example.org",
        (OfficeSpec("Bureau de circonscription · Constituency office", "+18195550120",
                    "2100, rue Exemple\nGatineau QC J8T 0A7"),),
        riding="gatineau",
    ),
    # An invented employer: a temp agency of the kind the agency workers' committee faces.
    TargetSpec(
        "agency", "Placements Express Démo inc.", Target.Kind.EMPLOYER,
        {"fr": "Agence de placement de personnel (fictive)",
         "en": "Temp agency (invented)"},
        "placements.demo@example.org",
        (OfficeSpec("Siège social · Head office", "+15145550111",
                    "1200, rue Exemple, bureau 300\nMontréal QC H2X 0C1"),),
        level=Level.OTHER, body="Placements Express Démo inc.",
        notes="Invented employer for the demo: unpaid wages reported by agency workers.",
    ),
)


def _targets_build() -> dict[str, Target]:
    ridings = {
        key: Riding.objects.create(level=Level.FEDERAL, name=name, code=code, province=province)
        for key, name, code, province in RIDINGS
    }
    PostalPrefixRiding.objects.bulk_create(
        PostalPrefixRiding(prefix=prefix, riding=ridings[key]) for prefix, key in DEMO_PREFIXES
    )
    targets: dict[str, Target] = {}
    offices: list[TargetOffice] = []
    for spec in TARGETS:
        target = Target.objects.create(
            kind=spec.kind, name=spec.name, role=spec.role, level=spec.level,
            riding=ridings[spec.riding] if spec.riding else None, body=spec.body,
            email=spec.email, languages=["en", "fr"], notes=spec.notes,
        )
        targets[spec.key] = target
        offices.extend(
            TargetOffice(target=target, position=position, label=office.label,
                         phone=office.phone, hours=office.hours, address=office.address)
            for position, office in enumerate(spec.offices)
        )
    TargetOffice.objects.bulk_create(offices)
    return targets


# --- Demo people who sign, call and write -------------------------------------------------

@dataclass(frozen=True, slots=True)
class Signer:
    id: int
    name: str
    postal_code: str
    language: str
    chapter_id: int | None
    city: str
    email: str


def _signers_pool(structure: Structure, limit: int, org_key: str) -> list[Signer]:
    """Up to `limit` demo people of one organization's list (each organization's list is
    its own: its petitions and actions are signed by people on it), in id order so a
    seed gives the same pool."""
    organization = structure.organizations[org_key]
    fields = ("id", "chosen_name", "postal_code", "preferred_language", "home_chapter_id")
    rows = list(Person.objects.filter(organization=organization)
                .order_by("id").values_list(*fields)[:limit])
    ids = [row[0] for row in rows]
    emails = dict(EmailAddress.objects.filter(person_id__in=ids_in(ids), is_primary=True)
                  .values_list("person_id", "address")) if ids else {}
    cities = dict(Chapter.objects.values_list("id", "city"))
    return [
        Signer(pk, name, postal, language, chapter_id, cities.get(chapter_id, "") or "",
               emails.get(pk, ""))
        for pk, name, postal, language, chapter_id in rows
    ]


def _language(signer: Signer) -> str:
    """The site language a supporter reads: theirs when French or English, else English."""
    return signer.language if signer.language in ("fr", "en") else "en"


# --- Petitions --------------------------------------------------------------------------

@dataclass(frozen=True)
class PetitionSpec:
    slug: str
    campaign: str
    title: dict
    summary: dict
    body: dict
    story_count: int  # the signatures the story reports
    goal: int
    opens: datetime.datetime
    closes: datetime.datetime
    targets: tuple[str, ...]
    delivered_on: datetime.date | None = None


PETITIONS = (
    PetitionSpec(
        slug="sante-revenu-etudiants-migrants",
        campaign="msu-health-income-support-2020",
        title={"fr": "Soins de santé et soutien du revenu pour les étudiants migrants",
               "en": "Health care and income support for migrant students"},
        summary={
            "fr": "La pandémie a fait perdre leur emploi à des milliers d'étudiantes et "
                  "d'étudiants internationaux. Nous demandons l'accès aux soins, un soutien "
                  "du revenu et des règles d'immigration qui tiennent compte de la crise.",
            "en": "The pandemic cost thousands of international students their jobs. We "
                  "call for health care, income support and immigration rules that take the "
                  "crisis into account.",
        },
        body={
            "fr": "Madame la Ministre, Monsieur le Ministre,\n\n"
                  "Les étudiantes et étudiants migrants travaillent dans les épiceries, les "
                  "entrepôts et la livraison depuis le début de la pandémie. Beaucoup ont "
                  "perdu leur emploi et n'ont droit à aucune aide.\n\n"
                  "Nous demandons :\n– l'accès aux soins de santé pour toutes et tous ;\n"
                  "– un soutien du revenu pour celles et ceux qui ont perdu leur emploi ;\n"
                  "– des règles d'immigration qui ne nous font pas payer la pandémie.",
            "en": "Dear Ministers,\n\n"
                  "Migrant students have kept grocery stores, warehouses and deliveries "
                  "running since the pandemic began. Many have lost their jobs and qualify "
                  "for no support.\n\n"
                  "We call for:\n– health care for everyone;\n"
                  "– income support for those who lost their jobs;\n"
                  "– immigration rules that do not make us pay for the pandemic.",
        },
        story_count=12_000, goal=10_000,
        opens=_at(2020, 4, 15), closes=_at(2020, 7, 31, 23), targets=("minister", "freeland"),
    ),
    PetitionSpec(
        slug="fixpgwp-permis-renouvelables",
        campaign="fix-pgwp",
        title={"fr": "#FixPGWP — des permis de travail renouvelables",
               "en": "#FixPGWP — renewable work permits"},
        summary={
            "fr": "Le permis de travail postdiplôme ne s'obtient qu'une fois. Rendez-le "
                  "renouvelable, faites compter tout travail pour la résidence permanente "
                  "et accordez un statut plein et permanent à toutes et tous.",
            "en": "The post-graduation work permit can be held only once. Make it "
                  "renewable, count all work toward permanent residence, and grant full "
                  "and permanent status for all.",
        },
        body={
            "fr": "Monsieur le Ministre,\n\n"
                  "Avec la pandémie, il est devenu presque impossible d'accumuler l'année "
                  "d'expérience exigée avant la fin d'un permis postdiplôme qui ne se "
                  "renouvelle pas.\n\n"
                  "Nous demandons des permis renouvelables, que tout travail compte pour la "
                  "résidence permanente, et un statut plein et permanent pour toutes et tous.",
            "en": "Dear Minister,\n\n"
                  "The pandemic has made the year of work experience required before a "
                  "non-renewable post-graduation permit ends nearly impossible to gain.\n\n"
                  "We call for renewable permits, for all work to count toward permanent "
                  "residence, and for full and permanent status for all.",
        },
        story_count=4_200, goal=5_000,
        opens=_at(2020, 8, 10), closes=_at(2020, 11, 20, 23), targets=("minister",),
    ),
    PetitionSpec(
        slug="arretez-les-expulsions-etudiants-migrants",
        campaign="fix-pgwp",
        title={"fr": "Monsieur le Ministre, arrêtez l'expulsion des étudiants travailleurs "
                     "migrants",
               "en": "Minister, stop the deportation of migrant student workers"},
        summary={
            "fr": "Des dizaines de milliers de titulaires d'un permis postdiplôme risquent "
                  "l'expulsion à cause d'une crise qu'ils n'ont pas créée. Agissez avant que "
                  "leurs permis n'expirent.",
            "en": "Tens of thousands of post-graduation permit holders face deportation "
                  "over a crisis not of their making. Act before their permits expire.",
        },
        body={
            "fr": "Monsieur le Ministre de l'Immigration,\n\n"
                  "Chaque jour, des permis expirent et des travailleuses et travailleurs "
                  "essentiels perdent le droit de rester. Nous vous demandons d'arrêter ces "
                  "expulsions et de rendre le permis postdiplôme renouvelable.",
            "en": "Dear Minister of Immigration,\n\n"
                  "Every day permits expire and essential workers lose the right to stay. "
                  "We ask you to stop these deportations and make the post-graduation work "
                  "permit renewable.",
        },
        story_count=16_000, goal=15_000,
        opens=_at(2020, 9, 1), closes=_at(2020, 11, 23, 23), targets=("minister",),
        delivered_on=datetime.date(2020, 11, 24),
    ),
)


SIGNER_COMMENTS = (
    "I lost my job in March and my permit ends next year.",
    "We keep the shelves stocked every night. Our work counts.",
    "J'ai perdu mon emploi au printemps ; mon permis expire bientôt.",
    "Please act before more permits expire.",
)


def _petitions_build(structure, targets, pool, rng, coordinator) -> list[Petition]:
    """The three petitions, their COUNTED signatures and ledger rows, and the delivery.

    A demo smaller than the stories cannot give 16,000 different signers: every count is
    then scaled down by the same factor (people available / 16,000), so the petitions keep
    the stories' proportions; from 16,000 demo people up, the counts are the stories'.
    """
    scale = min(1.0, len(pool) / LARGEST_PETITION)
    petition_type = ContentType.objects.get_for_model(Petition).pk
    msu = structure.organizations["msu"]
    petitions = []
    keys: dict[int, str] = {}
    for spec in PETITIONS:
        campaign = structure.campaigns.get(spec.campaign)
        petition = Petition.objects.create(
            slug=spec.slug, organization=msu, campaign=campaign, title=spec.title,
            summary=spec.summary, body=spec.body, goal=spec.goal,
            status=Publication.CLOSED, show_signers=True, created_at=spec.opens,
        )
        petition.targets.set([targets[key] for key in spec.targets])
        petitions.append(petition)
        count = round(spec.story_count * scale)
        signers = rng.sample(pool, count) if count else []
        signature_rows, activity_rows = [], []
        paper_rows = 0
        for n, signer in enumerate(signers):
            signed_at = _between(rng, spec.opens, spec.closes, skew=1.6)
            source, sheet_number = Signature.Source.ONLINE.value, ""
            if rng.random() < PAPER_SHARE:
                source = Signature.Source.PAPER.value
                sheet_number = str(paper_rows // SHEET_ROWS + 1)
                paper_rows += 1
            comment = ""
            if source == Signature.Source.ONLINE.value and rng.random() < 0.05:
                comment = rng.choice(SIGNER_COMMENTS)
            # Processed signatures keep no copy of the e-mail or phone: only the key.
            key = keys.get(signer.id)
            if key is None:  # a keyed hash costs; a person signs up to three petitions
                key = keys[signer.id] = (
                    contact_key(email=signer.email) if signer.email
                    else contact_key(phone=f"demo-person-{signer.id}"))
            signature_rows.append((
                petition.pk, signer.id, f"demo-{spec.slug}-{n}", key,
                Signature.Status.COUNTED.value, source, sheet_number, signer.name, "", "",
                signer.postal_code, signer.city, signer.language, comment, False, False,
                signed_at, signed_at + datetime.timedelta(seconds=rng.randint(5, 600)),
            ))
            activity_rows.append((
                signer.id, PETITION_SIGNED.value, petition_type, petition.pk,
                campaign.pk if campaign else None, signer.chapter_id, signed_at,
            ))
        rows_insert(Signature, (
            "petition_id", "person_id", "token", "contact_key", "status", "source",
            "sheet_number", "name", "email", "phone", "postal_code", "city", "language",
            "comment", "consent_email", "consent_sms", "created_at", "processed_at",
        ), signature_rows)
        rows_insert(Activity, _ACTIVITY_COLUMNS, activity_rows)
        if spec.delivered_on:
            Delivery.objects.create(
                petition=petition, target=targets["minister"], delivered_on=spec.delivered_on,
                signature_count=count, recorded_by=coordinator,
                note="Delivered in person to the Minister's office in Toronto while dozens of "
                     "student workers and allies took action online.",
            )
    return petitions


# --- The sign-on ------------------------------------------------------------------------

K = Endorsement.Kind
# The fifteen organizations that endorsed the coalition's recommendations in the story;
# types and cities are inferred from their names.
ENDORSERS = (
    ("AIDS Committee of Durham Region", K.SERVICE, "Oshawa"),
    ("Jesuit Refugee Service", K.FAITH, "Toronto"),
    ("Retail Action Network BC", K.WORKERS, "Vancouver"),
    ("Refugees Welcome Fredericton", K.COMMUNITY, "Fredericton"),
    ("SAME Brock Chapter", K.STUDENT, "St. Catharines"),
    ("MigrantWorkersRights Canada", K.WORKERS, "Toronto"),
    ("BC Employment Standards Coalition", K.COMMUNITY, "Vancouver"),
    ("Migrante BC", K.WORKERS, "Vancouver"),
    ("PINAY Quebec", K.WORKERS, "Montréal"),
    ("People's Health Movement Canada / Mouvement populaire pour la santé au Canada",
     K.COMMUNITY, "Ottawa"),
    ("Maritimes-Guatemala Breaking the Silence Network", K.COMMUNITY, "Halifax"),
    ("Migrant Worker Health Project (International Migration Research Centre)", K.ACADEMIC,
     "Waterloo"),
    ("Gabriela Ontario", K.COMMUNITY, "Toronto"),
    ("AAFQ – Association des aides familiales du Québec / Caregivers Association of Quebec",
     K.WORKERS, "Montréal"),
    ("Inter Pares", K.OTHER, "Ottawa"),
)
# Invented, waiting for a coordinator's decision.
PENDING_ENDORSERS = (
    ("Collectif Solidarité migrante du Bas-Saint-Laurent", K.COMMUNITY, "Rimouski"),
    ("Regroupement des étudiantes et étudiants internationaux de Chicoutimi", K.STUDENT,
     "Chicoutimi"),
)

SIGN_ON: dict[str, Any] = {
    "slug": "statut-permanent-des-l-arrivee",
    "title": {"fr": "Recommandations : le statut de résident permanent dès l'arrivée",
              "en": "Recommendations for permanent resident status on arrival"},
    "body": {
        "fr": "Ces recommandations, présentées au Comité permanent des ressources humaines "
              "de la Chambre des communes, demandent au gouvernement fédéral :\n\n"
              "1. le statut de résident permanent dès l'arrivée pour tous les travailleurs "
              "et travailleuses migrants, sans dépendre d'un employeur ni d'une agence, "
              "y compris pour celles et ceux déjà au Canada ;\n"
              "2. en attendant, des permis de travail ouverts pour toutes et tous ;\n"
              "3. l'accès aux prestations fédérales (Régime de pensions du Canada, "
              "assurance-emploi) et leur transférabilité pour celles et ceux qui sont "
              "repartis.\n\n"
              "Votre organisation les appuie ? Ajoutez son nom.",
        "en": "These recommendations, submitted to the House of Commons Standing Committee "
              "on Human Resources, call on the federal government for:\n\n"
              "1. permanent resident status on arrival for all migrant workers, without "
              "depending on an employer or an agency, including those already in Canada;\n"
              "2. meanwhile, open work permits for all;\n"
              "3. access to federal benefits (Canada Pension Plan, Employment Insurance), "
              "portable for those who have left.\n\n"
              "Does your organization support them? Add its name.",
    },
}


def _sign_on_build(structure, targets, pool, rng, coordinator) -> SignOn:
    campaign = structure.campaigns.get("move")
    sign_on = SignOn.objects.create(
        slug=SIGN_ON["slug"], organization=structure.organizations["cmwrc"], campaign=campaign,
        title=SIGN_ON["title"], body=SIGN_ON["body"], status=Publication.OPEN,
        created_at=_at(2016, 9, 1),
    )
    sign_on.targets.set([targets["minister"]])
    sign_on_type = ContentType.objects.get_for_model(SignOn).pk
    wanted = len(ENDORSERS) + len(PENDING_ENDORSERS)
    contacts = rng.sample(pool, min(len(pool), wanted))
    # The contacts are on the coalition's own list (decision 0035); a small demo's list
    # is short, and one person then answers for several endorsers.
    contacts = [contacts[n % len(contacts)] for n in range(wanted)] if contacts else []
    endorsement_rows, activity_rows = [], []
    listed = [(spec, True) for spec in ENDORSERS] + [(spec, False) for spec in PENDING_ENDORSERS]
    for n, ((org_name, kind, city), approved) in enumerate(listed):
        contact = contacts[n] if n < len(contacts) else None
        received = (_between(rng, _at(2016, 9, 1), _at(2016, 10, 15)) if approved
                    else _at(2026, 11, 10 + n % 4, 10 + n % 6))
        endorsement_rows.append((
            sign_on.pk, f"demo-signon-{n}", org_name, name_fold(org_name), kind.value, city, "",
            contact.id if contact else None, _language(contact) if contact else "en",
            (Endorsement.Status.APPROVED if approved else Endorsement.Status.PENDING).value,
            coordinator.pk if approved and coordinator else None,
            received + datetime.timedelta(days=2) if approved else None, received,
        ))
        if contact:
            activity_rows.append((
                contact.id, SIGNON_ENDORSED.value, sign_on_type, sign_on.pk,
                campaign.pk if campaign else None, contact.chapter_id, received,
            ))
    rows_insert(Endorsement, (
        "sign_on_id", "token", "org_name", "name_key", "kind", "city", "website", "contact_id",
        "language", "status", "decided_by_id", "decided_at", "created_at",
    ), endorsement_rows)
    rows_insert(Activity, _ACTIVITY_COLUMNS, activity_rows)
    return sign_on


# --- Call and e-mail actions --------------------------------------------------------------

CALL_SCRIPT = {
    "fr": "Bonjour, je m'appelle [votre nom] et j'habite [votre ville]. J'appelle le ministre "
          "de l'Immigration pour lui demander d'arrêter l'expulsion des étudiantes et "
          "étudiants travailleurs migrants et de rendre le permis de travail postdiplôme "
          "renouvelable, comme il s'y est engagé le 1er décembre. Merci de lui transmettre "
          "mon message.",
    "en": "Hello, my name is [your name] and I live in [your city]. I am calling the "
          "Minister of Immigration to ask him to stop the deportation of migrant student "
          "workers and make the post-graduation work permit renewable, as he committed to "
          "on December 1. Please pass on my message.",
}
CALL_NOTES = (
    "Staff took my name and postal code.",
    "Voicemail full the first time; left a message on the second try.",
    "Le personnel a noté mon message.",
    "They said the Minister is aware of the issue.",
    "",
)
LETTER_SUBJECT = {
    "fr": "Les travailleurs migrants ont besoin des mêmes droits",
    "en": "Migrant workers need the same rights as everyone else",
}
LETTER_BODY = {
    "fr": "Monsieur l'adjoint parlementaire,\n\n"
          "Pensez aux familles des travailleuses et travailleurs migrants. Elles et ils "
          "doivent pouvoir changer d'emploi avec un permis de travail ouvert, et arriver au "
          "Canada avec la résidence permanente et leur famille, comme les autres personnes "
          "immigrantes.\n\n"
          "Je compte sur vous pour porter ce message au ministre.",
    "en": "Dear Parliamentary Assistant,\n\n"
          "Think of migrant workers' families. Migrant workers must be able to change jobs "
          "with an open work permit, and to come to Canada with permanent residence and "
          "their families, like other immigrants.\n\n"
          "I count on you to bring this message to the Minister.",
}
RIDING_SCRIPT = {
    "fr": "Bonjour, je suis une personne de votre circonscription. Je vous demande de faire "
          "compter tout travail, y compris à bas salaire, pour la résidence permanente, et "
          "d'appuyer un statut plein et permanent pour toutes et tous.",
    "en": "Hello, I live in your riding. I ask you to count all work, low-wage work "
          "included, toward permanent residence, and to support full and permanent status "
          "for all.",
}


def _actions_build(structure, targets, pool, coalition, rng) -> list[Action]:
    msu = structure.organizations["msu"]
    fix_pgwp = structure.campaigns.get("fix-pgwp")
    move = structure.campaigns.get("move")
    call = Action.objects.create(
        slug="appelez-le-ministre-arretez-les-expulsions", kind=Action.Kind.CALL,
        organization=msu, campaign=fix_pgwp,
        title={"fr": "Appelez le ministre de l'Immigration : arrêtez les expulsions",
               "en": "Call the Immigration Minister: stop deportations"},
        intro={"fr": "Le ministre s'est engagé le 1er décembre à agir au Parlement. En "
                     "décembre, faisons sonner son téléphone jusqu'à ce que ce soit fait.",
               "en": "On December 1 the Minister committed to act in Parliament. Through "
                     "December, let's keep his phone ringing until it is done."},
        script=CALL_SCRIPT, status=Publication.CLOSED, goal=300, created_at=_at(2020, 12, 1),
    )
    call.targets.set([targets["minister"]])
    email = Action.objects.create(
        slug="ecrivez-a-l-adjoint-parlementaire", kind=Action.Kind.EMAIL,
        organization=structure.organizations["cmwrc"], campaign=move,
        title={"fr": "Écrivez à Arif Virani : des droits égaux pour les travailleurs migrants",
               "en": "Write to Arif Virani: equal rights for migrant workers"},
        intro={"fr": "Son bureau a été décoré par des travailleurs migrants le 16 décembre. "
                     "Rappelez-lui leurs familles et leurs droits.",
               "en": "Migrant workers decorated his office on December 16. Remind him of "
                     "their families and their rights."},
        letter_subject=LETTER_SUBJECT, letter_body=LETTER_BODY, status=Publication.OPEN,
        goal=250, created_at=_at(2017, 12, 16, 18),
    )
    email.targets.set([targets["virani"]])
    Action.objects.create(
        slug="appelez-votre-depute-tout-travail-compte", kind=Action.Kind.CALL,
        organization=msu,
        title={"fr": "Appelez votre député·e : que tout travail compte",
               "en": "Call your MP: all work must count"},
        intro={"fr": "Entrez votre code postal pour trouver votre député·e fédéral·e. "
                     "(Démo : seuls quelques préfixes sont chargés, par ex. M5V, M4C, M6K, "
                     "L4T.)",
               "en": "Enter your postal code to find your federal MP. (Demo: only a few "
                     "prefixes are loaded, e.g. M5V, M4C, M6K, L4T.)"},
        targeting=Action.Targeting.RIDING, riding_level=Level.FEDERAL, script=RIDING_SCRIPT,
        status=Publication.OPEN, goal=500, created_at=_at(2026, 11, 1, 9),
    )
    _call_reports_insert(call, targets["minister"], pool, rng)
    _emails_insert(email, targets["virani"], coalition, rng)
    return [call, email]


def _office_moment(rng, start: datetime.datetime, days: int) -> datetime.datetime:
    """A weekday between 9 and 17 h within `days` days of `start` (people call office hours)."""
    while True:
        day = start + datetime.timedelta(days=rng.randrange(days))
        if day.weekday() < 5:
            return day.replace(hour=rng.randint(9, 16), minute=rng.randrange(60))


def _call_reports_insert(action, target, pool: Sequence[Signer], rng) -> None:
    action_type = ContentType.objects.get_for_model(Action).pk
    outcomes = (CallReport.Outcome.MESSAGE.value,) * 15 + (
        CallReport.Outcome.REACHED.value,) * 3 + (CallReport.Outcome.NO_ANSWER.value,) * 2
    reports, activities = [], []
    for n in range(CALL_REPORTS):
        caller = rng.choice(pool) if pool else None
        at = _office_moment(rng, _at(2020, 12, 1), 31)
        outcome = rng.choice(outcomes)
        note = rng.choice(CALL_NOTES) if outcome != CallReport.Outcome.NO_ANSWER and \
            rng.random() < 0.2 else ""
        reports.append((action.pk, target.pk, caller.id if caller else None,
                        f"demo-call-{n}", outcome, note, at))
        if caller:
            activities.append((caller.id, TARGET_CALLED.value, action_type,
                               action.pk, action.campaign_id, caller.chapter_id, at))
    rows_insert(CallReport, ("action_id", "target_id", "person_id", "token", "outcome", "note",
                             "created_at"), reports)
    rows_insert(Activity, _ACTIVITY_COLUMNS, activities)


def _emails_insert(action, target, pool: Sequence[Signer], rng) -> None:
    action_type = ContentType.objects.get_for_model(Action).pk
    writers = rng.sample(pool, min(len(pool), EMAILS_SENT))
    rows, activities = [], []
    for n, writer in enumerate(writers):
        at = _between(rng, _at(2017, 12, 16, 18), _at(2017, 12, 31, 22), skew=2.0)
        language = _language(writer)
        method = (EmailSent.Method.OUTBOX if rng.random() < 0.7
                  else EmailSent.Method.MAIL_APP).value
        rows.append((action.pk, target.pk, writer.id, f"demo-email-{n}", method,
                     LETTER_SUBJECT[language], LETTER_BODY[language], at))
        activities.append((writer.id, TARGET_EMAILED.value, action_type,
                           action.pk, action.campaign_id, writer.chapter_id, at))
    rows_insert(EmailSent, ("action_id", "target_id", "person_id", "token", "method",
                            "subject", "body", "created_at"), rows)
    rows_insert(Activity, _ACTIVITY_COLUMNS, activities)


# --- Entry point --------------------------------------------------------------------------

def advocacy_insert(*, structure: Structure, seed: int) -> dict[str, Target]:
    """Load the issue-5 demo: targets, ridings, petitions, a sign-on and actions.

    Called by `demo_data_load` once the members exist (they are the signers, callers
    and writers); like the rest of the demo it is meant for an empty database. Returns
    the targets by key, for the workers' centre's campaign (`status_campaign.py`).
    """
    rng = random.Random(seed * 7919 + 5)  # noqa: S311 -- invented demo data, not secrets
    coordinator = get_user_model().objects.filter(username="coordinator").first()
    targets = _targets_build()
    students = _signers_pool(structure, LARGEST_PETITION, "msu")
    coalition = _signers_pool(structure, LARGEST_PETITION, "cmwrc")
    _petitions_build(structure, targets, students, rng, coordinator)
    _sign_on_build(structure, targets, coalition, rng, coordinator)
    _actions_build(structure, targets, students, coalition, rng)
    return targets
