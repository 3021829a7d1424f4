"""The organizer dashboard of issue 7 in the browser: the home page's charts (SVG, data
tables, CSV downloads, date range) for a coordinator and a chapter organizer, the campaign
room with its timeline and milestone form, the toolkit; and every page of issue 7 (audiences
and call lists too) meets WCAG 2.1 AA in French and English, forms with errors included.

The data (`organizing_data`) is shared with test_audience_pages.py and test_call_pages.py."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from solidaire.campaigns.models import Milestone, Resource
from solidaire.core.models import Activity
from solidaire.messaging.calls import call_list_create
from solidaire.messaging.models import Audience
from solidaire.petitions.activities import PETITION_SIGNED

from tests.e2e.conftest import axe_violations, watch_for_csp_violations
from tests.e2e.test_organizer_flows import log_in
from tests.factories import CampaignFactory, PersonFactory, PhoneFactory

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
CALLEES = ("Amina Diallo", "Bruno Lima", "Chen Wei")


def organizing_data(world):
    """A Montréal campaign with a milestone and a toolkit link; three Montréal people with
    a phone who acted lately; a saved audience of Montréal; a call list for the volunteer."""
    w = world
    w.campaign = CampaignFactory(organization=w.centre, chapter=w.montreal, slug="status",
                                 title={"en": "Status for all", "fr": "Statut pour tous"},
                                 starts_on=datetime.date(2026, 1, 5))
    Milestone.objects.create(campaign=w.campaign, kind=Milestone.Kind.MEETING,
                             happened_on=datetime.date(2026, 2, 25),
                             title={"en": "Meeting the minister", "fr": "Rencontre du ministre"},
                             is_public=False)
    Resource.objects.create(campaign=w.campaign, kind="faq", title="FAQ video", language="en",
                            url="https://video.example.org/faq", is_public=True)
    Resource.objects.filter(title="FAQ video").update(download_count=17)
    lately = timezone.now() - datetime.timedelta(days=3)
    w.callees = []
    for index, name in enumerate(CALLEES):
        person = PersonFactory(chosen_name=name, home_chapter=w.montreal)
        PhoneFactory(person=person, number=f"+1514555010{index}")
        Activity.objects.create(person=person, kind=PETITION_SIGNED,
                                occurred_at=lately)
        w.callees.append(person)
    Activity.objects.create(person=w.in_bsl, kind=PETITION_SIGNED,
                            occurred_at=lately)
    w.audience = Audience.objects.create(name="Montréal members", organization=w.centre,
                                         chapter=w.montreal,
                                         definition={"chapters": [w.montreal.pk]})
    w.call_list = call_list_create(
        name="Call day", organization=w.centre, chapter=w.montreal, campaign=w.campaign,
        audience=w.audience,
        script={"en": "Hello, this is the centre.", "fr": "Bonjour, ici le centre."},
        callers=[w.volunteer], actor=w.montreal_organizer,
    )
    w.assignment = w.call_list.assignments.get()
    return w


@pytest.fixture
def organizing(world):
    return organizing_data(world)


@pytest.fixture
def new_page(browser, csp_violations):
    """`new_page(...)`: one more browser context (another account, JavaScript off, …),
    watched for CSP violations like the `page` fixture's."""
    contexts = []

    def make(*, javascript=True, viewport=DESKTOP):
        context = browser.new_context(java_script_enabled=javascript, viewport=viewport)
        contexts.append(context)
        page = context.new_page()
        watch_for_csp_violations(page, csp_violations)
        return page

    yield make
    for context in contexts:
        context.close()
    assert csp_violations == [], "the page broke its Content-Security-Policy"


def open_all_details(page):
    """Open the <details> (chart data tables, scripts) so that axe checks their content."""
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")


# The home page's dashboard -----------------------------------------------------------------


def test_a_coordinator_reads_the_charts_their_tables_and_csv_and_changes_the_range(
        page, live_server, organizing):
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, "coordinator")

    charts = page.locator("section.chart-block")
    assert charts.count() >= 5
    svgs = page.locator("svg.chart[role=img]")
    assert svgs.count() >= 1
    # Each drawing is named by its <title>, and each has its data as a table.
    assert svgs.first.get_attribute("aria-labelledby").endswith("-desc")
    first_chart = page.locator("section.chart-block", has=page.locator("svg.chart")).first
    table = first_chart.locator("details.chart-data table")
    expect(table).to_be_hidden()
    first_chart.locator("details.chart-data summary").click()
    expect(table).to_be_visible()
    assert table.locator("tbody tr").count() >= 1

    csv_link = first_chart.get_by_role("link", name="Download as CSV")
    href = csv_link.get_attribute("href")
    assert href.startswith("/en/organize/charts/") and ".csv?from=" in href
    response = page.request.get(live_server.url + href)
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert len(response.text().strip().splitlines()) >= 2

    chapters = page.locator("section.chart-block").filter(
        has=page.get_by_role("heading", name="People by chapter"))
    chapters.locator("summary").click()
    expect(chapters.locator("table")).to_contain_text("Bas-Saint-Laurent")

    form = page.get_by_role("form", name="Date range of the charts")
    form.get_by_label("From").fill("2026-01-05")
    form.get_by_label("To").fill("2026-02-01")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**from=2026-01-05&to=2026-02-01**")
    expect(page.locator("main p").filter(
        has_text=re.compile(r"^From .*5, 2026 to .*1, 2026, counting"))).to_have_count(1)
    assert "from=2026-01-05&to=2026-02-01" in page.get_by_role(
        "link", name="Download as CSV").first.get_attribute("href")

    page.get_by_role("link", name="Last 4 weeks").click()
    expect(page.get_by_role("link", name="Last 4 weeks")).to_have_attribute(
        "aria-current", "true")

    # A range backwards is refused with a message, the default range is shown; the page
    # with its data tables open and the form's error meets WCAG 2.1 AA.
    page.goto(f"{live_server.url}/en/organize/?from=2026-02-01&to=2026-01-05")
    expect(page.get_by_text("The start date must be on or before the end date.")).to_be_visible()
    assert page.locator("svg.chart").count() >= 1
    open_all_details(page)
    assert axe_violations(page) == []


def test_a_montreal_organizer_sees_only_montreal_in_the_home_page_and_charts(
        page, live_server, organizing):
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, "montreal", language="fr")
    page.goto(f"{live_server.url}/fr/organize/")
    open_all_details(page)

    latest = page.locator("main table").first
    for name in CALLEES:
        expect(latest).to_contain_text(name)
    main = page.locator("main")
    expect(main).not_to_contain_text("Carlos Rimouski")
    expect(main).not_to_contain_text("Bas-Saint-Laurent")
    expect(main).not_to_contain_text("Toronto")
    # 3 callees, Ana (Montréal) and Bea (Côte-des-Neiges).
    expect(page.locator(".cards .card .count").first).to_have_text("5")
    assert page.locator("svg.chart").count() >= 1
    href = page.locator("section.chart-block a[download]").first.get_attribute("href")
    assert page.request.get(live_server.url + href).status == 200


# The campaign room, its milestones and its toolkit -------------------------------------------


def test_an_organizer_adds_a_milestone_to_the_campaign_room_and_opens_the_toolkit(
        page, live_server, organizing):
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, "montreal")
    page.goto(f"{live_server.url}/en/organize/campaigns/status/")
    assert page.get_by_role("heading", level=1).inner_text() == "Status for all"
    timeline = page.locator("ol.timeline")
    expect(timeline).to_contain_text("Meeting the minister")
    expect(timeline).to_contain_text("Organizers only")

    page.get_by_role("link", name="Add a milestone").click()
    page.get_by_label("Date").fill("2026-03-02")
    page.get_by_role("button", name="Add to the timeline").click()
    expect(page.locator(".field.has-error")).to_contain_text("Give the milestone a title")

    page.get_by_label("Kind").select_option("media")
    page.get_by_label("Title in English").fill("Front page of Le Devoir")
    page.get_by_label("Outlet").fill("Le Devoir")
    page.get_by_role("button", name="Add to the timeline").click()

    page.wait_for_url(f"{live_server.url}/en/organize/campaigns/status/")
    expect(page.get_by_text("The milestone Front page of Le Devoir was added.")).to_be_visible()
    items = page.locator("ol.timeline > li")
    expect(items.filter(has_text="Front page of Le Devoir")).to_have_count(1)
    expect(page.get_by_role("link", name="Edit the milestone Front page of Le Devoir")) \
        .to_be_visible()

    page.get_by_role("link", name="Toolkit").click()
    row = page.locator("tbody tr").filter(has_text="FAQ video")
    expect(row).to_contain_text("17")
    expect(page.locator("table caption")).to_contain_text("17 downloads in all")
    expect(page.get_by_role("link", name="Add a resource")).to_be_visible()


# WCAG 2.1 AA on every page of issue 7 --------------------------------------------------------


def axe_each(page, base, paths, found, *, before=None):
    for path in paths:
        response = page.goto(f"{base}{path}")
        assert response.status == 200, path
        if before:
            before(page)
        open_all_details(page)
        violations = axe_violations(page)
        if violations:
            found[path] = violations


def axe_errors(page, name, found):
    # Auto-waiting: the click that sent the form returns before the answer is drawn.
    expect(page.locator(".field.has-error").first, name).to_be_visible()
    violations = axe_violations(page)
    if violations:
        found[name] = violations


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_pages_of_issue_7_meet_wcag_21_aa(page, new_page, live_server, organizing,
                                               language):
    w = organizing
    base = f"{live_server.url}/{language}/organize/"
    found: dict[str, list[str]] = {}

    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, "montreal", language=language)
    axe_each(page, base, [
        "",
        "audiences/",
        "audiences/new/",
        f"audiences/new/?chapters={w.cdn.pk}&actions_min=-1",  # the filters with an error
        f"audiences/{w.audience.pk}/",
        "calls/",
        f"calls/{w.call_list.pk}/",
        "campaigns/status/",
        "campaigns/status/toolkit/",
        f"calls/new/?audience={w.audience.pk}",
    ], found)
    # Forms, then sent incomplete: their errors.
    page.locator("main form button[type=submit]:not([name=preview])").click()
    axe_errors(page, "calls/new/ with errors", found)
    axe_each(page, base, ["campaigns/status/milestones/new/"], found)
    page.locator("input[name=happened_on]").fill("2026-03-02")  # passes the browser's check
    page.locator("main form button[type=submit]").first.click()
    axe_errors(page, "milestones/new/ with errors", found)

    # The volunteer's own list, on a phone.
    volunteer = new_page(viewport=PHONE)
    log_in(volunteer, live_server, "volunteer", language=language)
    axe_each(volunteer, base, ["calls/", f"calls/assignments/{w.assignment.pk}/"], found)

    assert found == {}


def test_in_french_changing_only_the_end_date_keeps_the_start_date(page, live_server, world):
    log_in(page, live_server, "montreal", language="fr")
    today = timezone.localdate()
    start = today - datetime.timedelta(weeks=26) + datetime.timedelta(days=1)
    range_form = page.locator("form.chart-range")
    # The browser shows the dates: an input it cannot read would be empty.
    expect(range_form.get_by_label("Du")).to_have_value(start.isoformat())
    expect(range_form.get_by_label("Au")).to_have_value(today.isoformat())

    end = today - datetime.timedelta(days=7)
    range_form.get_by_label("Au").fill(end.isoformat())
    range_form.get_by_role("button", name="Afficher").click()
    page.wait_for_url(re.compile(rf".*to={end.isoformat()}.*"))
    assert f"from={start.isoformat()}" in page.url
    expect(page.locator("form.chart-range").get_by_label("Du")).to_have_value(start.isoformat())
