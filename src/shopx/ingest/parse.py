"""Streaming parse of a sales file (an upload, a CLI argument, a Google Sheets export) into
batches of :class:`SaleRow` and :class:`RowError`.

:func:`parse_sales` settles everything that depends on the file before the first row is
handed out, so that a file-level problem (no text, no header, a missing required column,
dates whose order the file never shows) is a :class:`ParseError` before anything is
imported:

1. the first MiB gives the encoding (charset-normalizer, BOMs included) and the delimiter;
2. a first pass reads the date and amount columns of the first :data:`VOTE_RECORDS`
   records: the date order (day or month first) and the decimal separator are those most
   of their unambiguous values show. When the file has ambiguous values (``01/02/2024``,
   ``1.234``) and no unambiguous one there, the pass goes on until one settles it, to the
   end of the file if need be. Dates that still have no order make the file ask for
   ``date_order``; amounts that never show their decimal separator read ``1,234`` and
   ``1.234`` as thousands (three decimals cannot be cents).
3. :meth:`ParsedFile.batches` then streams the file once more, record by record, in memory
   bounded by the batch size. A row written against the file's settled order
   (``13/25/2024`` in a day-first file) is a row error: the file's majority decides.

Line numbers are physical lines, 1 being the header's first; a record whose quoted values
hold line breaks is reported at the line it starts on. Blank lines (and lines of empty
values) are skipped; trailing empty columns are ignored.
"""

from __future__ import annotations

import csv
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO
from zoneinfo import ZoneInfo

from shopx.ingest.amounts import decimal_vote
from shopx.ingest.dates import AMBIGUOUS, DMY, MDY, DateOrder, DateReader, order_vote
from shopx.ingest.fields import RecordReader
from shopx.ingest.headers import map_header
from shopx.ingest.rows import RowError, SaleRow
from shopx.ingest.sniff import detect_delimiter, detect_encoding
from shopx.ingest.source import MAX_LINE, LineTooLong, ParseError, Progress, Source, lines

__all__ = ["Batch", "FileSettings", "ParseCounts", "ParseError", "ParsedFile", "parse_sales"]

SAMPLE_BYTES = 1 << 20
VOTE_RECORDS = 20_000
BATCH_ROWS = 5_000
NUL_TOLERANCE = 16
"""NUL characters the first MiB may hold before the file is taken for binary (fewer are row
errors where they stand)."""
DATE_ORDERS = (DMY, MDY)


@dataclass(frozen=True, slots=True)
class FileSettings:
    """What the parser settled about a file."""

    encoding: str
    """The Python codec name (``utf_8_sig`` for UTF-8 with a BOM)."""
    delimiter: str
    date_order: DateOrder | None
    """None when the file has no date whose order matters."""
    decimal_separator: str | None
    """``"."`` or ``","``; None when no amount shows it."""
    columns: dict[str, str]
    """The contract's field -> the header name the file gives it."""
    ignored_columns: tuple[str, ...]
    size: int
    """In bytes."""


@dataclass(slots=True)
class ParseCounts:
    """Records read (blank lines aside) = good + bad, as far as the batches went."""

    read: int = 0
    good: int = 0
    bad: int = 0


@dataclass(frozen=True, slots=True)
class Batch:
    """Consecutive records of the file: the good ones as rows, the bad ones as errors (a bad
    record may have several)."""

    rows: list[SaleRow]
    errors: list[RowError]
    bytes_read: int


@dataclass(slots=True)
class _Votes:
    dates: Counter[str] = field(default_factory=Counter)
    decimals: Counter[str] = field(default_factory=Counter)
    ambiguous_date: str = ""
    records: int = 0

    def date_order(self) -> DateOrder | None:
        return _majority(self.dates, DATE_ORDERS)

    def decimal(self) -> str | None:
        return _majority(self.decimals, (".", ","))

    def settled(self) -> bool:
        dates_ok = not self.dates[AMBIGUOUS] or self.date_order() is not None
        return dates_ok and (not self.decimals[AMBIGUOUS] or self.decimal() is not None)


class ParsedFile:
    """An open sales file with its settings; :meth:`batches` reads its rows once."""

    def __init__(
        self,
        source: Source,
        settings: FileSettings,
        reader: RecordReader,
        *,
        tz: ZoneInfo,
        date_order: DateOrder | None,
        progress: Progress | None,
        batch_rows: int,
    ) -> None:
        self.settings = settings
        self.counts = ParseCounts()
        self._source = source
        self._reader = reader
        self._progress = progress
        self.batch_rows = batch_rows
        self._started = False
        self.tz = tz
        self.date_order = date_order
        """The date order it was opened with (None: the file's own, settled from its dates)."""
        self.path = source.path
        """The file's path when it was opened by one (None for a stream)."""
        self.parser_peak_rss_mib: float | None = None
        """The peak memory (MiB) of the process that parsed it, when that was another one."""

    def progress(self, done: int) -> None:
        """Report ``done`` bytes of the file read (for a parse run elsewhere)."""
        if self._progress is not None:
            self._progress(done, self.settings.size)

    def batches(self) -> Iterator[Batch]:
        """The file's records in order, ``batch_rows`` records a batch (the last one short);
        :attr:`counts` follows along, and the file is closed at the end.

        A line over 1 MiB or an unclosed quote past what the first pass read raises
        :class:`ParseError` here, after the batches before it."""
        if self._started:
            raise RuntimeError("a parsed file's batches are read once")
        self._started = True
        text = self._source.text(self.settings.encoding, self._progress)
        counts, read, width = self.counts, self._reader.read, self._reader.width
        rows: list[SaleRow] = []
        errors: list[RowError] = []
        in_batch = 0
        try:
            records = _records(lines(text), self.settings.delimiter)
            next(records)  # the header
            for line, fields in records:
                if len(fields) <= width or _width_ok(fields, width):
                    result = read(line, fields)
                else:
                    result = _width_errors(line, fields, width)
                counts.read += 1
                if type(result) is SaleRow:
                    counts.good += 1
                    rows.append(result)
                else:
                    counts.bad += 1
                    errors.extend(result)
                in_batch += 1
                if in_batch == self.batch_rows:
                    yield Batch(rows, errors, text.buffer.raw.done)
                    rows, errors, in_batch = [], [], 0
            if in_batch:
                yield Batch(rows, errors, text.buffer.raw.done)
        finally:
            text.close()
            self.close()

    def close(self) -> None:
        self._source.close()

    def __enter__(self) -> ParsedFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def parse_sales(
    source: str | os.PathLike[str] | BinaryIO,
    *,
    tz: ZoneInfo,
    date_order: DateOrder | None = None,
    progress: Progress | None = None,
    batch_rows: int = BATCH_ROWS,
) -> ParsedFile:
    """Open a sales file and settle its settings; raises :class:`ParseError` when the file
    cannot be imported at all. ``date_order`` ("DMY" or "MDY") overrides the file's own;
    ``progress(bytes_read, size)`` is called as :meth:`ParsedFile.batches` reads."""
    if date_order is not None:
        if date_order.upper() not in DATE_ORDERS:
            raise ParseError(f"the date order is DMY or MDY, not {date_order!r}")
        date_order = DMY if date_order.upper() == DMY else MDY
    opened = Source(source)
    try:
        settings, reader = _settle(opened, tz, date_order)
    except BaseException:
        opened.close()
        raise
    return ParsedFile(
        opened,
        settings,
        reader,
        tz=tz,
        date_order=date_order,
        progress=progress,
        batch_rows=batch_rows,
    )


def _settle(
    source: Source, tz: ZoneInfo, date_order: DateOrder | None
) -> tuple[FileSettings, RecordReader]:
    sample = source.head(SAMPLE_BYTES)
    if not sample.strip(b"\r\n\t "):
        raise ParseError("the file is empty")
    encoding = detect_encoding(sample)
    if encoding is None:
        raise ParseError("this is not a text file (no text encoding fits its first bytes)")
    sample_text = sample.decode(encoding, errors="replace")
    first_line = sample_text.lstrip("\r\n").split("\n", 1)[0]
    if "\x00" in first_line or sample_text.count("\x00") > max(
        NUL_TOLERANCE, len(sample_text) // 100
    ):
        raise ParseError("this is not a CSV file (it is full of NUL characters)")
    delimiter = detect_delimiter(sample_text)

    text = source.text(encoding)
    try:
        records = _records(lines(text), delimiter)
        _line, header = next(records, (0, None))
        if header is None:
            raise ParseError("the file has no header line")
        columns, ignored = map_header(header)
        votes = _vote(records, columns, done=date_order is not None)
    finally:
        text.close()
    if not votes.records:
        raise ParseError("the file has a header line but no rows")
    if date_order is None:
        date_order = votes.date_order()
        if votes.dates[AMBIGUOUS] and date_order is None:
            shown = (
                f"as many dates show the day first as the month first ({votes.dates[DMY]})"
                if votes.dates[DMY]
                else "the dates never show whether the day or the month comes first"
            )
            raise ParseError(
                f"{shown}, and some could be either (like {votes.ambiguous_date}); "
                "give the date order, DMY or MDY",
                detail={"needs": "date_order"},
            )
    decimal = votes.decimal()
    settings = FileSettings(
        encoding=encoding,
        delimiter=delimiter,
        date_order=date_order,
        decimal_separator=decimal,
        columns={name: header[index].strip() for name, index in columns.items()},
        ignored_columns=ignored,
        size=source.size,
    )
    width = len(header)
    while width and not header[width - 1].strip():
        width -= 1
    reader = RecordReader(
        columns, width=width, read_date=DateReader(tz, date_order), decimal=decimal
    )
    return settings, reader


def _vote(
    records: Iterator[tuple[int, list[str]]], columns: dict[str, int], *, done: bool
) -> _Votes:
    """Votes of the first :data:`VOTE_RECORDS` records, then of as many more as it takes to
    settle what they left ambiguous."""
    votes = _Votes()
    date_at, amount_at = columns["date"], columns["amount"]
    money_at = [amount_at] + ([columns["unit_price"]] if "unit_price" in columns else [])
    for count, (_line, fields) in enumerate(records):
        if count >= VOTE_RECORDS and votes.settled():
            break
        votes.records += 1
        if len(fields) > date_at and not done:
            text = fields[date_at].strip()
            vote = order_vote(text)
            if vote is not None:
                votes.dates[vote] += 1
                if vote == AMBIGUOUS and not votes.ambiguous_date:
                    votes.ambiguous_date = text
        for index in money_at:
            if len(fields) > index and ("." in fields[index] or "," in fields[index]):
                votes.decimals[decimal_vote(fields[index].strip()) or AMBIGUOUS] += 1
    return votes


def _majority(votes: Counter[str], choices: tuple[str, str]) -> str | None:
    first, second = votes[choices[0]], votes[choices[1]]
    if first == second:
        return None
    return choices[0] if first > second else choices[1]


def _records(source: Iterator[str], delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """``(physical line where it starts, fields)`` of each non-blank record."""
    reader = csv.reader(source, delimiter=delimiter)
    previous = 0
    try:
        for fields in reader:
            start = previous + 1
            previous = reader.line_num
            if fields and (fields[0].strip() or any(value.strip() for value in fields)):
                yield start, fields
    except LineTooLong:
        raise ParseError(
            f"line {reader.line_num + 1} is longer than {MAX_LINE} characters: "
            "this does not look like a sales file"
        ) from None
    except csv.Error as error:
        raise ParseError(
            f"line {previous + 1}: {error} (an unclosed quote makes the rest of the file one value)"
        ) from None


def _width_ok(fields: list[str], width: int) -> bool:
    return not any(value.strip() for value in fields[width:])


def _width_errors(line: int, fields: list[str], width: int) -> list[RowError]:
    return [
        RowError(
            line=line,
            column=None,
            value=None,
            reason=f"{len(fields)} values for {width} columns (an unquoted delimiter?)",
        )
    ]
