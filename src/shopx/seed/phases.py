"""Timing each seeding phase, and showing it on a rich progress display when there is one."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from time import perf_counter

from rich.progress import Progress

Advance = Callable[[float], None]


class Phases:
    def __init__(self, progress: Progress | None = None) -> None:
        self.progress = progress
        self.seconds: dict[str, float] = {}

    @contextmanager
    def phase(self, name: str, total: float | None = None) -> Iterator[Advance]:
        """Time the block as ``name``; the block reports work done through the yielded call."""
        task = self.progress.add_task(name, total=total) if self.progress else None
        started = perf_counter()

        def advance(amount: float = 1.0) -> None:
            if self.progress is not None and task is not None:
                self.progress.advance(task, amount)

        yield advance
        self.seconds[name] = perf_counter() - started
        if self.progress is not None and task is not None:
            self.progress.update(task, total=total or 1, completed=total or 1)
