"""The 404 and 500 pages."""

from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error


def test_unknown_page_is_a_404_in_the_page_language(client, db):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert '<html lang="en">' in html


def test_500_page_renders_without_a_database_or_a_request(django_assert_num_queries, db):
    with django_assert_num_queries(0), translation.override("en"):
        html = render_to_string("500.html")
        response = server_error(RequestFactory().get("/en/"))
    assert response.status_code == 500
    assert "Something went wrong" in html
    assert '<html lang="en">' in html
