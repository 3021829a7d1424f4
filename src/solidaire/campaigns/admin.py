"""Admin for staff: campaigns and their demands."""

from django.contrib import admin

from .models import Campaign, Demand


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
