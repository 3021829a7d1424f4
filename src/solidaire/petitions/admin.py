"""Admin for staff: petitions, their signatures and deliveries, sign-ons and endorsements.

Signatures are read-only here: they come in through the public form and paper entry,
and organizers remove spam on the petition's page (which writes the audit log).
"""

from django.contrib import admin

from solidaire.core.admin import HTTPS_LINKS

from .models import Delivery, Endorsement, Petition, Signature, SignOn


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    raw_id_fields = ["target", "recorded_by"]


@admin.register(Petition)
class PetitionAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_LINKS
    list_display = ["__str__", "slug", "organization", "chapter", "status", "goal",
                    "created_at"]
    list_filter = ["status", "organization"]
    list_select_related = ["organization", "chapter"]
    search_fields = ["slug", "title"]
    raw_id_fields = ["chapter", "campaign", "targets"]
    inlines = [DeliveryInline]


@admin.register(Signature)
class SignatureAdmin(admin.ModelAdmin):
    # No e-mail or phone in the list (processing blanks them anyway).
    list_display = ["id", "petition", "status", "source", "created_at", "processed_at"]
    list_filter = ["status", "source"]
    list_select_related = ["petition"]
    search_fields = ["petition__slug"]
    raw_id_fields = ["petition", "person", "entered_by"]
    show_full_result_count = False
    fields = ["petition", "person", "status", "source", "sheet_number", "name", "city",
              "postal_code", "language", "comment", "consent_email", "consent_sms",
              "entered_by", "created_at", "processed_at", "confirmed_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["petition", "target", "delivered_on", "signature_count"]
    list_select_related = ["petition", "target"]
    raw_id_fields = ["petition", "target", "recorded_by"]
    date_hierarchy = "delivered_on"


class EndorsementInline(admin.TabularInline):
    formfield_overrides = HTTPS_LINKS
    model = Endorsement
    extra = 0
    fields = ["org_name", "kind", "city", "status", "decided_at"]
    readonly_fields = ["decided_at"]
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SignOn)
class SignOnAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_LINKS
    list_display = ["__str__", "slug", "organization", "chapter", "status", "created_at"]
    list_filter = ["status", "organization"]
    list_select_related = ["organization", "chapter"]
    search_fields = ["slug", "title"]
    raw_id_fields = ["chapter", "campaign", "targets"]
    inlines = [EndorsementInline]


@admin.register(Endorsement)
class EndorsementAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_LINKS
    list_display = ["org_name", "sign_on", "kind", "city", "status", "created_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["sign_on"]
    search_fields = ["org_name", "city"]
    raw_id_fields = ["sign_on", "contact", "decided_by"]
    readonly_fields = ["name_key", "token", "decided_by", "decided_at"]

    def has_add_permission(self, request):
        return False  # endorsements come in through the public form
