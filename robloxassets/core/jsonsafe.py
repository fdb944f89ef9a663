"""``json.loads`` for files users hand the app, where ``[[[[...`` 100,000 deep must give a
message, not a ``RecursionError``.

Measured on a 29 MB catalogue export (100,000 entries) and on 100,000-deep arrays: catching
the ``RecursionError`` that CPython's decoder raises cleanly at the interpreter's recursion
limit costs nothing (1.07 s to parse either way; the deep text fails in 0.2 ms), while
scanning the brackets outside strings beforehand added 2.2 s, and walking the parsed document
for its depth 1.7 s. So big documents only get the catch; small ones (settings, error-code
overrides) are also walked for ``max_depth``, since a value nested 900 deep parses but can
still overflow the stack later, when it is printed or saved again.
"""

from __future__ import annotations

import json
from typing import Any

#: Deepest nesting small configuration files may have; real ones use three or four levels.
CONFIG_DEPTH = 32


class JSONTooDeepError(ValueError):
    """The JSON text nests lists and objects deeper than the app reads."""


def loads(text: str | bytes, *, max_depth: int | None = None) -> Any:
    """Parse JSON; raises ``ValueError`` (``json.JSONDecodeError`` or ``JSONTooDeepError``).

    ``max_depth``: also refuse documents nesting deeper than this (walks the result, so
    keep it for small documents).
    """
    try:
        data = json.loads(text)
    except RecursionError:
        raise JSONTooDeepError("its lists and objects are nested too deeply to read, "
                               "thousands of levels") from None
    if max_depth is not None and not within_depth(data, max_depth):
        raise JSONTooDeepError(f"its lists and objects are nested more than {max_depth} "
                               "levels deep")
    return data


def within_depth(data: Any, limit: int) -> bool:
    """True when ``data`` nests lists and dicts at most ``limit`` levels (no recursion)."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            node = node.values()
        elif not isinstance(node, list):
            continue
        if depth >= limit:
            return False
        stack.extend((child, depth + 1) for child in node if isinstance(child, (dict, list)))
    return True
