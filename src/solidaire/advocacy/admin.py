"""Admin for staff: call and e-mail actions, and what supporters reported doing.

Call reports and letters are read-only here: they come in through the public pages.
"""

from django.contrib import admin

from .models import Action, CallReport, EmailSent


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "slug", "kind", "organization", "chapter", "status", "goal",
                    "created_at"]
    list_filter = ["kind", "status", "organization"]
    list_select_related = ["organization", "chapter"]
    search_fields = ["slug", "title"]
    raw_id_fields = ["chapter", "campaign", "targets"]


class ReadOnlyAdmin(admin.ModelAdmin):
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CallReport)
class CallReportAdmin(ReadOnlyAdmin):
    list_display = ["id", "action", "target", "outcome", "created_at"]
    list_filter = ["outcome"]
    list_select_related = ["action", "target"]
    search_fields = ["action__slug"]
    fields = ["action", "target", "person", "outcome", "note", "created_at"]
    readonly_fields = fields


@admin.register(EmailSent)
class EmailSentAdmin(ReadOnlyAdmin):
    # No letter bodies in the list: they may carry what a supporter told about themselves.
    list_display = ["id", "action", "target", "method", "created_at"]
    list_filter = ["method"]
    list_select_related = ["action", "target"]
    search_fields = ["action__slug"]
    fields = ["action", "target", "person", "method", "subject", "body", "outbox_email",
              "created_at"]
    readonly_fields = fields
