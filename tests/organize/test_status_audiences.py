"""An audience filtered by immigration status, and every list made from it, is status data:
used, shown or given only to accounts with status access, with a recent code (decision
0047). Driven over HTTP as the attack was: the builder, the call-list form, the pages."""

import json
from html import unescape

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import translation

from solidaire.core.models import OrganizerRole
from solidaire.messaging.calls import call_list_create
from solidaire.messaging.models import Audience, CallAssignment, CallEntry, CallList
from solidaire.people.services import status_set
from solidaire.people.status_cliff import current_month, month_add

from tests.factories import PersonFactory, PhoneFactory
from tests.organize.conftest import url
from tests.second_factor import code_goes_stale, log_in_with_code

SOON = month_add(current_month(), 2)
LATER = month_add(current_month(), 18)
WINDOW = {"permit_from": f"{SOON:%Y-%m}", "permit_to": f"{month_add(SOON, 3):%Y-%m}"}
DEFINITION = {"permit_expiry": {"from": WINDOW["permit_from"], "to": WINDOW["permit_to"]}}


def says(page: str, lang: str, msgid: str) -> bool:
    """The page shows this message as translated into `lang` (apostrophes and all)."""
    with translation.override(lang):
        return translation.gettext(msgid) in unescape(page)


@pytest.fixture(autouse=True)
def own_keys(settings, tmp_path, monkeypatch):
    monkeypatch.delenv("SOLIDAIRE_FIELD_KEYS", raising=False)
    settings.FIELD_KEYS_FILE = tmp_path / "keys" / "keys.json"
    settings.FIELD_KEYS_CREATE = True


@pytest.fixture
def members(world):
    """Montréal members with a phone: two whose permit ends soon, one later, one with no
    status recorded."""
    OrganizerRole.objects.filter(user=world.coordinator).update(status_access=True)
    soon = [PersonFactory(chosen_name=name, home_chapter=world.montreal)
            for name in ("Amina Soon", "Bruno Soon")]
    later = PersonFactory(chosen_name="Chen Later", home_chapter=world.montreal)
    nobody = PersonFactory(chosen_name="Dana Nostatus", home_chapter=world.montreal)
    for index, person in enumerate([*soon, later, nobody]):
        PhoneFactory(person=person, number=f"+1514555020{index}")
    for person in soon:
        status_set(person=person, actor=world.coordinator, category="closed_work_permit",
                   expiry_month=SOON)
    status_set(person=later, actor=world.coordinator, category="study_permit",
               expiry_month=LATER)
    return world


@pytest.fixture
def coordinator(members):
    """The coordinator's browser, logged in with its code."""
    return log_in_with_code(Client(), members.coordinator)


def save_permit_audience(client, world) -> Audience:
    """The builder as the coordinator uses it: count with the permit window, then save,
    shared with the Montréal chapter."""
    builder = client.get(url("audience_new"), WINDOW)
    assert builder.status_code == 200 and builder.context["count"] == 2
    definition = builder.context["save_form"]["definition"].value()
    response = client.post(url("audience_new") + "?" + "&".join(
        f"{k}={v}" for k, v in WINDOW.items()),
        {"name": "Permits ending soon", "chapter": world.montreal.slug, "definition": definition})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Audience.objects.get(name="Permits ending soon")


def test_the_call_list_of_a_permit_audience_goes_to_no_one_without_status_access(
    members, coordinator,
):
    """The attack: a permit-expiry audience made into a call list for the Montréal
    organizer and a volunteer, who would see names and phones of people whose permits
    end soon. The form offers them not, a crafted POST is refused, nothing is made."""
    world = members
    audience = save_permit_audience(coordinator, world)
    assert audience.uses_status

    form_page = coordinator.get(url("call_list_add"), {"audience": audience.pk})
    offered = set(form_page.context["form"].fields["callers"].queryset)
    assert offered == {world.coordinator}
    assert says(form_page.text, "en",
                "This audience uses immigration status, so its list is status data too: only "
                "accounts with status access are offered as callers, and only they will see the "
                "list.")

    crafted = coordinator.post(url("call_list_add"), {
        "name": "Call day", "audience": audience.pk,
        "callers": [world.montreal_organizer.pk, world.volunteer.pk]})
    assert crafted.status_code == 200
    assert says(crafted.text, "en",
                "This audience uses immigration status: its list can be given only to accounts "
                "with status access. Choose among those offered.")
    assert not CallList.objects.exists()
    with pytest.raises(PermissionDenied):  # and the service refuses it too
        call_list_create(name="Call day", organization=world.centre, audience=audience,
                         callers=[world.volunteer], actor=world.coordinator)

    made = coordinator.post(url("call_list_add"), {
        "name": "Call day", "audience": audience.pk, "callers": [world.coordinator.pk]})
    assert made.status_code == 302
    call_list = CallList.objects.get()
    assert call_list.uses_status
    detail = coordinator.get(url("call_list_detail", call_list.pk)).text
    assert "Amina Soon" in detail and "Chen Later" not in detail

    # Nothing of it reaches the Montréal organizer or the volunteer.
    for account in (world.montreal_organizer, world.volunteer):
        client = Client()
        client.force_login(account)
        for name in ("audience_detail", "audience_edit", "audience_export",
                     "saved_audience_count"):
            assert client.get(url(name, audience.pk)).status_code == 404, (account, name)
        assert client.post(url("audience_export", audience.pk),
                           {"file_format": "csv", "columns": ["name"]}).status_code == 404
        assert client.get(url("call_list_detail", call_list.pk)).status_code == 404
        assignment = call_list.assignments.get()
        assert client.get(url("assignment_detail", assignment.pk)).status_code == 404
        for page in ("audiences", "call_lists", "call_list_add"):
            html = client.get(url(page)).text
            assert "Permits ending soon" not in html and "Amina Soon" not in html, page


def test_the_permit_audience_works_with_status_access_and_a_recent_code(
    members, coordinator,
):
    world = members
    audience = save_permit_audience(coordinator, world)
    detail = coordinator.get(url("audience_detail", audience.pk))
    assert detail.status_code == 200 and detail.context["count"] == 2
    assert "Amina Soon" in detail.text and "Chen Later" not in detail.text
    assert says(detail.text, "en",
                "This audience uses immigration status: only accounts with status access see "
                "it, and its call lists go only to them.")
    assert coordinator.get(url("saved_audience_count", audience.pk)).json()["count"] == 2
    export = coordinator.post(url("audience_export", audience.pk),
                              {"file_format": "csv", "columns": ["name", "phone"]})
    body = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "Amina Soon" in body and "Bruno Soon" in body and "Chen Later" not in body

    # Once the code is old, each of them asks for it again, and comes back.
    code_goes_stale(coordinator)
    for name in ("audience_detail", "audience_edit", "audience_export"):
        response = coordinator.get(url(name, audience.pk))
        assert response.status_code == 302, name
        assert response["Location"].startswith(url("step_up") + "?next="), name
    assert coordinator.get(url("saved_audience_count", audience.pk)).status_code == 403
    listing = coordinator.get(url("audiences"))
    assert [a.count for a in listing.context["audiences"]] == [None]
    assert says(listing.text, "en", "Enter my code")
    add = coordinator.get(url("call_list_add"), {"audience": audience.pk})
    assert add["Location"].startswith(url("step_up"))


def test_a_list_made_with_status_is_taken_from_a_caller_who_loses_status_access(
    members, coordinator,
):
    world = members
    audience = save_permit_audience(coordinator, world)
    role = world.montreal_organizer.organizer_role
    role.status_access = True
    role.save(update_fields=["status_access"])
    call_list = call_list_create(name="Call day", organization=world.centre,
                                 audience=audience, callers=[world.montreal_organizer],
                                 actor=world.coordinator)
    mine = call_list.assignments.get(caller=world.montreal_organizer)
    montreal = log_in_with_code(Client(), world.montreal_organizer)
    assert "Amina Soon" in montreal.get(url("assignment_detail", mine.pk)).text

    role.status_access = False
    role.save(update_fields=["status_access"])
    assert montreal.get(url("assignment_detail", mine.pk)).status_code == 404
    assert "Call day" not in montreal.get(url("call_lists")).text


def test_an_account_without_status_access_cannot_save_a_permit_filter(members):
    """The builder offers no permit window to the Montréal organizer; a hand-made POST
    with one is refused with a message, and nothing is saved."""
    world = members
    client = Client()
    client.force_login(world.montreal_organizer)
    assert not client.get(url("audience_new")).context["form"].offers_permit
    response = client.post(url("audience_new"), {
        "name": "Sneaky", "chapter": world.montreal.slug, "definition": json.dumps(DEFINITION)})
    assert response.status_code == 200
    assert says(response.text, "en",
                "Only accounts with status access can filter by permit expiry.")
    assert not Audience.objects.exists()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_builder_says_before_saving_that_a_permit_audience_is_status_data(
    members, lang,
):
    client = log_in_with_code(Client(), members.coordinator, lang=lang)
    html = client.get(url("audience_new", lang=lang)).text
    assert says(html, lang,
                "This filter reads immigration status. An audience that uses it is status data: "
                "only accounts with status access will see it, count it, export it or be given "
                "its call lists.")
    assert html.index('id="permit-notice"') < html.index('name="permit_from"')


def test_an_audience_without_a_status_filter_is_shared_as_before(members, coordinator):
    world = members
    response = coordinator.post(url("audience_new") + f"?chapters={world.montreal.pk}", {
        "name": "All of Montréal", "chapter": world.montreal.slug,
        "definition": json.dumps({"chapters": [world.montreal.pk]})})
    assert response.status_code == 302
    audience = Audience.objects.get()
    assert not audience.uses_status
    montreal = Client()
    montreal.force_login(world.montreal_organizer)
    assert montreal.get(url("audience_detail", audience.pk)).status_code == 200
    offered = montreal.get(url("call_list_add"), {"audience": audience.pk}).context["form"]
    assert world.volunteer in set(offered.fields["callers"].queryset)


def test_assignments_of_a_status_list_made_before_the_fix_open_for_no_one_without_access(
    members,
):
    """Rows as they were: a marked list still assigned to the volunteer (the migration
    moves such assignments; the pages refuse them whatever the data)."""
    world = members
    audience = Audience.objects.create(name="Old permits", organization=world.centre,
                                       chapter=world.montreal, definition=DEFINITION,
                                       uses_status=True)
    call_list = CallList.objects.create(name="Old call day", organization=world.centre,
                                        chapter=world.montreal, audience=audience,
                                        uses_status=True, created_by=world.coordinator)
    assignment = CallAssignment.objects.create(call_list=call_list, caller=world.volunteer)
    entry = CallEntry.objects.create(assignment=assignment,
                                     person=PersonFactory(chosen_name="Amina Old",
                                                          home_chapter=world.montreal))
    volunteer = Client()
    volunteer.force_login(world.volunteer)
    assert volunteer.get(url("assignment_detail", assignment.pk)).status_code == 404
    assert volunteer.post(url("entry_outcome", assignment.pk, entry.pk),
                          {"outcome": "reached"}).status_code == 404
    assert "Old call day" not in volunteer.get(url("call_lists")).text


def test_who_was_called_from_a_status_list_cannot_be_saved_as_an_audience_by_others(
    members,
):
    """"Did: reached, on call list N" of a list made with status names who was on it:
    it is a status filter too."""
    world = members
    call_list = CallList.objects.create(name="Permit call day", organization=world.centre,
                                        chapter=world.montreal, uses_status=True)
    crafted = {"did": [{"kind": "call.reached", "campaign": None,
                        "object_type": "messaging.calllist", "object_id": call_list.pk,
                        "since": "", "until": ""}]}
    client = Client()
    client.force_login(world.montreal_organizer)
    response = client.post(url("audience_new"), {
        "name": "Sneaky", "chapter": world.montreal.slug, "definition": json.dumps(crafted)})
    assert response.status_code == 200
    assert not Audience.objects.exists()
