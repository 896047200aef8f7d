"""The seeder writes the rollups from the generated rows; they must be what a rebuild
from the loaded rows makes of them (the rebuild is the definition)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from sqlalchemy import select

from shopx.columnar.tables import Categorical
from shopx.db.data_version import DataVersion
from shopx.rollups.vectorised import build_rollups
from shopx.seed import SCALES, seed_database
from shopx.seed.dataset import generate_dataset
from shopx.seed.monthly_rollups import build_rollups_by_month
from tests.consistency import rebuilt_dump, rollup_dump

UNTIL = datetime(2026, 11, 21, 15, 30, tzinfo=UTC)
"""Mid-day in UTC, so the last day is partial, and after midnight in New York."""


async def data_version(engine) -> tuple[int, str]:
    async with engine.connect() as conn:
        row = (await conn.execute(select(DataVersion.version, DataVersion.rollup_timezone))).one()
    return tuple(row)


@pytest.mark.parametrize("timezone", ["UTC", "America/New_York"])
@pytest.mark.parametrize("scale", ["XS", "S"])
async def test_seeded_rollups_equal_a_rebuild(engine, scale, timezone):
    tz = ZoneInfo(timezone)
    version_before, _ = await data_version(engine)
    await seed_database(engine, SCALES[scale], random_seed=3, until=UNTIL, timezone=tz)

    seeded = await rollup_dump(engine)
    version, rollup_timezone = await data_version(engine)

    assert all(seeded.values())
    assert seeded == await rebuilt_dump(engine, tz)
    assert (version, rollup_timezone) == (version_before + 1, timezone)


async def test_seeding_again_replaces_the_rollups(engine):
    tz = ZoneInfo("America/New_York")
    await seed_database(engine, SCALES["XS"], random_seed=1, until=UNTIL, timezone=tz)
    await seed_database(engine, SCALES["XS"], random_seed=2, until=UNTIL, timezone=tz, force=True)

    assert await rollup_dump(engine) == await rebuilt_dump(engine, tz)


@pytest.mark.parametrize("timezone", ["UTC", "America/New_York"])
def test_rollups_built_a_month_at_a_time_are_the_rollups_built_whole(timezone):
    tz = ZoneInfo(timezone)
    dataset = generate_dataset(SCALES["S"], 5, UNTIL)

    by_month = build_rollups_by_month(dataset.tables, tz)
    whole = build_rollups(dataset, tz)

    assert [table.name for table in by_month] == [table.name for table in whole]
    for monthly, built in zip(by_month, whole, strict=True):
        assert monthly.rows == built.rows > 0
        assert list(monthly.columns) == list(built.columns)
        for name, column in built.columns.items():
            assert np.array_equal(comparable(monthly.columns[name]), comparable(column)), name


def comparable(column):
    if isinstance(column, Categorical):
        return np.array(column.labels)[column.codes]
    return np.ma.filled(column, -1) if isinstance(column, np.ma.MaskedArray) else column
