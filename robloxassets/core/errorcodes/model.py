"""One knowledge-base entry (an error code or a troubleshooting topic) and its validation.

The JSON shape is documented in README ("Error codes") and checked here field by field, so a
broken user override names the entry and the field that is wrong instead of failing later.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

#: Categories in the order the GUI lists them.
CATEGORIES: tuple[str, ...] = ("connection", "join", "teleport", "kick/ban", "client",
                               "web/HTTP", "decal")
CATEGORY_LABELS: dict[str, str] = {
    "connection": "Connection", "join": "Join", "teleport": "Teleport",
    "kick/ban": "Kick or ban", "client": "Client", "web/HTTP": "Web and Open Cloud (HTTP)",
    "decal": "Decals and images",
}
PLATFORMS: tuple[str, ...] = ("windows", "macos", "mobile", "xbox")
PLATFORM_LABELS: dict[str, str] = {"windows": "Windows", "macos": "macOS", "mobile": "Mobile",
                                   "xbox": "Xbox"}

_ID_RE = re.compile(r"^(\d{3}|[a-z][a-z0-9-]{1,40})$")
_BACKTICKS = re.compile(r"`([^`]*)`")


class EntryError(ValueError):
    """An entry does not follow the schema; the message names the field and the fix."""


@dataclass(frozen=True)
class Entry:
    """An error code (``code`` set, ``id`` == str(code)) or a topic (``code`` None).

    Text fields may hold commands in backticks (e.g. `` `ipconfig /flushdns` ``); the GUI
    shows them in monospace and ``plain()`` strips the backticks.
    """

    id: str
    code: int | None
    category: str
    title: str
    summary: str
    causes: tuple[str, ...]
    steps: tuple[str, ...]
    sources: tuple[str, ...]
    verified: bool
    name: str = ""
    engine: tuple[str, ...] = ()
    messages: tuple[str, ...] = ()
    platforms: tuple[tuple[str, str], ...] = ()
    related: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    note: str = ""
    #: True: the dialog offers Reconnect/Retry; False: only Leave/Cancel/OK; None: unknown.
    reconnect: bool | None = None
    common: bool = False
    #: "bundled", "override" (new entry from the user's file) or "bundled+override".
    origin: str = field(default="bundled", compare=False)

    @property
    def is_code(self) -> bool:
        return self.code is not None

    @property
    def label(self) -> str:
        """Short name for lists and links: "Error 279", "HTTP 429" or the topic's title."""
        if self.code is None:
            return self.title
        return f"HTTP {self.code}" if self.category == "web/HTTP" else f"Error {self.code}"

    @property
    def headline(self) -> str:
        """What the entry is about in one line: the first message, else the summary."""
        return plain(self.messages[0] if self.messages else self.summary)

    def steps_text(self) -> str:
        """The fix as numbered plain text, ready for the clipboard or a terminal."""
        head = self.label if self.code is None else f"{self.label} ({self.name or self.title})"
        lines = [f"{head}: {plain(self.summary)}", ""]
        lines += [f"{n}. {plain(step)}" for n, step in enumerate(self.steps, 1)]
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        """The entry as the CLI's ``--json`` prints it (without the match score)."""
        return {
            "id": self.id, "code": self.code, "name": self.name, "category": self.category,
            "title": self.title, "summary": self.summary, "messages": list(self.messages),
            "causes": list(self.causes), "steps": list(self.steps),
            "platforms": dict(self.platforms), "related": list(self.related),
            "engine": list(self.engine), "sources": list(self.sources),
            "verified": self.verified, "note": self.note,
        }


def plain(text: str) -> str:
    """``text`` without the backticks that mark commands."""
    return _BACKTICKS.sub(r"\1", text)


def split_commands(text: str) -> list[tuple[str, bool]]:
    """Split ``text`` into (piece, is_command) parts along its backticks."""
    parts: list[tuple[str, bool]] = []
    pos = 0
    for match in _BACKTICKS.finditer(text):
        if match.start() > pos:
            parts.append((text[pos:match.start()], False))
        parts.append((match.group(1), True))
        pos = match.end()
    if pos < len(text):
        parts.append((text[pos:], False))
    return parts


# --- validation -------------------------------------------------------------------------
def _text(data: Mapping[str, Any], key: str, *, required: bool) -> str:
    value = data.get(key, None if required else "")
    if value is None or not isinstance(value, str) or (required and not value.strip()):
        raise EntryError(f'"{key}" must be {"a non-empty" if required else "a"} text')
    return value.strip()


def _texts(data: Mapping[str, Any], key: str, *, required: bool) -> tuple[str, ...]:
    value = data.get(key, None if required else [])
    if not isinstance(value, list):
        raise EntryError(f'"{key}" must be a list of texts')
    if required and not value:
        raise EntryError(f'"{key}" must list at least one item')
    for n, item in enumerate(value, 1):
        if not isinstance(item, str) or not item.strip():
            raise EntryError(f'"{key}" item {n} is empty or not a text')
    return tuple(item.strip() for item in value)


def parse_entry(data: Any, *, origin: str = "bundled") -> Entry:
    """Build an Entry from one JSON object; raise EntryError naming the first bad field."""
    if not isinstance(data, dict):
        raise EntryError("each entry must be a JSON object ({...})")
    entry_id = data.get("id")
    if isinstance(entry_id, int) and not isinstance(entry_id, bool):
        entry_id = str(entry_id)
    if not isinstance(entry_id, str) or not _ID_RE.match(entry_id):
        raise EntryError('"id" must be a 3-digit code like "279" or a short lower-case topic '
                         'name like "decal-blurry"')
    code = data.get("code", int(entry_id) if entry_id.isdigit() else None)
    if code is not None and (isinstance(code, bool) or not isinstance(code, int)):
        raise EntryError('"code" must be a number or null')
    if (code is None) == entry_id.isdigit() or (code is not None and str(code) != entry_id):
        raise EntryError(f'"code" ({code}) must equal the id for codes and be null for topics')
    category = data.get("category")
    if category not in CATEGORIES:
        raise EntryError(f'"category" must be one of: {", ".join(CATEGORIES)}')
    platforms = data.get("platforms", {})
    if not isinstance(platforms, dict):
        raise EntryError('"platforms" must be an object like {"windows": "..."}')
    for key, note in platforms.items():
        if key not in PLATFORMS:
            raise EntryError(f'"platforms" has "{key}"; use {", ".join(PLATFORMS)}')
        if not isinstance(note, str) or not note.strip():
            raise EntryError(f'"platforms"."{key}" must be a non-empty text')
    verified = data.get("verified")
    if not isinstance(verified, bool):
        raise EntryError('"verified" must be true or false')
    note = _text(data, "note", required=False)
    if not verified and not note:
        raise EntryError('"note" must say what is not confirmed when "verified" is false')
    reconnect = data.get("reconnect")
    if reconnect is not None and not isinstance(reconnect, bool):
        raise EntryError('"reconnect" must be true, false or left out')
    common = data.get("common", False)
    if not isinstance(common, bool):
        raise EntryError('"common" must be true or false')
    raw_related = data.get("related", [])
    if not isinstance(raw_related, list):
        raise EntryError('"related" must be a list of entry ids like ["277", "decal-blurry"]')
    related = tuple(str(r) if isinstance(r, int) else r for r in raw_related)
    if not all(isinstance(r, str) and r for r in related):
        raise EntryError('"related" must be a list of entry ids like ["277", "decal-blurry"]')
    return Entry(
        id=entry_id, code=code, category=category,
        title=_text(data, "title", required=code is None),
        summary=_text(data, "summary", required=True),
        causes=_texts(data, "causes", required=True),
        steps=_texts(data, "steps", required=True),
        sources=_texts(data, "sources", required=True),
        verified=verified,
        name=_text(data, "name", required=False),
        engine=_texts(data, "engine", required=False),
        messages=_texts(data, "messages", required=False),
        platforms=tuple((k, platforms[k].strip()) for k in PLATFORMS if k in platforms),
        related=tuple(dict.fromkeys(r for r in related if r != entry_id)),
        keywords=_texts(data, "keywords", required=False),
        note=note, reconnect=reconnect, common=common, origin=origin,
    )
