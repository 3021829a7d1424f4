"""File sizes as people read them: « 512 Mo », « 1,5 Go », "512 MB".

Django's filesizeformat writes "512.0 MB", which its French catalogue turns into
« 512,0 Mio »: a binary unit no Québec reader uses, and a useless ",0". Sizes
here keep the 1024 steps the limits are set in (so a 512 MiB limit reads as
512) but use the everyday units, ko/Mo/Go in French, and drop a zero decimal.
"""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

_STEP = 1024


def file_size(size: int | float) -> str:
    size = max(0, float(size or 0))
    if size < _STEP:
        count = int(size)
        return ngettext("%(size)s byte", "%(size)s bytes", count) % {"size": count}
    units = (gettext("%(size)s KB"), gettext("%(size)s MB"), gettext("%(size)s GB"),
             gettext("%(size)s TB"))
    for unit in units:
        size /= _STEP
        if size < _STEP or unit is units[-1]:
            break
    rounded = round(size, 1)
    shown = number_format(rounded, decimal_pos=0 if rounded == int(rounded) else 1)
    return unit % {"size": shown}
