"""The search fold: a text without accents, in lower case (decision 0063).

On PostgreSQL the SQL function `solidaire_fold` wraps the `unaccent` extension (migration
0016); on SQLite the same name is this module's `search_fold`, registered on every new
connection. The people search compares both sides through it, so "chavez", "CHAVEZ" and
"chávez" all find "Chávez".
"""

from __future__ import annotations

import unicodedata

# Letters that carry no combining mark to strip but that `unaccent` still spells in
# plain Latin letters; mapped the same way here so both databases agree.
_LETTERS = {
    "œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "đ": "d", "ð": "d", "ł": "l",
    "ħ": "h", "þ": "th", "ı": "i", "ŀ": "l", "ŧ": "t",
}


def _fold_slowly(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(_LETTERS.get(ch, ch) for ch in decomposed if not unicodedata.combining(ch))


# SQLite calls the fold once per person on every search: one table lookup per letter
# (every accented Latin letter, Vietnamese included, and the bare combining marks)
# is several times faster than decomposing each name.
_TABLE = str.maketrans({
    chr(cp): _fold_slowly(chr(cp)) for cp in range(0x80, 0x2000)
    if _fold_slowly(chr(cp)) != chr(cp).lower()
})


def search_fold(text: str | None) -> str | None:
    """`text` in lower case without accents; None stays None, as in SQL."""
    if text is None:
        return None
    if text.isascii():
        return text.lower()
    return text.lower().translate(_TABLE)


def register_sqlite_fold(sender, connection, **kwargs) -> None:
    """Give each new SQLite connection the `solidaire_fold` SQL function."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "solidaire_fold", 1, search_fold, deterministic=True,
        )
