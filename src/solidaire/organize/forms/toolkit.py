"""The form of a toolkit resource: a file (limited in size and type) or a link."""

from __future__ import annotations

from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import get_valid_filename
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from solidaire.campaigns.models import Resource
from solidaire.core.uploads import upload_limit

MAX_UPLOAD_MB = 20
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
ALLOWED_EXTENSIONS = ("pdf", "png", "jpg", "jpeg", "docx", "odt", "pptx", "txt")


def max_upload_mb() -> int:
    """The toolkit's limit in MB, never above what every upload may weigh."""
    return max(upload_limit(MAX_UPLOAD_BYTES) // (1024 * 1024), 1)


def allowed_types_text() -> str:
    return ", ".join(ext.upper() for ext in ALLOWED_EXTENSIONS if ext != "jpeg")


class ResourceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Resource.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    language = forms.ChoiceField(label=_("Language"), choices=settings.CONTENT_LANGUAGES)
    file = forms.FileField(
        label=_("File"), required=False,
        widget=forms.ClearableFileInput(attrs={
            "accept": ",".join(f".{ext}" for ext in ALLOWED_EXTENSIONS)}),
    )
    url = forms.URLField(
        label=_("Or a link"), required=False, max_length=500, assume_scheme="https",
        help_text=_("Where the resource lives, instead of a file (e.g. a video or a shared "
                    "folder)."),
    )
    is_public = forms.BooleanField(
        label=_("In the public toolkit"), required=False, initial=True,
        help_text=_("Shown and downloadable on the campaign's public story page."),
    )

    def __init__(self, *args, instance: Resource | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance = instance
        self.fields["file"].help_text = gettext(
            "At most %(size)d MB; %(types)s."
        ) % {"size": max_upload_mb(), "types": allowed_types_text()}
        if instance is not None:
            for name in ("kind", "title", "language", "url", "is_public"):
                self.initial.setdefault(name, getattr(instance, name))
            if instance.file:
                self.fields["file"].help_text = gettext(
                    "Leave empty to keep the current file (%(name)s). At most %(size)d MB; "
                    "%(types)s."
                ) % {"name": PurePath(instance.file.name).name, "size": max_upload_mb(),
                     "types": allowed_types_text()}

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        extension = PurePath(upload.name).suffix.lower().lstrip(".")
        if extension not in ALLOWED_EXTENSIONS:
            raise ValidationError(
                gettext("This type of file is not accepted. Choose one of: %(types)s.")
                % {"types": allowed_types_text()}, code="file_type")
        if upload.size > upload_limit(MAX_UPLOAD_BYTES):
            raise ValidationError(
                gettext("This file is too big (%(size)s MB). The limit is %(limit)d MB: "
                        "compress it, or give a link instead.")
                % {"size": f"{upload.size / 1024 / 1024:.1f}", "limit": max_upload_mb()},
                code="file_size")
        if upload.size == 0:
            raise ValidationError(gettext("This file is empty."), code="file_empty")
        upload.name = get_valid_filename(PurePath(upload.name).name) or f"resource.{extension}"
        return upload

    def clean(self):
        cleaned = super().clean()
        has_file = bool(cleaned.get("file")) or bool(self.instance and self.instance.file)
        if "file" in self.errors:
            return cleaned
        if cleaned.get("file") and cleaned.get("url"):
            self.add_error("url", ValidationError(
                gettext("Give a file or a link, not both."), code="file_and_link"))
        elif not has_file and not cleaned.get("url"):
            self.add_error("file", ValidationError(
                gettext("Choose a file to upload, or give a link."), code="nothing"))
        return cleaned

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        arguments = {"kind": data["kind"], "title": data["title"].strip(),
                     "language": data["language"], "url": data["url"],
                     "is_public": data["is_public"]}
        if data.get("file"):
            arguments["file"] = data["file"]
        return arguments
