"""Rows held as numpy columns (the seeder's generated tables and the rollups built from
them), and the group-by helpers that work on them. Depends on numpy only."""
