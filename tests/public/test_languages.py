"""Language choice: the root redirect and the switcher on every page."""

import pytest


@pytest.mark.parametrize(
    ("accept_language", "target"),
    [("en", "/en/"), ("en-US,en;q=0.9", "/en/"), ("fr-CA", "/fr/"), ("fr-CA,fr;q=0.9", "/fr/"),
     (None, "/fr/"), ("de", "/fr/")],
)
def test_root_redirects_by_the_browser_language(client, db, accept_language, target):
    headers = {"HTTP_ACCEPT_LANGUAGE": accept_language} if accept_language else {}
    response = client.get("/", **headers)
    assert response.status_code == 302
    assert response["Location"] == target


@pytest.mark.parametrize(
    ("path", "other"),
    [("/fr/chapters/start/", "/en/chapters/start/"),
     ("/en/chapters/start/", "/fr/chapters/start/"),
     ("/fr/chapters/start/thanks/", "/en/chapters/start/thanks/")],
)
def test_language_switcher_links_to_the_same_page_in_the_other_language(client, db, path,
                                                                         other):
    html = client.get(path).content.decode()
    lang = other.split("/")[1]
    assert f'<a href="{other}" hreflang="{lang}" lang="{lang}">' in html
    assert '<nav class="lang-switch"' in html


def test_page_marks_the_current_language(client, db):
    html = client.get("/en/chapters/start/").content.decode()
    assert '<span aria-current="true" lang="en">English</span>' in html


def test_pages_have_a_skip_link_landmarks_and_the_host_name(client, world):
    html = client.get("/en/chapters/start/").content.decode()
    assert '<a class="skip" href="#main">' in html
    assert '<main id="main"' in html and "<header" in html and "<footer" in html
    assert "Centre des travailleurs immigrants" in html
