"""Full-text search over products (name, SKU, brand, description), one SQL construct per
dialect.

PostgreSQL: a ``tsvector`` of the four columns in the ``shopx_search`` configuration
(``simple``, so no stemming: names and SKUs are not English prose, behind ``unaccent``),
stored in a generated column (``search_document``) indexed by GIN (``ix_products_search``,
revisions 0010 and 0014), queried with prefix terms. SQLite: an FTS5 table over the same
columns (``products_fts``, an external content table kept in step with ``products`` by
triggers, its tokenizer folding diacritics), queried the same way.

A query is its words (runs of letters and digits); a product matches when each word starts
one of its words, ignoring case and accents ("wire" finds "Wireless", "cafe" finds "Café").
Anything else in the text (quotes, ``*``, ``-``, parentheses, ``NEAR``/``OR`` spelled as
words) separates words and is never read as query syntax. Results rank by ``ts_rank`` /
``bm25``, higher first, after the product whose SKU is the whole text.
"""

from __future__ import annotations

import re
import unicodedata
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
MAX_CHARS = 256
"""Longest search text: longer than any name or SKU a search box is typed to find (the
GraphQL bound on filter texts)."""
WORD = re.compile(r"[^\W_]+")
SEARCH_CONFIG = "shopx_search"
"""PostgreSQL: the text search configuration of documents and queries (revision 0014)."""
EXACT_SKU_BONUS = 1_000_000.0
"""Added to the rank of the product whose SKU is the search text: far above any
``ts_rank`` or ``bm25`` score, so it comes first."""

SEARCH_COLUMN = "search_document"
"""PostgreSQL: the stored, generated ``tsvector`` column the index covers."""


def document_sql(config: str = SEARCH_CONFIG) -> str:
    """PostgreSQL: the expression of the search column. Every run of characters other than
    letters and digits separates words, as FTS5's tokenizer does (PostgreSQL's own parser
    would read ``-11`` in ``ELE-11-04`` as a signed number). Revision 0010 built it in the
    ``simple`` configuration, before ``shopx_search`` existed."""
    columns = " || ' ' || ".join(f"coalesce({column}, '')" for column in SEARCHED_COLUMNS)
    return (
        f"to_tsvector('{config}'::regconfig, regexp_replace({columns}, '[^[:alnum:]]+', ' ', 'g'))"
    )


def search_words(text: str, label: str = "search") -> list[str]:
    """The words of a search, lower-cased, in NFKC (so a decomposed accent stays on its
    letter); BAD_USER_INPUT when there are none, too many, or the text is too long."""
    if len(text) > MAX_CHARS:
        raise BadInput(f"{label}: at most {MAX_CHARS} characters, got {len(text)}")
    words = [word.lower() for word in WORD.findall(unicodedata.normalize("NFKC", text))]
    if not words:
        raise BadInput(f"{label}: give at least one word (letters or digits)")
    if len(words) > MAX_WORDS:
        raise BadInput(f"{label}: at most {MAX_WORDS} words, got {len(words)}")
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
    """How well a product matches a search: higher is better (NULL for no match); the
    product whose SKU is the whole search first."""

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
    return ProductTextRank(
        literal(_pg_query(words)), literal(_fts5_query(words)), literal(_sku_of(text))
    )


def _sku_of(text: str) -> str:
    """The search as a SKU would be spelled: trimmed and lower-cased (SKUs are unique
    ignoring case), without the control characters no SKU holds (a NUL cannot even be
    sent to PostgreSQL)."""
    kept = "".join(char for char in text if unicodedata.category(char)[0] != "C")
    return unicodedata.normalize("NFC", kept).strip().lower()


TSQUERY = f"to_tsquery('{SEARCH_CONFIG}'::regconfig, {{query}})"
EXACT_SKU = f"(CASE WHEN lower(products.sku) = {{sku}} THEN {EXACT_SKU_BONUS} ELSE 0 END)"
SQL: dict[tuple[type[FunctionElement[Any]], str], str] = {
    (ProductTextMatch, "postgresql"): f"(products.{SEARCH_COLUMN} @@ {TSQUERY})",
    (ProductTextRank, "postgresql"): (
        f"(ts_rank(products.{SEARCH_COLUMN}, {TSQUERY}) + {EXACT_SKU})"
    ),
    (ProductTextMatch, "sqlite"): (
        f"(products.id IN (SELECT rowid FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH {{query}}))"
    ),
    (ProductTextRank, "sqlite"): (
        f"((SELECT -bm25({SEARCH_TABLE}) FROM {SEARCH_TABLE} "
        f"WHERE {SEARCH_TABLE} MATCH {{query}} AND rowid = products.id) + {EXACT_SKU})"
    ),
}
"""Each construct's SQL per dialect, ``{query}`` standing for its bound search and
``{sku}`` for the search as a SKU (ranks only)."""
QUERY_ARGUMENT = {"postgresql": 0, "sqlite": 1}
"""Both searches are bound; only the dialect's is rendered."""
SKU_ARGUMENT = 2


def _render(element: FunctionElement[Any], compiler: SQLCompiler, **kw: Any) -> str:
    dialect = compiler.dialect.name
    arguments = element.clauses.clauses
    query = compiler.process(arguments[QUERY_ARGUMENT[dialect]], **kw)
    sku = compiler.process(arguments[SKU_ARGUMENT], **kw) if len(arguments) > SKU_ARGUMENT else ""
    return SQL[type(element), dialect].format(query=query, sku=sku)


for _construct, _dialect in SQL:
    compiles(_construct, _dialect)(_render)
