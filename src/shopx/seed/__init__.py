"""Deterministic synthetic sales data and the bulk loaders that put it in the database."""

from shopx.seed.scales import SCALES, Scale
from shopx.seed.service import DatabaseNotEmpty, SeedReport, seed_database

__all__ = ["SCALES", "DatabaseNotEmpty", "Scale", "SeedReport", "seed_database"]
