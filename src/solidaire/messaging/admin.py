"""Admin for staff: saved audiences and call lists (who calls whom, and what came of it)."""

from django.contrib import admin

from .models import Audience, CallAssignment, CallEntry, CallList


@admin.register(Audience)
class AudienceAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "chapter", "created_by", "updated_at"]
    list_filter = ["organization"]
    list_select_related = ["organization", "chapter", "created_by"]
    search_fields = ["name"]
    raw_id_fields = ["chapter", "created_by"]


class CallAssignmentInline(admin.TabularInline):
    model = CallAssignment
    extra = 0
    raw_id_fields = ["caller"]


@admin.register(CallList)
class CallListAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "chapter", "campaign", "created_at"]
    list_filter = ["organization"]
    list_select_related = ["organization", "chapter", "campaign"]
    search_fields = ["name"]
    raw_id_fields = ["chapter", "campaign", "audience", "created_by"]
    inlines = [CallAssignmentInline]


@admin.register(CallAssignment)
class CallAssignmentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "call_list", "caller", "created_at"]
    list_select_related = ["call_list", "caller"]
    search_fields = ["call_list__name", "caller__username"]
    raw_id_fields = ["call_list", "caller"]


@admin.register(CallEntry)
class CallEntryAdmin(admin.ModelAdmin):
    list_display = ["__str__", "assignment", "position", "outcome", "called_at"]
    list_filter = ["outcome"]
    list_select_related = ["assignment"]
    raw_id_fields = ["assignment", "person"]
    show_full_result_count = False
