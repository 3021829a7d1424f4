"""The workers' centre's current campaign in the demo: permanent status as permits expire.

From the stories: close to two million temporary permits expiring in the coming months
of 2026, Québec phasing out the PEQ, temporary residents up from 1.4 million (early
2022) to 3.2 million (October 2024, 7.5% of the population), the rally in downtown
Montréal on 2026-02-07 that opened the campaign, and the unions' and municipalities'
calls to let these workers stay. The student network gets an open letter of its own
(all work must count toward permanent residence), so that each demo account has a
statement organizations are signing. What a newcomer opens today is OPEN: a petition to the
Immigration Minister signed over the past weeks, a call-your-MP action that finds the
member for a postal code (the riding table is in `advocacy.py`), and a letter that
organizations sign. Its events (an online information session, the members' assembly,
the Week of Action) are in `events.py`, dated from today.

Dates are counted back from now, as the upcoming events are counted forward, so the demo
never goes stale. Officials appear by name and role only; their contact details are
invented (`advocacy.TARGETS`). Signatures and their ledger rows go in bulk.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from solidaire.advocacy.models import Action
from solidaire.campaigns.models import Level, Publication, Target
from solidaire.core.bulk import rows_insert
from solidaire.core.intake import contact_key
from solidaire.core.models import Activity
from solidaire.people.duplicates import name_fold
from solidaire.petitions.activities import PETITION_SIGNED, SIGNON_ENDORSED
from solidaire.petitions.models import Endorsement, Petition, Signature, SignOn

from .advocacy import (
    _ACTIVITY_COLUMNS,
    LARGEST_PETITION,
    PAPER_SHARE,
    SHEET_ROWS,
    Signer,
    _between,
    _language,
    _signers_pool,
)
from .structure import Structure

CAMPAIGN = "statut-permanent-permis-expirants-2026"
# The stories give no count for this petition: the centre's reach, of the order of its
# assemblies and rallies. A smaller demo list signs in proportion (see `_signature_count`).
SIGNATURES = 2_400
SIGNATURES_AT_FULL_SCALE = 4_000  # list size from which the petition has all 2,400
PETITION_OPENED_DAYS_AGO = 40
SIGN_ON_OPENED_DAYS_AGO = 30

PETITION: dict[str, Any] = {
    "slug": "prolongez-les-permis-statut-permanent",
    "title": {"fr": "Prolongez les permis qui expirent : un statut permanent pour toutes "
                    "et tous",
              "en": "Extend expiring permits: permanent status for all"},
    "summary": {
        "fr": "Près de deux millions de permis temporaires arrivent à échéance en 2026, au "
              "moment où Québec abandonne le PEQ. Nous demandons à la ministre de "
              "l'Immigration de les prolonger et d'ouvrir un chemin clair vers la "
              "résidence permanente.",
        "en": "Close to two million temporary permits run out in 2026, just as Québec winds "
              "down the PEQ. We ask the Minister of Immigration to extend them and to open "
              "a clear path to permanent residence.",
    },
    "body": {
        "fr": "Madame la Ministre,\n\n"
              "De 1,4 million au début de 2022, le nombre de personnes résidentes "
              "temporaires est passé à 3,2 millions en octobre 2024, soit 7,5 % de la "
              "population. Elles travaillent dans les entrepôts, les usines, les champs et "
              "les soins. Cette année, près de deux millions de leurs permis arrivent à "
              "échéance, et la fin du Programme de l'expérience québécoise ferme la voie "
              "sur laquelle beaucoup comptaient.\n\n"
              "Nous vous demandons :\n"
              "– de prolonger les permis de travail et d'études qui expirent ;\n"
              "– un chemin clair vers la résidence permanente pour les personnes "
              "résidentes temporaires déjà ici ;\n"
              "– un statut permanent pour les personnes au statut précaire ou sans statut.",
        "en": "Dear Minister,\n\n"
              "Temporary residents went from 1.4 million in early 2022 to 3.2 million in "
              "October 2024, 7.5% of the population. They work in warehouses, factories, "
              "fields and care. This year close to two million of their permits run out, "
              "and the end of the Programme de l'expérience québécoise closes the route "
              "many were counting on.\n\n"
              "We ask you:\n"
              "– to extend the work and study permits that are about to expire;\n"
              "– for a clear path to permanent residence for temporary residents already "
              "here;\n"
              "– for permanent status for people with precarious status or none.",
    },
}
SIGNER_COMMENTS = (
    "Mon permis fermé expire en mars ; mon employeur le sait.",
    "J'attendais le PEQ. Il n'existe plus.",
    "My work permit ends this spring and my children go to school here.",
    "Seven years in a warehouse in Laval. I am not temporary.",
)

ACTION: dict[str, Any] = {
    # The address of earlier demos, kept: links to it keep working.
    "slug": "appelez-ottawa-statut-pour-toutes-et-tous",
    "title": {"fr": "Appelez votre député·e : un statut permanent pour toutes et tous",
              "en": "Call your MP: permanent status for all"},
    "intro": {
        "fr": "Des milliers de permis expirent cette année. Entrez votre code postal pour "
              "trouver votre député·e fédéral·e et demandez-lui de porter à la ministre "
              "de l'Immigration un programme de régularisation large et inclusif. (Démo : "
              "seuls quelques préfixes sont chargés, par ex. H2X, H2G, G5L, G7H, J8T.)",
        "en": "Thousands of permits expire this year. Enter your postal code to find your "
              "federal MP and ask them to press the Immigration Minister for a broad and "
              "inclusive regularization program. (Demo: only a few prefixes are loaded, "
              "e.g. H2X, H2G, G5L, G7H, J8T.)",
    },
    "script": {
        "fr": "Bonjour, je m'appelle [votre nom] et j'habite votre circonscription. Près de "
              "deux millions de permis expirent cette année et le PEQ disparaît. Je demande "
              "à votre député·e de réclamer auprès de la ministre de l'Immigration la "
              "prolongation de ces permis et un statut permanent pour toutes et tous. "
              "Merci de transmettre mon message.",
        "en": "Hello, my name is [your name] and I live in your riding. Close to two "
              "million permits expire this year and the PEQ is ending. I ask my MP to press "
              "the Immigration Minister to extend these permits and grant permanent status "
              "for all. Please pass on my message.",
    },
}

SIGN_ON: dict[str, Any] = {
    "slug": "lettre-des-organisations-permis-qui-expirent",
    "title": {"fr": "Lettre des organisations : prolonger les permis, régulariser les "
                    "personnes",
              "en": "Organizations' letter: extend permits, regularize people"},
    "body": {
        "fr": "Madame la Ministre,\n\n"
              "Nos organisations syndicales, communautaires et étudiantes accompagnent "
              "chaque jour des personnes dont le permis arrive à échéance en 2026. Elles "
              "vivent et travaillent ici depuis des années ; la fin du PEQ et des permis "
              "fermés les poussent vers la perte de statut.\n\n"
              "Nous vous demandons de prolonger les permis de travail et d'études qui "
              "expirent, d'ouvrir un chemin clair vers la résidence permanente et de "
              "régulariser les personnes sans statut.\n\n"
              "Votre organisation appuie cette lettre ? Ajoutez son nom.",
        "en": "Dear Minister,\n\n"
              "Our union, community and student organizations stand every day beside people "
              "whose permits run out in 2026. They have lived and worked here for years; "
              "the end of the PEQ and employer-specific permits push them toward losing "
              "their status.\n\n"
              "We ask you to extend the work and study permits about to expire, to open a "
              "clear path to permanent residence, and to regularize people without "
              "status.\n\n"
              "Does your organization support this letter? Add its name.",
    },
}
K = Endorsement.Kind
# Organizations of the stories, each on the record for permanent status.
ENDORSERS = (
    ("Alliance Ouvrière", K.WORKERS, "Montréal"),
    ("Migrant Students United", K.STUDENT, "Toronto"),
    ("Coalition for Migrant Worker Rights Canada", K.COMMUNITY, "Toronto"),
    ("PINAY Québec", K.WORKERS, "Montréal"),
    ("AAFQ – Association des aides familiales du Québec", K.WORKERS, "Montréal"),
    ("Congrès du travail du Canada / Canadian Labour Congress", K.UNION, "Ottawa"),
)
# Invented, waiting for a coordinator's decision.
PENDING_ENDORSERS = (
    ("Comité de solidarité avec les travailleurs agricoles de Lanaudière", K.COMMUNITY,
     "Joliette"),
    ("Association des étudiantes et étudiants internationaux de Rimouski", K.STUDENT,
     "Rimouski"),
)


def _signature_count(pool: list[Signer]) -> int:
    """All 2,400 from a list of 4,000 up; a smaller list signs in the same proportion."""
    return min(len(pool), round(SIGNATURES * min(1.0, len(pool) / SIGNATURES_AT_FULL_SCALE)))


def _petition_build(structure: Structure, targets: dict[str, Target], pool: list[Signer],
                    rng: random.Random, now: datetime.datetime) -> Petition:
    campaign = structure.campaigns[CAMPAIGN]
    opened = now - datetime.timedelta(days=PETITION_OPENED_DAYS_AGO)
    petition = Petition.objects.create(
        slug=PETITION["slug"], organization=structure.organizations["iwc"], campaign=campaign,
        title=PETITION["title"], summary=PETITION["summary"], body=PETITION["body"],
        goal=3_000, status=Publication.OPEN, show_signers=True, created_at=opened,
    )
    petition.targets.set([targets["diab"]])
    petition_type = ContentType.objects.get_for_model(Petition).pk
    signature_rows, activity_rows = [], []
    paper_rows = 0
    for n, signer in enumerate(rng.sample(pool, _signature_count(pool))):
        # A launch rush, then a steady trickle up to the last hour.
        signed_at = _between(rng, opened, now - datetime.timedelta(hours=1), skew=1.4)
        source, sheet_number = Signature.Source.ONLINE.value, ""
        if rng.random() < PAPER_SHARE:  # sheets from the information sessions and rallies
            source = Signature.Source.PAPER.value
            sheet_number = str(paper_rows // SHEET_ROWS + 1)
            paper_rows += 1
        comment = ""
        if source == Signature.Source.ONLINE.value and rng.random() < 0.05:
            comment = rng.choice(SIGNER_COMMENTS)
        key = (contact_key(email=signer.email) if signer.email
               else contact_key(phone=f"demo-person-{signer.id}"))
        signature_rows.append((
            petition.pk, signer.id, f"demo-{petition.slug}-{n}", key,
            Signature.Status.COUNTED.value, source, sheet_number, signer.name, "", "",
            signer.postal_code, signer.city, _language(signer), comment, False, False,
            signed_at, signed_at + datetime.timedelta(seconds=rng.randint(5, 600)),
        ))
        activity_rows.append((signer.id, PETITION_SIGNED.value, petition_type, petition.pk,
                              campaign.pk, signer.chapter_id, signed_at))
    rows_insert(Signature, (
        "petition_id", "person_id", "token", "contact_key", "status", "source",
        "sheet_number", "name", "email", "phone", "postal_code", "city", "language",
        "comment", "consent_email", "consent_sms", "created_at", "processed_at",
    ), signature_rows)
    rows_insert(Activity, _ACTIVITY_COLUMNS, activity_rows)
    return petition


def _action_build(structure: Structure, targets: dict[str, Target],
                  now: datetime.datetime) -> Action:
    action = Action.objects.create(
        slug=ACTION["slug"], kind=Action.Kind.CALL, organization=structure.organizations["iwc"],
        campaign=structure.campaigns[CAMPAIGN], title=ACTION["title"], intro=ACTION["intro"],
        script=ACTION["script"], targeting=Action.Targeting.RIDING,
        riding_level=Level.FEDERAL, status=Publication.OPEN, goal=400,
        created_at=now - datetime.timedelta(days=PETITION_OPENED_DAYS_AGO - 2),
    )
    # Outside the riding table (or without a postal code), the supporter calls the minister.
    action.targets.set([targets["diab"]])
    return action


# The student network's open letter, so that its coordinator too has a statement that
# organizations are signing today; the organizations are those of its stories.
STUDENT_SIGN_ON: dict[str, Any] = {
    "slug": "que-tout-travail-compte",
    "title": {"fr": "Lettre ouverte : que tout travail compte pour la résidence permanente",
              "en": "Open letter: all work must count toward permanent residence"},
    "body": {
        "fr": "Les étudiantes et étudiants travailleurs migrants livrent, remplissent les "
              "tablettes, travaillent dans les entrepôts, la construction et les soins. Ce "
              "travail fait tourner la société, mais parce qu'il est payé bas salaire, il ne "
              "compte pas pour la résidence permanente.\n\n"
              "Nous demandons que tout travail, y compris à bas salaire, compte pour la "
              "résidence permanente, et un statut plein et permanent pour toutes et tous.\n\n"
              "Votre organisation appuie cette lettre ? Ajoutez son nom.",
        "en": "Migrant student workers deliver, stock shelves, and work in warehouses, "
              "construction and care. That work keeps society running, yet because it is "
              "low-waged it does not count toward permanent residence.\n\n"
              "We call for all work, low-wage work included, to count toward permanent "
              "residence, and for full and permanent status for all.\n\n"
              "Does your organization support this letter? Add its name.",
    },
}
STUDENT_ENDORSERS = (
    ("Migrant Workers Alliance for Change", K.WORKERS, "Toronto"),
    ("Gig Workers United", K.WORKERS, "Toronto"),
    ("Caregivers Action Centre", K.WORKERS, "Toronto"),
    ("Justice for Migrant Workers", K.WORKERS, "Toronto"),
)
STUDENT_PENDING_ENDORSERS = (  # invented
    ("International Students' Society of Brampton", K.STUDENT, "Brampton"),
)


def _sign_on_build(structure: Structure, targets: dict[str, Target], pool: list[Signer],
                   rng: random.Random, now: datetime.datetime, coordinator, *, org: str,
                   spec: dict, endorsers: tuple, pending: tuple, days_ago: int,
                   campaign=None) -> SignOn:
    opened = now - datetime.timedelta(days=days_ago)
    sign_on = SignOn.objects.create(
        slug=spec["slug"], organization=structure.organizations[org], campaign=campaign,
        title=spec["title"], body=spec["body"], status=Publication.OPEN, created_at=opened,
    )
    sign_on.targets.set([targets["diab"]])
    sign_on_type = ContentType.objects.get_for_model(SignOn).pk
    listed = [(row, True) for row in endorsers] + [(row, False) for row in pending]
    # The contact people are on the organization's own list (decision 0035).
    contacts = rng.sample(pool, min(len(pool), len(listed)))
    endorsement_rows, activity_rows = [], []
    for n, ((org_name, kind, city), approved) in enumerate(listed):
        contact = contacts[n % len(contacts)] if contacts else None
        received = (_between(rng, opened, now - datetime.timedelta(days=4)) if approved
                    else now - datetime.timedelta(hours=6 + 20 * n))
        endorsement_rows.append((
            sign_on.pk, f"demo-{spec['slug']}-{n}", org_name, name_fold(org_name), kind.value,
            city, "", contact.id if contact else None,
            _language(contact) if contact else "fr",
            (Endorsement.Status.APPROVED if approved else Endorsement.Status.PENDING).value,
            coordinator.pk if approved and coordinator else None,
            received + datetime.timedelta(days=1) if approved else None, received,
        ))
        if contact:
            activity_rows.append((contact.id, SIGNON_ENDORSED.value, sign_on_type, sign_on.pk,
                                  campaign.pk if campaign else None, contact.chapter_id,
                                  received))
    rows_insert(Endorsement, (
        "sign_on_id", "token", "org_name", "name_key", "kind", "city", "website", "contact_id",
        "language", "status", "decided_by_id", "decided_at", "created_at",
    ), endorsement_rows)
    rows_insert(Activity, _ACTIVITY_COLUMNS, activity_rows)
    return sign_on


def status_campaign_insert(*, structure: Structure, targets: dict[str, Target],
                           seed: int) -> None:
    """The open petition, call action and sign-on of the workers' centre's 2026 campaign.

    Called by `demo_data_load` after `advocacy_insert` (whose targets and ridings it
    uses), with its own random stream: the earlier rows of a seed do not change.
    """
    rng = random.Random(seed * 7919 + 8)  # noqa: S311 -- invented demo data, not secrets
    coordinator = get_user_model().objects.filter(username="coordinator").first()
    pool = _signers_pool(structure, LARGEST_PETITION, "iwc")
    now = timezone.now().replace(microsecond=0)
    _petition_build(structure, targets, pool, rng, now)
    _action_build(structure, targets, now)
    _sign_on_build(structure, targets, pool, rng, now, coordinator, org="iwc", spec=SIGN_ON,
                   endorsers=ENDORSERS, pending=PENDING_ENDORSERS,
                   days_ago=SIGN_ON_OPENED_DAYS_AGO, campaign=structure.campaigns[CAMPAIGN])
    students = structure.organizations["msu"]
    student_coordinator = get_user_model().objects.filter(
        organizer_role__organization=students, organizer_role__role="coordinator").first()
    _sign_on_build(structure, targets, _signers_pool(structure, 50, "msu"), rng, now,
                   student_coordinator, org="msu", spec=STUDENT_SIGN_ON,
                   endorsers=STUDENT_ENDORSERS, pending=STUDENT_PENDING_ENDORSERS, days_ago=21)
