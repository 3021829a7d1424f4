"""Check-in at the door on a phone: find a person as you type, one tap, the counter rises;
the same with JavaScript off; the page meets WCAG 2.1 AA."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations
from tests.e2e.test_organizer_flows import log_in
from tests.factories import EventFactory, PhoneFactory, RegistrationFactory

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def door(world):
    # This evening: a volunteer's door opens only around the event (decision 0044).
    event = EventFactory(organization=world.centre, chapter=world.montreal, slug="assembly",
                         starts_at=timezone.now() + datetime.timedelta(hours=2),
                         title={"en": "Spring assembly", "fr": "Assemblée du printemps"})
    josee = RegistrationFactory(event=event, person__chosen_name="Josée Tremblay")
    PhoneFactory(person=josee.person, number="+15145550142")
    for name in ("Ahmed Diallo", "Maria Gonzalez", "Joseph Nguyen"):
        RegistrationFactory(event=event, person__chosen_name=name)
    return event


def test_a_volunteer_finds_a_person_as_they_type_and_checks_them_in(page, live_server, door):
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "volunteer")
    page.goto(f"{live_server.url}/en/organize/events/assembly/check-in/")
    expect(page.locator("#checkin-count")).to_contain_text("0 checked in of 4 registered")
    page.evaluate("window.notReloaded = true")

    page.locator("#checkin-q").press_sequentially("josee", delay=40)

    rows = page.locator(".checkin-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Josée Tremblay")
    expect(rows.first).to_contain_text("0142")
    assert page.evaluate("window.notReloaded") is True
    button = rows.first.get_by_role("button", name="Check in")
    box = button.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44

    button.click()

    expect(page.locator("#checkin-count")).to_contain_text("1 checked in of 4 registered")
    expect(page.locator(".checkin-row").first).to_contain_text("Checked in")
    assert page.locator("#checkin-q").input_value() == "josee"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_checking_in_works_with_javascript_off(page_without_js, live_server, door):
    page = page_without_js
    log_in(page, live_server, "volunteer")
    page.goto(f"{live_server.url}/en/organize/events/assembly/check-in/")

    page.locator("#checkin-q").fill("0142")
    page.get_by_role("button", name="Search").click()
    rows = page.locator(".checkin-row")
    expect(rows).to_have_count(1)
    rows.first.get_by_role("button", name="Check in").click()

    expect(page.locator("#checkin-count")).to_contain_text("1 checked in of 4 registered")
    expect(page.get_by_text("Checked in: Josée Tremblay")).to_be_visible()


def test_a_walk_in_is_added_and_counted_without_javascript(page_without_js, live_server, door):
    page = page_without_js
    log_in(page, live_server, "volunteer")
    page.goto(f"{live_server.url}/en/organize/events/assembly/check-in/")

    page.get_by_text("Add a walk-in").click()
    page.locator("#id_chosen_name").fill("Nour Haddad")
    page.get_by_role("button", name="Add and check in").click()

    expect(page.get_by_text("Checked in: Nour Haddad")).to_be_visible()
    expect(page.locator("#checkin-count")).to_contain_text("1 checked in of 5 registered")
    assert axe_violations(page) == []


def test_the_check_in_page_meets_wcag_21_aa(page, live_server, door):
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "volunteer")
    page.goto(f"{live_server.url}/en/organize/events/assembly/check-in/")
    page.locator(".checkin-row").first.get_by_role("button", name="Check in").click()
    page.wait_for_load_state()
    page.get_by_text("Add a walk-in").click()

    assert axe_violations(page) == []
