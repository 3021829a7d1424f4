"""Admin for staff: the ledger, the audit log and heartbeats are read-only."""

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from .activity_kinds import kind_choices
from .models import Activity, AuditEntry, OrganizerRole, OutboxEmail, WorkerHeartbeat

# Links typed without a scheme ("ledevoir.com/article") are taken as https, as every form
# of the application does (and as Django 6 will by default).
HTTPS_LINKS = {models.URLField: {"assume_scheme": "https"}}


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that only the application writes: staff may look, never change."""

    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "action", "actor", "object_type", "object_id"]
    list_select_related = ["actor", "object_type"]
    search_fields = ["action", "object_id"]


class ActivityKindFilter(admin.SimpleListFilter):
    """The kinds the apps declare (the field has no choices of its own, decision 0054);
    listing the values found in the ledger would read the whole table."""

    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return kind_choices()

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ["occurred_at", "kind_label", "person", "chapter", "campaign"]
    list_select_related = ["person", "chapter", "campaign"]
    list_filter = [ActivityKindFilter]
    # The ledger grows fastest of all: newest first, by primary key.
    ordering = ["-id"]

    @admin.display(description=_("kind"), ordering="kind")
    def kind_label(self, activity: Activity) -> str:
        return activity.get_kind_display()


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(ReadOnlyAdmin):
    list_display = ["worker_id", "started_at", "last_seen"]
    ordering = ["-last_seen"]


@admin.register(OutboxEmail)
class OutboxEmailAdmin(ReadOnlyAdmin):
    """Delivery state only: who, what kind, when, how it went. Bodies stay out of lists."""

    list_display = ["created_at", "kind", "language", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind", "language"]
    fields = ["to", "reply_to", "subject", "language", "kind", "status", "attempts",
              "last_error", "created_at", "sent_at"]
    ordering = ["-id"]


@admin.register(OrganizerRole)
class OrganizerRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "organization", "status_access"]
    list_filter = ["role", "status_access", "organization"]
    list_select_related = ["user", "organization"]
    search_fields = ["user__username", "user__email"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["chapters"]
