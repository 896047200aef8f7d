"""Money and counts as sales files write them, read exactly into integer cents.

A file writes its decimals with a dot (``1,234.56``) or a comma (``1.234,56``, ``1 234,56``);
:func:`decimal_vote` says which one a value shows unambiguously, and the parser settles the
file's style from those votes before reading any row. A value whose only separator is
followed by exactly three digits (``1,234``, ``1.234``) shows nothing: read as a decimal it
would have three places, which a cent amount cannot have, so in a file that never shows its
style it is read as a thousands separator.
"""

from __future__ import annotations

import re

from shopx.bounds import MAX_CENTS, MAX_QUANTITY

CURRENCY_SYMBOLS = "$€£¥"
GROUPING = " \u00a0\u202f'"
"""Thousands separators besides the file's other punctuation: spaces (plain, no-break,
narrow no-break) and the Swiss apostrophe."""
MINUS_SIGNS = "-\u2212"
MAX_TEXT = 64
"""The longest value read as a number: the largest amount, grouped, signed and with its
currency, is half that; ``int()`` of thousands of digits is refused (or slow)."""
COMMON = {
    ".": re.compile(r"[$€£¥]?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?", re.ASCII),
    ",": re.compile(r"[$€£¥]?(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2}))?", re.ASCII),
}
"""The usual positive amounts (``$1,234.56``; ``1.234,5``), read in one match; the rest goes
the long way. A file that never shows its separator reads them as a dot file does: the
thousands it can show are the same either way."""


class AmountError(Exception):
    """Why a value is not an amount; the message is the row error's reason."""


def decimal_vote(text: str) -> str | None:
    """The decimal separator ``text`` shows beyond doubt (``"."`` or ``","``), else None."""
    dots, commas = text.count("."), text.count(",")
    if dots and commas:
        return "." if text.rfind(".") > text.rfind(",") else ","
    if not dots and not commas:
        return None
    mark = "." if dots else ","
    if dots + commas > 1:
        return "," if mark == "." else "."
    digits_after = len(text) - text.index(mark) - 1
    if digits_after == 3 and text[-1].isdigit():
        return None
    return mark


def to_cents(text: str, decimal: str | None) -> int:
    """``text`` (a trimmed, non-empty value) in cents, negative if the file says so.

    Accepts a currency symbol or a three-letter code before or after the number, a leading
    or trailing minus, parentheses for a negative, and thousands separators in their places.
    More than two decimals is an error unless the extra ones are zeros, and so is an amount
    past ``MAX_CENTS`` (the bound every input is held to) or digits of another script.
    """
    _check_text(text, "an amount")
    cents = _cents(text, decimal)
    if abs(cents) > MAX_CENTS:
        raise AmountError(f"more than {MAX_CENTS // 100:,}, the largest amount")
    return cents


def _cents(text: str, decimal: str | None) -> int:
    if text.isdigit():
        return int(text) * 100
    integer, mark, fraction = text.partition(decimal or ".")
    if mark and len(fraction) == 2 and integer.isdigit() and fraction.isdigit():
        return int(integer) * 100 + int(fraction)
    common = COMMON[decimal or "."].fullmatch(text)
    if common is not None:
        integer, fraction = common.groups("")
        if not integer.isdigit():
            integer = integer.replace("," if decimal != "," else ".", "")
        return int(integer) * 100 + int(fraction.ljust(2, "0"))
    body, negative = _strip_sign_and_currency(text)
    integer, fraction = _split_number(body, decimal)
    if len(fraction) > 2:
        if fraction[2:].strip("0"):
            raise AmountError("more than two decimals")
        fraction = fraction[:2]
    cents = int(integer or "0") * 100 + int(fraction.ljust(2, "0"))
    return -cents if negative else cents


def to_quantity(text: str, decimal: str | None) -> int:
    """A positive whole count up to ``MAX_QUANTITY``; ``2.0`` is 2, ``2.5`` and ``0`` are
    errors."""
    _check_text(text, "a quantity")
    if text.isdigit():
        value = int(text)
    else:
        body, negative = _strip_sign(text)
        integer, fraction = _split_number(body, decimal)
        if fraction.strip("0"):
            raise AmountError("not a whole number")
        value = -int(integer or "0") if negative else int(integer or "0")
    if value < 1:
        raise AmountError("must be at least 1")
    if value > MAX_QUANTITY:
        raise AmountError(f"more than {MAX_QUANTITY:,}, the largest quantity")
    return value


def _check_text(text: str, what: str) -> None:
    """Refuses what ``int()`` must not see: thousands of digits, and the digits of other
    scripts (``int()`` reads Arabic-Indic digits, ``str.isdigit()`` says yes to "²")."""
    if len(text) > MAX_TEXT:
        raise AmountError(f"not {what} (longer than {MAX_TEXT} characters)")
    if not text.isascii() and any(char.isdigit() and not char.isascii() for char in text):
        raise AmountError("not a number (digits other than 0-9)")


def _strip_sign(text: str) -> tuple[str, bool]:
    body = text
    negative = False
    if body[0] == "(" and body[-1] == ")":
        negative, body = True, body[1:-1].strip()
    if body[:1] in MINUS_SIGNS and body:
        negative, body = not negative, body[1:].lstrip()
    elif body[:1] == "+":
        body = body[1:].lstrip()
    elif body[-1:] in MINUS_SIGNS and body:
        negative, body = not negative, body[:-1].rstrip()
    return body, negative


def _strip_sign_and_currency(text: str) -> tuple[str, bool]:
    body, negative = _strip_sign(text)
    body, currency = _strip_currency(body)
    if currency:
        # "$-5.00", "-5.00 €", "USD (5.00)"
        body, inner_negative = _strip_sign(body) if body else (body, False)
        negative ^= inner_negative
    return body, negative


def _strip_currency(body: str) -> tuple[str, bool]:
    found = False
    if body[:1] and body[0] in CURRENCY_SYMBOLS:
        body, found = body[1:].lstrip(), True
    elif body[-1:] and body[-1] in CURRENCY_SYMBOLS:
        body, found = body[:-1].rstrip(), True
    if len(body) > 3 and body[:3].isalpha() and body[:3].isascii():
        body, found = body[3:].lstrip(), True
    elif len(body) > 3 and body[-3:].isalpha() and body[-3:].isascii():
        body, found = body[:-3].rstrip(), True
    return body, found


def _split_number(body: str, decimal: str | None) -> tuple[str, str]:
    """The integer digits and the decimal digits of ``body``, thousands separators checked."""
    if not body:
        raise AmountError("no number")
    mark = decimal or decimal_vote(body) or ""
    if mark:
        integer, _, fraction = body.rpartition(mark) if mark in body else (body, "", "")
    else:
        integer, fraction = body, ""
    if fraction and not fraction.isdigit():
        raise AmountError("not a number")
    grouping = ("," if mark == "." else ".") + GROUPING if mark else ".," + GROUPING
    if integer.isdigit() or (not integer and fraction):
        return integer, fraction
    return _ungroup(integer, grouping), fraction


def _ungroup(integer: str, grouping: str) -> str:
    separator = next((char for char in integer if char in grouping), None)
    if separator is None:
        raise AmountError("not a number")
    groups = integer.split(separator)
    head, tail = groups[0], groups[1:]
    if not (head.isdigit() and len(head) <= 3) or not all(
        len(group) == 3 and group.isdigit() for group in tail
    ):
        raise AmountError("misplaced thousands separator")
    return "".join(groups)
