"""Admin for staff: organizations and the chapter tree."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from solidaire.core.admin import HTTPS_LINKS

from .models import Chapter, CoalitionMembership, Organization


class CoalitionMembershipInline(admin.TabularInline):
    model = CoalitionMembership
    fk_name = "coalition"
    extra = 0
    verbose_name = _("member organization")
    verbose_name_plural = _("member organizations (when this organization is a coalition)")


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "city", "province", "is_host"]
    list_filter = ["kind", "is_host", "province"]
    search_fields = ["name", "short_name", "city"]
    prepopulated_fields = {"slug": ["name"]}
    formfield_overrides = HTTPS_LINKS
    inlines = [CoalitionMembershipInline]


@admin.register(Chapter)
class ChapterAdmin(TreeAdmin):
    form = movenodeform_factory(Chapter)
    list_display = ["name", "kind", "organization", "city", "is_public"]
    list_filter = ["organization", "kind", "is_public"]
    list_select_related = ["organization"]
    search_fields = ["name", "city", "slug"]
    prepopulated_fields = {"slug": ["name"]}
