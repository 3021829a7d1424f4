"""Browser flows: Playwright driving Debian's Chromium against pytest-django's live server.

Chromium comes from Debian (`apt-get install chromium`; .ci/run installs it). On a
machine without it these tests are skipped, except on CI where that is an error.
"""

import os
from pathlib import Path

import pytest

from tests.tools import missing_tool

CHROMIUM = Path(os.environ.get("SOLIDAIRE_CHROMIUM", "/usr/bin/chromium"))
# Playwright's sync API keeps an event loop in the test thread; the ORM calls the tests
# make between browser steps are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        missing_tool(str(CHROMIUM), "chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"],
        )
        yield browser
        browser.close()


def is_csp_violation(text: str) -> bool:
    # Chromium logs "Refused to apply inline style because it violates the following
    # Content Security Policy directive: …" (and the same for scripts, images, forms).
    return "Content Security Policy" in text


@pytest.fixture
def csp_violations():
    """What the browser refused under the Content-Security-Policy during the test."""
    return []


def watch_for_csp_violations(page, violations: list[str]) -> None:
    page.on("console", lambda message: violations.append(f"{page.url}: {message.text}")
            if is_csp_violation(message.text) else None)


@pytest.fixture
def page(browser, csp_violations):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    watch_for_csp_violations(page, csp_violations)
    yield page
    context.close()
    assert csp_violations == [], "the page broke its Content-Security-Policy"


@pytest.fixture
def page_without_js(browser, csp_violations):
    """A phone with JavaScript off: every public flow must still work."""
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.solidaire_without_js = True  # read by axe_violations
    watch_for_csp_violations(page, csp_violations)
    yield page
    context.close()
    assert csp_violations == [], "the page broke its Content-Security-Policy"


WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the page, as readable lines."""
    if getattr(page, "solidaire_without_js", False):
        return _axe_violations_of_a_copy(page)
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} element(s), e.g. {v['nodes'][0]['target']})"
        for v in result.response["violations"]
    ]


def _axe_violations_of_a_copy(page) -> list[str]:
    """axe-core is a script run in the page, so it cannot run where JavaScript is off
    (it waits forever). The page as drawn (its HTML, at its address, so its style sheets
    and images load; its size) is copied into a page with JavaScript on whose own scripts
    are refused, and checked there: what a phone without JavaScript shows."""
    html, url = page.content(), page.url
    context = page.context.browser.new_context(viewport=page.viewport_size)
    try:
        copy = context.new_page()

        def answer(route):
            request = route.request
            if request.is_navigation_request() and request.url == url:
                route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)
            elif request.resource_type == "script":
                route.abort()
            else:
                route.continue_()

        copy.route("**/*", answer)
        copy.goto(url)
        return axe_violations(copy)
    finally:
        context.close()
