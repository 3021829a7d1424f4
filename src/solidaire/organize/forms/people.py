"""Forms of the people pages: the list's filters, adding and editing a person, their
immigration status."""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from solidaire.core.access import is_coordinator, scope_for
from solidaire.membership.models import Committee
from solidaire.membership.selectors import committees_visible_to
from solidaire.organizing.models import Chapter
from solidaire.organizing.selectors import chapters_visible_to
from solidaire.people.models import Channel, ConsentMethod, Person, StatusCategory, StatusFlag, Tag
from solidaire.people.normalize import (
    format_phone,
    normalize_email,
    normalize_phone,
    normalize_postal_code,
)
from solidaire.people.selectors import status_access

from ..selectors import contact_owner, is_visible
from ..services import consent_changes
from .base import PHONE_HELP, ChapterChoiceField, contact_input, tag_names_parse

# The ways an organizer can have collected consent (imports and merges have their own paths).
ORGANIZER_CONSENT_METHODS = [
    (method.value, method.label)
    for method in (ConsentMethod.VERBAL, ConsentMethod.PAPER, ConsentMethod.WEB_FORM,
                   ConsentMethod.EMAIL_LINK)
]


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


SHARED_PHONE_LABEL = _("This phone is shared with someone already recorded "
                       "(a family or house phone)")


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
                            widget=contact_input("email"))
    phone = forms.CharField(
        label=_("Phone"), max_length=40, required=False, widget=contact_input("tel"),
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
        widget=contact_input("email"),
    )
    new_email_primary = forms.BooleanField(label=_("Make the new e-mail the primary one"),
                                           required=False)
    primary_phone = forms.ChoiceField(label=_("Primary phone"), required=False,
                                      widget=forms.RadioSelect)
    new_phone = forms.CharField(
        label=_("Add a phone"), max_length=40, required=False,
        widget=contact_input("tel"),
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
