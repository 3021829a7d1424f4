"""The browser enforces the Content-Security-Policy: pages break none of it, and the
check in conftest.py really sees a violation."""

import pytest
from django.contrib.auth import get_user_model

from tests.e2e.conftest import is_csp_violation, watch_for_csp_violations
from tests.second_factor import code_for, device_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_browser_reports_an_inline_style_as_a_violation(browser, live_server, world):
    """Proves the check the `page` fixture runs after every browser test."""
    context = browser.new_context()
    page = context.new_page()
    violations = []
    watch_for_csp_violations(page, violations)
    page.goto(live_server.url + "/en/")
    # Waits for Chromium's report itself (up to Playwright's timeout), not a fixed delay.
    with page.expect_console_message(lambda message: is_csp_violation(message.text)):
        page.evaluate("""() => {
            const sheet = document.createElement('style');
            sheet.textContent = 'body { color: red }';
            document.head.appendChild(sheet);
        }""")
    context.close()
    assert violations, "Chromium did not report an injected inline <style>"
    assert "style-src" in violations[0]


def test_the_admin_works_under_the_policy(page, live_server, world):
    """Django's admin keeps its scripts and styles in static files: no exemption needed."""
    admin = get_user_model().objects.create_superuser("admin", "admin@example.org",
                                                      "correct horse battery")
    device = device_for(admin)  # the admin opens after a code (decision 0046)
    page.goto(live_server.url + "/admin/")
    page.locator("input[name=username]").fill("admin")
    page.locator("input[name=password]").fill("correct horse battery")
    page.locator("input[type=submit]").click()
    page.wait_for_url("**/organize/login/code/**")
    page.locator("input[name=code]").fill(code_for(device))
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(live_server.url + "/admin/")
    for path in ["/admin/people/person/", f"/admin/people/person/{world.in_montreal.pk}/change/",
                 "/admin/organizing/chapter/", "/admin/auth/user/add/"]:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        page.wait_for_load_state("load")
    # The `page` fixture fails the test if any of these pages broke the policy.


def test_the_chapter_tree_is_still_indented_without_inline_styles(page, live_server, world):
    """The indentation that used to be a style="" attribute now comes from the sheet."""
    page.goto(live_server.url + "/en/organize/login/")
    page.locator("input[name=username]").fill("montreal")
    page.locator("input[name=password]").fill("correct horse battery")
    page.locator("form button[type=submit]").click()
    page.wait_for_url(live_server.url + "/en/organize/")
    page.goto(live_server.url + "/en/organize/chapters/")

    def indent(name):
        cell = page.locator("td", has=page.get_by_role("link", name=name, exact=True))
        return float(cell.evaluate("td => getComputedStyle(td).paddingLeft").removesuffix("px"))

    assert indent("Montréal") + 20 < indent("Côte-des-Neiges")
