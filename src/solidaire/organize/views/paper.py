"""Organizer pages for paper signatures and deliveries (decision 0020).

Typing paper sheets follows the keyboard flow shared with events
(`organize/paper_entry.py`); a signature line is refused when the petition already
holds its e-mail or phone.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from solidaire.core.lockout import client_address
from solidaire.core.pdf import render_pdf
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
from solidaire.petitions.selectors import (
    petitions_deliverable_by,
    petitions_visible_to,
    signature_count,
)
from solidaire.petitions.services import signature_process, signature_submit

from ..forms.paper import DeliveryForm, PaperSignatureForm
from ..paper_entry import RECENT_ENTRIES, PaperEntry


class PetitionPaperEntry(PaperEntry):
    """Typing a petition's signature sheets."""

    form_class = PaperSignatureForm
    template_name = "organize/paper/entry.html"
    fields_template = "organize/paper/_signature_fields.html"
    person_legend = gettext_lazy("Signer")
    maybe_heading = gettext_lazy("Maybe the same person: this petition already has")
    already_heading = gettext_lazy("Already signed:")
    recent_columns = (gettext_lazy("Name"), gettext_lazy("Postal code"), gettext_lazy("City"),
                      gettext_lazy("Status"))

    def __init__(self, request, *, petition):
        super().__init__(request, here=reverse("organize:petition_paper", args=[petition.slug]))
        self.petition = petition

    def replayed(self, key):
        return Signature.objects.filter(token=key, petition=self.petition).exists()

    def find(self, data):
        return paper_duplicates_find(petition=self.petition, name=data["name"],
                                     email=data["email"], phone=data["phone"],
                                     postal_code=data["postal_code"])

    def refuse(self, data, matches):
        if any(m.kind == ALREADY_SIGNED for m in matches):
            return _already_signed()
        return None

    def asks_save_anyway(self, data, matches):
        return not data["save_anyway"] and any(m.kind == MAYBE_SAME for m in matches)

    def save(self, data, key, matches):
        return None if _paper_save(self.request, self.petition, data, key) else _already_signed()

    def _mine(self, sheet):
        return Signature.objects.filter(petition=self.petition, source=Signature.Source.PAPER,
                                        sheet_number=sheet, entered_by=self.request.user)

    def recent_rows(self, sheet):
        return [[s.name, s.postal_code, s.city, s.get_status_display()]
                for s in self._mine(sheet).order_by("-id")
                .only("id", "name", "city", "postal_code", "status")[:RECENT_ENTRIES]]

    def extra_context(self):
        return {"petition": self.petition,
                "may_deliver": petitions_visible_to(self.request.user)
                .filter(pk=self.petition.pk).exists()}


def _already_signed() -> str:
    return _("Not saved: someone with this e-mail or phone already signed this petition.")


@login_required
@require_http_methods(["GET", "POST"])
def petition_paper(request, slug: str):
    petition = get_object_or_404(
        petitions_for_paper_entry(request.user).select_related("organization"), slug=slug)
    return PetitionPaperEntry(request, petition=petition).handle()


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
    # Volunteers see the organization's petitions to type paper sheets in, not these.
    petition = get_object_or_404(
        petitions_deliverable_by(request.user).select_related("organization", "campaign"),
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
        return redirect("organize:petition_delivery", slug=petition.slug, target_pk=target.pk)
    return render(request, "organize/paper/delivery.html", {
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
