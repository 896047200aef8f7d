"""Product search ignores accents: "cafe" finds "Café", "creme" finds "Crème".

PostgreSQL: the ``unaccent`` extension (shipped with PostgreSQL, trusted since 13), a text
search configuration ``shopx_search`` (``simple`` behind ``unaccent`` for the word token
types), and the search column and its GIN index rebuilt in it (a generated column's
expression cannot be altered). SQLite: the FTS5 table rebuilt with ``remove_diacritics 2``
(its triggers name the table, so they keep working once it exists again).

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30
"""

from collections.abc import Sequence

from alembic import op

from shopx.db.search import (
    SEARCH_COLUMN,
    SEARCH_CONFIG,
    SEARCH_INDEX,
    SEARCH_TABLE,
    SEARCHED_COLUMNS,
    document_sql,
)

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WORD_TOKENS = "word, numword, hword, hword_part, numhword"
"""The parser's token types that may hold letters outside ASCII."""


def _search_column(config: str) -> None:
    op.execute(f"DROP INDEX IF EXISTS {SEARCH_INDEX}")
    op.execute(f"ALTER TABLE products DROP COLUMN IF EXISTS {SEARCH_COLUMN}")
    op.execute(
        f"ALTER TABLE products ADD COLUMN {SEARCH_COLUMN} tsvector "
        f"GENERATED ALWAYS AS ({document_sql(config)}) STORED"
    )
    op.execute(f"CREATE INDEX {SEARCH_INDEX} ON products USING gin ({SEARCH_COLUMN})")


def _fts5_table(remove_diacritics: int) -> None:
    columns = ", ".join(SEARCHED_COLUMNS)
    op.execute(f"DROP TABLE {SEARCH_TABLE}")
    op.execute(
        f"CREATE VIRTUAL TABLE {SEARCH_TABLE} USING fts5({columns}, content='products', "
        f"content_rowid='id', tokenize='unicode61 remove_diacritics {remove_diacritics}')"
    )
    op.execute(f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}) VALUES ('rebuild')")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        _fts5_table(remove_diacritics=2)
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    op.execute(f"CREATE TEXT SEARCH CONFIGURATION {SEARCH_CONFIG} (COPY = simple)")
    op.execute(
        f"ALTER TEXT SEARCH CONFIGURATION {SEARCH_CONFIG} "
        f"ALTER MAPPING FOR {WORD_TOKENS} WITH unaccent, simple"
    )
    _search_column(SEARCH_CONFIG)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        _fts5_table(remove_diacritics=0)
        return
    _search_column("simple")
    op.execute(f"DROP TEXT SEARCH CONFIGURATION {SEARCH_CONFIG}")
