"""The audience builder in the browser: with JavaScript the count follows the filters as
they change, without it the Count button does the same; a named audience is saved and
opened, and listed. (Its pages' WCAG checks are in test_organize_pages.py.)"""

import re

import pytest
from playwright.sync_api import expect

from solidaire.messaging.models import Audience

from tests.e2e.conftest import axe_violations
from tests.e2e.test_organize_pages import DESKTOP, organizing_data
from tests.e2e.test_organizer_flows import log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def organizing(world):
    return organizing_data(world)


# In the Montréal organizer's scope: the three callees, Ana (Montréal), Bea (Côte-des-Neiges).
EVERYONE = "5 people"


def chapter_box(page, chapter):
    return page.locator(f"input[name=chapters][value='{chapter.pk}']")


def test_the_count_follows_the_filters_and_the_audience_is_saved_with_javascript(
        page, live_server, organizing):
    w = organizing
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, "montreal")
    page.goto(f"{live_server.url}/en/organize/audiences/")
    page.get_by_role("link", name="New audience").click()
    # A click waits for the next page to start, not for its deferred script; changing a
    # filter before the script listens would test nothing.
    page.wait_for_load_state("load")
    count = page.locator("#audience-count")
    expect(count).to_have_text(EVERYONE)
    page.evaluate("window.notReloaded = true")

    chapter_box(page, w.cdn).check()

    expect(count).to_have_text("1 person")
    expect(page).to_have_url(re.compile(rf"\?.*chapters={w.cdn.pk}"))
    page.locator("input[name=actions_min]").fill("-1")
    expect(count).to_contain_text("greater than or equal to 0")
    page.locator("input[name=actions_min]").fill("")
    expect(count).to_have_text("1 person")
    assert page.evaluate("window.notReloaded") is True

    page.get_by_label("Name of the audience").fill("Côte-des-Neiges members")
    page.get_by_label("Shared with").select_option(w.montreal.slug)
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Côte-des-Neiges members")
    expect(page.get_by_text("The audience Côte-des-Neiges members was saved.")).to_be_visible()
    expect(page.locator("p.audience-count strong")).to_have_text("1 person")
    people = page.locator("ul.audience-people li")
    expect(people).to_have_count(1)
    expect(people.first).to_contain_text("Bea Côte-des-Neiges")
    assert Audience.objects.get(name="Côte-des-Neiges members").definition["chapters"] == [
        w.cdn.pk]

    page.get_by_role("link", name="Audiences", exact=True).first.click()
    rows = page.locator("main tbody tr")
    expect(rows).to_have_count(2)
    saved = rows.filter(has_text="Côte-des-Neiges members")
    expect(saved.locator("td").nth(1)).to_have_text("Montréal")
    expect(saved.locator("td").nth(2)).to_have_text("1")
    expect(rows.filter(has_text="Montréal members").locator("td").nth(2)).to_have_text("5")


def test_the_count_button_and_saving_work_with_javascript_off(page_without_js, live_server,
                                                              organizing):
    w = organizing
    page = page_without_js
    log_in(page, live_server, "montreal")
    page.goto(f"{live_server.url}/en/organize/audiences/new/")
    expect(page.locator("#audience-count")).to_have_text(EVERYONE)

    chapter_box(page, w.cdn).check()
    page.locator("input[name=actions_min]").fill("5")
    page.locator("input[name=actions_max]").fill("2")
    page.get_by_role("button", name="Count").click()
    expect(page.get_by_role("alert")).to_have_text(
        "The least number of actions is more than the most.")
    expect(page.get_by_role("button", name="Save")).to_have_count(0)
    assert chapter_box(page, w.cdn).is_checked()
    assert axe_violations(page) == []

    page.locator("input[name=actions_min]").fill("")
    page.locator("input[name=actions_max]").fill("")
    page.get_by_role("button", name="Count").click()
    expect(page).to_have_url(re.compile(rf"\?.*chapters={w.cdn.pk}"))
    expect(page.locator("#audience-count")).to_have_text("1 person")

    page.get_by_label("Name of the audience").fill("Côte-des-Neiges members")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Côte-des-Neiges members")
    expect(page.locator("ul.audience-people li")).to_have_text(["Bea Côte-des-Neiges · "
                                                                 "Côte-des-Neiges"])
    page.get_by_role("link", name="Change the filters").click()
    expect(chapter_box(page, w.cdn)).to_be_checked()
    expect(page.locator("#audience-count")).to_have_text("1 person")


def test_the_list_fills_in_the_counts_it_left_for_later(page, live_server, organizing,
                                                        settings):
    """Past its time budget the list leaves counts to its script: one request each."""
    settings.AUDIENCE_LIST_COUNT_SECONDS = 0
    log_in(page, live_server, "montreal")
    page.goto(f"{live_server.url}/en/organize/audiences/")
    row = page.locator("tbody tr").filter(has_text=organizing.audience.name)
    expect(row.locator("td").last).to_have_text(EVERYONE.split()[0])
    expect(row.locator("a[data-count-url]")).to_have_count(0)
    assert axe_violations(page) == []


def test_without_javascript_a_count_left_for_later_opens_the_audience(
        page_without_js, live_server, organizing, settings):
    settings.AUDIENCE_LIST_COUNT_SECONDS = 0
    page = page_without_js
    log_in(page, live_server, "montreal")
    page.goto(f"{live_server.url}/en/organize/audiences/")
    page.get_by_role("link", name=f"Count {organizing.audience.name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(organizing.audience.name)
    expect(page.locator("p.audience-count")).to_contain_text(EVERYONE)
    assert axe_violations(page) == []
