"""Events, a week of action and registrations of the demo (issue 6).

Built from the stories: Migrant Students United's online information sessions of
March 2020 (over 2,300 student workers in the first week, over 3,500 in the month),
the rallies outside ministers' offices in Toronto and Peel in 2020, the coalition's
press conferences of 2015-10-28 in five cities, the #StatusNow Week of Action
(2016-05-28 to 06-05) with events across the country, Alliance Ouvrière's first
congress at the Centre St-Pierre (2024-12-08), and the Immigrant Workers Centre's
National Workers Council Assembly (2025-11-15) with its noon rally outside 7075 rue
Saint-Hubert and its evening celebration.

A few upcoming events are dated from today (an information session, a full assembly
with a waiting list, a week of action whose regional events wait for a coordinator),
so the public events list is never empty in `make demo`.

Public officials appear by name and role only. Registrations and their ledger rows
are written in bulk. A demo smaller than the stories cannot give 3,500 different
participants: every count is then scaled by the same factor (people available /
`LARGEST_AUDIENCE`), as the petitions are; from that many demo people up, the counts
are the stories'. No e-mail is queued for demo rows.
"""

from __future__ import annotations

import datetime
import random
import secrets
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.text import slugify

from solidaire.core.bulk import rows_insert
from solidaire.core.models import Activity
from solidaire.events.activities import EVENT_ATTENDED, EVENT_REGISTERED
from solidaire.events.models import AttendanceImport, Event, FollowUp, Registration, Series
from solidaire.people.models import Person

from .structure import Structure

TZ = "America/Montreal"
# Cumulative participants of the March 2020 information sessions after each session:
# 2,300 after the first week, 3,500 by the end of the month.
INFO_SESSIONS = (
    (datetime.date(2020, 3, 17), 700),
    (datetime.date(2020, 3, 19), 1_500),
    (datetime.date(2020, 3, 21), 2_300),
    (datetime.date(2020, 3, 25), 2_800),
    (datetime.date(2020, 3, 28), 3_200),
    (datetime.date(2020, 3, 31), 3_500),
)
FIRST_WEEK = 2_300
MONTH = 3_500
NO_SHOW_SHARE = 0.2  # registered people who did not join
# Registrations of the information sessions: the most people the demo needs at once.
LARGEST_AUDIENCE = round(MONTH / (1 - NO_SHOW_SHARE))

R = Registration
_REGISTRATION_COLUMNS = (
    "event_id", "person_id", "manage_token", "status", "source", "language", "sheet_number",
    "first_time", "created_at", "status_changed_at", "attended_at", "attendance_source",
    "minutes_online", "checked_in_by_id",
)
_ACTIVITY_COLUMNS = ("person_id", "kind", "object_type_id", "object_id", "campaign_id",
                     "chapter_id", "occurred_at")


def scale_for(people: int) -> float:
    """The factor every story count is multiplied by for a demo of `people` people."""
    return min(1.0, people / LARGEST_AUDIENCE)


def info_session_attendance(scale: float) -> list[int]:
    """Participants of each March 2020 session; the cumulative rounding keeps the first
    week at round(2,300 × scale) and the month at round(3,500 × scale)."""
    counts, before = [], 0
    for _day, cumulative in INFO_SESSIONS:
        now = round(cumulative * scale)
        counts.append(now - before)
        before = now
    return counts


def _local(day: datetime.date, hour: int, minute: int = 0, tz: str = TZ) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(tz))


@dataclass(frozen=True, slots=True)
class Member:
    id: int
    language: str
    chapter_id: int | None


class Pools(dict):
    """Members by organization: an event's registrants are on its organization's list
    (each organization's list is its own, decision 0035)."""

    def of(self, event_or_organization) -> list[Member]:
        key = getattr(event_or_organization, "organization_id", None)
        return self.get(key if key is not None else event_or_organization.pk, [])


def _pools(limit: int) -> Pools:
    pools = Pools()
    rows = Person.objects.order_by("id").values_list(
        "id", "preferred_language", "home_chapter_id", "organization_id")
    for pk, language, chapter, organization in rows.iterator():
        members = pools.setdefault(organization, [])
        if len(members) < limit:
            members.append(Member(pk, language if language in ("fr", "en") else "en",
                                  chapter))
    return pools


class _Writer:
    """Collects registration and ledger rows, then writes them in two bulk inserts."""

    def __init__(self, rng: random.Random, checker_id: int | None):
        self.rng = rng
        self.checker_id = checker_id
        self.registrations: list[tuple] = []
        self.activities: list[tuple] = []
        self.confirmed: dict[int, int] = {}
        self.event_type = ContentType.objects.get_for_model(Event).pk

    def add(self, event: Event, member: Member, *, status=R.Status.CONFIRMED,
            source=R.Source.ONLINE, at: datetime.datetime, attended_at=None,
            attendance="", minutes=None, sheet="", first_time=False) -> None:
        self.registrations.append((
            event.pk, member.id, secrets.token_urlsafe(24), status.value, source.value,
            member.language, sheet, first_time, at,
            at + datetime.timedelta(days=1) if status == R.Status.CANCELLED else None,
            attended_at, attendance.value if attendance else "", minutes,
            self.checker_id if attendance == R.Attendance.CHECK_IN else None,
        ))
        if status == R.Status.CONFIRMED:
            self.confirmed[event.pk] = self.confirmed.get(event.pk, 0) + 1
        ledger = (self.event_type, event.pk, event.campaign_id, member.chapter_id)
        self.activities.append((member.id, EVENT_REGISTERED.value, *ledger, at))
        if attended_at:
            self.activities.append(
                (member.id, EVENT_ATTENDED.value, *ledger, attended_at))

    def in_person(self, event: Event, people: list[Member], *, paper: bool = False,
                  past: bool = True) -> None:
        """Registered ahead (some cancel, some do not come), then walk-ins on the day."""
        rng = self.rng
        opened = event.starts_at - datetime.timedelta(days=21)
        sheet_rows = 0
        for n, member in enumerate(people):
            walk_in = past and n >= len(people) * 0.85
            if walk_in:
                source = R.Source.PAPER if paper and rng.random() < 0.5 else R.Source.WALK_IN
                attendance = R.Attendance.PAPER if source == R.Source.PAPER \
                    else R.Attendance.CHECK_IN
                sheet = ""
                if source == R.Source.PAPER:
                    sheet, sheet_rows = str(sheet_rows // 20 + 1), sheet_rows + 1
                at = event.starts_at + datetime.timedelta(minutes=rng.randint(0, 45))
                self.add(event, member, source=source, at=at, attended_at=at,
                         attendance=attendance, sheet=sheet, first_time=rng.random() < 0.4)
                continue
            at = opened + (event.starts_at - opened) * rng.random()
            if rng.random() < 0.08:
                self.add(event, member, status=R.Status.CANCELLED, at=at)
                continue
            came = past and rng.random() < 0.75
            self.add(event, member, at=at,
                     attended_at=event.starts_at + datetime.timedelta(
                         minutes=rng.randint(-20, 30)) if came else None,
                     attendance=R.Attendance.CHECK_IN if came else "",
                     first_time=rng.random() < 0.1)

    def write(self) -> None:
        rows_insert(Registration, _REGISTRATION_COLUMNS, self.registrations)
        rows_insert(Activity, _ACTIVITY_COLUMNS, self.activities)
        for event_id, confirmed in self.confirmed.items():
            Event.objects.filter(pk=event_id).update(seats_taken=confirmed)


def _event(structure: Structure, *, slug: str, org: str, kind: str, title: dict,
           starts_at: datetime.datetime, hours: float, chapter: str | None = None,
           campaign: str | None = None, series: Series | None = None, summary=None,
           status=Event.Status.PUBLISHED, format=Event.Format.IN_PERSON, venue="",
           address="", city="", province="", languages=("fr", "en"), interpretation=(),
           capacity=None, time_zone=TZ, accessibility=None, online_url="",
           created_by=None, approved_by=None) -> Event:
    return Event.objects.create(
        slug=slug, organization=structure.organizations[org], kind=kind, title=title,
        summary=summary or {}, chapter=structure.chapters.get(chapter) if chapter else None,
        campaign=structure.campaigns.get(campaign) if campaign else None, series=series,
        status=status, format=format, venue=venue, address=address, city=city,
        province=province, starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=hours), time_zone=time_zone,
        languages=list(languages), interpretation=list(interpretation), capacity=capacity,
        accessibility=accessibility or {}, online_url=online_url, created_by=created_by,
        approved_by=approved_by,
    )


def _sized(count: int, scale: float, floor: int = 4) -> int:
    return max(min(count, floor), round(count * scale))


# --- March 2020: the information sessions -------------------------------------------------

def _info_sessions(structure, writer: _Writer, pools: Pools, scale: float,
                   uploader) -> list[Event]:
    rng = writer.rng
    pool = pools.of(structure.organizations["msu"])
    # The sessions were the student network's: its list is the crowd (decision 0035).
    scale = scale_for(len(pool))
    attendance = info_session_attendance(scale)
    registered = [round(count / (1 - NO_SHOW_SHARE)) for count in attendance]
    people = rng.sample(pool, min(len(pool), sum(registered)))
    events, start = [], 0
    for n, ((day, _cumulative), came, count) in enumerate(
            zip(INFO_SESSIONS, attendance, registered, strict=True), start=1):
        event = _event(
            structure, slug=f"seance-information-etudiants-migrants-2020-{n}", org="msu",
            kind=Event.Kind.INFO_SESSION, campaign="msu-health-income-support-2020",
            chapter="msu.canada", format=Event.Format.ONLINE,
            starts_at=_local(day, 19, tz="America/Toronto"), hours=1.5,
            time_zone="America/Toronto", languages=("en", "fr"),
            online_url="https://meet.example.org/msu-info-2020",
            title={"en": f"COVID-19 and migrant students: information session {n}",
                   "fr": f"La COVID-19 et les étudiants migrants : séance d'information {n}"},
            summary={"en": "Jobs lost, health care, permits and rent: what migrant students "
                           "can do now, and what we are asking the government.",
                     "fr": "Emplois perdus, soins de santé, permis et loyer : ce que les "
                           "étudiants migrants peuvent faire, et ce que nous demandons."},
        )
        events.append(event)
        batch, start = people[start:start + count], start + count
        for k, member in enumerate(batch):
            at = event.starts_at - datetime.timedelta(hours=rng.uniform(2, 72))
            joined = k < came
            writer.add(event, member, at=at,
                       attended_at=event.starts_at + datetime.timedelta(
                           minutes=rng.randint(0, 15)) if joined else None,
                       attendance=R.Attendance.IMPORT if joined else "",
                       minutes=rng.randint(10, 95) if joined else None)
        joined = min(came, len(batch))
        AttendanceImport.objects.create(
            event=event, filename=f"participants-{day.isoformat()}.csv", uploaded_by=uploader,
            rows=joined + joined // 10, participants=joined, matched_registrations=joined,
        )
    return events


# --- Rallies, press conferences, a congress, an assembly ---------------------------------

PRESS_CONFERENCES = (  # the five cities of 2015-10-28, with the places the story gives
    ("charlottetown", "Charlottetown", "PE", "200 Richmond Street", 11, 0, "America/Halifax"),
    ("edmonton", "Edmonton", "AB", "14931 107 Avenue", 15, 30, "America/Edmonton"),
    ("montreal", "Montréal", "QC", "CTI-IWC, 4755 avenue Van Horne", 10, 0, TZ),
    ("toronto", "Toronto", "ON", "Suite 223, 720 Spadina Avenue", 11, 0, "America/Toronto"),
    ("vancouver", "Vancouver", "BC", "550 W 6th Avenue #100", 9, 0, "America/Vancouver"),
)


def _past_events(structure, writer: _Writer, pools: Pools, scale: float) -> None:
    rng = writer.rng

    def crowd(event: Event, count: int, paper: bool = False) -> None:
        pool = pools.of(event)
        writer.in_person(event, rng.sample(pool, min(len(pool), _sized(count, scale))),
                         paper=paper)

    freeland = _event(
        structure, slug="rassemblement-bureau-vice-premiere-ministre-2020", org="msu",
        kind=Event.Kind.RALLY, chapter="msu.toronto", campaign="fix-pgwp",
        starts_at=_local(datetime.date(2020, 9, 12), 13, tz="America/Toronto"), hours=2,
        time_zone="America/Toronto", city="Toronto", province="ON", languages=("en",),
        venue="Outside the Deputy Prime Minister's constituency office",
        title={"en": "Mass rally outside Deputy Prime Minister Chrystia Freeland's office",
               "fr": "Grand rassemblement devant le bureau de la vice-première ministre "
                     "Chrystia Freeland"},
    )
    crowd(freeland, 400, paper=True)
    peel = _event(
        structure, slug="rassemblement-peel-2020", org="msu", kind=Event.Kind.RALLY,
        chapter="msu.peel", campaign="fix-pgwp",
        starts_at=_local(datetime.date(2020, 9, 13), 14, tz="America/Toronto"), hours=2,
        time_zone="America/Toronto", city="Brampton", province="ON", languages=("en",),
        title={"en": "Rally in Peel: fix the post-graduation work permit",
               "fr": "Rassemblement à Peel : réparez le permis postdiplôme"},
    )
    crowd(peel, 150, paper=True)
    for key, city, province, address, hour, minute, zone in PRESS_CONFERENCES:
        event = _event(
            structure, slug=f"conference-presse-move-{key}-2015", org="cmwrc",
            kind=Event.Kind.PRESS, campaign="move", city=city, province=province,
            address=address, starts_at=_local(datetime.date(2015, 10, 28), hour, minute, zone),
            hours=1, time_zone=zone,
            title={"en": f"Press conference in {city}: the coalition launches MoVE",
                   "fr": f"Conférence de presse à {city} : la coalition lance MoVE"},
        )
        crowd(event, 15)
    congress = _event(
        structure, slug="congres-alliance-ouvriere-2024", org="ao", kind=Event.Kind.CONGRESS,
        chapter="ao.montreal", starts_at=_local(datetime.date(2024, 12, 8), 9), hours=8,
        venue="Centre St-Pierre", address="1212, rue Panet", city="Montréal", province="QC",
        languages=("fr",),
        title={"fr": "Premier congrès de l'Alliance Ouvrière",
               "en": "Alliance Ouvrière's first congress"},
        summary={"fr": "Discussions de groupe, discours et débats pour adopter une stratégie "
                       "qui redonne au mouvement syndical son esprit combatif.",
                 "en": "Group discussions, speeches and debates to adopt a strategy that "
                       "revives the fighting spirit of the labour movement."},
    )
    crowd(congress, 200, paper=True)
    day = datetime.date(2025, 11, 15)
    assembly = _event(
        structure, slug="assemblee-conseil-national-2025", org="iwc",
        kind=Event.Kind.ASSEMBLY, chapter="iwc.quebec", campaign="mois-action-regularisation-2025",
        starts_at=_local(day, 9), hours=8, city="Montréal", province="QC",
        venue="Centre des travailleurs et travailleuses immigrants",
        languages=("fr", "en", "es"), interpretation=("en", "es"),
        title={"fr": "Assemblée du Conseil national des travailleurs et travailleuses",
               "en": "National Workers Council Assembly"},
        summary={"fr": "Une journée de discussion, de coordination et de planification avec "
                       "les régions de Saguenay–Lac-Saint-Jean, du Bas-Saint-Laurent, de "
                       "l'Outaouais, de Montréal et de Québec.",
                 "en": "A full day of discussion, coordination and planning with "
                       "Saguenay–Lac-Saint-Jean, Bas-Saint-Laurent, Outaouais, Montréal and "
                       "Québec City."},
    )
    crowd(assembly, 150, paper=True)
    rally = _event(
        structure, slug="rassemblement-7075-saint-hubert-2025", org="iwc",
        kind=Event.Kind.RALLY, chapter="iwc.montreal",
        campaign="mois-action-regularisation-2025", starts_at=_local(day, 12), hours=1,
        venue="Devant le 7075, rue Saint-Hubert", address="7075, rue Saint-Hubert",
        city="Montréal", province="QC",
        title={"fr": "Mois d'action : rassemblement de midi devant le 7075, rue Saint-Hubert",
               "en": "Month of Action: noon rally outside 7075 Saint-Hubert Street"},
    )
    crowd(rally, 250, paper=True)
    celebration = _event(
        structure, slug="celebration-25-ans-cti-2025", org="iwc",
        kind=Event.Kind.CELEBRATION, chapter="iwc.montreal",
        starts_at=_local(day, 18), hours=4, city="Montréal", province="QC",
        title={"fr": "Soirée de musique, de repas et de solidarité : 25 ans de luttes",
               "en": "An evening of music, food and solidarity: 25 years of struggle"},
    )
    crowd(celebration, 180)
    FollowUp.objects.create(
        event=assembly, audience=FollowUp.Audience.ATTENDED, token="demo-follow-up-assembly",  # noqa: S106
        subject={"fr": "Merci d'être venu·e à l'assemblée", "en": "Thank you for coming"},
        body={"fr": "Les comptes rendus des groupes alimenteront le plan d'action.",
              "en": "The groups' report-backs will inform the province-wide action plan."},
        recipients=sum(1 for row in writer.registrations
                       if row[0] == assembly.pk and row[10] is not None),
    )


# --- #StatusNow Week of Action (2016) ------------------------------------------------------

STATUSNOW_EVENTS = (  # (city, province, time zone, kind, day of May/June 2016)
    ("Toronto", "ON", "America/Toronto", Event.Kind.RALLY, datetime.date(2016, 5, 28)),
    ("Montréal", "QC", TZ, Event.Kind.RALLY, datetime.date(2016, 5, 29)),
    ("Vancouver", "BC", "America/Vancouver", Event.Kind.MEETING, datetime.date(2016, 5, 31)),
    ("Kelowna", "BC", "America/Vancouver", Event.Kind.MEETING, datetime.date(2016, 6, 1)),
    ("Edmonton", "AB", "America/Edmonton", Event.Kind.TRAINING, datetime.date(2016, 6, 2)),
    ("Winnipeg", "MB", "America/Winnipeg", Event.Kind.MEETING, datetime.date(2016, 6, 3)),
    ("Charlottetown", "PE", "America/Halifax", Event.Kind.RALLY, datetime.date(2016, 6, 4)),
    ("Toronto", "ON", "America/Toronto", Event.Kind.CELEBRATION, datetime.date(2016, 6, 5)),
)
_KIND_TITLES = {
    Event.Kind.RALLY: ("#StatusNow rally in {city}", "Rassemblement #StatusNow à {city}"),
    Event.Kind.MEETING: ("Meet your MP: #StatusNow in {city}",
                         "Rencontrez votre député·e : #StatusNow à {city}"),
    Event.Kind.TRAINING: ("Know your rights workshop in {city}",
                          "Atelier : connaître ses droits, à {city}"),
    Event.Kind.CELEBRATION: ("Closing celebration of the Week of Action in {city}",
                             "Fête de clôture de la semaine d'action à {city}"),
}


def _statusnow(structure, writer: _Writer, pools: Pools, scale: float) -> Series:
    campaign = structure.campaigns.get("statusnow-week-of-action-2016")
    series = Series.objects.create(
        slug="statusnow-semaine-action-2016", organization=structure.organizations["cmwrc"],
        campaign=campaign, starts_on=datetime.date(2016, 5, 28),
        ends_on=datetime.date(2016, 6, 5), is_public=True,
        title={"en": "#StatusNow Week of Action for migrant worker rights",
               "fr": "Semaine d'action #StatusNow pour les droits des travailleurs migrants"},
        summary={"en": "From May 28 to June 5, actions across the country as Ottawa reviews "
                       "the Temporary Foreign Worker Program. Join an event or organize "
                       "your own.",
                 "fr": "Du 28 mai au 5 juin, des actions partout au pays pendant la révision "
                       "du Programme des travailleurs étrangers temporaires. Joignez-vous à "
                       "un événement ou organisez le vôtre."},
    )
    for n, (city, province, zone, kind, day) in enumerate(STATUSNOW_EVENTS, start=1):
        en, fr = _KIND_TITLES[kind]
        event = _event(
            structure, slug=f"statusnow-2016-{n}", org="cmwrc", kind=kind, series=series,
            campaign="statusnow-week-of-action-2016", city=city, province=province,
            starts_at=_local(day, 17, tz=zone), hours=2, time_zone=zone,
            languages=("fr", "en") if province == "QC" else ("en",),
            title={"en": en.format(city=city), "fr": fr.format(city=city)},
        )
        pool = pools.of(event)
        writer.in_person(event, writer.rng.sample(pool, min(len(pool), _sized(40, scale))),
                         paper=kind == Event.Kind.RALLY)
    return series


# --- Upcoming: dated from today ------------------------------------------------------------

def _upcoming(structure, writer: _Writer, pools: Pools, scale: float, coordinator,
              organizers: dict) -> None:
    rng = writer.rng
    pool = pools.of(structure.organizations["iwc"])
    today = timezone.localdate(timezone.now(), ZoneInfo(TZ))

    def on(days: int, hour: int) -> datetime.datetime:
        return _local(today + datetime.timedelta(days=days), hour)

    campaign = "statut-permanent-permis-expirants-2026"
    session = _event(
        structure, slug="seance-information-permis-qui-expirent", org="iwc",
        kind=Event.Kind.INFO_SESSION, chapter="iwc.quebec", campaign=campaign,
        format=Event.Format.ONLINE, starts_at=on(6, 18), hours=1.5,
        online_url="https://meet.example.org/cti-permis", languages=("fr", "en", "es"),
        interpretation=("es",),
        title={"fr": "Mon permis expire : séance d'information en ligne",
               "en": "My permit is expiring: online information session"},
        summary={"fr": "Vos options quand un permis de travail ou d'études arrive à échéance, "
                       "et comment s'organiser ensemble.",
                 "en": "Your options when a work or study permit runs out, and how to "
                       "organize together."},
    )
    # Co-sponsored by Alliance Ouvrière: registrants may share their details with it.
    session.cosponsors.set([structure.organizations["ao"]])
    for member in rng.sample(pool, min(len(pool), _sized(120, scale, floor=8))):
        cancelled = rng.random() < 0.08
        writer.add(session, member, at=timezone.now() - datetime.timedelta(
            hours=rng.uniform(1, 240)),
            status=R.Status.CANCELLED if cancelled else R.Status.CONFIRMED)
    # This evening in Montréal: the volunteer's check-in opens around it (decision 0044).
    workshop = _event(
        structure, slug="atelier-droits-ce-soir", org="iwc", kind=Event.Kind.TRAINING,
        chapter="iwc.montreal", campaign=campaign, starts_at=on(0, 18), hours=2,
        venue="Centre des travailleurs et travailleuses immigrants",
        address="4755 avenue Van Horne", city="Montréal", province="QC",
        languages=("fr", "es"),
        title={"fr": "Atelier : vos droits quand votre permis expire",
               "en": "Workshop: your rights when your permit expires"},
        summary={"fr": "Questions-réponses avec une avocate bénévole, en français et en "
                       "espagnol.",
                 "en": "Questions and answers with a volunteer lawyer, in French and "
                       "Spanish."},
    )
    for member in rng.sample(pool, min(len(pool), _sized(25, scale, floor=6))):
        writer.add(workshop, member, at=timezone.now() - datetime.timedelta(
            hours=rng.uniform(2, 120)))
    capacity = _sized(60, scale, floor=6)
    assembly = _event(
        structure, slug="assemblee-generale-des-membres", org="iwc", kind=Event.Kind.ASSEMBLY,
        chapter="iwc.montreal", campaign=campaign, starts_at=on(13, 10), hours=6,
        venue="Centre des travailleurs et travailleuses immigrants",
        city="Montréal", province="QC", capacity=capacity, interpretation=("en", "es"),
        accessibility={"fr": "Entrée de plain-pied, halte-garderie sur inscription.",
                       "en": "Step-free entrance, childcare on request."},
        title={"fr": "Assemblée générale des membres", "en": "General members' assembly"},
        summary={"fr": "Bilan de l'année et priorités de la campagne pour le statut "
                       "permanent. La salle est pleine : inscrivez-vous sur la liste "
                       "d'attente.",
                 "en": "The year in review and the priorities of the campaign for permanent "
                       "status. The room is full: join the waiting list."},
    )
    people = rng.sample(pool, min(len(pool), capacity + 6))
    for k, member in enumerate(people):
        at = timezone.now() - datetime.timedelta(hours=200 - k)
        if k < capacity:
            writer.add(assembly, member, at=at, first_time=rng.random() < 0.15)
        elif k < capacity + 2:
            writer.add(assembly, member, at=at, status=R.Status.CANCELLED)
        else:
            writer.add(assembly, member, at=at, status=R.Status.WAITLISTED)
    series = Series.objects.create(
        slug="semaine-action-statut-pour-tous", organization=structure.organizations["iwc"],
        campaign=structure.campaigns.get(campaign), starts_on=today + datetime.timedelta(20),
        ends_on=today + datetime.timedelta(27), is_public=True,
        title={"fr": "Semaine d'action : un statut pour toutes et tous",
               "en": "Week of Action: status for all"},
        summary={"fr": "Dans chaque région, une action pour les personnes dont le permis "
                       "expire. Votre section peut proposer la sienne.",
                 "en": "In every region, an action for people whose permits are expiring. "
                       "Your chapter can submit its own."},
    )
    regional = (  # (chapter, city, kind, day, status)
        ("iwc.montreal", "Montréal", Event.Kind.RALLY, 20, Event.Status.PUBLISHED),
        ("iwc.capitale", "Québec", Event.Kind.RALLY, 22, Event.Status.PUBLISHED),
        ("iwc.outaouais", "Gatineau", Event.Kind.MEETING, 23, Event.Status.PUBLISHED),
        ("iwc.bsl", "Rimouski", Event.Kind.MEETING, 24, Event.Status.SUBMITTED),
        ("iwc.saguenay", "Chicoutimi", Event.Kind.RALLY, 25, Event.Status.SUBMITTED),
    )
    for chapter, city, kind, days, status in regional:
        submitted = status == Event.Status.SUBMITTED
        event = _event(
            structure, slug=f"semaine-action-statut-{slugify(city)}", org="iwc", kind=kind,
            chapter=chapter, campaign=campaign, series=series, status=status,
            starts_at=on(days, 12 if kind == Event.Kind.RALLY else 18), hours=2,
            city=city, province="QC", languages=("fr",),
            created_by=organizers.get(chapter, coordinator),
            approved_by=None if submitted else coordinator,
            title={"fr": f"Un statut pour toutes et tous : action à {city}",
                   "en": f"Status for all: action in {city}"},
        )
        if not submitted:
            writer.in_person(event, rng.sample(pool, min(len(pool), _sized(30, scale))),
                             past=False)


# --- Entry point --------------------------------------------------------------------------

def events_insert(*, structure: Structure, seed: int) -> None:
    """Load the issue-6 demo: events, series, registrations, attendance and ledger rows.

    Called by `demo_data_load` after the advocacy demo; meant for an empty database.
    """
    rng = random.Random(seed * 7919 + 6)  # noqa: S311 -- invented demo data, not secrets
    users = {user.username: user for user in get_user_model().objects.filter(
        username__in=("coordinator", "montreal", "rimouski"))}
    coordinator = users.get("coordinator")
    organizers = {"iwc.montreal": users.get("montreal"), "iwc.bsl": users.get("rimouski")}
    pools = _pools(LARGEST_AUDIENCE)
    scale = scale_for(sum(len(members) for members in pools.values()))
    writer = _Writer(rng, coordinator.pk if coordinator else None)
    _info_sessions(structure, writer, pools, scale, coordinator)
    _past_events(structure, writer, pools, scale)
    _statusnow(structure, writer, pools, scale)
    _upcoming(structure, writer, pools, scale, coordinator, organizers)
    writer.write()
