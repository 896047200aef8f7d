"""The one error the bench raises: its message tells the operator what to do next."""

from __future__ import annotations


class BenchError(Exception):
    """A benchmark could not run (missing tool, server did not start, bad option)."""
