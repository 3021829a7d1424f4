"""Organizer pages for paper signatures and deliveries (decision 0020).

Typing paper sheets is made for the keyboard: the sheet number and language stay
between entries (in the query string after each save), the cursor starts in the name
field, Enter saves. Likely duplicates are caught before saving.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from solidaire.core.intake import form_token_check, form_token_new
from solidaire.core.lockout import client_address
from solidaire.people.exporting import csv_chunks
from solidaire.petitions.delivery import (
    counted_signatures,
    delivery_record,
    packet_context,
    packet_download_record,
    packet_rows,
    packet_summary,
)
from solidaire.petitions.models import Signature
from solidaire.petitions.paper import (
    ALREADY_SIGNED,
    MAYBE_SAME,
    paper_duplicates_find,
    petitions_for_paper_entry,
)
from solidaire.petitions.pdf import render_pdf
from solidaire.petitions.selectors import petitions_visible_to, signature_count
from solidaire.petitions.services import signature_process, signature_submit

from ..paper_forms import DeliveryForm, PaperSignatureForm

RECENT_ENTRIES = 10


def _language(value: str | None) -> str:
    codes = dict(settings.LANGUAGES)
    if value in codes:
        return value
    current = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return current if current in codes else settings.LANGUAGE_CODE


def _focus(form: PaperSignatureForm, name: str) -> None:
    for field in form.fields.values():
        field.widget.attrs.pop("autofocus", None)
    form.fields[name].widget.attrs["autofocus"] = True


@login_required
@require_http_methods(["GET", "POST"])
def petition_paper(request, slug: str):
    petition = get_object_or_404(
        petitions_for_paper_entry(request.user).select_related("organization"), slug=slug)
    here = reverse("dashboard:petition_paper", args=[petition.slug])
    sheet = request.GET.get("sheet", "").strip()[:20]
    language = _language(request.GET.get("language"))
    matches, ask_save_anyway = [], False

    if request.method == "POST":
        form = PaperSignatureForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            sheet, language = data["sheet_number"], data["language"]
            key = form_token_check(data["key"])
            if key is None:
                form = PaperSignatureForm(request.POST.copy())
                form.data["key"] = form_token_new()
                form.is_valid()
                form.add_error(None, _("This form was open too long. Check the entry and "
                                       "save it again."))
            elif Signature.objects.filter(token=key, petition=petition).exists():
                # The same form sent twice (a double Enter): it was saved the first time.
                return redirect(f"{here}?{urlencode({'sheet': sheet, 'language': language})}")
            else:
                matches = paper_duplicates_find(
                    petition=petition, name=data["name"], email=data["email"],
                    phone=data["phone"], postal_code=data["postal_code"])
                already = [m for m in matches if m.kind == ALREADY_SIGNED]
                maybe = [m for m in matches if m.kind == MAYBE_SAME]
                if already:
                    form.add_error(None, _("Not saved: someone with this e-mail or phone "
                                           "already signed this petition."))
                elif maybe and not data["save_anyway"]:
                    ask_save_anyway = True
                    _focus(form, "save_anyway")
                else:
                    saved = _paper_save(request, petition, data, key)
                    if saved:
                        query = urlencode({"sheet": sheet, "language": language})
                        return redirect(f"{here}?{query}")
                    form.add_error(None, _("Not saved: someone with this e-mail or phone "
                                           "already signed this petition."))
        if form.errors:
            first = next((name for name in form.fields if name in form.errors), None)
            if first and first != "key":
                _focus(form, first)
    else:
        form = PaperSignatureForm(initial={"key": form_token_new(), "sheet_number": sheet,
                                           "language": language})
        if not sheet:
            _focus(form, "sheet_number")

    recent = []
    if sheet:
        recent = list(
            Signature.objects.filter(petition=petition, source=Signature.Source.PAPER,
                                     sheet_number=sheet, entered_by=request.user)
            .order_by("-id").only("id", "name", "city", "postal_code", "status")
            [:RECENT_ENTRIES])
    return render(request, "dashboard/paper/entry.html", {
        "petition": petition, "form": form, "sheet": sheet, "matches": matches,
        "ask_save_anyway": ask_save_anyway, "recent": recent,
        "may_deliver": petitions_visible_to(request.user).filter(pk=petition.pk).exists(),
    }, status=400 if form.errors else 200)


def _paper_save(request, petition, data, key: str) -> bool:
    """Store and record one typed line; False when the contact signed already."""
    keep = data["keep_informed"]
    result = signature_submit(
        petition=petition, key=key, name=data["name"], email=data["email"],
        phone=data["phone"], postal_code=data["postal_code"], city=data["city"],
        language=data["language"], consent_email=keep and bool(data["email"]),
        consent_sms=keep and bool(data["phone"]), source=Signature.Source.PAPER,
        sheet_number=data["sheet_number"], entered_by=request.user,
    )
    if result.outcome == "already_signed":
        return False
    signature = signature_process(signature=result.signature)
    count = Signature.objects.filter(petition=petition, source=Signature.Source.PAPER,
                                     sheet_number=data["sheet_number"],
                                     entered_by=request.user).count()
    text = _("Saved: %(count)s on sheet %(sheet)s.") % {"count": count,
                                                        "sheet": data["sheet_number"]}
    if signature.status == Signature.Status.DUPLICATE:
        messages.warning(request, text + " " + _(
            "This person had already signed under another e-mail or phone: "
            "the signature does not count twice."))
    else:
        messages.success(request, text)
    return True


def _petition_and_target(request, slug: str, target_pk: int):
    petition = get_object_or_404(
        petitions_visible_to(request.user).select_related("organization", "campaign"),
        slug=slug)
    target = get_object_or_404(petition.targets.prefetch_related("offices"), pk=target_pk)
    return petition, target


@login_required
@require_http_methods(["GET", "POST"])
def petition_delivery(request, slug: str, target_pk: int):
    petition, target = _petition_and_target(request, slug, target_pk)
    count = signature_count(petition)
    form = DeliveryForm(request.POST or None, count=count)
    if request.method == "POST" and form.is_valid():
        delivery_record(actor=request.user, petition=petition, target=target,
                        **form.cleaned_data)
        messages.success(request, _("The delivery to %(target)s was recorded.")
                         % {"target": target.name})
        return redirect("dashboard:petition_delivery", slug=petition.slug, target_pk=target.pk)
    return render(request, "dashboard/paper/delivery.html", {
        "petition": petition, "target": target, "form": form,
        "summary": packet_summary(petition, level=target.level),
        "deliveries": petition.deliveries.filter(target=target).select_related("recorded_by"),
    }, status=400 if form.errors else 200)


@login_required
@require_safe
def petition_packet_pdf(request, slug: str, target_pk: int):
    petition, target = _petition_and_target(request, slug, target_pk)
    context = packet_context(petition=petition, target=target,
                             today=formats.date_format(timezone.localdate(), "DATE_FORMAT"))
    pdf = render_pdf("petitions/pdf/packet.html", context, request=request)
    packet_download_record(actor=request.user, petition=petition, target=target,
                           file_format="pdf", count=context["summary"].total,
                           ip=client_address(request))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{petition.slug}-packet-{timezone.localdate():%Y-%m-%d}.pdf"')
    return response


@login_required
@require_safe
def petition_packet_csv(request, slug: str, target_pk: int):
    petition, target = _petition_and_target(request, slug, target_pk)
    packet_download_record(actor=request.user, petition=petition, target=target,
                           file_format="csv", count=counted_signatures(petition).count(),
                           ip=client_address(request))
    header = [_("name"), _("city"), _("region")]
    response = StreamingHttpResponse(csv_chunks(header, packet_rows(petition)),
                                     content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{petition.slug}-signers-{timezone.localdate():%Y-%m-%d}.csv"')
    return response
