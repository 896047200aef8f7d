"""Schema descriptions taken from the domain: a metric is defined once, in its docstring.

The GraphQL description of a metric field is the docstring of the domain property or
function that computes it, so the API's documentation and the code cannot say two things.
"""

from __future__ import annotations

import inspect
from typing import Any


def definition(defined: Any) -> str:
    """The docstring of ``defined`` (a property, function or class) as one line of text."""
    target = defined.fget if isinstance(defined, property) else defined
    text = inspect.getdoc(target)
    if not text:
        raise TypeError(f"{target!r} has no docstring to describe it")
    return " ".join(text.split())
