"""Schema descriptions taken from the domain: a metric is defined once, in its docstring.

The GraphQL description of a metric field is the docstring of the domain property,
function, class or dataclass field that computes or holds it, so the API's documentation
and the code cannot say two things.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from functools import cache
from typing import Any


def definition(defined: Any, attribute: str | None = None) -> str:
    """The docstring of ``defined`` (a property, function or class), or of the dataclass
    field ``attribute`` of the class ``defined`` (the string under it), as one line."""
    if attribute is not None:
        text = _field_docstrings(defined).get(attribute)
    else:
        target = defined.fget if isinstance(defined, property) else defined
        text = inspect.getdoc(target)
    if not text:
        raise TypeError(f"{defined!r} {attribute or ''} has no docstring to describe it")
    return " ".join(text.split())


@cache
def _field_docstrings(cls: type) -> dict[str, str]:
    """``name -> docstring`` of the annotated fields of ``cls`` followed by a string."""
    body = ast.parse(textwrap.dedent(inspect.getsource(cls))).body[0]
    assert isinstance(body, ast.ClassDef)
    found: dict[str, str] = {}
    for field, after in zip(body.body, body.body[1:], strict=False):
        if (
            isinstance(field, ast.AnnAssign)
            and isinstance(field.target, ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
        ):
            found[field.target.id] = inspect.cleandoc(after.value.value)
    return found
