"""Full-text search over products (name, SKU, brand, description), one SQL construct per
dialect.

PostgreSQL: a ``simple`` (no stemming: names and SKUs are not English prose) ``tsvector``
of the four columns, stored in a generated column (``search_document``) indexed by GIN
(``ix_products_search``, revision 0010), queried with prefix terms. SQLite: an FTS5 table
over the same columns (``products_fts``, an external content table kept in step with
``products`` by triggers), queried the same way.

A query is its words (runs of letters and digits, lower-cased); a product matches when
each word starts one of its words. Results rank by ``ts_rank`` / ``bm25``, higher first.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Boolean, Float, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from shopx.errors import BadInput

SEARCH_TABLE = "products_fts"
"""The SQLite FTS5 table (its shadow tables are named after it)."""
SEARCH_INDEX = "ix_products_search"
"""The PostgreSQL GIN index."""
SEARCHED_COLUMNS = ("name", "sku", "brand", "description")
MAX_WORDS = 16
WORD = re.compile(r"[^\W_]+")

SEARCH_COLUMN = "search_document"
"""PostgreSQL: the stored, generated ``tsvector`` column the index covers."""


def document_sql() -> str:
    """PostgreSQL: the expression of the search column. Every run of characters other than
    letters and digits separates words, as FTS5's tokenizer does (PostgreSQL's own parser
    would read ``-11`` in ``ELE-11-04`` as a signed number)."""
    columns = " || ' ' || ".join(f"coalesce({column}, '')" for column in SEARCHED_COLUMNS)
    return f"to_tsvector('simple'::regconfig, regexp_replace({columns}, '[^[:alnum:]]+', ' ', 'g'))"


def search_words(text: str) -> list[str]:
    """The words of a search, lower-cased; BAD_USER_INPUT when there are none or too many."""
    words = [word.lower() for word in WORD.findall(text)]
    if not words:
        raise BadInput("search: give at least one word (letters or digits)")
    if len(words) > MAX_WORDS:
        raise BadInput(f"search: at most {MAX_WORDS} words, got {len(words)}")
    return words


def is_search_table(name: str | None) -> bool:
    """The FTS5 table or one of its shadow tables (they belong to the migration, not the
    models)."""
    return bool(name) and (name == SEARCH_TABLE or name.startswith(f"{SEARCH_TABLE}_"))


class ProductTextMatch(FunctionElement[bool]):
    """True for the products matching every word (``search_words``) of a search."""

    type = Boolean()
    inherit_cache = True
    name = "product_text_match"


class ProductTextRank(FunctionElement[float]):
    """How well a product matches a search: higher is better (NULL for no match)."""

    type = Float()
    inherit_cache = True
    name = "product_text_rank"


def _pg_query(words: list[str]) -> str:
    return " & ".join(f"'{word}':*" for word in words)


def _fts5_query(words: list[str]) -> str:
    return " AND ".join(f'"{word}"*' for word in words)


def text_match(text: str) -> ProductTextMatch:
    """The products matching ``text`` (see the module)."""
    words = search_words(text)
    return ProductTextMatch(literal(_pg_query(words)), literal(_fts5_query(words)))


def text_rank(text: str) -> ProductTextRank:
    """How well each product matches ``text``: higher first."""
    words = search_words(text)
    return ProductTextRank(literal(_pg_query(words)), literal(_fts5_query(words)))


TSQUERY = "to_tsquery('simple'::regconfig, {query})"
SQL: dict[tuple[type[FunctionElement[Any]], str], str] = {
    (ProductTextMatch, "postgresql"): f"(products.{SEARCH_COLUMN} @@ {TSQUERY})",
    (ProductTextRank, "postgresql"): f"ts_rank(products.{SEARCH_COLUMN}, {TSQUERY})",
    (ProductTextMatch, "sqlite"): (
        f"(products.id IN (SELECT rowid FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH {{query}}))"
    ),
    (ProductTextRank, "sqlite"): (
        f"(SELECT -bm25({SEARCH_TABLE}) FROM {SEARCH_TABLE} "
        f"WHERE {SEARCH_TABLE} MATCH {{query}} AND rowid = products.id)"
    ),
}
"""Each construct's SQL per dialect, ``{query}`` standing for its bound search."""
QUERY_ARGUMENT = {"postgresql": 0, "sqlite": 1}
"""Both searches are bound; only the dialect's is rendered."""


def _render(element: FunctionElement[Any], compiler: SQLCompiler, **kw: Any) -> str:
    dialect = compiler.dialect.name
    query = compiler.process(element.clauses.clauses[QUERY_ARGUMENT[dialect]], **kw)
    return SQL[type(element), dialect].format(query=query)


for _construct, _dialect in SQL:
    compiles(_construct, _dialect)(_render)
