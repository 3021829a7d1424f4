"""What every upload shares: the size past which a file is not kept, and the number of
uploads an account may send in an hour (decision 0040).

- `UploadSizeCapHandler` (first of FILE_UPLOAD_HANDLERS) stops keeping a file past
  UPLOAD_MAX_BYTES. Django would otherwise write the whole body to a temporary file
  before any view could say "too large"; past the cap the rest is read and dropped
  (the proxy in front limits the body itself), and the form receives an empty
  stand-in that knows the real size, which every upload form refuses by its size.
- `upload_limit(own)` is the smaller of a form's own limit and UPLOAD_MAX_BYTES.
- `upload_quota_spent(request)` counts an upload against its account's hourly quota
  (django-ratelimit, in the shared cache) and says when the quota is spent.

The files themselves are read by `solidaire.core.tabular`, the one reader
of every upload that holds rows.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.utils.formats import number_format
from django.utils.translation import gettext
from django_ratelimit.core import is_ratelimited

QUOTA_GROUP = "solidaire.uploads"


def max_upload_bytes() -> int:
    return int(settings.UPLOAD_MAX_BYTES)


def upload_limit(own: int) -> int:
    """A form's size limit, never above what the upload handler keeps."""
    return min(own, max_upload_bytes())


class OversizedUpload(UploadedFile):
    """What the form receives for a file past UPLOAD_MAX_BYTES: its real size, and no
    content. Reading it fails loudly, so that a form that forgot to check the size (the
    admin's) never stores an empty file in its place."""

    def __init__(self, *, name: str | None, content_type: str | None, size: int,
                 charset=None) -> None:
        super().__init__(io.BytesIO(), name=name, content_type=content_type, size=size,
                         charset=charset)

    def _not_kept(self, *args, **kwargs):
        raise ValueError(f"an upload over UPLOAD_MAX_BYTES ({self.size} bytes) was not kept")

    read = chunks = open = __iter__ = _not_kept


class UploadSizeCapHandler(FileUploadHandler):
    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.too_large = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if self.too_large or start + len(raw_data) > max_upload_bytes():
            self.too_large = True
            return None  # the next handlers never see it: nothing more is kept
        return raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if not self.too_large:
            return None  # the next handler returns the file it kept
        return OversizedUpload(name=self.file_name, content_type=self.content_type,
                               size=file_size, charset=self.charset)


def upload_quota_spent(request) -> bool:
    """Count this upload against the account's quota; True when it is over the quota.

    Called once the form is valid and before the file is read, so a refused file costs
    nothing but its transfer.
    """
    per_hour = int(getattr(settings, "UPLOADS_PER_HOUR", 0))
    if not per_hour:
        return False
    return is_ratelimited(request, group=QUOTA_GROUP, key="user", rate=f"{per_hour}/h",
                          method="POST", increment=True)


def quota_message() -> str:
    count = number_format(int(settings.UPLOADS_PER_HOUR), force_grouping=True)
    return gettext(
        "You have uploaded %(count)s files in the last hour, the most an account may. "
        "Wait a while, then upload this file again.") % {"count": count}
