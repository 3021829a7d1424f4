"""Public petition pages: sign, thanks, confirm, signers (decision 0018).

The page a viral petition sends thousands of people to is rendered once every few
seconds per language and kept in the cache with a placeholder where each visitor's
own form key goes; a visit costs a cache read and a string replacement. The POST
stores the signature with one INSERT and answers; the rest happens in the worker.

While the database is down (decision 0051) the page is served from its last good
copy, and a signature goes to the spool, recorded with its form key once it is back.
"""

from __future__ import annotations

import time
from typing import cast
from urllib.parse import quote, urlencode

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from solidaire.advocacy.selectors import open_action_for_campaign
from solidaire.core.intake import form_token_check, form_token_new
from solidaire.core.spool import DATABASE_DOWN, SpoolWriteError, spool_append, spool_drain_soon
from solidaire.petitions.models import Petition, Signature
from solidaire.petitions.selectors import public_petition, signature_count, signature_counts
from solidaire.petitions.services import (
    ALREADY_SIGNED,
    signature_confirm,
    signature_submit,
)

from . import outage
from .petition_forms import SignatureForm

KEY_PLACEHOLDER = "__SOLIDAIRE_FORM_KEY__"
PAGE_CACHE_SECONDS = getattr(settings, "PETITION_PAGE_CACHE_SECONDS", 5)
SIGNERS_PER_PAGE = 100
# Each server process also keeps what it fetched for a second or two, so the busiest
# requests do not even ask the shared cache.
_LOCAL_SECONDS = min(2, PAGE_CACHE_SECONDS)
_local: dict[str, tuple[float, object]] = {}


def _memo(key: str, compute, seconds: float = PAGE_CACHE_SECONDS, *, last_good: bool = False):
    """`compute()`'s value, kept in this process briefly and in the shared cache longer.

    With `last_good`, the value is also the page's copy for an outage: shared when this
    process computed it, kept in memory when it came from the shared cache.
    """
    now = time.monotonic()
    hit = _local.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
        if last_good:
            outage.last_good_keep(key, value)
    elif last_good:
        outage.last_good_keep(key, value, shared=False)
    if len(_local) > 1000:
        _local.clear()
    _local[key] = (now + min(_LOCAL_SECONDS, seconds), value)
    return value


def local_cache_clear() -> None:
    """Forget what this process kept (tests; the shared cache is cleared separately)."""
    _local.clear()
    outage.local_clear()


def _page_key(slug: str, language: str) -> str:
    return f"petition-page:v2:{slug}:{language}"


def _petition_or_404(slug: str) -> Petition:
    def lookup():
        petition = public_petition(slug)
        if petition is None:
            outage.last_good_forget(outage.last_good_keys(f"petition-page:v2:{slug}"))
            return "missing"
        return petition

    petition = _memo(f"petition:{slug}", lookup)
    if petition == "missing":
        raise Http404("no such public petition")
    return petition


_SIGNED_SALT = "solidaire.petition.signed"


def _signed_mark() -> str:
    """What the thanks address carries after a signature: when it was stored, signed.

    Taken once the INSERT has committed, so a count begun after it includes it.
    """
    # Rounded up: a count begun at or after this millisecond began after the INSERT.
    return signing.Signer(salt=_SIGNED_SALT).sign(str(-(-time.time_ns() // 1_000_000)))


def _signed_at(mark: str) -> float | None:
    """The moment a real signature was stored, or None (no mark, forged, or nonsense)."""
    if not mark:
        return None
    try:
        millis = int(signing.Signer(salt=_SIGNED_SALT).unsign(mark))
    except (signing.BadSignature, ValueError):
        return None
    return min(millis / 1000, time.time())


def _count(petition: Petition, *, signed_at: float | None = None) -> int:
    """The petition's count, cached a few seconds with the moment it was begun.

    A signer's thanks page (`signed_at`) must include their own signature (decision
    0018): a copy begun before it was stored is counted again and shared, so the
    signers arriving after them reuse it. The number is always the database's own
    count (waiting signatures included), so nothing is ever counted twice.
    """
    key = f"petition-count:v2:{petition.pk}"

    def compute() -> tuple[float, int]:
        begun = time.time()
        return begun, signature_count(petition)

    begun, count = _memo(key, compute)
    if signed_at is not None and begun < signed_at:
        # This process's copy may be older than the shared one another signer renewed.
        value = cache.get(key)
        if value is None or value[0] < signed_at:
            value = compute()
            cache.set(key, value, PAGE_CACHE_SECONDS)
        _local[key] = (time.monotonic() + _LOCAL_SECONDS, value)
        count = value[1]
    return count


def counts(petitions) -> dict[int, int]:
    """The count of each petition as its page shows it (the same cached copies): those no
    copy holds are counted together, in one query, and kept for their pages."""
    now = time.monotonic()
    found: dict[int, int] = {}
    keys = {}
    for petition in petitions:
        key = f"petition-count:v2:{petition.pk}"
        hit = _local.get(key)
        if hit is not None and hit[0] > now:
            found[petition.pk] = cast(tuple[float, int], hit[1])[1]
        else:
            keys[key] = petition
    if keys:
        shared = cache.get_many(list(keys))
        for key, value in shared.items():
            found[keys.pop(key).pk] = value[1]
    if keys:
        begun = time.time()
        fresh = signature_counts(keys.values())
        cache.set_many({key: (begun, fresh[petition.pk]) for key, petition in keys.items()},
                       PAGE_CACHE_SECONDS)
        found.update(fresh)
    return found


def _progress(petition: Petition, *, signed_at: float | None = None) -> dict:
    count = _count(petition, signed_at=signed_at)
    goal = petition.goal or 0
    return {
        "count": count,
        "goal": goal,
        "percent": min(100, round(100 * count / goal)) if goal else 100,
    }


def _page_context(request, petition: Petition, form: SignatureForm | None) -> dict:
    return {
        "petition": petition,
        "targets": list(petition.targets.filter(is_active=True)),
        "cosponsors": _cosponsor_names(petition),
        "progress": _progress(petition),
        "form": form,
        "paragraphs": [p.strip() for p in petition.display_body.split("\n\n") if p.strip()],
    }


def _render_page(request, petition, form, *, status=200) -> HttpResponse:
    return render(request, "public/petitions/petition.html",
                  _page_context(request, petition, form), status=status)


def _cached_page(request, petition: Petition) -> HttpResponse:
    """The page with a fresh form key, from a copy rendered at most a few seconds ago."""
    language = translation.get_language()

    def render_page() -> dict:
        cosponsors = _cosponsor_names(petition)
        form = None
        if petition.is_open:
            form = SignatureForm(initial={"key": KEY_PLACEHOLDER},
                                 email_required=petition.double_opt_in, cosponsors=cosponsors)
        html = render_to_string("public/petitions/petition.html",
                                _page_context(request, petition, form), request=request)
        # What a signature sent during an outage needs to know about the petition.
        about = {"pk": petition.pk, "slug": petition.slug, "title": petition.display_title,
                 "is_open": petition.is_open, "double_opt_in": petition.double_opt_in,
                 "cosponsors": cosponsors}
        return {"html": html, "petition": about}

    page = _memo(_page_key(petition.slug, language), render_page, last_good=True)
    return HttpResponse(page["html"].replace(KEY_PLACEHOLDER, form_token_new()))


@csrf_exempt  # the signed form key stands in for the CSRF token (decision 0018)
@require_http_methods(["GET", "HEAD", "POST"])
def petition_page(request, slug: str):
    try:
        return _petition_page(request, slug)
    except DATABASE_DOWN:
        return _petition_page_offline(request, slug)


def _petition_page(request, slug: str) -> HttpResponse:
    petition = _petition_or_404(slug)
    if request.method != "POST":
        return _cached_page(request, petition)
    if not petition.is_open:
        return _render_page(request, petition, None)
    form = SignatureForm(request.POST, email_required=petition.double_opt_in,
                         cosponsors=_cosponsor_names(petition))
    if outage.rate_limited_once(request):
        form.is_valid()
        form.add_error(None, _("Too many forms were sent from your connection in the last "
                               "minute. Wait a minute, then send again: what you typed is "
                               "kept."))
        return _render_page(request, petition, form, status=429)
    if not form.is_valid():
        return _render_page(request, petition, _keep_or_renew_key(form), status=400)
    idempotency_key = form_token_check(form.cleaned_data["key"])
    if idempotency_key is None:
        form = _keep_or_renew_key(form, renew=True)
        form.add_error(None, _("This page was open for a long time. Check what you typed "
                               "and send it again."))
        return _render_page(request, petition, form, status=400)
    thanks = reverse("public:petition_thanks", kwargs={"slug": petition.slug})
    if form.is_robot:
        return redirect(thanks, permanent=False)
    data = form.cleaned_data
    result = signature_submit(
        petition=petition, key=idempotency_key, name=data["name"], email=data["email"],
        phone=data["phone"], postal_code=data["postal_code"], city=data["city"],
        language=data["language"], comment=data["comment"],
        consent_email=data["consent_email"], consent_sms=data["consent_sms"],
        share_with_cosponsors=bool(data.get("share_with_cosponsors")),
    )
    spool_drain_soon()  # the database answers: what this process spooled can go in
    if result.outcome == ALREADY_SIGNED:
        thanks += "?already=1"
    elif petition.double_opt_in:
        thanks += "?confirm=1"
    else:
        # The count the signer sees next must hold their own signature (decision 0018).
        thanks += "?" + urlencode({"signed": _signed_mark()})
    response = HttpResponse(status=303)
    response["Location"] = thanks
    return response


# --- While the database is down (decision 0051) -------------------------------------------

SPOOL_KIND = "petition.signature"


def _petition_page_offline(request, slug: str) -> HttpResponse:
    """The last good copy of the page; a signature goes to the spool."""
    page = outage.last_good(_page_key(slug, translation.get_language()))
    if request.method != "POST":
        if page is None:
            return outage.unavailable()
        html = page["html"].replace(KEY_PLACEHOLDER, form_token_new())
        return outage.not_stored(HttpResponse(html))
    about = page["petition"] if page is not None else {}
    form = SignatureForm(request.POST, email_required=bool(about.get("double_opt_in")),
                         cosponsors=about.get("cosponsors", ()))
    if not about:
        return outage.unavailable(form=_keep_or_renew_key(form),
                                  fields="includes/form_fields.html", action=request.path)
    if not about["is_open"]:
        return outage.not_stored(HttpResponse(page["html"], status=400))
    if outage.rate_limited_once(request):
        form.is_valid()
        form.add_error(None, _("Too many forms were sent from your connection in the last "
                               "minute. Wait a minute, then send again: what you typed is "
                               "kept."))
        return _offline_form(request, about, form, status=429)
    if not form.is_valid():
        return _offline_form(request, about, _keep_or_renew_key(form), status=400)
    idempotency_key = form_token_check(form.cleaned_data["key"])
    if idempotency_key is None:
        form = _keep_or_renew_key(form, renew=True)
        form.add_error(None, _("This page was open for a long time. Check what you typed "
                               "and send it again."))
        return _offline_form(request, about, form, status=400)
    received = outage.page("public/outage/received.html", {
        "kind": "signature", "title": about["title"], "confirm": about["double_opt_in"],
        "back": request.path,
    }, status=202)
    if form.is_robot:
        return received
    data = form.cleaned_data
    try:
        spool_append(kind=SPOOL_KIND, data={
            "petition": about["pk"], "key": idempotency_key, "name": data["name"],
            "email": data["email"], "phone": data["phone"],
            "postal_code": data["postal_code"], "city": data["city"],
            "language": data["language"], "comment": data["comment"],
            "consent_email": data["consent_email"], "consent_sms": data["consent_sms"],
            "share_with_cosponsors": bool(data.get("share_with_cosponsors")),
        })
    except SpoolWriteError:
        return outage.unavailable(form=form, fields="includes/form_fields.html",
                                  action=request.path, title=about["title"])
    return received


def _offline_form(request, about: dict, form: SignatureForm, *, status: int) -> HttpResponse:
    """The form again, as typed, on a page that reads nothing from the database."""
    return outage.page("public/outage/form.html", {
        "title": about["title"], "form": form, "fields": "includes/form_fields.html",
        "action": request.path, "button": _("Sign"),
    }, status=status)


def _cosponsor_names(petition: Petition) -> list[str]:
    # Kept as briefly as the petition itself: a query on every POST was a third of the
    # signing's cost on the server (bench/bench_petition_intake.py).
    return _memo(f"petition-cosponsors:{petition.slug}", lambda: list(
        petition.cosponsors.exclude(pk=petition.organization_id)
        .order_by("name").values_list("name", flat=True)))


def _keep_or_renew_key(form: SignatureForm, *, renew: bool = False) -> SignatureForm:
    """A form shown again keeps its key (nothing was stored), unless the key is bad."""
    data = form.data.copy()
    if renew or form_token_check(data.get("key", "")) is None:
        data["key"] = form_token_new()
        bound = SignatureForm(data, email_required=form.email_required,
                              cosponsors=form.cosponsors)
        bound.is_valid()
        for error in form.non_field_errors():
            bound.add_error(None, error)
        return bound
    return form


def _next_step(petition: Petition) -> dict | None:
    if petition.next_step_url:
        return {"url": petition.next_step_url, "title": ""}
    action = open_action_for_campaign(petition.campaign_id)
    if action is not None:
        return {"url": reverse("public:action", kwargs={"slug": action.slug}),
                "title": action.display_title, "kind": action.kind}
    return None


def _share_links(request, petition: Petition) -> list[dict]:
    url = request.build_absolute_uri(reverse("public:petition", kwargs={"slug": petition.slug}))
    text = _("I signed “%(title)s”. Sign it too:") % {"title": petition.display_title}
    return [
        {"label": _("E-mail"), "href": "mailto:?" + urlencode(
            {"subject": petition.display_title, "body": f"{text} {url}"}, quote_via=quote)},
        {"label": "WhatsApp", "href": "https://wa.me/?" + urlencode({"text": f"{text} {url}"},
                                                                   quote_via=quote)},
        {"label": "Facebook", "href": "https://www.facebook.com/sharer/sharer.php?"
         + urlencode({"u": url})},
        {"label": "X", "href": "https://x.com/intent/post?" + urlencode(
            {"text": text, "url": url}, quote_via=quote)},
        {"label": "Bluesky", "href": "https://bsky.app/intent/compose?" + urlencode(
            {"text": f"{text} {url}"}, quote_via=quote)},
    ]


@require_safe
def petition_thanks(request, slug: str):
    try:
        return _petition_thanks(request, slug)
    except DATABASE_DOWN:
        # Reached right after a signature was stored, just before the database went.
        page = outage.last_good(_page_key(slug, translation.get_language()))
        if page is None:
            return outage.unavailable()
        return outage.page("public/outage/received.html", {
            "kind": "signature", "stored": True, "title": page["petition"]["title"],
            "back": reverse("public:petition", kwargs={"slug": slug}),
        })


def _petition_thanks(request, slug: str) -> HttpResponse:
    petition = _petition_or_404(slug)
    return render(request, "public/petitions/thanks.html", {
        "petition": petition,
        "already": request.GET.get("already") == "1",
        "confirm": request.GET.get("confirm") == "1",
        "page_url": request.build_absolute_uri(
            reverse("public:petition", kwargs={"slug": petition.slug})),
        "share_links": _share_links(request, petition),
        "next_step": _next_step(petition),
        "progress": _progress(petition, signed_at=_signed_at(request.GET.get("signed", ""))),
    })


@csrf_exempt  # the signed link is the credential; the button stops mail scanners
@require_http_methods(["GET", "HEAD", "POST"])
def petition_confirm(request, slug: str, token: str):
    petition = _petition_or_404(slug)
    confirmed = None
    if request.method == "POST":
        signature = signature_confirm(token=token)
        if signature is None or signature.petition_id != petition.pk:
            return render(request, "public/petitions/confirm.html",
                          {"petition": petition, "invalid": True}, status=400)
        confirmed = signature.status == Signature.Status.COUNTED
    return render(request, "public/petitions/confirm.html", {
        "petition": petition, "confirmed": confirmed, "token": token,
    })


@require_safe
def petition_signers(request, slug: str):
    petition = _petition_or_404(slug)
    if not petition.show_signers:
        raise Http404("this petition does not list its signers")
    statuses = ((Signature.Status.COUNTED,) if petition.double_opt_in
                else (Signature.Status.COUNTED, Signature.Status.PENDING))
    signers = (Signature.objects.filter(petition=petition, status__in=statuses)
               .order_by("-pk").values_list("name", "city"))
    page = Paginator(signers, SIGNERS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [{"first_name": (name.split() or [""])[0], "city": city} for name, city in page]
    return render(request, "public/petitions/signers.html", {
        "petition": petition, "page": page, "rows": rows,
    })
