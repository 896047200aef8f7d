"""The complete metadata: every table the migrations build."""

from shopx.db import models, rollup_tables
from shopx.db.models import Base

metadata = Base.metadata

__all__ = ["metadata", "models", "rollup_tables"]
