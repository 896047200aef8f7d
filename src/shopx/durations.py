"""Lifetimes written the way people write them (``30m``, ``12h``, ``7d``, ``2w``).

Low in the stack (standard library and the error types only), so that settings and the
token commands read lifetimes the same way.
"""

from __future__ import annotations

import re
from datetime import timedelta

from shopx.errors import BadInput

_TTL = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_ttl(text: str) -> timedelta:
    """``30m``, ``12h``, ``7d``, ``2w`` -> a positive duration."""
    match = _TTL.match(text.lower())
    if not match or int(match.group(1)) == 0:
        raise BadInput(f"ttl must look like 30m, 12h, 7d or 2w; got {text!r}")
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
