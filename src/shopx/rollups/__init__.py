"""Rollup upkeep: pre-aggregated sales kept equal to the raw rows.

- :mod:`~shopx.rollups.measures`: the one list of measures and the item-sales aggregation
  (SQL over order items joined to their orders), used by everything below and by the
  analytics queries over raw items.
- :mod:`~shopx.rollups.tables`: the rollup tables, their measure columns from that list.
- :mod:`~shopx.rollups.rebuild`: every rollup recomputed from the raw rows (the definition).
- :mod:`~shopx.rollups.deltas`: an order write folded into the rollups, in its transaction.
- :mod:`~shopx.rollups.moves`: history moved between keys when a product's category, a
  category's parent or a customer's region changes.
- :mod:`~shopx.rollups.vectorised`: the seeder's build of the rollups with numpy.
"""
