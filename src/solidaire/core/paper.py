"""What every printable paper sheet has in common (decision 0020).

Petition signature sheets and event sign-in sheets both print a number of blank rows
chosen with `?rows=`, and a "Sheet no." label at the foot of each page, which goes
into the print CSS as a string.
"""

from __future__ import annotations

SHEET_ROWS_DEFAULT = 20
SHEET_ROWS_MIN = 10
SHEET_ROWS_MAX = 30


def sheet_rows(value, *, default: int = SHEET_ROWS_DEFAULT, low: int = SHEET_ROWS_MIN,
               high: int = SHEET_ROWS_MAX) -> int:
    """The number of rows asked for, within bounds; the default when unreadable."""
    try:
        rows = int(value)
    except (TypeError, ValueError):
        return default
    return max(low, min(high, rows))


def css_string(text: str) -> str:
    """Text safe inside a double-quoted CSS string in a <style> element."""
    return "".join(ch if ch.isalnum() or ch in " .,:;-" else f"\\{ord(ch):x} " for ch in text)


def short_url(url: str) -> str:
    """An address as printed under a QR code: without its scheme, shorter to type."""
    return url.split("://", 1)[-1].rstrip("/")
