"""When orders happen: a two-year window shaped by trend, seasons, weekdays and holidays."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np

DAY_SECONDS = 86_400
UNIX_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
WINDOW_DAYS = 730
YEARLY_GROWTH = 0.12

# Monday first: weekends sell most.
WEEKDAY_FACTORS = np.array([0.94, 0.91, 0.93, 0.97, 1.05, 1.17, 1.13])

# Mid-month levels: a slow start of the year, a summer lull, the holiday season.
MONTH_FACTORS = np.array([0.84, 0.86, 0.95, 0.96, 1.0, 0.95, 0.98, 1.0, 0.95, 1.0, 1.22, 1.42])

HOUR_FACTORS = np.array(
    [3, 2, 1.2, 1, 1, 1.5, 3, 5, 6.5, 7, 7.5, 8, 9, 8.5, 7.5, 7, 7, 7.5, 8.5, 10, 10.5, 9, 7, 5]
)
HOUR_EDGES = np.arange(25) * 3600
HOUR_CDF = np.concatenate([[0.0], np.cumsum(HOUR_FACTORS)]) / HOUR_FACTORS.sum()


@dataclass(frozen=True)
class Window:
    """The ``whole_days`` UTC days before ``until``'s day, then that day up to ``until``.

    Orders fall in ``[start, until)``, on whole seconds. Day ``d`` of the window begins
    ``d`` days after ``start``; every day is whole except the last when ``until`` is not
    a midnight.
    """

    until: datetime
    whole_days: int = WINDOW_DAYS

    @property
    def end_epoch(self) -> int:
        """``until`` in whole seconds since the Unix epoch: every order is before it."""
        return (self.until - UNIX_EPOCH) // timedelta(seconds=1)

    @property
    def last_midnight_epoch(self) -> int:
        return self.end_epoch - self.end_epoch % DAY_SECONDS

    @property
    def start_epoch(self) -> int:
        return self.last_midnight_epoch - self.whole_days * DAY_SECONDS

    @property
    def start(self) -> datetime:
        return datetime.fromtimestamp(self.start_epoch, UTC)

    @property
    def days(self) -> int:
        """The whole days and, when ``until`` is not a midnight, the part of its day."""
        return self.whole_days + int(self.end_epoch > self.last_midnight_epoch)

    def seconds_open(self, day: np.ndarray) -> np.ndarray:
        """How many seconds of each day (an index into the window) lie before the end."""
        return np.minimum(DAY_SECONDS, self.end_epoch - self.start_epoch - day * DAY_SECONDS)

    def dates(self) -> list[date]:
        first = self.start.date()
        return [first + timedelta(days=offset) for offset in range(self.days)]


def holiday_factors(days: list[date]) -> np.ndarray:
    """Single-day swings: Black Friday to Cyber Monday, Christmas, New Year, a summer sale."""
    factors = np.ones(len(days))
    index = {day: position for position, day in enumerate(days)}
    for year in sorted({day.year for day in days}):
        black_friday = _fourth_thursday_of_november(year) + timedelta(days=1)
        swings = {
            black_friday: 2.6,
            black_friday + timedelta(days=1): 1.7,
            black_friday + timedelta(days=2): 1.5,
            black_friday + timedelta(days=3): 2.2,
            date(year, 7, 11): 1.4,
            date(year, 7, 12): 1.3,
            date(year, 12, 24): 0.7,
            date(year, 12, 25): 0.45,
            date(year, 12, 26): 1.3,
            date(year, 1, 1): 0.6,
        }
        for day, factor in swings.items():
            if day in index:
                factors[index[day]] *= factor
    return factors


def _fourth_thursday_of_november(year: int) -> date:
    first = date(year, 11, 1)
    return first + timedelta(days=(3 - first.weekday()) % 7 + 21)


def seasonal_factors(days: list[date]) -> np.ndarray:
    """Month levels interpolated day by day, so the year has no steps at month boundaries."""
    position = np.array([day.month - 1 + (day.day - 0.5) / 31 - 0.5 for day in days])
    knots = np.arange(-1, 13)
    levels = np.concatenate([MONTH_FACTORS[-1:], MONTH_FACTORS, MONTH_FACTORS[:1]])
    return np.interp(position, knots, levels)


def day_weights(days: list[date], index: np.ndarray, noise: np.ndarray) -> np.ndarray:
    """Relative order volume of whole days: ``index`` counts each day from the window's
    start (the trend grows with it, past the window's end too)."""
    trend = np.exp(np.log1p(YEARLY_GROWTH) * (index / 365.25))
    weekday = WEEKDAY_FACTORS[[day.weekday() for day in days]]
    return trend * weekday * seasonal_factors(days) * holiday_factors(days) * noise


def daily_noise(count: int, rng: np.random.Generator) -> np.ndarray:
    return rng.lognormal(0.0, 0.06, count)


def daily_weights(window: Window, rng: np.random.Generator) -> np.ndarray:
    """Relative order volume per day of the window (not normalised)."""
    days = window.dates()
    noise = daily_noise(window.days, rng)
    opened = share_of_day_before(window.seconds_open(np.arange(window.days)))
    return day_weights(days, np.arange(window.days), noise) * opened


@dataclass(frozen=True)
class Calendar:
    """The window and how busy each of its days is."""

    window: Window
    cdf: np.ndarray
    """``cdf[d]`` is the share of all orders placed before day ``d``; ``cdf[-1] == 1``."""
    weight: float
    """The daily weights' sum: a day of weight ``w`` holds ``w / weight`` of all orders."""

    @classmethod
    def of(cls, window: Window, rng: np.random.Generator) -> Calendar:
        cdf = np.concatenate([[0.0], np.cumsum(daily_weights(window, rng))])
        return cls(window, cdf / cdf[-1], float(cdf[-1]))

    @property
    def end_epoch(self) -> int:
        return self.window.end_epoch

    def share(self, first: np.ndarray, stop: np.ndarray) -> np.ndarray:
        """The share of all orders placed in days ``[first, stop)``."""
        return self.cdf[stop] - self.cdf[first]

    def sample_days(
        self, rng: np.random.Generator, first: np.ndarray, stop: np.ndarray
    ) -> np.ndarray:
        """One day per pair, drawn with the daily weights from ``[first, stop)``."""
        low, high = self.cdf[first], self.cdf[stop]
        drawn = np.searchsorted(self.cdf, low + rng.random(len(first)) * (high - low), "right")
        return np.clip(drawn - 1, first, stop - 1)


def share_of_day_before(seconds: np.ndarray) -> np.ndarray:
    """The share of a day's orders placed in its first ``seconds`` seconds."""
    return np.interp(seconds, HOUR_EDGES, HOUR_CDF)


def sample_seconds_of_day(rng: np.random.Generator, before: np.ndarray) -> np.ndarray:
    """Times of day with a lunch bump and an evening peak, each under its ``before`` (>= 1)."""
    drawn = rng.random(len(before)) * share_of_day_before(before)
    seconds = np.interp(drawn, HOUR_CDF, HOUR_EDGES).astype(np.int64)
    return np.minimum(seconds, before - 1)
