"""What the organizer forms share: the address (slug) of what they edit, texts written once
per interface language, the owning organization and chapter, and a few fields and helpers."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from solidaire.campaigns.models import Campaign
from solidaire.core.forms import IsoDateInput, ModelMultipleChoiceField
from solidaire.core.i18n import content_language_name
from solidaire.organizing.models import Chapter, Organization
from solidaire.organizing.selectors import (
    chapters_visible_to,
    organizations_for_new,
    organizations_run_by,
    organizations_visible_to,
)
from solidaire.organizing.services import unique_slug

# -- fields and helpers of many forms -------------------------------------------------------

def tag_names_parse(text: str) -> list[str]:
    """Comma-separated tag names typed in a form: trimmed, once each, at most 80 long."""
    names = []
    for raw in text.split(","):
        name = " ".join(raw.split())
        if not name or name in names:
            continue
        if len(name) > 80:
            raise ValidationError(
                gettext("A tag can be at most 80 characters long: “%(tag)s”."),
                code="tag_too_long", params={"tag": name},
            )
        names.append(name)
    return names


class ChapterChoiceField(forms.ModelChoiceField):
    """Chapters in tree order, indented by depth so the tree shows in a plain <select>."""

    def __init__(self, queryset: QuerySet[Chapter], **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        super().__init__(queryset.order_by("path"), **kwargs)

    def label_from_instance(self, obj: Chapter) -> str:
        return "\u00a0\u00a0\u00a0" * (obj.depth - 1) + obj.name


PHONE_HELP = _("With the area code, written any way, e.g. 514 555-0123.")


def contact_input(input_type: str) -> forms.TextInput:
    # type=email/tel brings up the right phone keyboard; the server still validates.
    return forms.TextInput(attrs={"type": input_type, "autocomplete": "off"})


# -- the edit forms: address, texts per language, owning organization and chapter ---------

# The "add" pages live at <list>/new/, so no object may take "new" as its address.
RESERVED_SLUGS = frozenset({"new"})
SLUG_LABEL = _("Name in the web address")
SLUG_HELP_FROM_TITLE = _("Lower-case letters, numbers and hyphens, e.g. status-for-all. "
                         "Left empty, it is made from the title.")
SLUG_HELP_FROM_NAME = _("Lower-case letters, numbers and hyphens, e.g. housing-committee. "
                        "Left empty, it is made from the name.")
SLUG_HELP_EDIT = _("Lower-case letters, numbers and hyphens. Changing it changes the "
                   "address of the page.")
DATE_HELP = _("For example 2026-05-01.")

# Labels of the texts written once per interface language.
MULTILINGUAL_LABELS = {
    "title": {"fr": _("Title in French"), "en": _("Title in English")},
    "summary": {"fr": _("Summary in French"), "en": _("Summary in English")},
    "description": {"fr": _("Description in French"), "en": _("Description in English")},
    "demands": {"fr": _("Demands in French"), "en": _("Demands in English")},
    "story_intro": {"fr": _("Story introduction in French"),
                    "en": _("Story introduction in English")},
}


def interface_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def date_input() -> forms.DateInput:
    # A native date picker where the browser has one; ISO dates typed by hand otherwise.
    return IsoDateInput()


class CheckboxList(forms.CheckboxSelectMultiple):
    """Checkboxes a thumb can tick: each one a full-width row, its label (the whole row) a
    44 px target, a long list in a box of its own that scrolls. Choices that are chapters
    are indented by their depth below the highest one offered: the row moves, not the
    text after the box, so a box never looks like it belongs to the name above it."""

    template_name = "organize/widgets/checkbox_list.html"
    option_template_name = "organize/widgets/checkbox_option.html"
    # More choices than this and the list scrolls in its own box.
    scroll_after = 8
    # Deeper chapters are drawn at this depth (the CSS has a class per step).
    deepest_indent = 5

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        options = [option for _group, group_options, _index in context["widget"]["optgroups"]
                   for option in group_options]
        depths = [option["depth"] for option in options if option["depth"] is not None]
        top = min(depths, default=0)
        for option in options:
            if option["depth"] is not None:
                option["indent"] = min(option["depth"] - top, self.deepest_indent)
        context["widget"]["scrolls"] = len(options) > self.scroll_after
        return context

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        option["depth"] = getattr(instance, "depth", None) if instance is not None else None
        option["indent"] = 0
        return option


def auto_slug(model, text: str) -> str:
    """A free address for a new object, made from its name or title."""
    slug = unique_slug(model, text)
    if slug in RESERVED_SLUGS:
        slug = unique_slug(model, f"{slug}-1")
    return slug


def slug_taken_error() -> ValidationError:
    return ValidationError(gettext("This address is already taken. Choose another one."),
                           code="slug_taken")


class EditFormBase(forms.Form):
    """Shared by the forms below: the address (slug), texts per interface language, and
    the owning organization and chapter of committees and campaigns."""

    slug_model = None  # the model whose addresses must stay unique

    def __init__(self, *args, instance=None, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)

    # The address ---------------------------------------------------------------------------

    def _slug_field(self, *, help_text) -> forms.SlugField:
        required = self.instance is not None  # an existing page keeps an address
        return forms.SlugField(
            label=SLUG_LABEL, max_length=80, required=required,
            help_text=SLUG_HELP_EDIT if required else help_text,
            widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        )

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"].strip().lower()
        if not slug:
            return ""
        if slug in RESERVED_SLUGS:
            raise ValidationError(gettext("“%(slug)s” cannot be used as an address. Choose "
                                          "another one."), code="slug_reserved",
                                  params={"slug": slug})
        others = self.slug_model.objects.filter(slug=slug)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise slug_taken_error()
        return slug

    def slug_or_auto(self, text: str) -> str:
        return self.cleaned_data["slug"] or auto_slug(self.slug_model, text)

    # Texts per interface language ----------------------------------------------------------

    def _add_multilingual(self, name: str, make_field, current: dict | None) -> None:
        for code in interface_languages():
            label = MULTILINGUAL_LABELS[name].get(code) or format_lazy(
                "{} ({})", name, content_language_name(code))
            field = make_field(label)
            field.widget.attrs["lang"] = code  # the text typed there is in that language
            self.fields[f"{name}_{code}"] = field
            if current:
                self.initial.setdefault(f"{name}_{code}", current.get(code, ""))

    def multilingual(self, name: str, current: dict | None = None) -> dict:
        """The texts as typed, by language; texts in other (content) languages are kept."""
        languages = interface_languages()
        texts = {code: text for code, text in (current or {}).items() if code not in languages}
        for code in languages:
            text = (self.cleaned_data.get(f"{name}_{code}") or "").strip()
            if text:
                texts[code] = text
        return texts

    def language_columns(self, *names: str) -> dict:
        """A block of the layout: one column of bound fields per interface language."""
        return {"columns": [[self[f"{name}_{code}"] for name in names]
                            for code in interface_languages()]}

    def fields_block(self, *names: str, heading: str = "") -> dict:
        return {"fields": [self[name] for name in names if name in self.fields],
                "heading": heading}

    def layout(self) -> list[dict]:
        """How the page shows the form: blocks of fields, texts per language side by side."""
        return [{"fields": self.visible_fields()}]

    # The owning organization and chapter ---------------------------------------------------

    # Shown when a chapter organizer leaves the chapter empty.
    whole_organization_error = ""

    def _add_owner_fields(self, user) -> None:
        organizations = organizations_for_new(user).order_by("name")
        self.runs = set(organizations_run_by(user).values_list("pk", flat=True))
        organization = forms.ModelChoiceField(
            organizations, label=_("Organization"), to_field_name="slug",
            empty_label=_("Choose an organization"),
        )
        choices = list(organizations)
        if len(choices) == 1:
            organization.empty_label = None
            self.initial.setdefault("organization", choices[0].slug)
        chapter = ChapterChoiceField(
            chapters_visible_to(user).filter(organization__in=organizations),
            label=_("Chapter"), required=False,
            empty_label=_("None: the whole organization"),
            help_text=_("Leave empty for the whole organization."),
        )
        if not self.runs:  # a chapter organizer works for their chapters only
            # Required in the browser; the server explains why (see _clean_owner).
            chapter.widget.attrs["required"] = True
            chapter.empty_label = _("Choose a chapter")
            chapter.help_text = ""
        group_chapters_by_organization(chapter, choices)
        self.fields["organization"] = organization
        self.fields["chapter"] = chapter
        hinted = self.initial.get("chapter")  # "add a committee to this chapter"
        if hinted and self.instance is None:
            found = chapter.queryset.filter(slug=hinted).select_related("organization").first()
            if found is not None:
                self.initial["organization"] = found.organization.slug
            else:
                del self.initial["chapter"]
        if self.instance is not None:
            self.initial.setdefault("organization", self.instance.organization.slug)
            self.initial.setdefault(
                "chapter", self.instance.chapter.slug if self.instance.chapter_id else "")

    def _require_title(self, message: str) -> None:
        """A title in at least one interface language; the error goes on the reader's."""
        languages = interface_languages()
        if not any((self.cleaned_data.get(f"title_{code}") or "").strip() for code in languages):
            current = translation.get_language()
            name = f"title_{current}" if current in languages else f"title_{languages[0]}"
            self.add_error(name, ValidationError(message, code="title_required"))

    def _clean_campaign(self) -> None:
        """A chosen campaign belongs to the chosen organization."""
        campaign = self.cleaned_data.get("campaign")
        organization = self.cleaned_data.get("organization")
        if campaign is not None and organization is not None \
                and campaign.organization_id != organization.pk:
            self.add_error("campaign", ValidationError(
                gettext("%(campaign)s is a campaign of another organization. Choose one of "
                        "%(organization)s, or none.")
                % {"campaign": campaign.display_title, "organization": organization.name},
                code="campaign_of_another_organization",
            ))

    def _clean_owner(self) -> None:
        organization = self.cleaned_data.get("organization")
        chapter = self.cleaned_data.get("chapter")
        if organization is None or "chapter" in self.errors:
            return
        if chapter is not None and chapter.organization_id != organization.pk:
            self.add_error("chapter", ValidationError(
                gettext("%(chapter)s is not a chapter of %(organization)s.")
                % {"chapter": chapter.name, "organization": organization.name},
                code="chapter_of_another_organization",
            ))
        elif chapter is None and organization.pk not in self.runs:
            self.add_error("chapter", ValidationError(
                str(self.whole_organization_error) % {"organization": organization.name},
                code="chapter_required",
            ))


def group_chapters_by_organization(field: ChapterChoiceField, organizations) -> None:
    """Chapters of several organizations in one <select>: one group per organization."""
    if len(organizations) < 2:
        return
    chapters = list(field.queryset.select_related("organization"))
    groups = []
    for organization in organizations:
        options = [(c.slug, field.label_from_instance(c)) for c in chapters
                   if c.organization_id == organization.pk]
        if options:
            groups.append((organization.name, options))
    field.choices = [("", field.empty_label), *groups] if field.empty_label else groups


# -- choice fields of the campaign, event, petition and sign-on forms -----------------------

class CampaignChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Campaign) -> str:
        return obj.display_title


class OrganizationsField(ModelMultipleChoiceField):
    def label_from_instance(self, obj: Organization) -> str:
        return obj.name


def cosponsor_choices(user, instance=None):
    """Organizations that may co-sponsor a petition or an event of this account: its own
    organizations and their coalition partners (no list of every organization: lists
    show nothing from outside the scope), and those already co-sponsoring `instance`."""
    visible = organizations_visible_to(user)
    partners = Q(pk__in=visible.values("pk")) \
        | Q(memberships__member__in=visible) \
        | Q(coalition_memberships__coalition__in=visible)
    if instance is not None:
        partners |= Q(pk__in=instance.cosponsors.values("pk"))
    return Organization.objects.filter(partners).distinct().order_by("name")
