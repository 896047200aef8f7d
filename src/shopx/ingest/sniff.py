"""What a sales file's first bytes say about all of it: its encoding and its delimiter."""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
from itertools import islice

from charset_normalizer import from_bytes

from shopx.ingest.headers import FIELD_BY_NAME, normalize

ENCODINGS = ("utf_16", "utf_16_le", "utf_16_be", "cp1252", "latin_1")
"""The contract's encodings besides UTF-8, as charset-normalizer names them."""
BOMS = (
    (codecs.BOM_UTF8, "utf_8_sig"),
    (codecs.BOM_UTF16_LE, "utf_16"),
    (codecs.BOM_UTF16_BE, "utf_16"),
)
WESTERN = "cp1252"
"""Windows-1252: what the WHATWG encoding standard reads ``latin-1`` as (the same letters,
and €, quotes and dashes where latin-1 has control codes no sales file holds)."""

DELIMITERS = (",", ";", "\t", "|")
SNIFF_RECORDS = 50


def detect_encoding(sample: bytes) -> str | None:
    """The codec to read the file with, or None when no text encoding fits its first bytes.

    In order: a byte-order mark says it; bytes that are valid UTF-8 (and hold no NUL, as
    UTF-16 does) are UTF-8, since legacy 8-bit text almost never forms valid multi-byte
    sequences; otherwise charset-normalizer judges. On a short sample it can rank a far code
    page first (``AAAA€`` in cp1252 reads as cp775), so its first answer among the
    contract's encodings is taken, then its best among those alone, and Western text it only
    places outside them is read as Windows-1252.
    """
    for bom, codec in BOMS:
        if sample.startswith(bom):
            return codec
    cut = sample.rfind(b"\n") + 1 or len(sample)
    sample = sample[: cut - cut % 2] or sample
    if b"\x00" not in sample and _decodes(sample, "utf_8"):
        return "utf_8"
    matches = from_bytes(sample)
    if not matches:
        return None
    match = next((m for m in matches if m.encoding in ENCODINGS), None)
    if match is None:
        match = from_bytes(sample, cp_isolation=list(ENCODINGS)).best()
    encoding = WESTERN if match is None else match.encoding
    if encoding in ("latin_1", WESTERN):
        return WESTERN if _decodes(sample, WESTERN) else "latin_1"
    return encoding


def _decodes(sample: bytes, encoding: str) -> bool:
    try:
        sample.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def detect_delimiter(text: str) -> str:
    """The delimiter that splits the header into the most known names, then the one that
    splits the first records most evenly (quoted delimiters do not count: each candidate
    reads the sample as CSV)."""
    return max(DELIMITERS, key=lambda delimiter: _score(text, delimiter))


def _score(text: str, delimiter: str) -> tuple[int, float, int]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    filled = (fields for fields in reader if any(field.strip() for field in fields))
    records: list[list[str]] = []
    # An unclosed quote ends the reading: judge by the records before it (extend keeps
    # them); the parse says where the quote is.
    with contextlib.suppress(csv.Error):
        records.extend(islice(filled, SNIFF_RECORDS))
    if not records:
        return (0, 0.0, 0)
    header = records[0]
    known = sum(1 for name in header if normalize(name) in FIELD_BY_NAME)
    width = _width(header)
    rows = records[1:]
    even = sum(1 for fields in rows if _width(fields) == width) / len(rows) if rows else 1.0
    return (known, even if width > 1 else 0.0, width)


def _width(fields: list[str]) -> int:
    width = len(fields)
    while width and not fields[width - 1].strip():
        width -= 1
    return width
