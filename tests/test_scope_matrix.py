"""The scope matrix: every organizer URL, found by walking the URL resolver, requested
with real ids of objects outside the caller's scope.

Nobody lists the URLs here. The walk finds every pattern under the "organize"
namespace, fills its converters with objects of the Bas-Saint-Laurent chapter or of
another organization, and requests it with GET and POST:

- as the Montréal chapter organizer: a page about an object is 404, never data; a page
  without an object (a list, an add form) shows none of the out-of-scope names;
- as an anonymous visitor: a redirect to the login page, whatever the URL.

A pattern whose arguments this file cannot fill FAILS with a message saying which
mapping to add to ENTITY_OF below: a new view is never skipped silently. The
hand-written tests/organize/test_scope_walk.py checks the same pages with more
specific cases (coordinator-only edit rights, coalitions); this file is the net.
"""

import re
from dataclasses import dataclass, field
from itertools import product
from urllib.parse import urlencode

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from solidaire.campaigns.models import Campaign, Milestone, Resource
from solidaire.events.models import AttendanceImport
from solidaire.membership.services import chapter_request_submit
from solidaire.messaging.models import Audience, CallAssignment, CallEntry, CallList
from solidaire.people.models import DuplicatePair, PersonImport
from solidaire.petitions.models import Endorsement

from tests.factories import (
    ActionFactory,
    CampaignFactory,
    CommitteeFactory,
    EventFactory,
    PetitionFactory,
    RegistrationFactory,
    SeriesFactory,
    SignOnFactory,
    TargetFactory,
)

NAMESPACE = "organize"
# Pages an anonymous visitor must reach to become an organizer. Add a page here only
# if it is part of signing in; its response is still checked for out-of-scope names,
# for the anonymous visitor and for the organizer, with out-of-scope arguments.
OPEN_TO_ANONYMOUS = {"login", "logout", "login_code", "password_reset", "password_reset_done",
                     "password_reset_complete", "password_reset_confirm"}

# Which kind of object a URL argument names. Looked up first as (URL name, argument),
# then as the longest URL-name prefix with that argument, then from the argument's own
# name (`person_pk`, `campaign_slug`, …). Add a line when a new view's argument is
# something else.
ENTITY_OF = {
    ("person_merge_confirm", "other_pk"): "person",
    ("duplicate_review", "pk"): "duplicate_pair",
    ("person", "pk"): "person",
    ("chapter_request", "pk"): "chapter_request",
    ("chapter", "slug"): "chapter",
    ("committee", "slug"): "committee",
    ("organization", "slug"): "organization",
    ("coalition", "slug"): "organization",
    ("campaign", "slug"): "campaign",
    # Issue 5: targets (shared by every organization), petitions, sign-ons, actions.
    ("target", "pk"): "target",
    ("petition", "slug"): "petition",
    ("signon", "slug"): "signon",
    ("endorsement_decide", "slug"): "signon",
    ("endorsement_decide", "pk"): "endorsement",
    ("action", "slug"): "action",
    # Issue 6: events (with their registrations and attendance imports) and series.
    ("event", "slug"): "event",
    ("event_registration_decide", "pk"): "registration",
    ("event_checkin_mark", "pk"): "registration",
    ("event_attendance_import_detail", "pk"): "attendance_import",
    ("series", "slug"): "series",
    # Issue 7: milestones and toolkit resources of a campaign, chart downloads (a chart's
    # name is no object: every chart is of the caller's own scope), audiences, call lists,
    # their assignments and the entries of an assignment.
    ("milestone", "slug"): "campaign",
    ("milestone", "pk"): "milestone",
    ("resource", "slug"): "campaign",
    ("resource", "pk"): "resource",
    ("chart_csv", "name"): "chart",
    ("audience", "pk"): "audience",
    ("saved_audience_count", "pk"): "audience",
    ("call_list", "pk"): "call_list",
    ("assignment", "pk"): "assignment",
    ("entry_outcome", "pk"): "assignment",
    ("entry_outcome", "entry_pk"): "call_entry",
    ("account", "pk"): "account",
    ("import", "pk"): "person_import",
    ("password_reset_confirm", "uidb64"): "account_uid",
    ("password_reset_confirm", "token"): "reset_token",
}
ARGUMENT_SUFFIXES = ("_pk", "_slug", "_id")

# Names that must never appear on a page the Montréal organizer sees.
HIDDEN_NAMES = ["Carlos Rimouski", "Dev Toronto", "Bas-Saint-Laurent", "Toronto",
                "Migrant Students United", "BSL committee", "MSU committee",
                "BSL campaign", "MSU campaign", "Matane", "Kingston",
                "BSL petition", "MSU petition", "BSL statement", "MSU statement",
                "BSL endorser", "MSU endorser", "BSL call-in", "MSU call-in",
                "BSL event", "MSU event", "MSU week",
                "BSL milestone", "MSU milestone", "BSL flyer", "MSU flyer",
                "BSL audience", "MSU audience", "BSL call day", "MSU call day",
                "Permit audience", "Permit call day"]
# A view that only takes POST answers GET with 405 before it looks anything up (and a
# download that only takes GET answers POST so): the answer is the same for every id,
# so it reveals nothing. The other method must still be 404 or a redirect to the login
# page.
METHOD_REFUSED = 405
POST_DATA = {"action": "add", "decision": "decline", "confirm": "yes", "name": "x",
             "title_en": "x", "chosen_name": "x", "q": "Carlos"}


@dataclass
class Route:
    name: str  # the URL name without the namespace, e.g. "person_detail"
    arguments: list[str] = field(default_factory=list)


def organizer_routes() -> list[Route]:
    """Every URL pattern under the dashboard namespace, with its converters' names."""
    routes = []

    def walk(patterns, namespaces, arguments):
        for entry in patterns:
            converters = list(entry.pattern.converters)
            if isinstance(entry, URLResolver):
                inner = namespaces + ([entry.namespace] if entry.namespace else [])
                walk(entry.url_patterns, inner, arguments + converters)
            elif isinstance(entry, URLPattern) and NAMESPACE in namespaces:
                assert entry.name, f"{entry.pattern} has no name: name every organizer URL"
                routes.append(Route(entry.name, arguments + converters))

    walk(get_resolver().url_patterns, [], [])
    return sorted(routes, key=lambda r: r.name)


ROUTES = organizer_routes()


def entity_of(route: Route, argument: str) -> str | None:
    if (route.name, argument) in ENTITY_OF:
        return ENTITY_OF[route.name, argument]
    prefixes = [name for name, arg in ENTITY_OF
                if arg == argument and route.name.startswith(name)]
    if prefixes:
        return ENTITY_OF[max(prefixes, key=len), argument]
    for suffix in ARGUMENT_SUFFIXES:
        if argument.endswith(suffix):
            return argument.removesuffix(suffix)
    return None


def endorsement(sign_on, name: str) -> int:
    return Endorsement.objects.create(
        sign_on=sign_on, token=f"token-{sign_on.slug}", org_name=name, name_key=name.lower(),
        kind=Endorsement.Kind.COMMUNITY, city="Rimouski", language="fr",
    ).pk


def issue_5_objects(world) -> dict:
    """Petitions, sign-ons and actions follow campaigns: the Montréal chapter's own in
    scope, the Bas-Saint-Laurent chapter's and another organization's out of it.
    Targets are shared by every organization: none is out of scope."""
    owners = {"mtl": {"organization": world.centre, "chapter": world.montreal},
              "bsl": {"organization": world.centre, "chapter": world.bsl},
              "msu": {"organization": world.other}}
    names = {"mtl": "Montréal", "bsl": "BSL", "msu": "MSU"}
    sign_ons = {}
    for key, owner in owners.items():
        PetitionFactory(slug=f"{key}-petition", title={"en": f"{names[key]} petition"},
                        **owner)
        sign_ons[key] = SignOnFactory(slug=f"{key}-statement",
                                      title={"en": f"{names[key]} statement"}, **owner)
        ActionFactory(slug=f"{key}-action", title={"en": f"{names[key]} call-in"}, **owner)
    return {
        "target": ([TargetFactory(name="Marc Miller").pk], []),
        "petition": (["mtl-petition"], ["bsl-petition", "msu-petition"]),
        "signon": (["mtl-statement"], ["bsl-statement", "msu-statement"]),
        "endorsement": ([endorsement(sign_ons["mtl"], "Montréal endorser")],
                        [endorsement(sign_ons["bsl"], "BSL endorser"),
                         endorsement(sign_ons["msu"], "MSU endorser")]),
        "action": (["mtl-action"], ["bsl-action", "msu-action"]),
    }


def issue_6_objects(world) -> dict:
    """Events follow chapters like petitions: the Montréal chapter's own in scope, the
    Bas-Saint-Laurent chapter's and another organization's out of it, with one
    registration and one attendance import each. Series belong to an organization."""
    owners = {"mtl": ({"organization": world.centre, "chapter": world.montreal},
                      world.in_montreal),
              "bsl": ({"organization": world.centre, "chapter": world.bsl}, world.in_bsl),
              "msu": ({"organization": world.other}, world.in_toronto)}
    names = {"mtl": "Montréal", "bsl": "BSL", "msu": "MSU"}
    registrations, imports = {}, {}
    for key, (owner, person) in owners.items():
        event = EventFactory(slug=f"{key}-event", title={"en": f"{names[key]} event"},
                             **owner)
        registrations[key] = RegistrationFactory(event=event, person=person).pk
        imports[key] = AttendanceImport.objects.create(
            event=event, filename=f"{names[key]} event.csv", participants=1).pk
    SeriesFactory(slug="cti-series", organization=world.centre,
                  title={"en": "Centre week"})
    SeriesFactory(slug="msu-series", organization=world.other, title={"en": "MSU week"})
    return {
        "event": (["mtl-event"], ["bsl-event", "msu-event"]),
        "registration": ([registrations["mtl"]], [registrations["bsl"], registrations["msu"]]),
        "attendance_import": ([imports["mtl"]], [imports["bsl"], imports["msu"]]),
        "series": (["cti-series"], ["msu-series"]),
    }


def issue_7_objects(world) -> dict:
    """A milestone, a toolkit resource, an audience and a call list (one assignment, one
    person to call) of the Montréal chapter, of the Bas-Saint-Laurent chapter and of
    another organization. The campaigns are the `objects` fixture's."""
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
            campaign=campaign, kind=Milestone.Kind.MEDIA, happened_on="2020-09-21",
            title={"en": f"{names[key]} milestone"}).pk
        ids["resource"][key] = Resource.objects.create(
            campaign=campaign, kind=Resource.Kind.FLYER, title=f"{names[key]} flyer",
            language="fr", url="https://example.org/flyer.pdf").pk
        audience = Audience.objects.create(name=f"{names[key]} audience",
                                           definition={"consent": ["phone"]}, **owner)
        call_list = CallList.objects.create(name=f"{names[key]} call day", campaign=campaign,
                                            audience=audience, **owner)
        assignment = CallAssignment.objects.create(call_list=call_list, caller=caller)
        ids["audience"][key], ids["call_list"][key] = audience.pk, call_list.pk
        ids["assignment"][key] = assignment.pk
        ids["call_entry"][key] = CallEntry.objects.create(assignment=assignment,
                                                          person=person).pk
    # A Montréal audience filtered by permit expiry and its call list, given to the
    # Montréal organizer as lists were before decision 0047: status data, out of reach of
    # an account without status access, its own assignment included.
    audience = Audience.objects.create(
        name="Permit audience", organization=world.centre, chapter=world.montreal,
        definition={"permit_expiry": {"from": "2027-01", "to": "2027-06"}}, uses_status=True)
    call_list = CallList.objects.create(name="Permit call day", organization=world.centre,
                                        chapter=world.montreal, audience=audience,
                                        uses_status=True)
    assignment = CallAssignment.objects.create(call_list=call_list,
                                               caller=world.montreal_organizer)
    status = {"audience": audience.pk, "call_list": call_list.pk,
              "assignment": assignment.pk,
              "call_entry": CallEntry.objects.create(assignment=assignment,
                                                     person=world.in_montreal).pk}
    found = {kind: ([by_key["mtl"]], [by_key["bsl"], by_key["msu"]]
                    + ([status[kind]] if kind in status else []))
             for kind, by_key in ids.items()}
    # The dashboard's charts are always of the caller's scope: no name is out of it.
    return {**found, "chart": (["new-people", "chapters"], [])}


def duplicate_pair(a, b) -> int:
    """A possible duplicate: in scope only when both of its people are."""
    low, high = sorted((a.pk, b.pk))
    return DuplicatePair.objects.create(person_low_id=low, person_high_id=high, score=60,
                                        reasons=["same_name"]).pk


@pytest.fixture
def objects(world):
    """For each kind of object: ids inside the Montréal organizer's scope and outside it."""
    CommitteeFactory(organization=world.centre, chapter=world.montreal, slug="mtl-committee",
                     name="Montréal committee")
    CommitteeFactory(organization=world.centre, chapter=world.bsl, slug="bsl-committee",
                     name="BSL committee")
    CommitteeFactory(organization=world.other, slug="msu-committee", name="MSU committee")
    CampaignFactory(organization=world.centre, chapter=world.montreal, slug="mtl-campaign",
                    title={"en": "Montréal campaign"})
    CampaignFactory(organization=world.centre, chapter=world.bsl, slug="bsl-campaign",
                    title={"en": "BSL campaign"})
    CampaignFactory(organization=world.other, slug="msu-campaign",
                    title={"en": "MSU campaign"})
    # Chapter requests are for the organization's coordinators, never a chapter organizer.
    own_request = chapter_request_submit(organization=world.centre, chapter_name="Matane",
                                         city="Matane", contact_name="Lou")
    other_request = chapter_request_submit(organization=world.other, chapter_name="Kingston",
                                           city="Kingston", contact_name="Kim")
    rimouski = world.rimouski_organizer
    # Spreadsheet imports are their uploader's (and their organization's coordinators').
    own_import = PersonImport.objects.create(created_by=world.montreal_organizer,
                                             organization=world.centre,
                                             original_name="montreal.csv", file_format="csv")
    bsl_import = PersonImport.objects.create(created_by=rimouski, organization=world.centre,
                                             original_name="Bas-Saint-Laurent.csv",
                                             file_format="csv")
    msu_import = PersonImport.objects.create(organization=world.other, file_format="csv",
                                             original_name="Migrant Students United.csv")
    return {
        "person": ([world.in_montreal.pk], [world.in_bsl.pk, world.in_toronto.pk]),
        "chapter": ([world.montreal.slug], [world.bsl.slug, world.toronto.slug]),
        "committee": (["mtl-committee"], ["bsl-committee", "msu-committee"]),
        "campaign": (["mtl-campaign"], ["bsl-campaign", "msu-campaign"]),
        "organization": ([world.centre.slug], [world.other.slug]),
        "chapter_request": ([], [own_request.pk, other_request.pk]),
        # Another organizer's account; only coordinators manage accounts.
        "account": ([], [rimouski.pk, world.coordinator.pk]),
        "person_import": ([own_import.pk], [bsl_import.pk, msu_import.pk]),
        "account_uid": ([], [urlsafe_base64_encode(force_bytes(rimouski.pk))]),
        "reset_token": ([], ["set-password", "cz7v6q-0123456789abcdef0123456789abcdef"]),
        "duplicate_pair": ([duplicate_pair(world.in_montreal, world.in_cdn)],
                           [duplicate_pair(world.in_montreal, world.in_bsl),
                            duplicate_pair(world.in_bsl, world.in_toronto),
                            duplicate_pair(world.in_cdn, world.unassigned)]),
        **issue_5_objects(world),
        **issue_6_objects(world),
        **issue_7_objects(world),
    }


def out_of_scope_addresses(route: Route, objects) -> list[str]:
    """Each address of the route with at least one argument outside the scope.

    Every argument out of scope at once, and, for a page with several arguments, each
    one out of scope while the others are in scope (a merge of one of mine with one
    of theirs must be a 404 too).
    """
    entities = {}
    for argument in route.arguments:
        entity = entity_of(route, argument)
        if entity not in objects:
            pytest.fail(
                f"tests/test_scope_matrix.py cannot fill <{argument}> of "
                f"'{NAMESPACE}:{route.name}'. Add ({route.name!r}, {argument!r}) to "
                "ENTITY_OF, and the kind of object to the `objects` fixture if it is new, "
                "so that the page is requested with out-of-scope ids."
            )
        entities[argument] = entity
    combinations = [dict(zip(entities, values, strict=True)) for values in
                    product(*(objects[e][1] for e in entities.values()))]
    if len(entities) > 1:
        for outside in entities:
            others = [a for a in entities if a != outside]
            for values in product(*(objects[entities[a]][0] for a in others)):
                for value in objects[entities[outside]][1]:
                    combinations.append({outside: value, **dict(zip(others, values, strict=True))})
    with translation.override("en"):
        return [reverse(f"{NAMESPACE}:{route.name}", kwargs=kwargs) for kwargs in combinations]


def out_of_scope_filters(objects) -> str:
    """A query string naming an out-of-scope object under every usual filter name."""
    return urlencode({entity: outside[0] for entity, (_inside, outside) in objects.items()
                      if outside} | {"q": "Carlos"}, doseq=False)


def test_the_walk_finds_the_organizer_pages():
    names = {route.name for route in ROUTES}
    assert {"home", "people", "person_detail", "chapter_detail", "campaign_edit"} <= names
    assert names >= OPEN_TO_ANONYMOUS


# The time-zone choices of the event form name cities ("Eastern (Toronto)"), not chapters.
TIME_ZONE_OPTION = re.compile(r'<option value="America/[^"]*"[^>]*>[^<]*</option>')


def assert_shows_nothing_out_of_scope(response, address):
    assert response.status_code != 500, address
    html = TIME_ZONE_OPTION.sub("", response.content.decode())
    for hidden in HIDDEN_NAMES:
        assert hidden not in html, f"{address} shows {hidden!r} to the Montréal organizer"


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_an_organizer_of_another_chapter_gets_404_or_nothing(client, world, objects, route):
    organizer = world.montreal_organizer
    if route.arguments and route.name not in OPEN_TO_ANONYMOUS:
        for address in out_of_scope_addresses(route, objects):
            answers = []
            for method in (client.get, client.post):
                client.force_login(organizer)
                response = method(address, POST_DATA)
                answers.append(response.status_code)
                if response.status_code == METHOD_REFUSED:
                    continue
                assert response.status_code == 404, (
                    f"{method.__name__.upper()} {address}: {response.status_code}, not 404")
            assert 404 in answers, f"{address} refuses both GET and POST"
        return
    with translation.override("en"):
        addresses = (out_of_scope_addresses(route, objects) if route.arguments
                     else [reverse(f"{NAMESPACE}:{route.name}")])
    if not route.arguments:
        # A list filtered on an out-of-scope object shows nothing of it either.
        addresses.append(f"{addresses[0]}?{out_of_scope_filters(objects)}")
    for address in addresses:
        for method in (client.get, client.post):
            client.force_login(organizer)
            response = method(address, POST_DATA)
            assert response.status_code in (200, 302, 404, 405), (
                f"{method.__name__.upper()} {address}: {response.status_code}")
            assert_shows_nothing_out_of_scope(response, address)


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_an_anonymous_visitor_is_sent_to_the_login_page(client, world, objects, route):
    with translation.override("en"):
        login = reverse(f"{NAMESPACE}:login")
        addresses = (out_of_scope_addresses(route, objects) if route.arguments
                     else [reverse(f"{NAMESPACE}:{route.name}")])
    for address in addresses:
        for method in (client.get, client.post):
            response = method(address, POST_DATA)
            if route.name in OPEN_TO_ANONYMOUS:
                assert response.status_code in (200, 302, 405), address
                assert_shows_nothing_out_of_scope(response, address)
                continue
            if response.status_code == METHOD_REFUSED:
                continue
            assert response.status_code == 302, (
                f"{method.__name__.upper()} {address} answers {response.status_code} "
                "to an anonymous visitor instead of sending them to the login page")
            assert response.headers["Location"].startswith(login), address
