"""Forms of the chapter pages: adding, editing and moving a chapter; approving a request
to start one."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from solidaire.membership.models import ChapterRequest
from solidaire.organizing.models import Chapter
from solidaire.organizing.selectors import (
    chapter_parent_choices,
    chapters_visible_to,
    organizations_run_by,
)
from solidaire.people.normalize import format_phone, normalize_phone

from .base import PHONE_HELP, SLUG_HELP_FROM_NAME, ChapterChoiceField, EditFormBase, contact_input

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
                                     widget=contact_input("email"))
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False,
                                    widget=contact_input("tel"), help_text=PHONE_HELP)
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
            organizations = list(organizations_run_by(user).order_by("name"))
            self.fields["organization"] = forms.ModelChoiceField(
                organizations_run_by(user).order_by("name"),
                label=_("Organization"), to_field_name="slug",
                empty_label=None if len(organizations) == 1 else _("Choose an organization"),
            )
            if len(organizations) == 1:
                self.initial.setdefault("organization", organizations[0].slug)
            self.initial.setdefault("kind", Chapter.Kind.PROVINCE)
        self.order_fields(self.field_order)

    def _add_parent_field(self, user, chapter: Chapter) -> None:
        choices = chapter_parent_choices(user, chapter)
        if choices is None:
            return  # the top of a chapter organizer's scope stays where it is
        runs = organizations_run_by(user).filter(pk=chapter.organization_id).exists()
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
