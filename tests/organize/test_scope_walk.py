"""Walk every organizer URL as an organizer of another chapter: out of scope is 404.

A new view with an object in its URL must be added to OUT_OF_SCOPE below, or the
first test fails: no page can forget its scoping selector.
"""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from solidaire.analytics.stats import CHARTS
from solidaire.campaigns.models import Campaign, Milestone, Resource
from solidaire.events.models import AttendanceImport
from solidaire.membership.services import chapter_request_submit
from solidaire.messaging.models import Audience, CallAssignment, CallEntry, CallList
from solidaire.organize.urls import urlpatterns
from solidaire.organizing.models import CoalitionMembership
from solidaire.people.models import DuplicatePair, PersonImport
from solidaire.petitions.models import Endorsement

from tests.factories import (
    ActionFactory,
    CampaignFactory,
    CommitteeFactory,
    EventFactory,
    OrganizationFactory,
    PetitionFactory,
    RegistrationFactory,
    SeriesFactory,
    SignOnFactory,
    TargetFactory,
)
from tests.organize.conftest import url

# For each URL name: the argument sets that point outside the Montréal organizer's scope.
OUT_OF_SCOPE = {
    "person_detail": lambda o: [{"pk": o["bsl_person"]}, {"pk": o["toronto_person"]}],
    "person_edit": lambda o: [{"pk": o["bsl_person"]}],
    "person_status": lambda o: [{"pk": o["bsl_person"]}, {"pk": o["toronto_person"]}],
    "person_contact": lambda o: [{"pk": o["bsl_person"]}, {"pk": o["toronto_person"]}],
    "person_suggestion": lambda o: [{"pk": o["bsl_person"]}, {"pk": o["toronto_person"]}],
    "person_merge": lambda o: [{"pk": o["bsl_person"]}],
    "person_merge_confirm": lambda o: [
        {"pk": o["bsl_person"], "other_pk": o["montreal_person"]},
        {"pk": o["montreal_person"], "other_pk": o["bsl_person"]},
    ],
    # A possible duplicate is out of scope when either of its people is.
    "duplicate_review": lambda o: [{"pk": o["pair_across"]}, {"pk": o["pair_bsl"]}],
    "chapter_detail": lambda o: OTHER_CHAPTERS,
    "chapter_edit": lambda o: OTHER_CHAPTERS,
    "chapter_add_child": lambda o: OTHER_CHAPTERS,
    "chapter_request_detail": lambda o: [{"pk": o["chapter_request"]}],
    "committee_detail": lambda o: [{"slug": "bsl-committee"}, {"slug": "msu-committee"}],
    # Seeing the centre's own committee and campaign is not running them.
    "committee_edit": lambda o: [{"slug": "bsl-committee"}, {"slug": "msu-committee"},
                                 {"slug": "cti-committee"}],
    "organization_detail": lambda o: [{"slug": "msu"}],
    "organization_edit": lambda o: [{"slug": "msu"}, {"slug": "cti"}],
    "coalition_member_add": lambda o: [{"slug": "msu"}, {"slug": "cti"}, {"slug": "allies"}],
    "campaign_detail": lambda o: [{"slug": "bsl-campaign"}, {"slug": "msu-campaign"}],
    "campaign_edit": lambda o: [{"slug": "bsl-campaign"}, {"slug": "msu-campaign"},
                                {"slug": "cti-campaign"}],
    "import_detail": lambda o: o["imports"],
    "import_problems": lambda o: o["imports"],
    "import_undo": lambda o: o["imports"],
    "import_progress": lambda o: o["imports"],
    # Only coordinators end sessions, even of an account in the same chapter.
    "account_sessions_end": lambda o: [{"pk": o["rimouski_account"]}, {"pk": o["volunteer"]}],
    # Issue 5. Targets are shared by every organization: no target is out of scope.
    "target_detail": lambda o: [],
    "petition_detail": lambda o: OTHER_PETITIONS,
    # Seeing the centre's own petition, sign-on or action is not running it.
    "petition_edit": lambda o: [*OTHER_PETITIONS, {"slug": "cti-petition"}],
    "petition_paper": lambda o: OTHER_PETITIONS,
    "petition_delivery": lambda o: with_target(OTHER_PETITIONS, o),
    "petition_packet_pdf": lambda o: with_target(OTHER_PETITIONS, o),
    "petition_packet_csv": lambda o: with_target(OTHER_PETITIONS, o),
    "signon_detail": lambda o: OTHER_SIGNONS,
    "signon_edit": lambda o: [*OTHER_SIGNONS, {"slug": "cti-statement"}],
    "endorsement_decide": lambda o: [
        {"slug": "bsl-statement", "pk": o["endorsements"]["bsl"]},
        {"slug": "msu-statement", "pk": o["endorsements"]["msu"]},
        {"slug": "cti-statement", "pk": o["endorsements"]["cti"]},
        # An endorsement of another statement, through one in scope.
        {"slug": "mtl-statement", "pk": o["endorsements"]["bsl"]},
    ],
    "action_detail": lambda o: OTHER_ACTIONS,
    "action_edit": lambda o: [*OTHER_ACTIONS, {"slug": "cti-action"}],
    # Issue 6. Seeing the centre's own event or series is not running it.
    **{name: (lambda o: OTHER_EVENTS) for name in (
        "event_detail", "event_registrations", "event_review", "event_checkin",
        "event_checkin_search", "event_walk_in", "event_attendance_import", "event_paper",
        "event_sheet")},
    "event_edit": lambda o: [*OTHER_EVENTS, {"slug": "cti-event"}],
    "event_follow_up": lambda o: [*OTHER_EVENTS, {"slug": "cti-event"}],
    # A registration or an import of another event, also through an event in scope.
    "event_registration_decide": lambda o: event_rows(o["registrations"]),
    "event_checkin_mark": lambda o: event_rows(o["registrations"]),
    "event_attendance_import_detail": lambda o: event_rows(o["attendance_imports"]),
    "series_detail": lambda o: [{"slug": "msu-series"}],
    "series_edit": lambda o: [{"slug": "msu-series"}, {"slug": "cti-series"}],
    # Issue 7. Milestones and the toolkit follow the campaign's edit rights; a milestone
    # or resource of another campaign is 404 also through a campaign in scope.
    "milestone_add": lambda o: OTHER_CAMPAIGN_EDITS,
    "milestone_edit": lambda o: campaign_rows(o["milestone"]),
    "resources": lambda o: OTHER_CAMPAIGNS,
    "resource_add": lambda o: OTHER_CAMPAIGN_EDITS,
    "resource_edit": lambda o: campaign_rows(o["resource"]),
    # A chart's name is no object: every chart counts the caller's scope (checked below).
    "chart_csv": lambda o: [],
    # What was made with immigration status in Montréal is out of reach of an organizer
    # without status access, even its own assignment (decision 0047).
    **{name: (lambda o: [{"pk": o["audience"]["bsl"]}, {"pk": o["audience"]["msu"]},
                         {"pk": o["audience"]["mtl_status"]}])
       for name in ("audience_detail", "audience_edit", "audience_export",
                     "saved_audience_count", "audience_delete")},
    **{name: (lambda o: [{"pk": o["call_list"]["bsl"]}, {"pk": o["call_list"]["msu"]},
                         {"pk": o["call_list"]["mtl_status"]}])
       for name in ("call_list_detail", "call_list_delete")},
    "assignment_detail": lambda o: [{"pk": o["assignment"]["bsl"]},
                                    {"pk": o["assignment"]["msu"]},
                                    {"pk": o["assignment"]["mtl_status"]}],
    # Another list's person, also through an assignment in scope.
    "entry_outcome": lambda o: [
        {"pk": o["assignment"]["bsl"], "entry_pk": o["call_entry"]["bsl"]},
        {"pk": o["assignment"]["msu"], "entry_pk": o["call_entry"]["msu"]},
        {"pk": o["assignment"]["mtl"], "entry_pk": o["call_entry"]["bsl"]},
        {"pk": o["assignment"]["mtl_status"], "entry_pk": o["call_entry"]["mtl_status"]},
    ],
}
OTHER_CAMPAIGNS = [{"slug": "bsl-campaign"}, {"slug": "msu-campaign"}]
OTHER_CAMPAIGN_EDITS = [*OTHER_CAMPAIGNS, {"slug": "cti-campaign"}]


def campaign_rows(pks: dict) -> list[dict]:
    """A milestone or resource of another campaign, directly and through one in scope."""
    return [{"slug": "bsl-campaign", "pk": pks["bsl"]}, {"slug": "msu-campaign", "pk": pks["msu"]},
            {"slug": "mtl-campaign", "pk": pks["bsl"]}]

OTHER_PETITIONS = [{"slug": "bsl-petition"}, {"slug": "msu-petition"}]
OTHER_SIGNONS = [{"slug": "bsl-statement"}, {"slug": "msu-statement"}]
OTHER_ACTIONS = [{"slug": "bsl-action"}, {"slug": "msu-action"}]
OTHER_EVENTS = [{"slug": "bsl-event"}, {"slug": "msu-event"}]


def event_rows(pks: dict) -> list[dict]:
    return [{"slug": "bsl-event", "pk": pks["bsl"]}, {"slug": "msu-event", "pk": pks["msu"]},
            {"slug": "mtl-event", "pk": pks["bsl"]}]


def with_target(pages: list[dict], o: dict) -> list[dict]:
    return [{**page, "target_pk": o["target"]} for page in pages]


OTHER_CHAPTERS = [{"slug": "bas-saint-laurent"}, {"slug": "toronto"}, {"slug": "quebec"}]
# Pages without an object in the URL (lists and the add form), and what must not show there.
LISTS = ["home", "people", "person_add", "imports", "people_export", "chapters", "committees",
         "committee_add", "organizations", "campaigns", "campaign_add", "two_factor",
         "step_up"]
LISTS += ["duplicates", "duplicate_bulk_merge"]
LISTS += ["targets", "target_add", "target_import", "petitions", "petition_add", "signons",
          "signon_add", "actions", "action_add"]
LISTS += ["events", "event_add", "series_list"]
LISTS += ["audiences", "audience_new", "audience_count", "call_lists", "call_list_add"]
# Pages that only take a POST and hold no object (GET answers 405).
POST_ONLY = ["duplicate_scan"]
# Pages about an object that only take a POST (GET answers 405 before any lookup).
POST_ONLY_OBJECTS = {"endorsement_decide", "event_registration_decide", "event_review",
                     "event_checkin_mark", "entry_outcome"}
# Downloads about an object that only take a GET (POST answers 405 before any lookup).
GET_ONLY_OBJECTS = {"petition_packet_pdf", "petition_packet_csv", "event_checkin",
                    "event_checkin_search", "event_sheet"}
HIDDEN_NAMES = ["Carlos Rimouski", "Dev Toronto", "Bas-Saint-Laurent", "Toronto",
                "Migrant Students United", "BSL committee", "MSU campaign",
                "BSL petition", "MSU petition", "BSL statement", "MSU statement",
                "BSL call-in", "MSU call-in", "BSL event", "MSU event", "MSU week",
                "BSL milestone", "MSU milestone", "BSL flyer", "MSU flyer",
                "BSL audience", "MSU audience", "BSL call day", "MSU call day",
                "Permit audience", "Permit call day"]
# The time-zone choices of the event form name cities ("Eastern (Toronto)"), not chapters.
TIME_ZONE_OPTION = re.compile(r'<option value="America/[^"]*"[^>]*>[^<]*</option>')
NOT_FOR_ORGANIZERS = ["chapter_requests", "chapter_add", "audit", "accounts", "permit_cliff",
                      "series_add"]
# Login steps and password reset: open without an account, they show no organizing data.
ACCOUNT_PAGES = {"login", "logout", "login_code", "password_reset", "password_reset_done",
                 "password_reset_confirm", "password_reset_complete"}


def issue_5_objects(world) -> dict:
    """Petitions, sign-ons and actions of the Bas-Saint-Laurent chapter, of another
    organization and of the whole centre (plus the Montréal chapter's own statement),
    a shared target, and an endorsement of each statement."""
    owners = {"mtl": {"organization": world.centre, "chapter": world.montreal},
              "bsl": {"organization": world.centre, "chapter": world.bsl},
              "msu": {"organization": world.other},
              "cti": {"organization": world.centre}}
    names = {"mtl": "Montréal", "bsl": "BSL", "msu": "MSU", "cti": "Centre"}
    endorsements = {}
    for key, owner in owners.items():
        if key != "mtl":
            PetitionFactory(slug=f"{key}-petition", title={"en": f"{names[key]} petition"},
                            **owner)
            ActionFactory(slug=f"{key}-action", title={"en": f"{names[key]} call-in"},
                          **owner)
        sign_on = SignOnFactory(slug=f"{key}-statement",
                                title={"en": f"{names[key]} statement"}, **owner)
        endorsements[key] = Endorsement.objects.create(
            sign_on=sign_on, token=f"token-{key}", org_name=f"{names[key]} endorser",
            name_key=f"{key} endorser", kind=Endorsement.Kind.COMMUNITY, city="Rimouski",
            language="fr",
        ).pk
    return {"target": TargetFactory(name="Marc Miller").pk, "endorsements": endorsements}


def issue_6_objects(world) -> dict:
    """Events of the Montréal and Bas-Saint-Laurent chapters, of the whole centre and of
    another organization, a registration and an attendance import of each chapter's and
    of the other organization's, a series of the centre and one of the other."""
    owners = {"mtl": ({"organization": world.centre, "chapter": world.montreal},
                      world.in_montreal),
              "bsl": ({"organization": world.centre, "chapter": world.bsl}, world.in_bsl),
              "msu": ({"organization": world.other}, world.in_toronto),
              "cti": ({"organization": world.centre}, None)}
    names = {"mtl": "Montréal", "bsl": "BSL", "msu": "MSU", "cti": "Centre"}
    registrations, imports = {}, {}
    for key, (owner, person) in owners.items():
        event = EventFactory(slug=f"{key}-event", title={"en": f"{names[key]} event"},
                             **owner)
        if person is not None:
            registrations[key] = RegistrationFactory(event=event, person=person).pk
            imports[key] = AttendanceImport.objects.create(
                event=event, filename=f"{key}.csv", participants=1).pk
    SeriesFactory(slug="cti-series", organization=world.centre, title={"en": "Centre week"})
    SeriesFactory(slug="msu-series", organization=world.other, title={"en": "MSU week"})
    return {"registrations": registrations, "attendance_imports": imports}


def issue_7_objects(world) -> dict:
    """A campaign of the Montréal chapter; for it and the Bas-Saint-Laurent and other
    organization's campaigns a milestone and a resource; an audience and a call list of
    each, with one assignment (the Montréal one is the volunteer's) and one person to
    call; and in the Montréal list a second assignment, the Montréal organizer's own."""
    CampaignFactory(organization=world.centre, chapter=world.montreal, slug="mtl-campaign",
                    title={"en": "Montréal campaign"})
    owners = {"mtl": ({"organization": world.centre, "chapter": world.montreal},
                      world.in_montreal, world.volunteer),
              "bsl": ({"organization": world.centre, "chapter": world.bsl}, world.in_bsl,
                      world.rimouski_organizer),
              "msu": ({"organization": world.other}, world.in_toronto, world.coordinator)}
    names = {"mtl": "Montréal", "bsl": "BSL", "msu": "MSU"}
    ids = {kind: {} for kind in ("milestone", "resource", "audience", "call_list",
                                 "assignment", "call_entry")}
    for key, (owner, person, caller) in owners.items():
        campaign = Campaign.objects.get(slug=f"{key}-campaign")
        ids["milestone"][key] = Milestone.objects.create(
            campaign=campaign, kind=Milestone.Kind.LETTER, happened_on="2020-11-02",
            title={"en": f"{names[key]} milestone"}).pk
        ids["resource"][key] = Resource.objects.create(
            campaign=campaign, kind=Resource.Kind.FLYER, title=f"{names[key]} flyer",
            language="fr", url="https://example.org/flyer.pdf").pk
        audience = Audience.objects.create(name=f"{names[key]} audience",
                                           definition={"consent": ["phone"]}, **owner)
        call_list = CallList.objects.create(name=f"{names[key]} call day", campaign=campaign,
                                            audience=audience, script={"en": "Hello"}, **owner)
        assignment = CallAssignment.objects.create(call_list=call_list, caller=caller)
        ids["audience"][key], ids["call_list"][key] = audience.pk, call_list.pk
        ids["assignment"][key] = assignment.pk
        ids["call_entry"][key] = CallEntry.objects.create(assignment=assignment,
                                                          person=person).pk
    organizers_own = CallAssignment.objects.create(call_list_id=ids["call_list"]["mtl"],
                                                   caller=world.montreal_organizer)
    ids["organizers_entry"] = CallEntry.objects.create(assignment=organizers_own,
                                                       person=world.in_cdn).pk
    ids["organizers_assignment"] = organizers_own.pk
    status_objects(world, ids)
    return ids


def status_objects(world, ids: dict) -> None:
    """A Montréal audience filtered by permit expiry and its call list, given to the
    Montréal organizer (as lists were before decision 0047): status data, out of reach
    of an account without status access."""
    audience = Audience.objects.create(
        name="Permit audience", organization=world.centre, chapter=world.montreal,
        definition={"permit_expiry": {"from": "2027-01", "to": "2027-06"}}, uses_status=True)
    call_list = CallList.objects.create(name="Permit call day", organization=world.centre,
                                        chapter=world.montreal, audience=audience,
                                        uses_status=True)
    assignment = CallAssignment.objects.create(call_list=call_list,
                                               caller=world.montreal_organizer)
    ids["audience"]["mtl_status"], ids["call_list"]["mtl_status"] = audience.pk, call_list.pk
    ids["assignment"]["mtl_status"] = assignment.pk
    ids["call_entry"]["mtl_status"] = CallEntry.objects.create(assignment=assignment,
                                                               person=world.in_montreal).pk


@pytest.fixture
def others(world):
    CommitteeFactory(organization=world.centre, chapter=world.bsl, slug="bsl-committee",
                     name="BSL committee")
    CommitteeFactory(organization=world.other, slug="msu-committee", name="MSU committee")
    CampaignFactory(organization=world.centre, chapter=world.bsl, slug="bsl-campaign",
                    title={"en": "BSL campaign"})
    CampaignFactory(organization=world.other, slug="msu-campaign",
                    title={"en": "MSU campaign"})
    CommitteeFactory(organization=world.centre, slug="cti-committee", name="Whole centre")
    CampaignFactory(organization=world.centre, slug="cti-campaign",
                    title={"en": "Centre campaign"})
    allies = OrganizationFactory(name="Allies", slug="allies", kind="coalition")
    CoalitionMembership.objects.create(coalition=allies, member=world.centre)
    # Another organizer's spreadsheet import, and another organization's.
    imports = [
        PersonImport.objects.create(created_by=world.rimouski_organizer, file_format="csv",
                                    organization=world.centre,
                                    original_name="Bas-Saint-Laurent.csv"),
        PersonImport.objects.create(organization=world.other, file_format="csv",
                                    original_name="Migrant Students United.csv"),
    ]
    request = chapter_request_submit(organization=world.centre, chapter_name="Gaspé",
                                     city="Gaspé", contact_name="Lou")
    pair_across = DuplicatePair.objects.create(
        person_low=world.in_montreal, person_high=world.in_bsl, score=60, reasons=["same_name"])
    pair_bsl = DuplicatePair.objects.create(
        person_low=world.in_bsl, person_high=world.in_toronto, score=50, reasons=["phone"])
    return {**issue_5_objects(world), **issue_6_objects(world), **issue_7_objects(world),
            "pair_across": pair_across.pk,
            "pair_bsl": pair_bsl.pk,
            "bsl_person": world.in_bsl.pk, "toronto_person": world.in_toronto.pk,
            "montreal_person": world.in_montreal.pk, "chapter_request": request.pk,
            "rimouski_account": world.rimouski_organizer.pk, "volunteer": world.volunteer.pk,
            "imports": [{"pk": i.pk} for i in imports]}


def test_every_organizer_url_is_covered_by_this_walk():
    names = {pattern.name for pattern in urlpatterns}
    with_arguments = {p.name for p in urlpatterns if p.pattern.converters}
    assert with_arguments - ACCOUNT_PAGES == set(OUT_OF_SCOPE)
    assert names - with_arguments - ACCOUNT_PAGES == {*LISTS, *NOT_FOR_ORGANIZERS, *POST_ONLY}


@pytest.mark.parametrize("name", sorted(OUT_OF_SCOPE))
def test_out_of_scope_objects_are_404_for_get_and_post(world, others, as_user, name):
    client = as_user(world.montreal_organizer)
    for kwargs in OUT_OF_SCOPE[name](others):
        page = url(name, **kwargs)
        # A POST-only page answers GET with 405 whatever the object (a GET-only download
        # answers POST so): that reveals nothing.
        assert client.get(page).status_code == (405 if name in POST_ONLY_OBJECTS else 404), page
        assert client.post(page, {"action": "add", "decision": "decline"}).status_code == (
            405 if name in GET_ONLY_OBJECTS else 404), page


@pytest.mark.parametrize("name", LISTS)
def test_lists_show_nothing_from_outside_the_scope(world, others, as_user, name):
    response = as_user(world.montreal_organizer).get(url(name))
    assert response.status_code == 200
    html = TIME_ZONE_OPTION.sub("", response.content.decode())
    for hidden in HIDDEN_NAMES:
        assert hidden not in html, (name, hidden)


@pytest.mark.parametrize("name", POST_ONLY)
def test_post_only_pages_refuse_get_and_show_nothing_out_of_scope(world, others, as_user, name):
    client = as_user(world.montreal_organizer)
    assert client.get(url(name)).status_code == 405
    html = client.post(url(name), follow=True).content.decode()
    for hidden in HIDDEN_NAMES:
        assert hidden not in html, (name, hidden)


@pytest.mark.parametrize("name", NOT_FOR_ORGANIZERS)
def test_coordinator_pages_do_not_exist_for_organizers(world, as_user, name):
    assert as_user(world.montreal_organizer).get(url(name)).status_code == 404


@pytest.mark.parametrize("name", sorted(ACCOUNT_PAGES - {"logout"}))
def test_login_and_password_pages_show_no_organizing_data(world, others, as_user, name):
    kwargs = {"uidb64": "MQ", "token": "set-password"} if name == "password_reset_confirm" else {}
    response = as_user(world.montreal_organizer).get(url(name, **kwargs))
    assert response.status_code in (200, 302)
    html = response.content.decode()
    for hidden in HIDDEN_NAMES:
        assert hidden not in html, (name, hidden)


EVENT_PAGES = ["event_detail", "event_edit", "event_registrations", "event_follow_up",
               "event_checkin", "event_walk_in", "event_attendance_import", "event_paper",
               "event_sheet"]


@pytest.mark.parametrize("name", EVENT_PAGES)
def test_each_chapter_organizer_reaches_its_own_event_and_not_the_other(world, others, as_user,
                                                                        name):
    montreal = as_user(world.montreal_organizer)
    assert montreal.get(url(name, slug="mtl-event")).status_code == 200
    assert montreal.get(url(name, slug="bsl-event")).status_code == 404
    rimouski = as_user(world.rimouski_organizer)
    assert rimouski.get(url(name, slug="bsl-event")).status_code == 200
    assert rimouski.get(url(name, slug="mtl-event")).status_code == 404


def test_an_organizer_opens_a_registration_search_and_import_of_its_own_event(world, others,
                                                                              as_user):
    client = as_user(world.montreal_organizer)
    assert client.get(url("event_checkin_search", slug="mtl-event") + "?q=a").status_code == 200
    assert client.get(url("event_attendance_import_detail", slug="mtl-event",
                          pk=others["attendance_imports"]["mtl"])).status_code == 200
    assert client.get(url("series_detail", slug="cti-series")).status_code == 200


# -- Issue 7: campaign rooms' milestones and toolkit, charts, audiences and call lists -------

CAMPAIGN_PAGES = ["milestone_add", "resources", "resource_add"]


def chart_url(chart: str) -> str:
    with translation.override("en"):
        return reverse("organize:chart_csv", kwargs={"name": chart})


def own_pages(o: dict, key: str) -> list[tuple[str, dict]]:
    """The issue-7 pages of one chapter's own objects (`key` is "mtl" or "bsl")."""
    slug = f"{key}-campaign"
    return [
        *[(name, {"slug": slug}) for name in CAMPAIGN_PAGES],
        ("milestone_edit", {"slug": slug, "pk": o["milestone"][key]}),
        ("resource_edit", {"slug": slug, "pk": o["resource"][key]}),
        *[(name, {"pk": o["audience"][key]})
          for name in ("audience_detail", "audience_edit", "audience_export",
                     "saved_audience_count", "audience_delete")],
        ("call_list_detail", {"pk": o["call_list"][key]}),
        ("call_list_delete", {"pk": o["call_list"][key]}),
        ("assignment_detail", {"pk": o["assignment"][key]}),
    ]


@pytest.mark.parametrize(("mine", "theirs"), [("mtl", "bsl"), ("bsl", "mtl")])
def test_each_chapter_organizer_reaches_its_own_campaign_audience_and_calls_only(
        world, others, as_user, mine, theirs):
    organizer = {"mtl": world.montreal_organizer, "bsl": world.rimouski_organizer}[mine]
    client = as_user(organizer)
    for (name, kwargs), (_, their_kwargs) in zip(own_pages(others, mine),
                                                 own_pages(others, theirs), strict=True):
        assert client.get(url(name, **kwargs)).status_code == 200, (name, kwargs)
        assert client.get(url(name, **their_kwargs)).status_code == 404, (name, their_kwargs)


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_chart_downloads_count_only_the_organizers_scope(world, others, as_user, name):
    response = as_user(world.montreal_organizer).get(chart_url(name))
    assert response.status_code == 200
    text = response.content.decode()
    for hidden in HIDDEN_NAMES:
        assert hidden not in text, (name, hidden)


def test_an_unknown_chart_is_404(world, as_user):
    assert as_user(world.montreal_organizer).get(chart_url("no-such-chart")).status_code == 404


VOLUNTEER_ALLOWED = {"call_lists", "assignment_detail", "entry_outcome"}


def test_a_volunteer_opens_only_their_own_call_list(world, others, as_user):
    client = as_user(world.volunteer)
    index = client.get(url("call_lists"))
    assert index.status_code == 200
    assert "Montréal call day" in index.content.decode()
    own = client.get(url("assignment_detail", pk=others["assignment"]["mtl"]))
    assert own.status_code == 200
    assert "Ana Montréal" in own.content.decode()
    # Another volunteer's (here the organizer's) assignment of the same list, and others'.
    for pk in (others["organizers_assignment"], others["assignment"]["bsl"],
               others["assignment"]["msu"]):
        assert client.get(url("assignment_detail", pk=pk)).status_code == 404, pk
    assert "Bea Côte-des-Neiges" not in own.content.decode()


def test_a_volunteer_records_outcomes_only_on_their_own_list(world, others, as_user):
    client = as_user(world.volunteer)
    mine = url("entry_outcome", pk=others["assignment"]["mtl"],
               entry_pk=others["call_entry"]["mtl"])
    assert client.post(mine, {"outcome": "reached"}).status_code == 302
    assert CallEntry.objects.get(pk=others["call_entry"]["mtl"]).outcome == "reached"
    for pk, entry_pk in ((others["organizers_assignment"], others["organizers_entry"]),
                         (others["assignment"]["mtl"], others["organizers_entry"]),
                         (others["assignment"]["bsl"], others["call_entry"]["bsl"])):
        page = url("entry_outcome", pk=pk, entry_pk=entry_pk)
        assert client.post(page, {"outcome": "reached"}).status_code == 404, page
    assert CallEntry.objects.get(pk=others["organizers_entry"]).outcome == ""


def volunteer_addresses(o: dict) -> list[tuple[str, str]]:
    """Every issue-7 page (and the people pages) with the Montréal chapter's own objects."""
    pages = [(name, url(name, **kwargs)) for name, kwargs in own_pages(o, "mtl")
             if name != "assignment_detail"]
    pages += [(name, url(name)) for name in
              ("audiences", "audience_new", "audience_count", "call_list_add",
               "people_export")]
    pages += [("chart_csv", chart_url(chart)) for chart in sorted(CHARTS)]
    pages.append(("person_detail", url("person_detail", pk=o["montreal_person"])))
    return pages


def test_a_volunteer_gets_404_on_every_other_page(world, others, as_user):
    client = as_user(world.volunteer)
    for name, page in volunteer_addresses(others):
        assert name not in VOLUNTEER_ALLOWED
        assert client.get(page).status_code == 404, page
        assert client.post(page, {"name": "x"}).status_code in (404, 405), page
    # The people list (the home of organizers) lists nobody for a volunteer.
    people = client.get(url("people"))
    assert people.status_code in (200, 404)
    assert "Ana Montréal" not in people.content.decode()
