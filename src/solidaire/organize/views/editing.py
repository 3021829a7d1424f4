"""What the pages that create and edit organizing objects share."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _


def save_or_slug_error(form, write):
    """Run `write()`; when another organizer took the same address meanwhile (the unique
    index says so), put the error on the form instead. Returns the object or None."""
    try:
        with transaction.atomic():
            return write()
    except IntegrityError:
        form.add_error("slug", _("This address was just taken by someone else. Choose "
                                 "another one."))
        return None
