"""Admin for staff: events, series, registrations, reminders, attendance imports, follow-ups.

Registrations, reminders, attendance imports and follow-ups are read-only here: they come
from the public form, check-in, paper entry, video-meeting reports and the outbox, which
keep the seat count and the activity ledger right. The secrets in people's links
(`private_key`, `manage_token`) are never listed.
"""

from django.contrib import admin

from solidaire.core.admin import HTTPS_LINKS

from .models import AttendanceImport, Event, FollowUp, Registration, ReminderSent, Series


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["__str__", "slug", "organization", "campaign", "starts_on", "ends_on",
                    "is_public", "accepts_submissions"]
    list_filter = ["is_public", "accepts_submissions", "organization"]
    list_select_related = ["organization", "campaign"]
    search_fields = ["slug", "title"]
    raw_id_fields = ["campaign"]
    date_hierarchy = "starts_on"


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_LINKS
    list_display = ["__str__", "slug", "kind", "format", "organization", "chapter", "city",
                    "province", "starts_at", "status", "visibility", "capacity",
                    "seats_taken"]
    list_filter = ["status", "kind", "format", "visibility", "province", "organization"]
    list_select_related = ["organization", "chapter"]
    search_fields = ["slug", "title", "city", "venue"]
    raw_id_fields = ["chapter", "campaign", "series", "cosponsors", "created_by",
                     "approved_by"]
    readonly_fields = ["seats_taken"]
    date_hierarchy = "starts_at"


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ["id", "event", "person", "status", "source", "language", "first_time",
                    "created_at", "attended_at", "attendance_source"]
    list_filter = ["status", "source", "attendance_source", "first_time"]
    list_select_related = ["event", "person"]
    search_fields = ["event__slug"]
    raw_id_fields = ["event", "person", "checked_in_by"]
    show_full_result_count = False
    fields = ["event", "person", "status", "source", "language", "sheet_number", "first_time",
              "created_at", "status_changed_at", "attended_at", "attendance_source",
              "minutes_online", "checked_in_by"]
    readonly_fields = fields


@admin.register(ReminderSent)
class ReminderSentAdmin(ReadOnlyAdmin):
    list_display = ["registration", "minutes_before", "sent_at"]
    raw_id_fields = ["registration"]
    show_full_result_count = False


@admin.register(AttendanceImport)
class AttendanceImportAdmin(ReadOnlyAdmin):
    # No unmatched names in the list: they are for the organizer's page of the import.
    list_display = ["filename", "event", "created_at", "rows", "participants",
                    "matched_registrations", "matched_people", "new_people", "unmatched"]
    list_select_related = ["event"]
    search_fields = ["filename", "event__slug"]
    raw_id_fields = ["event", "uploaded_by"]


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyAdmin):
    list_display = ["event", "audience", "created_at", "recipients", "sent_by"]
    list_filter = ["audience"]
    list_select_related = ["event", "sent_by"]
    search_fields = ["event__slug"]
    raw_id_fields = ["event", "sent_by"]
    fields = ["event", "audience", "subject", "body", "sent_by", "created_at", "recipients"]
    readonly_fields = fields
