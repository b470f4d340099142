"""Limits a request envelope must keep before the SDK reads it: nesting depth and the size of the attributes.

ask-sdk-core copies ``session.attributes`` recursively (``copy.deepcopy``) before any handler or
exception handler runs, so 400 levels of nesting there raise ``RecursionError`` out of the skill
(and give HTTP 500 behind a web server, whose own frames leave less room). The skill wrote those
attributes itself in its last answer (a few hundred bytes, three levels deep), and a whole response
is at most 24 KB, so anything far beyond that did not come from this skill: it is refused, cleanly,
before the SDK touches it.

Everything here walks the JSON without recursion, so the check itself cannot overflow the stack.
"""
from __future__ import annotations

import json

#: Deepest nesting accepted anywhere in an envelope. Alexa's own envelopes are under ten levels.
MAX_DEPTH = 48
#: Deepest nesting accepted in ``session.attributes``: the skill's own are three levels deep.
MAX_ATTRIBUTE_DEPTH = 16
#: Largest ``session.attributes`` accepted, as JSON: a whole response is at most 24 KB, so the
#: attributes the skill sent back in one can be no larger.
MAX_ATTRIBUTE_BYTES = 24 * 1024


def depth(value, limit: int) -> int:
    """How deeply ``value`` nests dicts and lists (a scalar is 0), counting no further than ``limit + 1``."""
    deepest = 0
    stack = [(value, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, (list, tuple)):
            children = item
        else:
            continue
        level += 1
        deepest = max(deepest, level)
        if deepest > limit:
            return deepest
        stack.extend((child, level) for child in children)
    return deepest


def problem(data) -> str | None:
    """Why the decoded envelope ``data`` breaks a limit, or None. Says what, never the values."""
    if depth(data, MAX_DEPTH) > MAX_DEPTH:
        return f"request envelope nested deeper than {MAX_DEPTH} levels"
    session = data.get("session") if isinstance(data, dict) else None
    attributes = session.get("attributes") if isinstance(session, dict) else None
    if attributes is None:
        return None
    if not isinstance(attributes, dict):
        return "session.attributes is not a JSON object"
    if depth(attributes, MAX_ATTRIBUTE_DEPTH) > MAX_ATTRIBUTE_DEPTH:
        return f"session.attributes nested deeper than {MAX_ATTRIBUTE_DEPTH} levels"
    try:
        size = len(json.dumps(attributes, separators=(",", ":")).encode("utf-8"))
    except (TypeError, ValueError):
        return "session.attributes is not JSON"
    if size > MAX_ATTRIBUTE_BYTES:
        return f"session.attributes over {MAX_ATTRIBUTE_BYTES} bytes"
    return None
