"""Anything a request carries, made fit for a log line: escaped and short.

Intent names, request types, error messages and status codes come from the request, and on
a web endpoint from whoever sent it, verified or not. Written raw, a newline starts a forged
log line and a NUL or an escape sequence garbles the terminal that reads it; written whole, a
megabyte of text floods the log. :func:`shown` escapes every control and non-printable
character as Python's ``repr`` does (``\\n``, ``\\x00``, ``\\u2028``) and cuts the result.
"""
from __future__ import annotations

#: Longest text a log line gets from a request (escaped characters count as written).
LIMIT = 80


def shown(value, limit: int = LIMIT) -> str:
    """``value`` as a log line may hold it: ``repr``-escaped (without the quotes), at most ``limit`` characters.

    None stays "None"; a cut is marked with "...".
    """
    text = value if isinstance(value, str) else str(value)
    if len(text) > limit * 4:  # escaping never shrinks text: no need to escape what will be cut
        text = text[: limit * 4]
    escaped = repr(text)[1:-1]
    if len(escaped) > limit:
        escaped = escaped[: max(limit - 3, 0)].rstrip("\\") + "..."
    return escaped
