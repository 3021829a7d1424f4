"""Admin for staff: campaigns and their demands, milestones and toolkit, targets, ridings and
postal prefixes."""

from django.contrib import admin

from solidaire.core.admin import HTTPS_LINKS

from .models import (
    Campaign,
    Demand,
    Milestone,
    PostalPrefixRiding,
    Resource,
    Riding,
    Target,
    TargetOffice,
)


class DemandInline(admin.TabularInline):
    model = Demand
    extra = 1
    ordering = ["position", "id"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["__str__", "slug", "organization", "chapter", "starts_on", "ends_on",
                    "is_active"]
    list_filter = ["is_active", "organization"]
    list_select_related = ["organization", "chapter"]
    search_fields = ["slug", "title"]
    autocomplete_fields = ["chapter"]
    inlines = [DemandInline]


class TargetOfficeInline(admin.TabularInline):
    model = TargetOffice
    extra = 1
    max_num = 3
    ordering = ["position", "id"]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "level", "riding", "body", "is_active"]
    list_filter = ["kind", "level", "is_active"]
    list_select_related = ["riding"]
    search_fields = ["name", "body", "riding__name"]
    autocomplete_fields = ["riding"]
    inlines = [TargetOfficeInline]


@admin.register(Riding)
class RidingAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "level", "province"]
    list_filter = ["level", "province"]
    search_fields = ["name", "code"]


@admin.register(PostalPrefixRiding)
class PostalPrefixRidingAdmin(admin.ModelAdmin):
    list_display = ["prefix", "riding"]
    list_filter = ["riding__level"]
    list_select_related = ["riding"]
    search_fields = ["prefix", "riding__name"]
    autocomplete_fields = ["riding"]


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_LINKS
    list_display = ["__str__", "campaign", "kind", "happened_on", "outlet", "is_public"]
    list_filter = ["kind", "is_public"]
    list_select_related = ["campaign"]
    search_fields = ["title", "outlet", "campaign__slug"]
    date_hierarchy = "happened_on"
    raw_id_fields = ["campaign", "created_by"]


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_LINKS
    list_display = ["title", "campaign", "kind", "language", "is_public", "download_count"]
    list_filter = ["kind", "language", "is_public"]
    list_select_related = ["campaign"]
    search_fields = ["title", "campaign__slug"]
    raw_id_fields = ["campaign"]
    readonly_fields = ["download_count"]
