"""One process's cache machinery, built from settings and held by the app for its lifetime."""

from __future__ import annotations

from shopx.cache.changes import Changes


class CacheRuntime:
    """Tiers, freshness and the change stream of one process."""

    def __init__(self) -> None:
        self.changes = Changes()

    async def written(self, tags: frozenset[str]) -> None:
        """A write with these tags committed: invalidate them everywhere, then tell listeners."""
        if tags:
            self.changes.notify(tags)
