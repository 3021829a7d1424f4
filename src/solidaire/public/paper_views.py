"""The printable signature sheet of a petition (decision 0020).

Public: anyone may print sheets for an open petition. The PDF takes a moment to
render, so it is kept in the cache per petition version, language, size and host,
and browsers and proxies may keep it for a while too.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from solidaire.core.pdf import render_pdf
from solidaire.petitions.paper import sheet_context, sheet_rows
from solidaire.petitions.selectors import public_petition

SHEET_CACHE_SECONDS = 600


@require_safe
def petition_sheet(request, slug):
    petition = public_petition(slug)
    if petition is None or not petition.is_open:
        raise Http404("no open petition at this address")
    rows = sheet_rows(request.GET.get("rows"))
    language = translation.get_language()
    url = request.build_absolute_uri(reverse("public:petition", args=[petition.slug]))
    version = f"{petition.updated_at.timestamp()}:{language}:{rows}:{url}"
    key = f"solidaire.petition.sheet:{petition.pk}:{hashlib.sha256(version.encode()).hexdigest()}"
    pdf = cache.get(key)
    if pdf is None:
        pdf = render_pdf("petitions/pdf/sheet.html",
                         sheet_context(petition=petition, url=url, rows=rows), request=request)
        cache.set(key, pdf, SHEET_CACHE_SECONDS)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{petition.slug}-sheet.pdf"'
    response["Content-Language"] = language
    patch_cache_control(response, public=True, max_age=SHEET_CACHE_SECONDS)
    return response
