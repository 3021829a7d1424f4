"""The issue-7 demo: the won campaign's story, toolkits, saved audiences and a call list.

Milestones are what organizers type by hand (media coverage, letters, meetings with
officials, the commitment, the victory); petitions and events of the same campaigns
already give the rest of the timeline. Dates are those of the stories: #FixPGWP
(August 2020 – January 8, 2021) and the spring 2020 health and income campaign of
Migrant Students United. Media milestones name the outlets the stories name and carry
no invented link.

Toolkit files are small text files written once under MEDIA_ROOT (their content does
not depend on the database, so loading the demo again reuses them).
"""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from solidaire.campaigns.models import Campaign, Milestone, Resource
from solidaire.core.bulk import rows_insert
from solidaire.core.models import Activity
from solidaire.events.activities import EVENT_ATTENDED
from solidaire.messaging.activities import (
    CALL_BACK,
    CALL_MESSAGE,
    CALL_NOT_INTERESTED,
    CALL_REACHED,
    CALL_WRONG_NUMBER,
)
from solidaire.messaging.models import Audience, CallAssignment, CallEntry, CallList
from solidaire.organizing.models import Chapter
from solidaire.people.models import Person

from .structure import Structure

date = datetime.date
K = Milestone.Kind

# (campaign slug, kind, date, title fr/en, description fr/en, outlet)
MILESTONES: tuple[tuple, ...] = (
    ("msu-health-income-support-2020", K.LETTER, date(2020, 4, 6),
     {"fr": "Lettre au gouvernement fédéral", "en": "Letter to the federal government"},
     {"fr": "Tirée des séances d'information de mars : soins de santé, soutien du revenu "
            "et changements aux règles d'immigration.",
      "en": "Drawn from the March information sessions: health care, income support and "
            "changes to immigration rules."}, ""),
    ("msu-health-income-support-2020", K.ACTION, date(2020, 5, 6),
     {"fr": "Début des rencontres hebdomadaires en ligne",
      "en": "Weekly online meetings begin"},
     {"fr": "De mai à juillet, des centaines d'étudiantes et d'étudiants chaque semaine pour "
            "s'informer et fixer les priorités.",
      "en": "From May to July, hundreds of student workers every week sharing information "
            "and setting priorities."}, ""),
    ("msu-health-income-support-2020", K.OTHER, date(2020, 6, 15),
     {"fr": "Des sections locales se forment", "en": "Local chapters are formed"},
     {"fr": "Des étudiantes et étudiants fondent des sections de MSU sur leur campus et "
            "dans leur ville.",
      "en": "Student workers start MSU chapters on their campuses and in their cities."}, ""),
    ("msu-health-income-support-2020", K.ACTION, date(2020, 7, 4),
     {"fr": "Actions pour un statut pour toutes et tous", "en": "Status for All actions"},
     {"fr": "Les étudiantes et étudiants migrants se joignent aux actions partout au pays.",
      "en": "Migrant students join the actions across the country."}, ""),
    ("fix-pgwp", K.ACTION, date(2020, 8, 23),
     {"fr": "Action pour un statut plein et permanent à Toronto",
      "en": "Full and permanent status action in Toronto"}, {}, ""),
    ("fix-pgwp", K.ACTION, date(2020, 9, 20),
     {"fr": "Rassemblements à Toronto", "en": "Rallies in Toronto"}, {}, ""),
    ("fix-pgwp", K.MEDIA, date(2020, 9, 21),
     {"fr": "Nos histoires à CBC National", "en": "Our stories on CBC National"}, {},
     "CBC National"),
    ("fix-pgwp", K.MEDIA, date(2020, 9, 22),
     {"fr": "Reportage de Global News", "en": "Global News coverage"}, {}, "Global News"),
    ("fix-pgwp", K.MEDIA, date(2020, 9, 23),
     {"fr": "Article du Toronto Star", "en": "Toronto Star article"}, {}, "Toronto Star"),
    ("fix-pgwp", K.ACTION, date(2020, 10, 25),
     {"fr": "Un permis de travail géant devant les bureaux de l'immigration",
      "en": "A giant work permit outside immigration headquarters"},
     {"fr": "Rassemblement au centre-ville de Toronto.",
      "en": "A rally in downtown Toronto."}, ""),
    ("fix-pgwp", K.LETTER, date(2020, 11, 2),
     {"fr": "Lettre au ministre de l'Immigration Marco Mendicino",
      "en": "Letter to Immigration Minister Marco Mendicino"},
     {"fr": "Pour lui demander d'agir vite et de faire les changements nécessaires.",
      "en": "Urging him to act quickly and make the necessary changes."}, ""),
    ("fix-pgwp", K.ACTION, date(2020, 11, 26),
     {"fr": "Affiches sur le bureau du ministre et dans sa circonscription",
      "en": "Posters on the minister's office and across his riding"},
     {"fr": "Il doit arrêter les expulsions massives.",
      "en": "He must stop mass deportations."}, ""),
    ("fix-pgwp", K.MEETING, date(2020, 11, 30),
     {"fr": "Rencontre avec des fonctionnaires d'Immigration Canada",
      "en": "Meeting with civil servants at Immigration Canada"}, {}, ""),
    ("fix-pgwp", K.COMMITMENT, date(2020, 12, 1),
     {"fr": "Le ministre s'engage à agir au Parlement",
      "en": "The minister commits to act in Parliament"},
     {"fr": "Devant notre organisation, le ministre de l'Immigration s'engage à agir. Nous "
            "ne nous arrêtons pas.",
      "en": "Faced with our organizing, the Immigration Minister commits to taking action. "
            "We do not stop."}, ""),
    ("fix-pgwp", K.ACTION, date(2020, 12, 10),
     {"fr": "Affiches sur les bureaux de quatre ministres",
      "en": "Posters on the offices of four ministers"},
     {"fr": "Carolyn Bennett, Navdeep Bains, Maryam Monsef et Carla Qualtrough.",
      "en": "Carolyn Bennett, Navdeep Bains, Maryam Monsef and Carla Qualtrough."}, ""),
    ("fix-pgwp", K.VICTORY, date(2021, 1, 8),
     {"fr": "Victoire : les permis postdiplôme deviennent renouvelables",
      "en": "Victory: post-graduation work permits become renewable"},
     {"fr": "Pour la première fois, plus de 52 000 personnes titulaires d'un permis "
            "postdiplôme peuvent demander un nouveau permis et une autre chance d'obtenir "
            "la résidence permanente.",
      "en": "For the first time, over 52,000 migrant student workers on the PGWP can apply "
            "for another permit and have another chance to qualify for permanent "
            "residence."}, ""),
    ("statut-permanent-permis-expirants-2026", K.ACTION, date(2026, 2, 7),
     {"fr": "Rassemblement au centre-ville de Montréal",
      "en": "Rally in downtown Montréal"},
     {"fr": "Des dizaines de personnes demandent au gouvernement fédéral un statut "
            "permanent pour les personnes au statut précaire ou sans statut.",
      "en": "Dozens call on the federal government to grant permanent status to people "
            "with precarious status or none."}, ""),
)

# The campaign going on now: its story is public while it runs, so the home page's
# campaign card opens it (decision 0066).
CURRENT = "statut-permanent-permis-expirants-2026"
CURRENT_STORY_INTRO = {
    "fr": "En 2026, près de deux millions de permis temporaires arrivent à échéance, au "
          "moment où Québec abandonne le Programme de l'expérience québécoise. Des "
          "travailleuses et travailleurs qui vivent ici depuis des années risquent de perdre "
          "leur statut. Nous demandons la prolongation des permis et un statut permanent "
          "pour toutes et tous. Voici où en est la campagne.",
    "en": "In 2026 close to two million temporary permits run out, just as Québec winds "
          "down the Québec Experience Program. Workers who have lived here for years risk "
          "losing their status. We demand that permits be extended and permanent status "
          "for all. This is where the campaign stands.",
}

WON = "fix-pgwp"
STORY_INTRO = {
    "fr": "Au printemps 2020, des milliers d'étudiantes et d'étudiants migrants perdaient "
          "leur emploi et, avec lui, l'expérience exigée pour la résidence permanente. En "
          "cinq mois de pétitions, de rassemblements et de pression sur les ministres, ils "
          "ont obtenu des permis postdiplôme renouvelables. Voici comment.",
    "en": "In the spring of 2020, thousands of migrant student workers were losing their "
          "jobs and, with them, the work experience permanent residence requires. In five "
          "months of petitions, rallies and pressure on ministers, they won renewable "
          "post-graduation work permits. This is how.",
}

R = Resource.Kind
# (campaign slug, kind, language, title, text of the file, downloads)
RESOURCES: tuple[tuple, ...] = (
    (WON, R.FLYER, "en", "Flyer: Fix the PGWP",
     "FIX THE PGWP\nRenewable post-graduation work permits. All work counts.\n"
     "Full and permanent immigration status for all.\n", 412),
    (WON, R.FLYER, "fr", "Tract : Réparez le permis postdiplôme",
     "RÉPAREZ LE PERMIS POSTDIPLÔME\nDes permis renouvelables. Tout travail compte.\n"
     "Un statut plein et permanent pour toutes et tous.\n", 138),
    (WON, R.FLYER, "pa", "ਪਰਚਾ: PGWP ਠੀਕ ਕਰੋ",
     "PGWP ਠੀਕ ਕਰੋ\nਨਵਿਆਉਣਯੋਗ ਵਰਕ ਪਰਮਿਟ। ਹਰ ਕੰਮ ਗਿਣਿਆ ਜਾਵੇ।\n", 64),
    (WON, R.FAQ, "en", "Questions and answers on the PGWP",
     "Q: Why can't I complete my work experience?\n"
     "A: The pandemic closed workplaces; the permit cannot be renewed.\n", 287),
    (WON, R.FAQ, "fr", "Questions et réponses sur le permis postdiplôme",
     "Q : Pourquoi ne puis-je pas compléter mon expérience de travail ?\n"
     "R : La pandémie a fermé les lieux de travail et le permis ne se renouvelle pas.\n", 91),
    (WON, R.FAQ, "tl", "Mga tanong at sagot tungkol sa PGWP",
     "T: Bakit hindi ko makumpleto ang karanasan sa trabaho?\n"
     "S: Isinara ng pandemya ang mga trabaho; hindi na-rerenew ang permit.\n", 37),
    (WON, R.BACKGROUNDER, "en", "Backgrounder: migrant student workers and the PGWP",
     "Migrant student workers kept grocery stores, warehouses and deliveries running.\n"
     "The post-graduation work permit can be held only once.\n", 176),
    (WON, R.BACKGROUNDER, "fr", "Document d'information : le permis postdiplôme",
     "Les étudiantes et étudiants migrants ont fait tourner épiceries et entrepôts.\n"
     "Le permis postdiplôme ne s'obtient qu'une fois.\n", 58),
    ("statut-permanent-permis-expirants-2026", R.FLYER, "fr",
     "Tract : statut permanent pour les permis qui expirent",
     "STATUT PERMANENT POUR TOUTES ET TOUS\nProlongez les permis qui expirent.\n", 203),
    ("statut-permanent-permis-expirants-2026", R.FLYER, "en",
     "Flyer: permanent status for expiring permits",
     "PERMANENT STATUS FOR ALL\nExtend the permits about to expire.\n", 119),
    ("statut-permanent-permis-expirants-2026", R.FLYER, "es",
     "Volante: estatus permanente para los permisos que vencen",
     "ESTATUS PERMANENTE PARA TODAS Y TODOS\nExtiendan los permisos que vencen.\n", 84),
    ("statut-permanent-permis-expirants-2026", R.FAQ, "fr",
     "Foire aux questions : mon permis expire",
     "Q : Mon permis expire cette année. Que faire ?\n"
     "R : Venez à une séance d'information du Centre.\n", 66),
    ("statut-permanent-permis-expirants-2026", R.FAQ, "tl",
     "Mga tanong: mag-e-expire ang aking permit",
     "T: Mag-e-expire ang permit ko ngayong taon. Ano ang gagawin ko?\n"
     "S: Pumunta sa information session ng Centre.\n", 22),
)

CALL_KINDS = {
    CallEntry.Outcome.REACHED: CALL_REACHED,
    CallEntry.Outcome.MESSAGE: CALL_MESSAGE,
    CallEntry.Outcome.WRONG_NUMBER: CALL_WRONG_NUMBER,
    CallEntry.Outcome.CALL_BACK: CALL_BACK,
    CallEntry.Outcome.NOT_INTERESTED: CALL_NOT_INTERESTED,
}
CALL_SCRIPT = {
    "fr": "Bonjour, ici {bénévole} du Centre des travailleurs et travailleuses immigrants. "
          "Votre permis expire-t-il cette année ? Nous tenons une séance d'information "
          "bientôt : pouvons-nous compter sur vous ?",
    "en": "Hello, this is {volunteer} from the Immigrant Workers Centre. Does your permit "
          "expire this year? We are holding an information session soon: can we count on "
          "you?",
}


def campaign_story_insert(*, structure: Structure, seed: int) -> None:
    """Milestones, the published story, toolkits, two audiences and a call list."""
    rng = random.Random(seed * 7919 + 7)  # noqa: S311 -- invented demo data, not secrets
    campaigns = structure.campaigns
    coordinator = get_user_model().objects.filter(username="coordinator").first()
    Milestone.objects.bulk_create([
        Milestone(campaign=campaigns[slug], kind=kind, happened_on=day, title=title,
                  description=description, outlet=outlet, created_by=coordinator)
        for slug, kind, day, title, description, outlet in MILESTONES
    ])
    Campaign.objects.filter(pk=campaigns[WON].pk).update(
        story_published=True, story_intro=STORY_INTRO)
    Campaign.objects.filter(pk=campaigns[CURRENT].pk).update(
        story_published=True, story_intro=CURRENT_STORY_INTRO)
    _resources_insert(campaigns)
    _audiences_and_calls_insert(structure, rng, coordinator)


def _resources_insert(campaigns: dict[str, Campaign]) -> None:
    rows = []
    for n, (slug, kind, language, title, text, downloads) in enumerate(RESOURCES):
        name = f"toolkit/demo/{slug}-{kind}-{language}-{n}.txt"
        if not default_storage.exists(name):
            name = default_storage.save(name, ContentFile(text.encode()))
        rows.append(Resource(campaign=campaigns[slug], kind=kind, language=language,
                             title=title, file=name, download_count=downloads))
    Resource.objects.bulk_create(rows)


def _audiences_and_calls_insert(structure: Structure, rng: random.Random, coordinator) -> None:
    iwc = structure.organizations["iwc"]
    # Re-read: the tree's paths of chapters built earlier may be stale in memory.
    montreal = Chapter.objects.get(pk=structure.chapters["iwc.montreal"].pk)
    campaign = structure.campaigns["statut-permanent-permis-expirants-2026"]
    montreal_organizer = get_user_model().objects.filter(username="montreal").first()
    today = timezone.localdate()
    callable_people = Audience.objects.create(
        name="Montréal : on peut les appeler", organization=iwc,
        chapter=montreal, created_by=montreal_organizer,
        definition={"chapters": [montreal.pk], "consent": ["phone"]},
    )
    Audience.objects.create(
        name="Québec : actifs sans rassemblement 2026", organization=iwc, created_by=coordinator,
        definition={
            "chapters": [structure.chapters["iwc.quebec"].pk],
            "actions": {"min": 2, "max": None,
                        "since": str(today - datetime.timedelta(days=365)), "until": ""},
            "did_not": [{"kind": EVENT_ATTENDED.value, "campaign": campaign.pk,
                         "object_type": "", "object_id": None, "since": "", "until": ""}],
        },
    )
    # The Montréal volunteers call, and the chapter organizer takes a share too.
    callers = list(get_user_model().objects.filter(
        organizer_role__role="volunteer", organizer_role__chapters=montreal).order_by("pk"))
    if not callers:
        return
    if montreal_organizer is not None:
        callers.append(montreal_organizer)
    call_list = CallList.objects.create(
        name="Séance d'information : permis qui expirent", organization=iwc, chapter=montreal,
        campaign=campaign, audience=callable_people, script=CALL_SCRIPT,
        created_by=montreal_organizer,
    )
    # The people the audience names (chapter tree, phone consent) who have a phone.
    people = list(Person.objects.filter(
        home_chapter__path__startswith=montreal.path, consent_phone=True,
        phones__isnull=False,
    ).distinct().order_by("pk").values_list("pk", "home_chapter_id")[:40])
    if not people:
        return
    CallAssignment.objects.bulk_create(
        [CallAssignment(call_list=call_list, caller=caller) for caller in callers])
    assignments = list(CallAssignment.objects.filter(call_list=call_list).order_by("pk"))
    # Ledger rows as `messaging.calls.entry_outcome_record` writes them: about the list.
    list_type = ContentType.objects.get_for_model(CallList)
    started = timezone.now() - datetime.timedelta(days=2)
    outcomes = list(CALL_KINDS)
    entries = []
    ledger = []
    for n, (person_id, chapter_id) in enumerate(people):
        assignment = assignments[n % len(assignments)]
        position = n // len(assignments)
        outcome, called_at = "", None
        if n < len(people) * 0.6:  # the first ones are called, the rest wait
            outcome = rng.choices(outcomes, weights=(5, 3, 1, 2, 1))[0]
            called_at = started + datetime.timedelta(minutes=7 * n + rng.randint(0, 5))
        entries.append(CallEntry(assignment=assignment, person_id=person_id, position=position,
                                 outcome=outcome, called_at=called_at))
        if outcome:
            ledger.append((person_id, CALL_KINDS[outcome].value, list_type.pk, call_list.pk,
                           campaign.pk, chapter_id, called_at))
    CallEntry.objects.bulk_create(entries)
    rows_insert(Activity, ("person_id", "kind", "object_type_id", "object_id", "campaign_id",
                           "chapter_id", "occurred_at"), ledger)
