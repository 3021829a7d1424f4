"""Forms of the organizer pages: they parse and validate, the services write."""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from solidaire.campaigns.models import Campaign
from solidaire.core.access import is_coordinator, scope_for
from solidaire.core.i18n import content_language_name, localized
from solidaire.organizing.models import (
    Chapter,
    ChapterRequest,
    Committee,
    CommitteeMembership,
    Organization,
)
from solidaire.organizing.selectors import chapters_visible_to, committees_visible_to
from solidaire.organizing.services import unique_slug
from solidaire.people.models import (
    Channel,
    ConsentMethod,
    Person,
    StatusCategory,
    StatusFlag,
    Tag,
)
from solidaire.people.normalize import (
    format_phone,
    normalize_email,
    normalize_phone,
    normalize_postal_code,
)
from solidaire.people.selectors import people_visible_to, status_access

from . import selectors
from .selectors import contact_owner, is_visible
from .services import consent_changes

# The ways an organizer can have collected consent (imports and merges have their own paths).
ORGANIZER_CONSENT_METHODS = [
    (method.value, method.label)
    for method in (ConsentMethod.VERBAL, ConsentMethod.PAPER, ConsentMethod.WEB_FORM,
                   ConsentMethod.EMAIL_LINK)
]



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


# -- people list -----------------------------------------------------------------------------

class PeopleFilterForm(forms.Form):
    """The search box and filters above the people list (a GET form)."""

    q = forms.CharField(
        label=_("Search"), required=False, max_length=200,
        help_text=_("A name, an e-mail or a phone number written any way."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    chapter = ChapterChoiceField(
        Chapter.objects.none(), label=_("Chapter"), required=False,
        empty_label=_("All chapters"),
        help_text=_("Includes the chapters below it."),
    )
    language = forms.ChoiceField(label=_("Language"), required=False)
    tag = forms.ModelChoiceField(
        Tag.objects.none(), label=_("Tag"), required=False, to_field_name="name",
        empty_label=_("Any tag"),
    )
    committee = forms.ModelChoiceField(
        Committee.objects.none(), label=_("Committee"), required=False, to_field_name="slug",
        empty_label=_("Any committee"),
    )
    # Status-access accounts only (removed for others, so the parameter is ignored).
    permit_within = forms.IntegerField(
        label=_("Permit ends within (months)"), required=False, min_value=1, max_value=24,
        help_text=_("From 1 to 24: a call list of the people whose permit ends by then."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not status_access(user):
            del self.fields["permit_within"]
        self.fields["chapter"].queryset = chapters_visible_to(user).order_by("path")
        self.fields["language"].choices = [("", _("Any language")),
                                           *settings.CONTENT_LANGUAGES]
        # Tags are the organization's shared vocabulary, not people: every organizer
        # picks from all of them (finding the tags used in scope cost seconds at 1M people).
        self.fields["tag"].queryset = Tag.objects.order_by("name")
        self.fields["committee"].queryset = committees_visible_to(user).order_by("name")

    def filters(self) -> dict:
        """The valid filters (an invalid one is left out; the form shows its error)."""
        data = getattr(self, "cleaned_data", {})
        return {
            "q": data.get("q") or "",
            "chapter": data.get("chapter"),
            "language": data.get("language") or "",
            "tag": data.get("tag"),
            "committee": data.get("committee"),
            "permit_within": data.get("permit_within"),
        }

    @property
    def call_list(self) -> bool:
        """The permit filter is on: the list shows names and phones only."""
        return bool(getattr(self, "cleaned_data", {}).get("permit_within"))


# -- adding and editing a person -------------------------------------------------------------

PHONE_HELP = _("With the area code, written any way, e.g. 514 555-0123.")
SHARED_PHONE_LABEL = _("This phone is shared with someone already recorded "
                       "(a family or house phone)")


def _contact_input(input_type: str) -> forms.TextInput:
    # type=email/tel brings up the right phone keyboard; the server still validates.
    return forms.TextInput(attrs={"type": input_type, "autocomplete": "off"})


def _duplicate_error(user, owner: Person, *, what: str) -> ValidationError:
    """Refuse a contact point someone already has; name them only if they are in scope."""
    if is_visible(user, owner):
        link = format_html('<a href="{}">{}</a>',
                           reverse("organize:person_detail", args=[owner.pk]),
                           owner.chosen_name)
        if what == "email":
            text = gettext("This e-mail address already belongs to {person}. Open their "
                           "record instead of adding them again.")
        else:
            text = gettext("This phone number already belongs to {person}. Open their "
                           "record instead of adding them again, or tick the box below if "
                           "it is a shared family or house phone.")
        return ValidationError(format_html(text, person=link), code="duplicate")
    if what == "email":
        text = gettext("This e-mail address is already recorded for someone outside "
                       "your chapters.")
    else:
        text = gettext("This phone number is already recorded for someone outside "
                       "your chapters. If it is a shared family or house phone, tick the "
                       "box below.")
    return ValidationError(text, code="duplicate")


class PersonFormBase(forms.Form):
    """Fields shared by the add and edit forms; contact fields come from subclasses."""

    chosen_name = forms.CharField(
        label=_("Name"), max_length=150,
        help_text=_("The name the person wants to be called. A legal name is never needed."),
    )
    given_name = forms.CharField(
        label=_("Given name"), max_length=100, required=False,
        help_text=_("Optional, only when the person gives it."),
    )
    family_name = forms.CharField(
        label=_("Family name"), max_length=100, required=False,
        help_text=_("Optional, only when the person gives it."),
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"), choices=settings.CONTENT_LANGUAGES,
        help_text=_("The language messages to this person are written in."),
    )
    other_languages = forms.MultipleChoiceField(
        label=_("Other languages spoken"), choices=settings.CONTENT_LANGUAGES, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    postal_code = forms.CharField(
        label=_("Postal code"), max_length=10, required=False,
        help_text=_("Canadian postal code, e.g. H2X 1Y4."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "size": 8}),
    )
    home_chapter = ChapterChoiceField(
        Chapter.objects.none(), label=_("Home chapter"), empty_label=_("No chapter yet"),
        help_text=_("The chapter that organizes with this person."),
    )
    sector = forms.CharField(
        label=_("Sector"), max_length=100, required=False,
        help_text=_("e.g. warehousing, agriculture, caregiving, construction."),
    )
    workplace = forms.CharField(label=_("Workplace"), max_length=150, required=False)
    tags = forms.CharField(
        label=_("Tags"), max_length=500, required=False,
        help_text=_("Separate tags with commas, e.g. leader, night shift."),
    )
    consent_email = forms.BooleanField(label=_("Agrees to receive e-mails"), required=False)
    consent_sms = forms.BooleanField(label=_("Agrees to receive text messages"),
                                     required=False)
    consent_phone = forms.BooleanField(label=_("Agrees to be called"), required=False)
    consent_method = forms.ChoiceField(
        label=_("How consent was given or withdrawn"), required=False,
        choices=[("", "—"), *ORGANIZER_CONSENT_METHODS],
        help_text=_("Needed when you tick or untick a consent box."),
    )

    # Which Person attribute each consent checkbox mirrors.
    consent_channels = {
        "consent_email": Channel.EMAIL,
        "consent_sms": Channel.SMS,
        "consent_phone": Channel.PHONE,
    }
    profile_fields = ("chosen_name", "given_name", "family_name", "preferred_language",
                      "postal_code", "home_chapter", "sector", "workplace")

    def __init__(self, *args, user, person: Person | None = None, **kwargs):
        self.user = user
        self.person = person
        super().__init__(*args, **kwargs)
        chapter = self.fields["home_chapter"]
        chapter.queryset = chapters_visible_to(user).order_by("path")
        if person is not None:
            # The chapters of the person's own organization (decision 0035).
            chapter.queryset = chapter.queryset.filter(organization_id=person.organization_id)
        # A chapter organizer's people always belong to one of their chapters.
        chapter.required = not is_coordinator(user)
        if chapter.required:
            chapter.empty_label = _("Choose a chapter")

    def clean_postal_code(self) -> str:
        return normalize_postal_code(self.cleaned_data["postal_code"])

    def clean_tags(self) -> list[str]:
        return tag_names_parse(self.cleaned_data["tags"])

    def _clean_email_value(self, field: str) -> str:
        value = self.cleaned_data[field]
        if not value.strip():
            return ""
        email = normalize_email(value)
        owner = contact_owner(email=email, exclude=self.person,
                              organization_ids=self.organization_ids())
        if owner is not None:
            raise _duplicate_error(self.user, owner, what="email")
        return email

    def _clean_phone_value(self, field: str, shared_field: str) -> str:
        value = self.cleaned_data[field]
        if not value.strip():
            return ""
        phone = normalize_phone(value)
        # A family or house phone may belong to several people, but only on purpose.
        if self[shared_field].data:
            return phone
        owner = contact_owner(phone=phone, exclude=self.person,
                              organization_ids=self.organization_ids())
        if owner is not None:
            raise _duplicate_error(self.user, owner, what="phone")
        return phone

    def organization_ids(self):
        """The lists a duplicate is looked for in: the person's own organization, or
        for a new person the account's organizations; never another's (0035)."""
        if self.person is not None:
            return {self.person.organization_id}
        scope = scope_for(self.user)
        return None if scope.everything else scope.list_organization_ids

    def consent(self) -> dict[str, bool]:
        return {channel: bool(self.cleaned_data.get(name))
                for name, channel in self.consent_channels.items()}

    def clean(self):
        cleaned = super().clean()
        if consent_changes(self.person, self.consent()) and not cleaned.get("consent_method"):
            self.add_error("consent_method", ValidationError(
                gettext("Say how the person gave or withdrew consent."),
                code="consent_method_required",
            ))
        return cleaned

    def profile(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.profile_fields}


class PersonAddForm(PersonFormBase):
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False,
                            widget=_contact_input("email"))
    phone = forms.CharField(
        label=_("Phone"), max_length=40, required=False, widget=_contact_input("tel"),
        help_text=PHONE_HELP,
    )

    phone_shared = forms.BooleanField(label=SHARED_PHONE_LABEL, required=False)

    field_order = ["chosen_name", "given_name", "family_name", "email", "phone",
                   "phone_shared"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        language = translation.get_language()
        if language in dict(settings.CONTENT_LANGUAGES):
            self.fields["preferred_language"].initial = language
        chapter = self.fields["home_chapter"]
        if chapter.required and not self.is_bound:
            only = list(chapter.queryset[:2])
            if len(only) == 1:  # an organizer of one chapter has nothing to choose
                chapter.initial = only[0].slug

    def clean_email(self) -> str:
        return self._clean_email_value("email")

    def clean_phone(self) -> str:
        return self._clean_phone_value("phone", "phone_shared")

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            **self.profile(),
            "email": data["email"], "phone": data["phone"],
            "other_languages": data["other_languages"], "tags": data["tags"],
            "consent": self.consent(), "consent_method": data["consent_method"],
        }


class PersonEditForm(PersonFormBase):
    primary_email = forms.ChoiceField(label=_("Primary e-mail"), required=False,
                                      widget=forms.RadioSelect)
    new_email = forms.CharField(
        label=_("Add an e-mail"), max_length=254, required=False,
        widget=_contact_input("email"),
    )
    new_email_primary = forms.BooleanField(label=_("Make the new e-mail the primary one"),
                                           required=False)
    primary_phone = forms.ChoiceField(label=_("Primary phone"), required=False,
                                      widget=forms.RadioSelect)
    new_phone = forms.CharField(
        label=_("Add a phone"), max_length=40, required=False,
        widget=_contact_input("tel"),
        help_text=PHONE_HELP,
    )
    new_phone_shared = forms.BooleanField(label=SHARED_PHONE_LABEL, required=False)
    new_phone_primary = forms.BooleanField(label=_("Make the new phone the primary one"),
                                           required=False)

    field_order = ["chosen_name", "given_name", "family_name", "primary_email", "new_email",
                   "new_email_primary", "primary_phone", "new_phone", "new_phone_shared",
                   "new_phone_primary"]

    def __init__(self, *args, user, person: Person, **kwargs):
        emails = list(person.emails.all())
        phones = list(person.phones.all())
        kwargs.setdefault("initial", {
            **{name: getattr(person, name) for name in self.profile_fields},
            "home_chapter": person.home_chapter.slug if person.home_chapter_id else None,
            "other_languages": list(person.other_languages.values_list("code", flat=True)),
            "tags": ", ".join(person.tags.values_list("name", flat=True)),
            "consent_email": person.consent_email,
            "consent_sms": person.consent_sms,
            "consent_phone": person.consent_phone,
            "primary_email": next((e.address for e in emails if e.is_primary), ""),
            "primary_phone": next((p.number for p in phones if p.is_primary), ""),
        })
        super().__init__(*args, user=user, person=person, **kwargs)
        self.fields["primary_email"].choices = [(e.address, e.address) for e in emails]
        self.fields["primary_phone"].choices = [(p.number, format_phone(p.number))
                                                for p in phones]
        if emails:
            self.fields["new_email"].help_text = gettext(
                "Already recorded, and kept: %(list)s.",
            ) % {"list": ", ".join(e.address for e in emails)}
        if phones:
            self.fields["new_phone"].help_text = "{} {}".format(PHONE_HELP, gettext(
                "Already recorded, and kept: %(list)s.",
            ) % {"list": ", ".join(format_phone(p.number) for p in phones)})
        # A choice between fewer than two is no choice.
        if len(emails) < 2:
            del self.fields["primary_email"]
        if len(phones) < 2:
            del self.fields["primary_phone"]

    def clean_new_email(self) -> str:
        return self._clean_email_value("new_email")

    def clean_new_phone(self) -> str:
        return self._clean_phone_value("new_phone", "new_phone_shared")

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            **self.profile(),
            "other_languages": data["other_languages"], "tags": data["tags"],
            "new_email": data["new_email"], "new_email_primary": data["new_email_primary"],
            "new_phone": data["new_phone"], "new_phone_primary": data["new_phone_primary"],
            "primary_email": (data.get("primary_email") or ""
                              if "primary_email" in self.changed_data else ""),
            "primary_phone": (data.get("primary_phone") or ""
                              if "primary_phone" in self.changed_data else ""),
            "consent": self.consent(), "consent_method": data["consent_method"],
        }


# -- merging two records ---------------------------------------------------------------------

class MergeSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find the other record"), required=False, max_length=200,
        help_text=_("A name, an e-mail or a phone number."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )


class MergeForm(forms.Form):
    keep = forms.TypedChoiceField(label=_("Record to keep"), coerce=int,
                                  widget=forms.RadioSelect)

    def __init__(self, *args, first: Person, second: Person, **kwargs):
        self.people = {first.pk: first, second.pk: second}
        older = min(first, second, key=lambda p: (p.created_at, p.pk))
        kwargs.setdefault("initial", {"keep": older.pk})
        super().__init__(*args, **kwargs)
        self.fields["keep"].choices = [
            (p.pk, gettext("Keep %(name)s (record #%(id)s)") % {"name": p.chosen_name,
                                                                  "id": p.pk})
            for p in (first, second)
        ]

    def keep_and_remove(self) -> tuple[Person, Person]:
        keep = self.people[self.cleaned_data["keep"]]
        remove = next(p for pk, p in self.people.items() if pk != keep.pk)
        return keep, remove


# -- chapter requests ------------------------------------------------------------------------

class ChapterRequestApproveForm(forms.Form):
    parent = ChapterChoiceField(
        Chapter.objects.none(), label=_("Parent chapter"), required=False,
        empty_label=_("None: a chapter at the top of the tree"),
        help_text=_("The new chapter sits below this one."),
    )
    kind = forms.ChoiceField(label=_("Kind of chapter"), choices=Chapter.Kind.choices,
                             initial=Chapter.Kind.CITY)

    def __init__(self, *args, user, chapter_request: ChapterRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = chapters_visible_to(user).filter(
            organization_id=chapter_request.organization_id,
        ).order_by("path")


# -- committees ------------------------------------------------------------------------------

class CommitteeSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find a person to add"), required=False, max_length=200,
        help_text=_("A name, an e-mail or a phone number."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )


class CommitteeMemberAddForm(forms.Form):
    person = forms.ModelChoiceField(Person.objects.none(), widget=forms.HiddenInput,
                                    label=_("Person"))
    role = forms.ChoiceField(label=_("Role"), choices=CommitteeMembership.Role.choices,
                             initial=CommitteeMembership.Role.MEMBER)

    def __init__(self, *args, user, committee=None, **kwargs):
        super().__init__(*args, **kwargs)
        people = people_visible_to(user)
        if committee is not None:
            # Members come from the committee's organization's list (decision 0035).
            people = people.filter(organization_id=committee.organization_id)
        self.fields["person"].queryset = people


class CommitteeMemberRemoveForm(forms.Form):
    person = forms.ModelChoiceField(Person.objects.none(), widget=forms.HiddenInput,
                                    label=_("Person"))

    def __init__(self, *args, user, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people_visible_to(user).filter(
            committee_memberships__committee=committee,
        )


# -- editing campaigns, committees, chapters and organizations -------------------------------

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


def _date_input() -> forms.DateInput:
    # A native date picker where the browser has one; ISO dates typed by hand otherwise.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


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
        organizations = selectors.organizations_for_new(user).order_by("name")
        self.runs = set(selectors.organizations_run_by(user).values_list("pk", flat=True))
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


class CampaignForm(EditFormBase):
    slug_model = Campaign
    whole_organization_error = _("Choose one of your chapters: only the coordinators of "
                                 "%(organization)s can run a campaign of the whole "
                                 "organization.")

    starts_on = forms.DateField(label=_("Starts on"), required=False, widget=_date_input(),
                                help_text=DATE_HELP)
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=_date_input(),
                              help_text=_("Optional. For example 2026-12-31."))
    is_active = forms.BooleanField(
        label=_("Active"), required=False, initial=True,
        help_text=_("Active campaigns are shown on the public pages."),
    )
    story_published = forms.BooleanField(
        label=_("Publish the public story"), required=False,
        help_text=_("A public \"how we won\" page with the demands, the public milestones "
                    "and the toolkit, in French and English."),
    )

    def __init__(self, *args, user, instance: Campaign | None = None, **kwargs):
        super().__init__(*args, instance=instance, **kwargs)
        self.demands_before = ([d.text for d in instance.demands.order_by("position", "id")]
                               if instance is not None else [])
        self._add_multilingual("title", lambda label: forms.CharField(
            label=label, max_length=200, required=False,
        ), instance.title if instance else None)
        self._add_multilingual("summary", lambda label: forms.CharField(
            label=label, max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4}),
        ), instance.summary if instance else None)
        self._add_multilingual("demands", lambda label: forms.CharField(
            label=label, required=False, strip=False,  # an empty first line is meaningful
            help_text=_("One demand per line, in the same order in each language. Leave a "
                        "line empty where a demand is not written in this language."),
            widget=forms.Textarea(attrs={"rows": 8}),
        ), {code: "\n".join(text.get(code, "") for text in self.demands_before)
            for code in interface_languages()} if instance else None)
        self._add_multilingual("story_intro", lambda label: forms.CharField(
            label=label, max_length=3000, required=False,
            help_text=_("A few sentences opening the public story."),
            widget=forms.Textarea(attrs={"rows": 4}),
        ), instance.story_intro if instance else None)
        self.fields["slug"] = self._slug_field(help_text=SLUG_HELP_FROM_TITLE)
        self._add_owner_fields(user)
        if instance is not None:
            for name in ("starts_on", "ends_on", "is_active", "story_published"):
                self.initial.setdefault(name, getattr(instance, name))
            self.initial.setdefault("slug", instance.slug)

    def layout(self) -> list[dict]:
        return [
            self.language_columns("title", "summary"),
            self.fields_block("slug", "organization", "chapter", "starts_on", "ends_on",
                              "is_active"),
            {**self.language_columns("demands"), "heading": gettext("Demands")},
            {**self.language_columns("story_intro"), "heading": gettext("Public story")},
            self.fields_block("story_published"),
        ]

    def _demand_lines(self, code: str) -> tuple[list[str], int]:
        """The lines up to the last one with text, and how many lines there are in all
        (empty lines at the end stand for demands not written in this language)."""
        text = (self.cleaned_data.get(f"demands_{code}") or "").replace("\r\n", "\n")
        lines = [line.strip() for line in text.split("\n")]
        total = len(lines)
        while lines and not lines[-1]:
            lines.pop()
        return lines, total

    def clean(self):
        cleaned = super().clean()
        languages = interface_languages()
        self._require_title(gettext("Give the campaign a title, in at least one language."))
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", ValidationError(
                gettext("The campaign cannot end before it starts: choose an end date on or "
                        "after the start date."), code="ends_before_start",
            ))
        lines, totals = {}, {}
        for code in languages:
            lines[code], totals[code] = self._demand_lines(code)
        longest = max(len(found) for found in lines.values())
        for code, found in lines.items():
            if found and len(found) < longest and totals[code] < longest:
                self.add_error(f"demands_{code}", ValidationError(
                    ngettext(
                        "This list has %(count)d line, but another language has %(longest)d. "
                        "Write one demand per line, in the same order in each language.",
                        "This list has %(count)d lines, but another language has "
                        "%(longest)d. Write one demand per line, in the same order in each "
                        "language.", len(found),
                    ) % {"count": len(found), "longest": longest},
                    code="demand_lines_mismatch",
                ))
        self.demand_rows = [
            {code: found[i] for code, found in lines.items() if i < len(found) and found[i]}
            for i in range(longest)
        ]
        self._clean_owner()
        return cleaned

    def demands(self) -> list[dict]:
        """The demands as typed, each keeping its texts in other languages (matched by an
        unchanged text, or by position when the number of demands did not change)."""
        languages = interface_languages()
        before = list(self.demands_before)
        rows = [row for row in self.demand_rows if row]
        unused = list(range(len(before)))
        result = []
        for position, row in enumerate(rows):
            match = next((i for i in unused if any(
                row.get(code) and before[i].get(code) == row[code] for code in languages)), None)
            if match is None and len(before) == len(rows) and position in unused:
                match = position
            extra = {}
            if match is not None:
                unused.remove(match)
                extra = {k: v for k, v in before[match].items() if k not in languages}
            result.append({**extra, **row})
        return result

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        current = self.instance
        title = self.multilingual("title", current.title if current else None)
        return {
            "slug": self.slug_or_auto(localized(title, settings.LANGUAGE_CODE)),
            "title": title,
            "summary": self.multilingual("summary", current.summary if current else None),
            "organization": data["organization"],
            "chapter": data["chapter"],
            "starts_on": data["starts_on"],
            "ends_on": data["ends_on"],
            "is_active": data["is_active"],
            "story_published": data["story_published"],
            "story_intro": self.multilingual("story_intro",
                                             current.story_intro if current else None),
            "demands": self.demands(),
        }


class CommitteeForm(EditFormBase):
    slug_model = Committee
    whole_organization_error = _("Choose one of your chapters: only the coordinators of "
                                 "%(organization)s can add a committee of the whole "
                                 "organization.")

    name = forms.CharField(label=_("Name"), max_length=150)

    def __init__(self, *args, user, instance: Committee | None = None, **kwargs):
        super().__init__(*args, instance=instance, **kwargs)
        self.fields["slug"] = self._slug_field(help_text=SLUG_HELP_FROM_NAME)
        self._add_multilingual("description", lambda label: forms.CharField(
            label=label, max_length=2000, required=False,
            widget=forms.Textarea(attrs={"rows": 4}),
        ), instance.description if instance else None)
        self._add_owner_fields(user)
        if instance is not None:
            self.initial.setdefault("name", instance.name)
            self.initial.setdefault("slug", instance.slug)

    def layout(self) -> list[dict]:
        return [
            self.fields_block("name", "slug"),
            self.language_columns("description"),
            self.fields_block("organization", "chapter"),
        ]

    def clean(self):
        cleaned = super().clean()
        self._clean_owner()
        return cleaned

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        current = self.instance
        return {
            "name": data["name"],
            "slug": self.slug_or_auto(data["name"]),
            "description": self.multilingual("description",
                                             current.description if current else None),
            "organization": data["organization"],
            "chapter": data["chapter"],
        }


# The kind a new chapter usually has below a chapter of each kind.
NEXT_KIND = {
    Chapter.Kind.COUNTRY: Chapter.Kind.PROVINCE,
    Chapter.Kind.PROVINCE: Chapter.Kind.REGION,
    Chapter.Kind.REGION: Chapter.Kind.CITY,
    Chapter.Kind.CITY: Chapter.Kind.CAMPUS,
    Chapter.Kind.CAMPUS: Chapter.Kind.WORKPLACE,
    Chapter.Kind.WORKPLACE: Chapter.Kind.WORKPLACE,
}


class ChapterForm(EditFormBase):
    """A new chapter (below `parent`, or at the top of an organization's tree) or an
    existing one (`instance`), which may also move within the account's scope."""

    slug_model = Chapter

    name = forms.CharField(label=_("Name"), max_length=150)
    kind = forms.ChoiceField(label=_("Kind of chapter"), choices=Chapter.Kind.choices)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages the chapter works in"), choices=settings.CONTENT_LANGUAGES,
        required=False, widget=forms.CheckboxSelectMultiple,
    )
    contact_email = forms.EmailField(label=_("Contact e-mail"), max_length=254, required=False,
                                     widget=_contact_input("email"))
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False,
                                    widget=_contact_input("tel"), help_text=PHONE_HELP)
    is_public = forms.BooleanField(
        label=_("Listed publicly"), required=False, initial=True,
        help_text=_("Shown on the public home page, with its contact e-mail."),
    )

    field_order = ["name", "slug", "organization", "parent", "kind"]

    def __init__(self, *args, user, instance: Chapter | None = None,
                 parent: Chapter | None = None, **kwargs):
        super().__init__(*args, instance=instance, **kwargs)
        self.parent = parent
        self.fields["slug"] = self._slug_field(help_text=SLUG_HELP_FROM_NAME)
        if instance is not None:
            for name in ("name", "slug", "kind", "city", "languages", "contact_email",
                         "is_public"):
                self.initial.setdefault(name, getattr(instance, name))
            self.initial.setdefault("contact_phone", format_phone(instance.contact_phone)
                                    if instance.contact_phone else "")
            self._add_parent_field(user, instance)
        elif parent is not None:
            self.initial.setdefault("kind", NEXT_KIND[parent.kind])
            self.initial.setdefault("languages", parent.languages)
        else:  # a chapter at the top of the tree of an organization the account runs
            organizations = list(selectors.organizations_run_by(user).order_by("name"))
            self.fields["organization"] = forms.ModelChoiceField(
                selectors.organizations_run_by(user).order_by("name"),
                label=_("Organization"), to_field_name="slug",
                empty_label=None if len(organizations) == 1 else _("Choose an organization"),
            )
            if len(organizations) == 1:
                self.initial.setdefault("organization", organizations[0].slug)
            self.initial.setdefault("kind", Chapter.Kind.PROVINCE)
        self.order_fields(self.field_order)

    def _add_parent_field(self, user, chapter: Chapter) -> None:
        choices = selectors.chapter_parent_choices(user, chapter)
        if choices is None:
            return  # the top of a chapter organizer's scope stays where it is
        runs = selectors.organizations_run_by(user).filter(pk=chapter.organization_id).exists()
        field = ChapterChoiceField(
            choices, label=_("Part of"), required=not runs,
            empty_label=_("None: a chapter at the top of the tree") if runs else None,
            help_text=_("The chapter this one belongs to. The chapters below it move "
                        "with it."),
        )
        self.fields["parent"] = field
        current = Chapter.objects.get_parent(chapter)
        self.initial.setdefault("parent", current.slug if current else "")

    def clean_contact_phone(self) -> str:
        value = self.cleaned_data["contact_phone"].strip()
        return normalize_phone(value) if value else ""

    def clean_contact_email(self) -> str:
        return self.cleaned_data["contact_email"].strip().lower()

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        offered = {code for code, _name in settings.CONTENT_LANGUAGES}
        kept = [code for code in (self.instance.languages if self.instance else [])
                if code not in offered]
        arguments = {
            "name": data["name"],
            "slug": self.slug_or_auto(data["name"]),
            "kind": data["kind"],
            "city": data["city"].strip(),
            # In the order of the list, after any code the form does not offer.
            "languages": kept + [code for code, _name in settings.CONTENT_LANGUAGES
                                 if code in data["languages"]],
            "contact_email": data["contact_email"],
            "contact_phone": data["contact_phone"],
            "is_public": data["is_public"],
        }
        if "parent" in self.fields:
            arguments["parent"] = data["parent"]
        if "organization" in self.fields:
            arguments["organization"] = data["organization"]
        return arguments


class OrganizationForm(EditFormBase):
    """An organization's details; also used to record a new member of a coalition."""

    slug_model = Organization

    name = forms.CharField(label=_("Name"), max_length=200)
    short_name = forms.CharField(label=_("Short name"), max_length=40, required=False,
                                 help_text=_("An acronym, e.g. CTI."))
    kind = forms.ChoiceField(label=_("Kind of organization"),
                             choices=Organization.Kind.choices)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    province = forms.CharField(label=_("Province or territory"), max_length=60,
                               required=False)
    website = forms.URLField(label=_("Website"), max_length=200, required=False,
                             assume_scheme="https",
                             help_text=_("For example https://example.org"))
    email = forms.EmailField(label=_("E-mail"), max_length=254, required=False,
                             widget=_contact_input("email"))
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False,
                            widget=_contact_input("tel"), help_text=PHONE_HELP)
    status_retention_months = forms.IntegerField(
        label=_("Erase the immigration status after this many months without activity"),
        required=False, min_value=1, max_value=600,
        help_text=_("A daily job erases the status of people of this organization who have "
                    "done nothing for that long. Leave empty to keep statuses until someone "
                    "erases them."),
    )

    details = ("name", "short_name", "kind", "city", "province", "website", "email")

    def __init__(self, *args, instance: Organization | None = None, **kwargs):
        super().__init__(*args, instance=instance, **kwargs)
        self._add_multilingual("description", lambda label: forms.CharField(
            label=label, max_length=4000, required=False,
            widget=forms.Textarea(attrs={"rows": 4}),
        ), instance.description if instance else None)
        if instance is not None:
            for name in self.details:
                self.initial.setdefault(name, getattr(instance, name))
            self.initial.setdefault("phone", format_phone(instance.phone)
                                    if instance.phone else "")
            self.initial.setdefault("status_retention_months",
                                    instance.status_retention_months)

    def layout(self) -> list[dict]:
        return [
            self.fields_block("name", "short_name", "kind"),
            self.language_columns("description"),
            self.fields_block("city", "province", "website", "email", "phone", "is_founding",
                              "joined_on"),
            self.fields_block("status_retention_months", heading=gettext("Data retention")),
        ]

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"].strip()
        return normalize_phone(value) if value else ""

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            **{name: data[name].strip() if isinstance(data[name], str) else data[name]
               for name in self.details},
            "phone": data["phone"],
            "description": self.multilingual(
                "description", self.instance.description if self.instance else None),
            **({"status_retention_months": data["status_retention_months"]}
               if "status_retention_months" in self.fields else {}),
        }


class CoalitionMemberForm(OrganizationForm):
    """A new organization, recorded as a member of a coalition the account coordinates."""

    is_founding = forms.BooleanField(label=_("Founding member"), required=False)
    joined_on = forms.DateField(label=_("Joined on"), required=False, widget=_date_input(),
                                help_text=DATE_HELP)

    def __init__(self, *args, coalition: Organization, **kwargs):
        self.coalition = coalition
        super().__init__(*args, **kwargs)
        # A new member's retention is set by its own coordinators, on its edit page.
        del self.fields["status_retention_months"]
        self.initial.setdefault("kind", Organization.Kind.COMMUNITY_GROUP)

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if self.coalition.members.filter(name__iexact=name).exists():
            raise ValidationError(
                gettext("%(name)s is already a member of this coalition."),
                code="already_member", params={"name": name},
            )
        return name

    def service_arguments(self) -> dict:
        return {
            **super().service_arguments(),
            "is_founding": self.cleaned_data["is_founding"],
            "joined_on": self.cleaned_data["joined_on"],
        }


class MonthField(forms.CharField):
    """A year and month: <input type="month"> where the browser has one, YYYY-MM otherwise."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM",
                                    "pattern": r"\d{4}-\d{2}"})

    def to_python(self, value):
        text = (super().to_python(value) or "").strip()
        if not text:
            return None
        try:
            year, month = (int(part) for part in text.split("-"))
            return datetime.date(year, month, 1)
        except (ValueError, TypeError):
            raise ValidationError(
                gettext("Enter a month as year-month, e.g. 2027-03."), code="invalid_month",
            ) from None

    def prepare_value(self, value):
        if hasattr(value, "year"):
            return f"{value.year:04d}-{value.month:02d}"
        return value


class PersonStatusForm(forms.Form):
    """A person's immigration status: only shown to accounts with status access."""

    category = forms.ChoiceField(
        label=_("Status"), choices=[("", "—"), *StatusCategory.choices], required=False,
        help_text=_("Optional. Record it only if the person agrees."),
    )
    expiry_month = MonthField(
        label=_("Permit ends (month)"), required=False,
        help_text=_("Year and month only, e.g. 2027-03."),
    )
    flags = forms.MultipleChoiceField(
        label=_("Programmes"), choices=StatusFlag.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("Private note"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Encrypted. Never write a passport or file number."),
    )

    def clean(self):
        data = super().clean()
        if not data.get("category") and (data.get("expiry_month") or data.get("flags")
                                         or data.get("note")):
            self.add_error("category", gettext(
                "Choose a status, or “Prefers not to say”, before adding details."))
        return data

    @classmethod
    def initial_from(cls, view) -> dict:
        if view is None or view.erased:
            return {}
        return {"category": view.category, "expiry_month": view.expiry_month,
                "flags": list(view.flags), "note": view.note}
