"""Schema migrations (Alembic), driven from code so no alembic.ini is needed."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import AsyncEngine

from shopx.db.engine import create_engine
from shopx.db.partitions import is_partition
from shopx.db.search import SEARCH_COLUMN, SEARCH_INDEX, is_search_table

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None
    return head


async def current_revision(engine: AsyncEngine) -> str | None:
    async with engine.connect() as conn:
        return await conn.run_sync(
            lambda sync: MigrationContext.configure(sync).get_current_revision()
        )


async def schema_problem(url: str) -> str | None:
    """Why the database at ``url`` cannot be served as it is (no tables yet, or migrations
    pending), with what to run; None when it is at head."""
    engine = create_engine(url)
    try:
        found = await current_revision(engine)
    finally:
        await engine.dispose()
    if found == head_revision():
        return None
    if found is None:
        return "the database has no tables yet: run `shopx init` first (make run does)"
    head = head_revision()
    return f"the database is at revision {found}, not {head}: run `shopx init` to migrate it"


def include_name(name: str | None, type_: str, parents: dict[str, str | None]) -> bool:
    """Autogenerate filter: partitions and their indexes, and the product search column,
    index and table (:mod:`shopx.db.search`), belong to the migrations, not the models."""
    table = name if type_ == "table" else parents.get("table_name")
    if (type_, name) in (("index", SEARCH_INDEX), ("column", SEARCH_COLUMN)):
        return False
    return not (table and (is_partition(table) or is_search_table(table)))


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Autogenerate filter: PostgreSQL clones the item -> order key once per partition."""
    if type_ == "foreign_key_constraint":
        return not is_partition(obj.referred_table.name)
    return True


def upgrade(url: str, revision: str = "head") -> None:
    """Migrate the database at ``url``; safe to run again (a no-op at head)."""
    command.upgrade(alembic_config(url), revision)


async def upgrade_async(url: str, revision: str = "head") -> None:
    await asyncio.to_thread(upgrade, url, revision)


def downgrade(url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)


__all__ = [
    "create_engine",
    "current_revision",
    "downgrade",
    "head_revision",
    "schema_problem",
    "upgrade",
]
