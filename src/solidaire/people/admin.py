"""Admin for staff. Built for a million people: no unbounded selects, no full counts."""

from django import forms
from django.contrib import admin

from .models import ConsentEvent, EmailAddress, Person, PhoneNumber, SpokenLanguage, Tag
from .normalize import normalize_email, normalize_phone
from .selectors import people_search


class EmailAddressForm(forms.ModelForm):
    """Stored the way person_find looks it up: trimmed and lower-cased."""

    def clean_address(self) -> str:
        return normalize_email(self.cleaned_data["address"])


class PhoneNumberForm(forms.ModelForm):
    """Stored in E.164, whatever way staff typed it."""

    def clean_number(self) -> str:
        return normalize_phone(self.cleaned_data["number"])


class EmailAddressInline(admin.TabularInline):
    model = EmailAddress
    form = EmailAddressForm
    extra = 0
    # The organization is the person's (copied when saved); a confirmation is the
    # person's own act, never typed in here.
    exclude = ["organization", "confirmation_sent_at"]
    readonly_fields = ["confirmed_at"]


class PhoneNumberInline(admin.TabularInline):
    model = PhoneNumber
    form = PhoneNumberForm
    extra = 0


class SpokenLanguageInline(admin.TabularInline):
    model = SpokenLanguage
    extra = 0


class ConsentEventInline(admin.TabularInline):
    """Consent history is append-only: it is recorded by consent_record, never edited."""

    model = ConsentEvent
    extra = 0
    can_delete = False
    fields = ["at", "channel", "granted", "method", "source", "recorded_by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["chosen_name", "organization", "preferred_language", "home_chapter",
                    "source", "created_at"]
    list_filter = ["organization", "preferred_language", "source"]
    list_select_related = ["organization", "home_chapter"]
    # Shown as the search box; the search itself is people_search (name, e-mail,
    # any way of writing a phone).
    search_fields = ["chosen_name", "emails__address", "phones__number"]
    raw_id_fields = ["home_chapter"]
    autocomplete_fields = ["tags"]
    # Current consent follows the history (consent_record); it is not edited here.
    readonly_fields = ["consent_email", "consent_sms", "consent_phone", "created_at",
                       "updated_at"]
    inlines = [EmailAddressInline, PhoneNumberInline, SpokenLanguageInline, ConsentEventInline]
    show_full_result_count = False
    ordering = ["-id"]

    def get_readonly_fields(self, request, obj=None):
        # A person stays on the list they were recorded on (decision 0035).
        return [*self.readonly_fields, "organization"] if obj is not None else self.readonly_fields

    def get_search_results(self, request, queryset, search_term):
        return people_search(queryset, search_term), False


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]
