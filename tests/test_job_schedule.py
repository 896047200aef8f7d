"""Job schedules: cron expressions cut in the business time zone, overridable by settings."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from shopx.config import Settings
from shopx.errors import BadInput
from shopx.jobs.registry import JOBS, schedules
from shopx.jobs.schedule import Schedule, parse_schedule

PARIS = ZoneInfo("Europe/Paris")


def test_a_daily_schedule_fires_at_the_local_hour_across_a_dst_change() -> None:
    daily = Schedule("0 3 * * *")
    # Paris is UTC+1 in winter and UTC+2 in summer (the change: 2026-03-29 02:00 -> 03:00).
    before = daily.next_after(datetime(2026, 3, 27, 12, tzinfo=UTC), PARIS)
    after = daily.next_after(datetime(2026, 3, 29, 12, tzinfo=UTC), PARIS)
    assert before == datetime(2026, 3, 28, 2, tzinfo=UTC)
    assert after == datetime(2026, 3, 30, 1, tzinfo=UTC)


def test_next_run_is_strictly_after_the_moment_given() -> None:
    hourly = Schedule("15 * * * *")
    at = datetime(2026, 11, 30, 10, 15, tzinfo=UTC)
    assert hourly.next_after(at, ZoneInfo("UTC")) == datetime(2026, 11, 30, 11, 15, tzinfo=UTC)


def test_a_weekly_schedule_names_a_local_weekday() -> None:
    weekly = Schedule("0 4 * * 0")  # Sunday 04:00 in Tokyo is Saturday 19:00 UTC
    tokyo = ZoneInfo("Asia/Tokyo")
    fired = weekly.next_after(datetime(2026, 11, 30, tzinfo=UTC), tokyo)
    assert fired == datetime(2026, 12, 5, 19, tzinfo=UTC)
    assert fired.astimezone(tokyo).strftime("%a %H:%M") == "Sun 04:00"


@pytest.mark.parametrize(
    ("cron", "words"),
    [
        ("*/5 * * * *", "every 5 min"),
        ("7 * * * *", "hourly at :07"),
        ("0 3 * * *", "daily 03:00"),
        ("30 4 * * 0", "weekly Sun 04:30"),
        ("0 6 1 * *", "monthly on day 1 06:00"),
        ("0 9 * * 1-5", "0 9 * * 1-5"),
    ],
)
def test_common_schedules_are_described_in_words(cron: str, words: str) -> None:
    assert Schedule(cron).describe() == words


def test_beat_gets_the_same_fields() -> None:
    assert Schedule("30 4 * * 0").crontab_fields() == {
        "minute": "30",
        "hour": "4",
        "day_of_month": "*",
        "month_of_year": "*",
        "day_of_week": "0",
    }


@pytest.mark.parametrize(
    "text", ["", "0 3 * *", "61 * * * *", "daily", "0 3 * * * *", "0 0 31 2 *"]
)
def test_a_bad_schedule_is_refused_with_the_expected_form(text: str) -> None:
    with pytest.raises(BadInput, match=r"cron|never fires"):
        parse_schedule(text)


def test_off_means_unscheduled_and_whitespace_is_normalised() -> None:
    assert parse_schedule(" OFF ") is None
    assert parse_schedule("0  3 * *  *") == Schedule("0 3 * * *")


def test_settings_override_some_schedules_and_keep_the_rest() -> None:
    settings = Settings(job_schedules="segments=0 4 * * *; maintenance=off")  # type: ignore[arg-type]
    resolved = schedules(settings)
    assert resolved["segments"] == Schedule("0 4 * * *")
    assert resolved["maintenance"] is None
    assert resolved["partitions"] == Schedule(JOBS["partitions"].schedule)


def test_an_override_naming_no_job_is_refused() -> None:
    with pytest.raises(BadInput, match="names no job nightly"):
        schedules(Settings(job_schedules={"nightly": "0 1 * * *"}))


def test_a_malformed_schedules_setting_is_refused_at_startup() -> None:
    with pytest.raises(ValueError, match="name=0 3"):
        Settings(job_schedules="segments")  # type: ignore[arg-type]


def test_every_default_schedule_is_valid() -> None:
    assert all(parse_schedule(job.schedule) or True for job in JOBS.values())


def test_when_the_clocks_go_back_a_fixed_time_fires_once_and_a_frequent_one_in_both_passes():
    new_york = ZoneInfo("America/New_York")  # 2026-11-01 02:00 EDT -> 01:00 EST

    def fires(cron: str, count: int) -> list[datetime]:
        moment, found = datetime(2026, 11, 1, 4, tzinfo=UTC), []
        for _ in range(count):
            moment = Schedule(cron).next_after(moment, new_york)
            found.append(moment)
        return found

    assert fires("30 1 * * *", 2) == [  # 01:30 EDT, then 01:30 EST of the next day
        datetime(2026, 11, 1, 5, 30, tzinfo=UTC),
        datetime(2026, 11, 2, 6, 30, tzinfo=UTC),
    ]
    assert fires("30 * * * *", 3) == [  # 00:30 EDT, 01:30 EDT, 01:30 EST
        datetime(2026, 11, 1, 4, 30, tzinfo=UTC),
        datetime(2026, 11, 1, 5, 30, tzinfo=UTC),
        datetime(2026, 11, 1, 6, 30, tzinfo=UTC),
    ]
