"""The organizer pages on a phone: at 360 px no page scrolls sideways and no control is cut
off; the navigation, collapsed, leaves the screen to the page and opens, JavaScript or not,
on every link; the dashboard's chart labels stay readable.

Every organizer page that answers a GET with HTML is visited, with the objects of the
scope walk (tests/organize/test_scope_walk.py) so that its detail pages have something
to show; `test_every_html_page_is_visited` keeps the list whole as pages are added."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from solidaire.core.models import OrganizerRole
from solidaire.events.models import Registration
from solidaire.organize.urls import urlpatterns
from solidaire.organizing.models import Organization
from solidaire.petitions.models import Petition

from tests.e2e.conftest import axe_violations
from tests.e2e.test_organizer_flows import log_in
from tests.factories import EmailFactory, make_organizer
from tests.organize.conftest import url
from tests.organize.test_scope_walk import others  # noqa: F401 -- a fixture
from tests.second_factor import code_for, device_for

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 360, "height": 740}
WIDE = {"width": 1280, "height": 900}

# Pages that are no HTML page: downloads, answers to a script, and forms' POST targets.
NOT_HTML = {"chart_csv", "petition_packet_pdf", "petition_packet_csv", "event_sheet",
            "audience_export", "import_progress", "audience_count", "saved_audience_count",
            "event_checkin_search", "people_export", "logout", "duplicate_scan",
            "account_sessions_end", "person_contact", "person_suggestion",
            "endorsement_decide", "event_registration_decide", "event_review",
            "event_checkin_mark", "entry_outcome", "login_code", "password_reset_confirm",
            "import_problems", "import_undo"}
# Seen before logging in.
LOGGED_OUT = ["login", "password_reset", "password_reset_done", "password_reset_complete"]
# Seen by the coordinator of a coalition.
AS_COALITION = {"coalition_member_add": {"slug": "allies"}}


def organizer_pages(o: dict) -> list[tuple[str, dict]]:
    """(url name, arguments) of every HTML page, as the centre's coordinator sees them."""
    event, petition = {"slug": "mtl-event"}, {"slug": "bsl-petition"}
    campaign = {"slug": "mtl-campaign"}
    return [
        ("home", {}), ("two_factor", {}), ("step_up", {}), ("accounts", {}),
        ("people", {}), ("person_add", {}), ("permit_cliff", {}),
        ("imports", {}), ("import_detail", o["imports"][0]),
        ("duplicates", {}), ("duplicate_bulk_merge", {}),
        ("duplicate_review", {"pk": o["pair_across"]}),
        ("person_detail", {"pk": o["montreal_person"]}),
        ("person_edit", {"pk": o["montreal_person"]}),
        ("person_status", {"pk": o["montreal_person"]}),
        ("person_merge", {"pk": o["montreal_person"]}),
        ("person_merge_confirm", {"pk": o["montreal_person"], "other_pk": o["bsl_person"]}),
        ("chapters", {}), ("chapter_add", {}), ("chapter_detail", {"slug": "montreal"}),
        ("chapter_add_child", {"slug": "montreal"}), ("chapter_edit", {"slug": "montreal"}),
        ("audit", {}), ("chapter_requests", {}),
        ("chapter_request_detail", {"pk": o["chapter_request"]}),
        ("committees", {}), ("committee_add", {}),
        ("committee_detail", {"slug": "cti-committee"}),
        ("committee_edit", {"slug": "cti-committee"}),
        ("organizations", {}), ("organization_detail", {"slug": "cti"}),
        ("organization_edit", {"slug": "cti"}),
        ("campaigns", {}), ("campaign_add", {}), ("campaign_detail", campaign),
        ("campaign_edit", campaign), ("milestone_add", campaign),
        ("milestone_edit", {**campaign, "pk": o["milestone"]["mtl"]}),
        ("resources", campaign), ("resource_add", campaign),
        ("resource_edit", {**campaign, "pk": o["resource"]["mtl"]}),
        ("audiences", {}), ("audience_new", {}),
        ("audience_detail", {"pk": o["audience"]["mtl"]}),
        ("audience_edit", {"pk": o["audience"]["mtl"]}),
        ("audience_delete", {"pk": o["audience"]["mtl"]}),
        ("call_lists", {}), ("call_list_add", {}),
        ("call_list_detail", {"pk": o["call_list"]["mtl"]}),
        ("call_list_delete", {"pk": o["call_list"]["mtl"]}),
        ("assignment_detail", {"pk": o["assignment"]["msu"]}),
        ("targets", {}), ("target_add", {}), ("target_import", {}),
        ("target_detail", {"pk": o["target"]}),
        ("petitions", {}), ("petition_add", {}), ("petition_detail", petition),
        ("petition_edit", petition), ("petition_paper", petition),
        ("petition_delivery", {**petition, "target_pk": o["target"]}),
        ("signons", {}), ("signon_add", {}), ("signon_detail", {"slug": "cti-statement"}),
        ("signon_edit", {"slug": "cti-statement"}),
        ("actions", {}), ("action_add", {}), ("action_detail", {"slug": "cti-action"}),
        ("action_edit", {"slug": "cti-action"}),
        ("events", {}), ("event_add", {}), ("series_list", {}), ("series_add", {}),
        ("series_detail", {"slug": "cti-series"}), ("series_edit", {"slug": "cti-series"}),
        ("event_detail", event), ("event_edit", event), ("event_registrations", event),
        ("event_follow_up", event), ("event_checkin", event), ("event_walk_in", event),
        ("event_attendance_import", event),
        ("event_attendance_import_detail", {**event, "pk": o["attendance_imports"]["mtl"]}),
        ("event_paper", event),
    ]


# What overflows: the page wider than the screen, and each visible control that reaches
# past the screen's edges, is cut by an ancestor that hides its overflow or is too narrow
# for its own text. A control in a
# box that scrolls sideways (a wide table's) is reached by scrolling that box, which must
# itself fit the screen.
OVERFLOW = """() => {
  const width = window.innerWidth, found = [];
  const outside = box => box.left < -0.5 || box.right > width + 0.5;
  if (document.documentElement.scrollWidth > width)
    found.push(`page is ${document.documentElement.scrollWidth}px wide`);
  const controls = document.querySelectorAll(
    'button, a.button, input:not([type=hidden]), select, textarea');
  for (const control of controls) {
    const box = control.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || !control.checkVisibility()) continue;
    const name = control.outerHTML.slice(0, 80);
    // A button squeezed narrower than its words (by a flex row) pushes them over its edge.
    if (control.matches('button, a.button')) {
      const style = getComputedStyle(control);
      const left = box.left + parseFloat(style.borderLeftWidth) + parseFloat(style.paddingLeft);
      const right = box.right - parseFloat(style.borderRightWidth) - parseFloat(style.paddingRight);
      const walker = document.createTreeWalker(control, NodeFilter.SHOW_TEXT);
      for (let text = walker.nextNode(); text; text = walker.nextNode()) {
        if (!text.textContent.trim() || text.parentElement.closest('.sr-only')) continue;
        const range = document.createRange();
        range.selectNodeContents(text);
        const words = range.getBoundingClientRect();
        if (words.left < left - 1 || words.right > right + 1) {
          found.push(`${name} is narrower than its text`);
          break;
        }
      }
    }
    let scroller = null;
    for (let up = control.parentElement; up && !scroller; up = up.parentElement) {
      const overflow = getComputedStyle(up).overflowX;
      if (overflow === 'auto' || overflow === 'scroll') scroller = up;
      else if (overflow !== 'visible') {
        const frame = up.getBoundingClientRect();
        if (box.left < frame.left - 0.5 || box.right > frame.right + 0.5) {
          found.push(`${name} is cut by ${up.tagName}.${up.className}`);
          break;
        }
      }
    }
    const shown = scroller ? scroller.getBoundingClientRect() : box;
    if (outside(shown))
      found.push(`${name} spans ${Math.round(box.left)}..${Math.round(box.right)}px`);
  }
  return found;
}"""


def overflow_of(page) -> list[str]:
    return page.evaluate(OVERFLOW)


def log_in_with_status_access(page, live_server, world, language):
    """The coordinator with access to immigration status, who sees every page."""
    role = world.coordinator.organizer_role
    role.status_access = True
    role.save(update_fields=["status_access"])
    device = device_for(world.coordinator)
    page.goto(f"{live_server.url}/{language}/organize/login/")
    page.locator("input[name=username]").fill("coordinator")
    page.locator("input[name=password]").fill("correct horse battery")
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/organize/login/code/**")
    page.locator("input[name=code]").fill(code_for(device))
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(f"{live_server.url}/{language}/organize/")


def make_every_page_show_something(world, o: dict) -> None:
    """The petition goes to the target (its delivery page), someone is checked in (their
    undo button), a person has a long e-mail address, and an account runs the coalition
    of allies (its page to add a member)."""
    Petition.objects.get(slug="bsl-petition").targets.add(o["target"])
    Registration.objects.filter(pk=o["registrations"]["mtl"]).update(attended_at=timezone.now())
    EmailFactory(person=world.in_montreal,
                 address="ana.montreal-travailleuse-agricole-saisonniere@example.org")
    allies = Organization.objects.get(slug="allies")
    make_organizer(role=OrganizerRole.Role.COORDINATOR, username="allies", organization=allies)


def test_every_html_page_is_visited():
    listed = {name for name, _kwargs in organizer_pages(_ANY_IDS)}
    assert {p.name for p in urlpatterns} == listed | NOT_HTML | {*LOGGED_OUT, *AS_COALITION}


class _AnyIds(dict):
    def __missing__(self, key):
        return _AnyIds({"pk": 1})


_ANY_IDS = _AnyIds()
_ANY_IDS["imports"] = [{"pk": 1}]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_no_organizer_page_scrolls_sideways_or_cuts_a_control_at_360_px(
        browser, live_server, world, others, language):  # noqa: F811 -- the fixture
    make_every_page_show_something(world, others)
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        found = {}
        for name in LOGGED_OUT:
            page.goto(live_server.url + url(name, lang=language))
            if problems := overflow_of(page):
                found[name] = problems
        log_in(page, live_server, "allies", language=language)
        for name, kwargs in AS_COALITION.items():
            page.goto(live_server.url + url(name, lang=language, **kwargs))
            if problems := overflow_of(page):
                found[name] = problems
        context.clear_cookies()
        log_in_with_status_access(page, live_server, world, language)
        for name, kwargs in organizer_pages(others):
            response = page.goto(live_server.url + url(name, lang=language, **kwargs))
            assert response.status == 200, name
            assert "/organize/" in page.url, name
            if problems := overflow_of(page):
                found[name] = problems
            # The check-in and call pages hide their forms in <details>: opened too.
            page.evaluate("document.querySelectorAll('main details').forEach(d => d.open = 1)")
            if problems := overflow_of(page):
                found.setdefault(name, problems)
        assert found == {}, f"{len(found)} pages overflow: {found}"
    finally:
        context.close()


# The navigation ----------------------------------------------------------------------------

NAV = "header nav[aria-label]:not(.lang-switch)"


def nav_links(page) -> list[str]:
    return page.locator(f"{NAV} a").evaluate_all("links => links.map(a => a.pathname)")


@pytest.mark.parametrize("javascript", [False, True])
def test_the_navigation_on_a_phone_is_collapsed_and_opens_on_every_link(
        browser, new_page, live_server, world, javascript):
    wide = new_page(viewport=WIDE)
    log_in(wide, live_server, "coordinator")
    every_link = nav_links(wide)
    assert len(every_link) >= 17
    # On a wide screen the groups make one bar.
    assert wide.locator(NAV).bounding_box()["height"] <= 60

    page = new_page(viewport=PHONE, javascript=javascript)
    log_in(page, live_server, "coordinator")
    page.goto(f"{live_server.url}/en/organize/people/")
    nav = page.locator(NAV)
    assert nav.bounding_box()["height"] < PHONE["height"] / 4
    # The page's link is marked, and so is its group, in words too.
    current = nav.locator("a[aria-current=page]")
    expect(current).to_have_text("People")
    group = nav.locator("details", has=page.locator("a[aria-current=page]"))
    expect(group.locator("summary")).to_contain_text("current section")
    expect(current).to_be_hidden()

    reached = []
    for index in range(nav.locator("details").count()):
        details = nav.locator("details").nth(index)
        # By keyboard: a summary takes the focus and opens with Enter.
        details.locator("summary").focus()
        page.keyboard.press("Enter")
        expect(details).to_have_attribute("open", "")
        for link in details.locator("a").all():
            expect(link).to_be_visible()
            box = link.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], link
            reached.append(link.evaluate("a => a.pathname"))
        assert overflow_of(page) == []
        page.keyboard.press("Enter")
    outside = nav.locator(":scope > ul > li > a").evaluate_all(
        "links => links.map(a => a.pathname)")
    assert sorted(reached + outside) == sorted(every_link)
    nav.locator("details").last.locator("summary").click()
    expect(nav.get_by_role("button", name="Log out (coordinator)")).to_be_visible()
    # French names are longer.
    page.goto(f"{live_server.url}/fr/organize/people/")
    assert nav.bounding_box()["height"] < PHONE["height"] / 4
    wide.locator(f"{NAV} details").first.locator("summary").click()
    expect(wide.locator(f"{NAV} details").first.get_by_role("link").first).to_be_visible()
    # An open group passes WCAG 2.1 AA on both screens (axe-core runs in the page, so
    # it is run where JavaScript is on).
    assert axe_violations(wide) == []
    if javascript:
        nav.locator("details").nth(1).locator("summary").click()
        assert axe_violations(page) == []


@pytest.fixture
def new_page(browser):
    contexts = []

    def make(*, javascript=True, viewport=WIDE):
        context = browser.new_context(java_script_enabled=javascript, viewport=viewport)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


# The dashboard's charts --------------------------------------------------------------------

# The size each label of the charts is drawn at: its font size scaled as the drawing is.
LABEL_SIZES = """() => [...document.querySelectorAll('svg.chart')].flatMap(svg => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return [...svg.querySelectorAll('text')].map(
    text => parseFloat(getComputedStyle(text).fontSize) * scale);
})"""


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_chart_labels_are_readable_on_a_phone(
        new_page, live_server, world, others, language):  # noqa: F811 -- the fixture
    page = new_page(viewport=PHONE, javascript=False)
    log_in(page, live_server, "coordinator", language=language)
    assert page.locator("svg.chart").count() >= 1
    sizes = page.evaluate(LABEL_SIZES)
    assert sizes and min(sizes) >= 11, sorted(sizes)[:5]
    # A drawing wider than the screen scrolls in its own box, which takes the focus so
    # a keyboard can scroll it; the page itself does not scroll sideways.
    figure = page.locator(".chart-figure").first
    assert figure.evaluate("box => box.scrollWidth > box.clientWidth")
    assert figure.get_attribute("tabindex") == "0"
    assert overflow_of(page) == []
