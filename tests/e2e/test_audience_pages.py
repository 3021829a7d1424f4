"""The audience builder in the browser: with JavaScript the count follows the filters as
they change, without it the Count button does the same; a named audience is saved and
opened, and listed. (Its pages' WCAG checks are in test_organize_pages.py.)"""

import re

import pytest
from playwright.sync_api import expect

from solidaire.membership.models import CommitteeMembership
from solidaire.messaging.models import Audience
from solidaire.people.models import Tag

from tests.e2e.conftest import axe_violations
from tests.e2e.test_organize_pages import DESKTOP, organizing_data
from tests.e2e.test_organizer_flows import log_in
from tests.factories import CommitteeFactory, PersonFactory

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


def test_on_a_phone_tags_committees_and_chapters_are_ticked_by_their_names(
        page, live_server, organizing):
    """At 390 px every choice is a checkbox ticked by touching its name, a row at least
    44 px tall; a chapter's box sits on its own name's line and steps in with it."""
    w = organizing
    cleaners, _drivers = Tag.objects.create(name="Cleaners"), Tag.objects.create(name="Drivers")
    housing = CommitteeFactory(name="Housing committee", organization=w.centre,
                               chapter=w.montreal)
    CommitteeFactory(name="Media committee", organization=w.centre, chapter=w.montreal)
    fay = PersonFactory(chosen_name="Fay Côte-des-Neiges", home_chapter=w.cdn)
    gus = PersonFactory(chosen_name="Gus Côte-des-Neiges", home_chapter=w.cdn)
    for person in (w.in_cdn, fay, w.in_montreal):
        person.tags.add(cleaners)
    for person in (w.in_cdn, gus, w.in_montreal):
        CommitteeMembership.objects.create(committee=housing, person=person)
    log_in(page, live_server, "montreal")
    page.goto(f"{live_server.url}/en/organize/audiences/new/")
    page.wait_for_load_state("load")
    assert page.viewport_size["width"] == 390

    chapters = page.get_by_role("group", name="Chapters")
    rows = {}
    for chapter in (w.montreal, w.cdn):
        box = chapter_box(page, chapter)
        label = page.locator(f"label[for='{box.get_attribute('id')}']")
        expect(label).to_have_text(chapter.name)
        name = label.get_by_text(chapter.name, exact=True).bounding_box()
        rows[chapter.pk] = box_at = box.bounding_box()
        middle = box_at["y"] + box_at["height"] / 2
        assert name["y"] <= middle <= name["y"] + name["height"], chapter.name
        assert 0 <= name["x"] - (box_at["x"] + box_at["width"]) <= 24, chapter.name
        assert label.bounding_box()["height"] >= 44
    # Côte-des-Neiges is in Montréal: its box (not only its name) is drawn further in.
    assert rows[w.cdn.pk]["x"] > rows[w.montreal.pk]["x"] + 10

    page.get_by_role("group", name="Tags").get_by_text("Cleaners", exact=True).click()
    page.get_by_role("group", name="Committees").get_by_text(
        "Housing committee", exact=True).click()
    chapters.get_by_text("Côte-des-Neiges", exact=True).click()
    for group, name in (("Tags", "Cleaners"), ("Committees", "Housing committee"),
                        ("Chapters", "Côte-des-Neiges")):
        choice = page.get_by_role("group", name=group).get_by_role("checkbox", name=name)
        expect(choice).to_be_checked()
        assert page.locator(f"label[for='{choice.get_attribute('id')}']").bounding_box()[
            "height"] >= 44
    page.get_by_role("button", name="Count").click()

    expect(page).to_have_url(re.compile(rf"chapters={w.cdn.pk}"))
    assert f"tags={cleaners.pk}" in page.url and f"committees={housing.pk}" in page.url
    expect(page.locator("#audience-count")).to_have_text("1 person")
    expect(page.get_by_role("checkbox", name="Cleaners")).to_be_checked()
    assert axe_violations(page) == []
    page.get_by_label("Name of the audience").fill("Housing cleaners")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("ul.audience-people li")).to_have_text(["Bea Côte-des-Neiges · "
                                                                 "Côte-des-Neiges"])
    assert Audience.objects.get(name="Housing cleaners").definition == {
        "chapters": [w.cdn.pk], "tags": [cleaners.pk], "committees": [housing.pk]}
