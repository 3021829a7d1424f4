"""Forms of the organizer pages: they parse and validate, the services write."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from solidaire.core.access import is_coordinator
from solidaire.organizing.models import Chapter, ChapterRequest, Committee, CommitteeMembership
from solidaire.organizing.selectors import chapters_visible_to, committees_visible_to
from solidaire.people.models import Channel, ConsentMethod, Person, Tag
from solidaire.people.normalize import (
    format_phone,
    normalize_email,
    normalize_phone,
    normalize_postal_code,
)
from solidaire.people.selectors import people_visible_to

from .selectors import contact_owner, is_visible
from .services import consent_changes

# The ways an organizer can have collected consent (imports and merges have their own paths).
ORGANIZER_CONSENT_METHODS = [
    (method.value, method.label)
    for method in (ConsentMethod.VERBAL, ConsentMethod.PAPER, ConsentMethod.WEB_FORM,
                   ConsentMethod.EMAIL_LINK)
]


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

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
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
        }


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
                           reverse("dashboard:person_detail", args=[owner.pk]),
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
        # A chapter organizer's people always belong to one of their chapters.
        chapter.required = not is_coordinator(user)
        if chapter.required:
            chapter.empty_label = _("Choose a chapter")

    def clean_postal_code(self) -> str:
        return normalize_postal_code(self.cleaned_data["postal_code"])

    def clean_tags(self) -> list[str]:
        names = []
        for raw in self.cleaned_data["tags"].split(","):
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

    def _clean_email_value(self, field: str) -> str:
        value = self.cleaned_data[field]
        if not value.strip():
            return ""
        email = normalize_email(value)
        owner = contact_owner(email=email, exclude=self.person)
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
        owner = contact_owner(phone=phone, exclude=self.person)
        if owner is not None:
            raise _duplicate_error(self.user, owner, what="phone")
        return phone

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

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people_visible_to(user)


class CommitteeMemberRemoveForm(forms.Form):
    person = forms.ModelChoiceField(Person.objects.none(), widget=forms.HiddenInput,
                                    label=_("Person"))

    def __init__(self, *args, user, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people_visible_to(user).filter(
            committee_memberships__committee=committee,
        )
