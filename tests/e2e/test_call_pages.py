"""Call lists in the browser: an organizer makes one from a saved audience; a volunteer, on a
360 px phone, works their own list (names, tel: links, script) and records outcomes, with
JavaScript and without. (The pages' WCAG checks are in test_organize_pages.py.)"""

import pytest
from playwright.sync_api import expect

from solidaire.messaging.models import CallList

from tests.e2e.conftest import axe_violations
from tests.e2e.test_organize_pages import CALLEES, DESKTOP, PHONE, organizing_data
from tests.e2e.test_organizer_flows import log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def organizing(world):
    return organizing_data(world)


def test_an_organizer_makes_a_call_list_from_a_saved_audience(page, live_server, organizing):
    w = organizing
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, "montreal")
    page.goto(f"{live_server.url}/en/organize/audiences/{w.audience.pk}/")
    page.get_by_role("link", name="Make a call list").click()

    # The audience comes chosen and counted: only the three with a phone number.
    expect(page.get_by_label("Audience")).to_have_value(str(w.audience.pk))
    expect(page.locator(".call-preview")).to_have_text("3 people to call.")
    page.get_by_role("button", name="Make the call list").click()
    expect(page.locator(".field.has-error")).to_have_count(2)  # name and callers

    page.locator("input[name=name]").fill("Second call day")
    page.get_by_label("Campaign").select_option("status")
    page.locator(f"input[name=callers][value='{w.volunteer.pk}']").check()
    page.get_by_label("Script in English").fill("Hi! The assembly is on Tuesday.")
    page.get_by_role("button", name="Count the people").click()
    expect(page.locator(".call-preview")).to_have_text("3 people to call.")
    assert not CallList.objects.filter(name="Second call day").exists()

    page.get_by_role("button", name="Make the call list").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Second call day")
    expect(page.get_by_text("The call list Second call day was made.")).to_be_visible()
    callers = page.locator("main table").nth(1)
    expect(callers.locator("tbody tr")).to_have_count(1)
    expect(callers).to_contain_text("volunteer")
    expect(page.locator("div.call-script")).to_contain_text("The assembly is on Tuesday.")
    for name in CALLEES:
        expect(page.get_by_role("link", name=name)).to_be_visible()


def work_the_list(page, live_server, *, outcome: str, name: str):
    """The volunteer opens their list from their home page and records one outcome."""
    log_in(page, live_server, "volunteer")
    page.get_by_role("link", name="My call lists").click()
    page.get_by_role("link", name="Call day").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Call day")
    expect(page.locator(".call-script")).to_contain_text("Hello, this is the centre.")
    rows = page.locator("li.call-row")
    expect(rows).to_have_count(3)
    assert sorted(rows.locator(".call-name").all_inner_texts()) == sorted(CALLEES)
    phones = page.locator("a.call-phone")
    expect(phones).to_have_count(3)
    assert sorted(phones.nth(i).get_attribute("href") for i in range(3)) == [
        f"tel:+1514555010{i}" for i in range(3)]
    # Names and numbers only: no person page, no e-mail.
    assert page.locator("main a[href*='/people/']").count() == 0
    expect(page.locator("p.call-count")).to_have_text("0 called of 3")

    page.get_by_role("button", name=f"{outcome} — {name}").click()

    row = page.locator("li.call-row").filter(has_text=name)
    expect(row).to_have_class("call-row is-done")
    expect(row.locator(".call-done")).to_have_text(outcome)
    expect(row.get_by_role("button", name=f"{outcome} — {name}")).to_have_attribute(
        "aria-pressed", "true")
    expect(page.locator("p.call-count")).to_have_text("1 called of 3")
    return row


def test_a_volunteer_works_their_call_list_on_a_phone(page, live_server, organizing):
    page.set_viewport_size(PHONE)
    row = work_the_list(page, live_server, outcome="Reached", name="Bruno Lima")
    box = row.get_by_role("button", name="Reached — Bruno Lima").bounding_box()
    assert box["height"] >= 44
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    row.get_by_role("button", name="Clear — Bruno Lima").click()
    expect(page.locator("p.call-count")).to_have_text("0 called of 3")
    entry = organizing.assignment.entries.get(person__chosen_name="Bruno Lima")
    assert entry.outcome == ""


def test_a_volunteer_records_an_outcome_without_javascript(page_without_js, live_server,
                                                           organizing):
    work_the_list(page_without_js, live_server, outcome="Left a message", name="Chen Wei")
    assert axe_violations(page_without_js) == []
    entry = organizing.assignment.entries.get(person__chosen_name="Chen Wei")
    assert entry.outcome == "message"
