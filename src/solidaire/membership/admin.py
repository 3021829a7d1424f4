"""Admin for staff: committees (members through the services) and chapter requests."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import ChapterRequest, Committee, CommitteeMembership
from .services import chapter_request_decline, committee_join, committee_leave


class CommitteeMembershipInline(admin.TabularInline):
    model = CommitteeMembership
    extra = 0
    raw_id_fields = ["person"]
    readonly_fields = ["joined_at"]


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "chapter"]
    list_filter = ["organization"]
    list_select_related = ["organization", "chapter"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["chapter"]
    inlines = [CommitteeMembershipInline]

    def save_formset(self, request, form, formset, change):
        """Memberships go through committee_join / committee_leave, which keep the
        activity ledger and the audit log."""
        if formset.model is not CommitteeMembership:
            return super().save_formset(request, form, formset, change)
        committee = form.instance
        memberships = formset.save(commit=False)
        for membership in formset.deleted_objects:
            committee_leave(committee=committee, person=membership.person, actor=request.user)
        for membership in memberships:
            if membership.pk:
                # The person of an existing row may have been changed: leave, then join.
                previous = CommitteeMembership.objects.get(pk=membership.pk)
                if previous.person_id != membership.person_id:
                    committee_leave(committee=committee, person=previous.person,
                                    actor=request.user)
            committee_join(committee=committee, person=membership.person, role=membership.role,
                           actor=request.user)
        formset.save_m2m()
        return None


@admin.register(ChapterRequest)
class ChapterRequestAdmin(admin.ModelAdmin):
    list_display = ["chapter_name", "city", "organization", "contact_name", "status",
                    "created_at"]
    list_filter = ["status", "organization", "language"]
    list_select_related = ["organization"]
    search_fields = ["chapter_name", "city", "contact_name", "contact_email"]
    raw_id_fields = ["person", "chapter"]
    # A decision goes through the services (the organizer pages approve; the action
    # below declines), never through editing the status by hand.
    readonly_fields = ["status", "decided_by", "decided_at", "chapter", "created_at"]
    actions = ["decline"]
    show_full_result_count = False

    @admin.action(description=_("Decline the selected pending requests"))
    def decline(self, request, queryset):
        declined = 0
        for chapter_request in queryset.filter(status=ChapterRequest.Status.PENDING):
            chapter_request_decline(request=chapter_request, actor=request.user)
            declined += 1
        self.message_user(
            request,
            ngettext("%(count)d request declined.", "%(count)d requests declined.", declined)
            % {"count": declined},
            messages.SUCCESS,
        )
