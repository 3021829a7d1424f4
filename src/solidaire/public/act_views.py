"""Public call and e-mail action pages (decision 0022).

The page shows whom to call or write to: the action's own list, or, when it targets the
supporter's representative, whoever the postal-code table names (the postal code is
POSTed, so it stays out of addresses and logs). The report or letter form posts to
`action_report`; a call is counted once per form key, a letter once per key and target.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from solidaire.advocacy.models import Action, EmailSent
from solidaire.advocacy.selectors import (
    TargetsFound,
    action_counts,
    allowed_targets,
    public_action,
    targets_for_supporter,
)
from solidaire.advocacy.services import call_report_add, letter_send
from solidaire.campaigns.models import Publication, Target
from solidaire.core.i18n import localized
from solidaire.core.intake import rate_limited
from solidaire.people.normalize import format_phone
from solidaire.petitions.models import Petition

from .act_forms import CallReportForm, LetterForm, PostalCodeForm, shown_ids

COUNTS_CACHE_SECONDS = 5
TOO_MANY = gettext_lazy("Too many forms were sent from your connection in the last minute. "
                        "Wait a minute, then send again: what you typed is kept.")


def _action_or_404(slug: str) -> Action:
    action = public_action(slug)
    if action is None:
        raise Http404("no such public action")
    return action


@dataclass
class Phone:
    label: str
    display: str
    e164: str
    hours: str


def _target_cards(targets: list[Target], counts) -> list[dict]:
    per_target = {row.target_id: row for row in counts.per_target}
    cards = []
    for target in targets:
        offices = list(target.offices.all())
        cards.append({
            "target": target,
            "phones": [Phone(o.label, format_phone(o.phone), o.phone, o.hours)
                       for o in offices if o.phone],
            "counts": per_target.get(target.pk),
        })
    return cards


def _letter_initial(action: Action) -> dict:
    return {"subject": localized(action.letter_subject), "body": localized(action.letter_body)}


def _new_form(action: Action, targets: list[Target], *, postal_code: str = ""):
    shown = ",".join(str(t.pk) for t in targets)
    if action.kind == Action.Kind.EMAIL:
        return LetterForm(initial={**_letter_initial(action), "shown": shown,
                                   "postal_code": postal_code})
    return CallReportForm(targets=Target.objects.filter(pk__in=[t.pk for t in targets]),
                          initial={"shown": shown})


def _cached_counts(action: Action):
    """The counts, recomputed at most every few seconds per action (a busy call-in day
    brings thousands of page views); the thanks page counts afresh."""
    return cache.get_or_set(f"action-counts:{action.pk}", lambda: action_counts(action),
                            COUNTS_CACHE_SECONDS)


def _render_page(request, action: Action, *, found: TargetsFound | None, form=None,
                 postal_form: PostalCodeForm | None = None, status: int = 200) -> HttpResponse:
    counts = _cached_counts(action)
    targets = found.targets if found is not None else []
    asks_postal_code = action.targeting == Action.Targeting.RIDING and action.is_open
    if form is None and action.is_open and targets:
        form = _new_form(action, targets)
    if asks_postal_code and postal_form is None:
        postal_form = PostalCodeForm()
    return render(request, "public/act/page.html", {
        "action": action,
        "intro": localized(action.intro),
        "script": localized(action.script),
        "counts": counts,
        "cards": _target_cards(targets, counts),
        "found": found,
        "form": form if action.is_open else None,
        "postal_form": postal_form if asks_postal_code else None,
        "no_email": [t for t in targets if not t.email],
        "percent": min(100, round(100 * counts.total / action.goal)) if action.goal else None,
    }, status=status)


def _initial_found(action: Action) -> TargetsFound | None:
    """Whom the page shows before any postal code: the list, or nobody yet for riding
    targeting (the supporter first gives their postal code)."""
    if action.targeting == Action.Targeting.RIDING:
        return None
    return targets_for_supporter(action, "")


@csrf_exempt  # the postal-code form creates nothing; the report form has its key
@require_http_methods(["GET", "HEAD", "POST"])
def action_page(request, slug: str):
    action = _action_or_404(slug)
    if request.method != "POST" or action.targeting != Action.Targeting.RIDING \
            or not action.is_open:
        return _render_page(request, action, found=_initial_found(action))
    postal_form = PostalCodeForm(request.POST)
    if rate_limited(request):
        postal_form.is_valid()
        postal_form.add_error(None, TOO_MANY)
        return _render_page(request, action, found=None, postal_form=postal_form, status=429)
    if not postal_form.is_valid():
        return _render_page(request, action, found=None, postal_form=postal_form, status=400)
    postal_code = postal_form.cleaned_data["postal_code"]
    if postal_form.cleaned_data.get("website"):  # a robot: the list, nothing looked up
        postal_code = ""
    found = targets_for_supporter(action, postal_code)
    form = _new_form(action, found.targets, postal_code=postal_code) if found.targets else None
    return _render_page(request, action, found=found, form=form, postal_form=postal_form)


def _shown_targets(action: Action, raw: str) -> list[Target]:
    """The targets the page showed, if the action allows them; else the action's list."""
    ids = shown_ids(raw)
    targets = list(allowed_targets(action).filter(pk__in=ids)) if ids else []
    return targets or targets_for_supporter(action, "").targets


@csrf_exempt  # the signed form key stands in for the CSRF token (decision 0018)
@require_POST
def action_report(request, slug: str):
    action = _action_or_404(slug)
    targets = _shown_targets(action, request.POST.get("shown", ""))
    found = TargetsFound(targets, by_riding=False, no_match=False)
    if action.kind == Action.Kind.EMAIL:
        form = LetterForm(request.POST)
    else:
        form = CallReportForm(request.POST,
                              targets=Target.objects.filter(pk__in=[t.pk for t in targets]))
    if not action.is_open:
        return _render_page(request, action, found=found)
    if rate_limited(request):
        form.is_valid()
        form.add_error(None, TOO_MANY)
        return _render_page(request, action, found=found, form=form, status=429)
    thanks = reverse("public:action_thanks", kwargs={"slug": action.slug})
    if form.is_robot:
        return _see_other(thanks)
    if not form.is_valid():
        if getattr(form, "key_expired", False):
            form.renew_key()
        return _render_page(request, action, found=found, form=form, status=400)
    data = form.cleaned_data
    language = translation.get_language()
    if action.kind == Action.Kind.CALL:
        call_report_add(
            action=action, target=data["target"], token=data["key"], outcome=data["outcome"],
            note=data["note"], chosen_name=data["chosen_name"], email=data["email"],
            phone=data["phone"], consent=data["consent"], language=language,
        )
        return _see_other(thanks)
    method = (EmailSent.Method.MAIL_APP if request.POST.get("method") == "mail_app"
              else EmailSent.Method.OUTBOX)
    if not any(t.email for t in targets):
        form.add_error(None, _("No e-mail address is known for these offices: call them "
                               "instead."))
        return _render_page(request, action, found=found, form=form, status=400)
    result = letter_send(
        action=action, targets=targets, token=data["key"], method=method,
        subject=data["subject"], body=data["body"], chosen_name=data["chosen_name"],
        email=data["email"], postal_code=data["postal_code"], consent=data["consent"],
        language=language,
    )
    if method == EmailSent.Method.MAIL_APP:
        addresses = [t.email for t in targets if t.email]
        return render(request, "public/act/mail_app.html", {
            "action": action,
            "mailto": mailto_link(addresses, data["subject"], data["body"]),
            "targets": [t for t in targets if t.email],
            "skipped": result.skipped,
        })
    return _see_other(f"{thanks}?sent={len(result.sent)}")


def mailto_link(addresses: list[str], subject: str, body: str) -> str:
    """A mailto: address with the subject and letter encoded (RFC 6068: CRLF line ends)."""
    body = body.replace("\r\n", "\n").replace("\n", "\r\n")
    to = ",".join(quote(address, safe="@") for address in addresses)
    return f"mailto:{to}?" + urlencode({"subject": subject, "body": body}, quote_via=quote)


def _see_other(url: str) -> HttpResponse:
    response = HttpResponse(status=303)
    response["Location"] = url
    return response


def _share_links(request, action: Action) -> tuple[str, list[dict]]:
    url = request.build_absolute_uri(reverse("public:action", kwargs={"slug": action.slug}))
    if action.kind == Action.Kind.EMAIL:
        text = _("I wrote to the decision-makers: “%(title)s”. Join in:")
    else:
        text = _("I called the decision-makers: “%(title)s”. Join in:")
    text %= {"title": action.display_title}
    return url, [
        {"label": _("E-mail"), "href": "mailto:?" + urlencode(
            {"subject": action.display_title, "body": f"{text} {url}"}, quote_via=quote)},
        {"label": "WhatsApp", "href": "https://wa.me/?" + urlencode({"text": f"{text} {url}"},
                                                                   quote_via=quote)},
        {"label": "Facebook", "href": "https://www.facebook.com/sharer/sharer.php?"
         + urlencode({"u": url})},
        {"label": "Bluesky", "href": "https://bsky.app/intent/compose?" + urlencode(
            {"text": f"{text} {url}"}, quote_via=quote)},
    ]


def _open_petition(action: Action) -> Petition | None:
    if action.campaign_id is None:
        return None
    return (Petition.objects.filter(campaign_id=action.campaign_id, status=Publication.OPEN)
            .order_by("-created_at").first())


@require_safe
def action_thanks(request, slug: str):
    action = _action_or_404(slug)
    page_url, share_links = _share_links(request, action)
    sent = request.GET.get("sent", "")
    return render(request, "public/act/thanks.html", {
        "action": action,
        "counts": action_counts(action),
        "sent": int(sent) if sent.isdigit() and len(sent) < 4 else None,
        "page_url": page_url,
        "share_links": share_links,
        "petition": _open_petition(action),
    })
