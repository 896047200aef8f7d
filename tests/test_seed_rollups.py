"""The seeder writes the rollups from the generated rows; they must be what a rebuild
from the loaded rows makes of them (the rebuild is the definition)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from shopx.db.data_version import DataVersion
from shopx.seed import SCALES, seed_database
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
