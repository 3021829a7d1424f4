"""The upload form of a video-meeting participant report (issue 6, attendance import)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from solidaire.core.filesize import file_size
from solidaire.core.uploads import upload_limit
from solidaire.events.attendance import MAX_BYTES

ACCEPTED_TYPES = ".csv,.txt,text/csv,text/plain,text/tab-separated-values"


class AttendanceUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Participant report"),
        error_messages={
            "required": _("Choose the participant report to upload."),
            "empty": _("This file is empty: there is no participant in it."),
        },
        widget=forms.FileInput(attrs={"accept": ACCEPTED_TYPES}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext(
            "The participant or attendance report (CSV) of Zoom, Microsoft Teams or Google "
            "Meet, as downloaded, of at most %(size)s. Its headers may be in English or French."
        ) % {"size": file_size(upload_limit(MAX_BYTES))}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > upload_limit(MAX_BYTES):
            raise forms.ValidationError(
                gettext("This file is too large: a participant report is at most %(size)s.")
                % {"size": file_size(upload_limit(MAX_BYTES))})
        return upload
