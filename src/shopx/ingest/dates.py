"""Dates as sales files write them, read into UTC instants.

Forms: ISO (``2024-01-15``, ``2024-01-15 13:45``, ``2024-01-15T13:45:00+02:00``, ``Z``),
numeric with the year last (``15/01/2024``, ``01/15/2024``, also with ``.`` or ``-``, an
optional ``13:45[:00]`` or ``1:45 PM`` after), the year first with slashes (``2024/01/15``),
and English month names (``Jan 15 2024``, ``15 Jan 2024``, ``January 15, 2024``).

A date without a time is the start of that day in the business time zone; a time without
an offset is a wall-clock time in that zone (a time skipped by a daylight-saving change is
read with the offset in force before it, a repeated one as its first occurrence); a time
with an offset is that instant. Whether ``01/02/2024`` is the 1st of February or the 2nd of
January is the file's date order (:data:`DMY` or :data:`MDY`), settled by the parser.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Literal
from zoneinfo import ZoneInfo

from shopx.bounds import MAX_DATE, MIN_DATE
from shopx.calendar import local_midnight

DateOrder = Literal["DMY", "MDY"]
DMY: DateOrder = "DMY"
MDY: DateOrder = "MDY"
AMBIGUOUS = "?"

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
FIRST_YEAR, LAST_YEAR = MIN_DATE.year, min(MAX_DATE.year, 2100)
"""The years an order may be dated in (:mod:`shopx.bounds` is what any input may name)."""
NUMERIC_SEPARATORS = "/.-"
CACHE_LIMIT = 1 << 14
MAX_TEXT = 64
"""The longest value read as a date (``September 15, 2024 11:45:00 PM`` is half that)."""
NAIVE_EPOCH = datetime(1970, 1, 1)
UTC_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class DateError(Exception):
    """Why a value is not a date; the message is the row error's reason."""


def order_vote(text: str) -> str | None:
    """What a numeric year-last date says of the file's order: :data:`DMY`, :data:`MDY`,
    :data:`AMBIGUOUS` (both readings are different valid dates), or None (not such a date, or
    one that reads the same either way)."""
    parts = _numeric_parts(text.split(" ", 1)[0])
    if parts is None:
        return None
    first, second, _ = parts
    if first > 12 >= second >= 1:
        return DMY
    if second > 12 >= first >= 1:
        return MDY
    if 1 <= first <= 12 and 1 <= second <= 12 and first != second:
        return AMBIGUOUS
    return None


class DateReader:
    """Reads one file's dates: ``reader(text)`` is the UTC instant, or raises DateError."""

    def __init__(self, tz: ZoneInfo, order: DateOrder | None) -> None:
        self.tz = tz
        self.order = order
        self._days: dict[str, datetime] = {}
        self._offsets: dict[object, datetime] = {}
        """Per hour: the naive instant whose offset from a wall time gives its UTC time."""

    def __call__(self, text: str) -> datetime:
        cached = self._days.get(text)
        if cached is not None:
            return cached
        if len(text) > MAX_TEXT:
            raise DateError(f"not a date (longer than {MAX_TEXT} characters)")
        if not text.isascii() and any(char.isdigit() and not char.isascii() for char in text):
            # int() reads other scripts' digits, and fails on the "²" str.isdigit() accepts.
            raise DateError("not a date (digits other than 0-9)")
        if len(text) == 10 and text[4] == "-" and text[7] == "-":
            moment = self._midnight(_iso_day(text))
            self._remember(text, moment)
            return moment
        if text[:4].isdigit() and text[4:5] in ("-", "/"):
            return self._iso(text)
        if text[:1].isdigit() and text[1:3].strip("0123456789")[:1] in NUMERIC_SEPARATORS:
            return self._numeric(text)
        return self._named(text)

    def _remember(self, text: str, moment: datetime) -> None:
        if len(self._days) >= CACHE_LIMIT:
            self._days.clear()
        self._days[text] = moment

    def _midnight(self, day: date) -> datetime:
        _check_year(day.year)
        return local_midnight(day, self.tz)

    def _local(self, day: date, clock: time) -> datetime:
        _check_year(day.year)
        return self._wall(datetime.combine(day, clock), (day.toordinal(), clock.hour))

    def _wall(self, naive: datetime, hour_key: object) -> datetime:
        """The UTC instant of a wall-clock time in the business zone.

        An hour's offset is kept when it holds from its first to its last microsecond (every
        hour but the few a change of offset cuts), so most rows skip the zone's rules."""
        base = self._offsets.get(hour_key)
        if base is None:
            hour = naive.replace(minute=0, second=0, microsecond=0)
            offset = hour.replace(tzinfo=self.tz).utcoffset()
            last = hour.replace(minute=59, second=59, microsecond=999_999, tzinfo=self.tz)
            if offset is None or offset != last.utcoffset():
                return naive.replace(tzinfo=self.tz).astimezone(UTC)
            if len(self._offsets) >= CACHE_LIMIT:
                self._offsets.clear()
            base = self._offsets[hour_key] = NAIVE_EPOCH + offset
        # Arithmetic rather than .replace(tzinfo=UTC), several times slower in CPython 3.11.
        return UTC_EPOCH + (naive - base)

    def _iso(self, text: str) -> datetime:
        try:
            moment = datetime.fromisoformat(text if text[4] == "-" else text.replace("/", "-", 2))
        except ValueError:
            return self._year_first(text)
        _check_year(moment.year)
        if moment.tzinfo is not None:
            return moment.astimezone(UTC)
        if len(text) <= 10:
            return self._midnight(moment.date())
        return self._wall(moment, text[:13])

    def _year_first(self, text: str) -> datetime:
        """``2024-1-5``, ``2024/1/5 9:30``: ISO's order without its zero padding."""
        head, _, clock_text = text.partition(" ")
        pieces = head.replace("/", "-").split("-")
        if len(pieces) != 3 or not all(piece.isdigit() and len(piece) <= 2 for piece in pieces[1:]):
            raise DateError("not a date")
        try:
            calendar_day = date(int(pieces[0]), int(pieces[1]), int(pieces[2]))
        except ValueError:
            raise DateError("not a valid date") from None
        if not clock_text:
            return self._midnight(calendar_day)
        return self._local(calendar_day, _clock(clock_text))

    def _numeric(self, text: str) -> datetime:
        head, _, clock_text = text.partition(" ")
        parts = _numeric_parts(head)
        if parts is None:
            return self._named(text.replace("-", " "))
        first, second, year = parts
        if self.order is None:
            if first > 12 or second > 12 or first == second:
                day, month = (first, second) if first > 12 or first == second else (second, first)
            else:
                raise DateError("ambiguous day and month (give the file's date order)")
        elif self.order == DMY:
            day, month = first, second
        else:
            month, day = first, second
        try:
            calendar_day = date(year, month, day)
        except ValueError:
            written = "day first" if self.order == DMY else "month first"
            raise DateError(f"not a valid date with the {written}") from None
        if not clock_text:
            moment = self._midnight(calendar_day)
            self._remember(text, moment)
            return moment
        return self._local(calendar_day, _clock(clock_text))

    def _named(self, text: str) -> datetime:
        tokens = text.replace(",", " ").split()
        clock = None
        if len(tokens) > 3 and ":" in tokens[3]:
            clock = _clock(" ".join(tokens[3:]))
            tokens = tokens[:3]
        if len(tokens) != 3:
            raise DateError("not a date")
        month_at = next((i for i, token in enumerate(tokens) if token.isalpha()), None)
        if month_at not in (0, 1):
            raise DateError("not a date")
        month = MONTHS.get(tokens[month_at].lower().rstrip("."))
        day_text = tokens[1 - month_at]
        if month is None or not _is_day(day_text) or not _is_year(tokens[2]):
            raise DateError("not a date")
        try:
            calendar_day = date(int(tokens[2]), month, int(day_text))
        except ValueError:
            raise DateError("not a valid date") from None
        if clock is None:
            moment = self._midnight(calendar_day)
            self._remember(text, moment)
            return moment
        return self._local(calendar_day, clock)


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise DateError(f"year {year} is out of range ({FIRST_YEAR} to {LAST_YEAR})")


def _iso_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise DateError("not a valid date") from None


def _is_year(text: str) -> bool:
    return len(text) == 4 and text.isdigit() and text.isascii()


def _is_day(text: str) -> bool:
    return 0 < len(text) <= 2 and text.isdigit() and text.isascii()


def _numeric_parts(head: str) -> tuple[int, int, int] | None:
    """``(first, second, year)`` of ``d/m/yyyy``-like text, else None."""
    separator = next((char for char in head if not char.isdigit()), None)
    if separator is None or separator not in NUMERIC_SEPARATORS:
        return None
    pieces = head.split(separator)
    if len(pieces) != 3:
        return None
    first, second, year = pieces
    if not (0 < len(first) <= 2 and 0 < len(second) <= 2 and _is_year(year)) or not (
        first.isdigit() and second.isdigit()
    ):
        return None
    return int(first), int(second), int(year)


def _clock(text: str) -> time:
    """``13:45``, ``13:45:00``, ``1:45 PM``."""
    words = text.split()
    meridiem = words[-1].upper() if len(words) == 2 else None
    if len(words) > 2 or (meridiem is not None and meridiem not in ("AM", "PM")):
        raise DateError("not a valid time")
    hours, _, rest = words[0].partition(":")
    if not rest or not hours.isdigit():
        raise DateError("not a valid time")
    try:
        clock = time.fromisoformat(f"{int(hours):02d}:{rest}")
    except ValueError:
        raise DateError("not a valid time") from None
    if meridiem is None:
        return clock
    if not 1 <= clock.hour <= 12:
        raise DateError("not a valid time")
    hour = clock.hour % 12 + (12 if meridiem == "PM" else 0)
    return clock.replace(hour=hour)
