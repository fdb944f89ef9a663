"""Which export format a file name asks for: the one rule the window's Export dialog and
``robloxassets catalog export`` both follow (the typed extension decides).

``.luau``/``.lua`` Luau, ``.d.ts``/``.ts`` TypeScript, ``.csv`` CSV, ``.json`` the whole
catalogue as JSON or (when asked for) the JSON map of names to IDs.
"""

from __future__ import annotations

import os

#: Format keys, as ``robloxassets catalog export --format`` takes them.
FORMATS = ("luau", "ts", "json", "csv", "json-map")

LABELS = {
    "luau": "Luau", "ts": "TypeScript", "json": "JSON (whole catalogue)", "csv": "CSV",
    "json-map": "JSON map of names to IDs",
}

# Longest suffix first: "assets.d.ts" is a TypeScript declaration, not just ".ts".
_SUFFIXES = ((".d.ts", ("ts",)), (".luau", ("luau",)), (".lua", ("luau",)), (".ts", ("ts",)),
             (".csv", ("csv",)), (".json", ("json", "json-map")))


def suffix_of(path: str) -> str:
    """The extension that names a format (``.d.ts`` counts as one), lower case; "" if none
    of the known ones."""
    name = os.path.basename(path).lower()
    return next((suffix for suffix, _ in _SUFFIXES if name.endswith(suffix)), "")


def formats_for(path: str) -> tuple[str, ...]:
    """The formats ``path``'s extension stands for, the usual one first; () if it names
    none (``assets.txt``, no extension)."""
    suffix = suffix_of(path)
    return next((formats for known, formats in _SUFFIXES if known == suffix), ())


def format_for(path: str) -> str | None:
    """The format ``path``'s extension asks for, or None."""
    formats = formats_for(path)
    return formats[0] if formats else None


def mismatch(path: str, fmt: str) -> str | None:
    """When ``path``'s extension names another format than ``fmt``: that format (what the
    name asks for); None when they agree or the extension names no format."""
    formats = formats_for(path)
    if not formats or fmt in formats:
        return None
    return formats[0]
