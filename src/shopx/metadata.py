"""The complete database metadata: every table the migrations build.

The tables are declared where they belong (the data tables and the data version in
:mod:`shopx.db`, the rollups in :mod:`shopx.rollups`), all on one ``Base.metadata``;
importing them here registers every one, for Alembic's environment and the test that
compares the models with the migrations.
"""

from shopx.db import data_version, models
from shopx.db.models import Base
from shopx.rollups import tables

metadata = Base.metadata

__all__ = ["data_version", "metadata", "models", "tables"]
