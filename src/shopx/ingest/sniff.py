"""What a sales file's first bytes say about all of it: its encoding and its delimiter."""

from __future__ import annotations

import csv
import io
from itertools import islice

from charset_normalizer import from_bytes

from shopx.ingest.headers import FIELD_BY_NAME, normalize

ENCODINGS = ["utf_8", "utf_16", "utf_16_le", "utf_16_be", "cp1252", "latin_1"]
"""What charset-normalizer may answer: the contract's encodings (UTF-16 read from its BOM,
or recognised without one)."""
DELIMITERS = (",", ";", "\t", "|")
SNIFF_RECORDS = 50


def detect_encoding(sample: bytes) -> str | None:
    """The codec to read the file with (BOM-aware), or None when no text encoding fits."""
    cut = sample.rfind(b"\n") + 1 or len(sample)
    match = from_bytes(sample[: cut - cut % 2] or sample, cp_isolation=ENCODINGS).best()
    if match is None:
        return None
    if match.encoding == "utf_8" and match.bom:
        return "utf_8_sig"
    if match.encoding == "ascii":
        return "utf_8"
    return match.encoding


def detect_delimiter(text: str) -> str:
    """The delimiter that splits the header into the most known names, then the one that
    splits the first records most evenly (quoted delimiters do not count: each candidate
    reads the sample as CSV)."""
    return max(DELIMITERS, key=lambda delimiter: _score(text, delimiter))


def _score(text: str, delimiter: str) -> tuple[int, float, int]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    filled = (fields for fields in reader if any(field.strip() for field in fields))
    try:
        records = list(islice(filled, SNIFF_RECORDS))
    except csv.Error:
        return (-1, 0.0, 0)
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
