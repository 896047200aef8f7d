"""What stored text may hold: one policy for the API's inputs and the importer's rows.

Text is NFC-normalized (a composed and a decomposed "é" are one value) and refused if it
holds control, invisible formatting or private-use characters, which PostgreSQL cannot
store (NUL) or which no name, SKU or address legitimately contains: a right-to-left
override or a zero-width space makes one name look like another.
"""

from __future__ import annotations

import re
import unicodedata

from shopx.errors import BadInput

MULTILINE = "\t\n\r"
"""The control characters a multi-line text (a description, a spreadsheet cell) may hold."""

REFUSED = {
    "Cc": "control characters",
    "Cs": "control characters",
    "Cf": "invisible formatting characters",
    "Co": "private-use characters",
}
"""Unicode categories no stored text holds, and how the refusal names them."""

JOINERS = "\u200c\u200d"
BLACK_FLAG = "\U0001f3f4"
EMOJI_TAGS = frozenset(map(chr, range(0xE0020, 0xE0080)))
ASCII_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
"""The refused characters of ASCII text: the fast path for the common case (an import
checks millions of values)."""


def refusal(value: str, *, allow: str = "") -> str | None:
    """Why ``value`` may not be stored (what it holds and where), or None.

    Refused: control characters not in ``allow``; lone surrogates (Cs: they cannot be
    encoded); invisible formatting (Cf), except the joiners and emoji tags in
    :func:`_visible_use`; private use (Co: it means nothing outside one vendor's font).
    Unassigned code points (Cn) pass: Python's Unicode data lags the devices that type
    newer emoji.
    """
    if value.isascii():
        if ASCII_CONTROL.search(value) is None:
            return None
        for found in ASCII_CONTROL.finditer(value):
            if found.group() not in allow:
                return _named("control characters", found.group(), found.start())
        return None
    for position, char in enumerate(value):
        what = REFUSED.get(unicodedata.category(char))
        if what and char not in allow and not _visible_use(value, position):
            return _named(what, char, position)
    return None


def composed(value: str) -> str:
    """``value`` in NFC."""
    return value if value.isascii() else unicodedata.normalize("NFC", value)


def clean(value: str, label: str, *, allow: str = "") -> str:
    """``value`` in NFC, or BAD_USER_INPUT naming ``label`` if :func:`refusal` refuses it."""
    reason = refusal(value, allow=allow)
    if reason is not None:
        raise BadInput(f"{label} must not contain {reason}")
    return composed(value)


def _named(what: str, char: str, position: int) -> str:
    return f"{what} (U+{ord(char):04X} at position {position})"


def _visible_use(value: str, position: int) -> bool:
    """Formatting characters that shape visible text: ZWNJ and ZWJ (Persian and Indic
    spelling, emoji sequences), and the tags of an emoji tag sequence (the flag of England
    is U+1F3F4 followed by tag letters)."""
    char = value[position]
    if char in JOINERS:
        return True
    previous = value[position - 1] if position else ""
    return char in EMOJI_TAGS and (previous == BLACK_FLAG or previous in EMOJI_TAGS)
