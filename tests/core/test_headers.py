"""Security headers: a strict Content-Security-Policy everywhere, no-store on organizer pages."""

import re
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

import solidaire

EXPECTED_DIRECTIVES = {
    "default-src": "'self'",
    "img-src": "'self' data:",
    "style-src": "'self'",
    "script-src": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'none'",
    "object-src": "'none'",
}


def directives(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    parts = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


def assert_strict_policy(response):
    assert "Content-Security-Policy" in response.headers, response.request["PATH_INFO"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "unsafe-eval" not in response.headers["Content-Security-Policy"]
    assert directives(response) == EXPECTED_DIRECTIVES


def public_pages_without_arguments() -> list[str]:
    """Every public URL that needs no argument, in both languages: a new page is included."""
    public = get_resolver().url_patterns
    names = []

    def walk(patterns, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and namespace == "public" \
                    and not entry.pattern.converters:
                names.append(f"public:{entry.name}")

    walk(public, None)
    assert names, "no public page found"
    pages = []
    for lang in ("fr", "en"):
        with translation.override(lang):
            pages += [reverse(name) for name in names]
    return pages


@pytest.mark.parametrize("path", public_pages_without_arguments())
def test_every_public_page_carries_a_strict_content_security_policy(client, world, path):
    response = client.get(path)
    assert response.status_code == 200
    assert_strict_policy(response)


def test_a_public_form_with_errors_carries_the_policy(client, world):
    response = client.post(reverse("public:chapter_start"), {"chapter_name": ""})
    assert response.status_code == 200
    assert_strict_policy(response)


@pytest.mark.parametrize("path", ["/fr/petitions/health-care/", "/en/petitions/health-care/",
                                  "/en/petitions/health-care/thanks/"])
def test_petition_pages_of_the_fast_lane_carry_the_same_headers(client, world, path):
    from tests.factories import PetitionFactory
    PetitionFactory(organization=world.centre, slug="health-care")
    response = client.get(path)
    assert response.status_code == 200
    assert_strict_policy(response)
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Language"] == path[1:3]
    assert client.get("/en/petitions/no-such-petition/").status_code == 404
    assert_strict_policy(client.get("/en/petitions/no-such-petition/"))


def test_the_not_found_page_carries_the_policy(client, db):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert_strict_policy(response)


def test_the_login_page_carries_the_policy_and_is_not_stored(client, db):
    response = client.get(reverse("organize:login"))
    assert response.status_code == 200
    assert_strict_policy(response)
    assert "no-store" in response.headers["Cache-Control"]


@pytest.mark.parametrize("name", ["organize:home", "organize:people", "organize:chapters"])
def test_organizer_pages_carry_the_policy_and_are_never_stored(client, world, name):
    client.force_login(world.montreal_organizer)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert_strict_policy(response)
    cache_control = response.headers["Cache-Control"]
    assert "no-store" in cache_control
    assert "private" in cache_control


def test_a_person_page_is_never_stored(client, world):
    client.force_login(world.montreal_organizer)
    response = client.get(reverse("organize:person_detail", args=[world.in_montreal.pk]))
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]


def test_organizer_404_and_login_redirect_are_not_stored_either(client, world):
    anonymous = client.get(reverse("organize:people"))
    assert anonymous.status_code == 302
    assert "no-store" in anonymous.headers["Cache-Control"]
    client.force_login(world.montreal_organizer)
    out_of_scope = client.get(reverse("organize:person_detail", args=[world.in_bsl.pk]))
    assert out_of_scope.status_code == 404
    assert "no-store" in out_of_scope.headers["Cache-Control"]


def test_public_pages_may_be_cached(client, world):
    response = client.get(reverse("public:home"))
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_session_and_csrf_cookies_are_http_only_and_same_site(client, world, settings):
    form = client.get(reverse("organize:login"))
    csrf = form.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["httponly"] and csrf["samesite"] == "Lax"
    response = client.post(reverse("organize:login"),
                           {"username": "montreal", "password": "correct horse battery"})
    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["httponly"] and session["samesite"] == "Lax"


# What the policy forbids, so that no template may contain it: a style element, a
# style attribute, an inline script, an event-handler attribute, a javascript: URL.
INLINE = [
    (re.compile(r"<style[\s>]", re.I), "a <style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "a style=\"\" attribute"),
    (re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I), "an on…=\"\" event handler"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
]
TEMPLATE_ROOT = Path(solidaire.__file__).parent


def templates() -> list[Path]:
    """Templates a browser receives. PDF templates (`…/pdf/`) are read by WeasyPrint on
    the server, where no Content-Security-Policy applies, and may carry their print CSS."""
    found = sorted(TEMPLATE_ROOT.rglob("templates/**/*.html")) + sorted(
        TEMPLATE_ROOT.rglob("templates/**/*.svg"))
    return [path for path in found if "pdf" not in path.parent.parts]


def test_there_are_templates_to_check():
    assert len(templates()) > 10


@pytest.mark.parametrize("template", templates(), ids=lambda p: str(p.relative_to(TEMPLATE_ROOT)))
def test_no_template_holds_inline_style_or_script(template):
    text = template.read_text(encoding="utf-8")
    found = [f"{what}: {match.group(0)!r}" for pattern, what in INLINE
             for match in pattern.finditer(text)]
    assert found == [], (
        f"{template}: the Content-Security-Policy blocks {found}. Move styles to "
        "static/solidaire/*.css (a class per variant) and scripts to a static .js file."
    )
