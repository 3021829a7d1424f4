"""HTML templates to print-quality PDF with WeasyPrint (decision 0020).

Shared by every app that prints: petition sheets and packets, event sign-in sheets.

A PDF is rendered from a Django template whose print CSS lives inside it. Nothing is
fetched from the network: the URL fetcher only opens `data:` URLs (the QR code) and
files under the project's static directory, so a stray `https://` in organizer-typed
text can never make the server call out.
"""

from __future__ import annotations

import logging
from pathlib import Path

import segno
from django.template.loader import render_to_string

STATIC_DIR = (Path(__file__).resolve().parent.parent / "static").resolve()

# Font subsetting and layout steps log at INFO, a few hundred lines per PDF: keep them out.
for _name in ("fontTools", "weasyprint.progress"):
    logging.getLogger(_name).setLevel(logging.WARNING)


class RefusedURL(ValueError):
    """A PDF asked for something outside what it may read."""


def _fetcher():
    """WeasyPrint's fetcher, limited to `data:` URLs and files under the static directory."""
    from urllib.parse import unquote, urlsplit

    from weasyprint.urls import URLFetcher

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("file:"):
                path = Path(unquote(urlsplit(url).path)).resolve()
                if not path.is_relative_to(STATIC_DIR):
                    raise RefusedURL("PDFs may only read the static files")
            elif not url.startswith("data:"):
                raise RefusedURL("PDFs may not load network addresses")
            return super().fetch(url, headers)

    return StaticOnlyFetcher(allowed_protocols={"data", "file"}, allow_redirects=False)


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=str(STATIC_DIR) + "/", url_fetcher=_fetcher()).write_pdf()


def render_pdf(template_name: str, context: dict, request=None) -> bytes:
    """The template rendered to HTML, then printed to a PDF."""
    return html_to_pdf(render_to_string(template_name, context, request=request))


def qr_svg_data_uri(url: str) -> str:
    """A QR code of `url` as an SVG data URI (no border: the page gives it room)."""
    return segno.make(url, error="m").svg_data_uri(scale=4, border=0)
