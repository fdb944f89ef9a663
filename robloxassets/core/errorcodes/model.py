"""One knowledge-base entry (an error code or a troubleshooting topic) and its validation.

The JSON shape is documented in README ("Error codes") and checked here field by field, so a
broken user override names the entry and the field that is wrong instead of failing later.
The bundled file also keeps a register of its sources (``"sources": {key: {...}}``); entries
name their sources by key, and ``parse_entry`` turns known keys into readable titles.
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
#: Languages of wordings and topic words: English first, then the ones players paste most.
LANGUAGES: tuple[str, ...] = ("en", "es", "pt", "fr", "de", "id", "tr", "ru")
LANGUAGE_LABELS: dict[str, str] = {
    "en": "English", "es": "Spanish", "pt": "Portuguese", "fr": "French", "de": "German",
    "id": "Indonesian", "tr": "Turkish", "ru": "Russian",
}
#: How often players meet an entry, 1 (rarely reported) to 5 (among the most reported).
FREQUENCIES = range(1, 6)

# A code ("279", "5"), a code with a variant ("403-sign-in") or a topic ("decal-blurry").
_ID_RE = re.compile(r"^(?:(\d{1,3})(?:-[a-z][a-z0-9-]{1,30})?|[a-z][a-z0-9-]{1,40})$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_BACKTICKS = re.compile(r"`([^`]*)`")


class EntryError(ValueError):
    """An entry does not follow the schema; the message names the field and the fix."""


@dataclass(frozen=True)
class Wording:
    """One known text of a dialog, where it was seen, and whether a source gives it.

    ``shared`` lists the other entries that show the very same text (the old client's
    fallback text, two codes with one localization key): a lookup of that text is ambiguous.
    """

    text: str
    lang: str = "en"
    sources: tuple[str, ...] = ()
    verified: bool = True
    shared: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class ClientBehaviour:
    """What the newest client script does with the code: the dialog's buttons, whether it
    retries by itself, and under which condition (a fast flag or an engine version)."""

    buttons: tuple[str, ...]
    auto_reconnect: bool = False
    condition: str = ""
    seen_in: str = ""


@dataclass(frozen=True)
class Entry:
    """An error code (``code`` set; ``id`` is the code, or the code and a variant such as
    "403-sign-in") or a topic (``code`` None).

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
    #: The texts players see in English (or confirmed in another language), for display.
    messages: tuple[str, ...] = ()
    platforms: tuple[tuple[str, str], ...] = ()
    related: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    note: str = ""
    #: True: the dialog offers Reconnect/Retry; False: only Leave/Cancel/OK; None: unknown.
    reconnect: bool | None = None
    common: bool = False
    #: Every known wording with its sources, translations (marked unverified) included.
    wordings: tuple[Wording, ...] = ()
    #: Topic words per language other than English: ((lang, (word, ...)), ...).
    keywords_i18n: tuple[tuple[str, tuple[str, ...]], ...] = ()
    frequency: int = 1
    client: ClientBehaviour | None = None
    #: When the entry was last checked (YYYY-MM-DD) and the sources it was checked against.
    checked_on: str = ""
    checked_against: tuple[str, ...] = ()
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

    def all_keywords(self) -> tuple[str, ...]:
        """Topic words in every language, English first."""
        return self.keywords + tuple(w for _lang, words in self.keywords_i18n for w in words)

    def steps_text(self) -> str:
        """The fix as numbered plain text, ready for the clipboard or a terminal."""
        head = self.label if self.code is None else f"{self.label} ({self.name or self.title})"
        lines = [f"{head}: {plain(self.summary)}", ""]
        lines += [f"{n}. {plain(step)}" for n, step in enumerate(self.steps, 1)]
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        """The entry as the CLI's ``--json`` prints it (without the match score)."""
        client = None
        if self.client is not None:
            client = {"buttons": list(self.client.buttons),
                      "auto_reconnect": self.client.auto_reconnect,
                      "condition": self.client.condition, "seen_in": self.client.seen_in}
        return {
            "id": self.id, "code": self.code, "name": self.name, "category": self.category,
            "title": self.title, "summary": self.summary, "messages": list(self.messages),
            "wordings": [{"text": w.text, "lang": w.lang, "sources": list(w.sources),
                          "verified": w.verified, "shared": list(w.shared), "note": w.note}
                         for w in self.wordings],
            "causes": list(self.causes), "steps": list(self.steps),
            "platforms": dict(self.platforms), "related": list(self.related),
            "engine": list(self.engine), "sources": list(self.sources),
            "verified": self.verified, "note": self.note, "reconnect": self.reconnect,
            "client": client, "frequency": self.frequency,
            "checked": {"on": self.checked_on, "against": list(self.checked_against)},
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


def code_of_id(entry_id: str) -> int | None:
    """The code an id names ("403-sign-in" -> 403), None for a topic id."""
    match = _ID_RE.match(entry_id)
    return int(match.group(1)) if match and match.group(1) is not None else None


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


def _titles(keys: tuple[str, ...], register: Mapping[str, str]) -> tuple[str, ...]:
    """Source keys as readable titles; free text (an override's "team wiki") stays as is."""
    return tuple(dict.fromkeys(register.get(key, key) for key in keys))


def _wording(item: Any, number: int, register: Mapping[str, str]) -> Wording:
    where = f'"messages" item {number}'
    if isinstance(item, str):
        if not item.strip():
            raise EntryError(f"{where} is empty")
        return Wording(item.strip())
    if not isinstance(item, dict):
        raise EntryError(f'{where} must be a text or an object like {{"text": "...", '
                         '"sources": ["..."]}')
    text = item.get("text")
    if not isinstance(text, str) or not text.strip():
        raise EntryError(f'{where} needs a non-empty "text"')
    lang = item.get("lang", "en")
    if lang not in LANGUAGES:
        raise EntryError(f'{where} has "lang" {lang!r}; use one of {", ".join(LANGUAGES)}')
    sources = _texts(item, "sources", required=False)
    verified = item.get("verified", bool(sources))
    if not isinstance(verified, bool):
        raise EntryError(f'{where}: "verified" must be true or false')
    if verified and not sources:
        raise EntryError(f'{where} is marked verified but names no "sources"; give its '
                         'source or set "verified": false')
    shared = _texts(item, "shared", required=False)
    note = _text(item, "note", required=False)
    return Wording(text.strip(), lang, _titles(sources, register), verified, shared, note)


def _client(value: Any, register: Mapping[str, str]) -> ClientBehaviour | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise EntryError('"client" must be an object like {"buttons": ["Leave"]}')
    buttons = _texts(value, "buttons", required=True)
    auto = value.get("auto_reconnect", False)
    if not isinstance(auto, bool):
        raise EntryError('"client"."auto_reconnect" must be true or false')
    seen_in = _text(value, "seen_in", required=False)
    return ClientBehaviour(buttons, auto, _text(value, "condition", required=False),
                           register.get(seen_in, seen_in))


def _keywords_i18n(value: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        raise EntryError('"keywords_i18n" must be an object like {"es": ["expulsado"]}')
    found: list[tuple[str, tuple[str, ...]]] = []
    for lang in value:
        if lang not in LANGUAGES or lang == "en":
            raise EntryError(f'"keywords_i18n" has {lang!r}; use one of '
                             f'{", ".join(LANGUAGES[1:])} (English words go in "keywords")')
        found.append((lang, _texts(value, lang, required=True)))
    return tuple(sorted(found, key=lambda lw: LANGUAGES.index(lw[0])))


def _checked(value: Any) -> tuple[str, tuple[str, ...]]:
    if value is None:
        return "", ()
    if not isinstance(value, dict) or not isinstance(value.get("on"), str) \
            or not _DATE_RE.match(value["on"]):
        raise EntryError('"checked" must be like {"on": "2026-12-01", "against": ["..."]}')
    return value["on"], _texts(value, "against", required=True)


def parse_entry(data: Any, *, origin: str = "bundled",
                register: Mapping[str, str] | None = None) -> Entry:
    """Build an Entry from one JSON object; raise EntryError naming the first bad field.

    ``register`` maps source keys to readable titles (the bundled file's source register).
    """
    register = register or {}
    if not isinstance(data, dict):
        raise EntryError("each entry must be a JSON object ({...})")
    entry_id = data.get("id")
    if isinstance(entry_id, int) and not isinstance(entry_id, bool):
        entry_id = str(entry_id)
    if not isinstance(entry_id, str) or not _ID_RE.match(entry_id):
        raise EntryError('"id" must be a code like "279" (or "403-sign-in" for a second entry '
                         'with that code) or a short lower-case topic name like "decal-blurry"')
    id_code = code_of_id(entry_id)
    code = data.get("code", id_code)
    if code is not None and (isinstance(code, bool) or not isinstance(code, int)):
        raise EntryError('"code" must be a number or null')
    if code != id_code:
        raise EntryError(f'"code" ({code}) must be the number the id starts with, and null '
                         'for topics')
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
    frequency = data.get("frequency", 4 if common else 1)
    if isinstance(frequency, bool) or frequency not in FREQUENCIES:
        raise EntryError('"frequency" must be a whole number from 1 (rare) to 5 (very common)')
    raw_related = data.get("related", [])
    if not isinstance(raw_related, list):
        raise EntryError('"related" must be a list of entry ids like ["277", "decal-blurry"]')
    related = tuple(str(r) if isinstance(r, int) else r for r in raw_related)
    if not all(isinstance(r, str) and r for r in related):
        raise EntryError('"related" must be a list of entry ids like ["277", "decal-blurry"]')
    raw_messages = data.get("messages", [])
    if not isinstance(raw_messages, list):
        raise EntryError('"messages" must be a list of texts or wording objects')
    wordings = tuple(_wording(item, n, register) for n, item in enumerate(raw_messages, 1))
    checked_on, checked_against = _checked(data.get("checked"))
    return Entry(
        id=entry_id, code=code, category=category,
        title=_text(data, "title", required=code is None),
        summary=_text(data, "summary", required=True),
        causes=_texts(data, "causes", required=True),
        steps=_texts(data, "steps", required=True),
        sources=_titles(_texts(data, "sources", required=True), register),
        verified=verified,
        name=_text(data, "name", required=False),
        engine=_texts(data, "engine", required=False),
        messages=tuple(dict.fromkeys(w.text for w in wordings if w.lang == "en" or w.verified)),
        platforms=tuple((k, platforms[k].strip()) for k in PLATFORMS if k in platforms),
        related=tuple(dict.fromkeys(r for r in related if r != entry_id)),
        keywords=_texts(data, "keywords", required=False),
        note=note, reconnect=reconnect, common=common,
        wordings=wordings,
        keywords_i18n=_keywords_i18n(data.get("keywords_i18n", {})),
        frequency=frequency,
        client=_client(data.get("client"), register),
        checked_on=checked_on, checked_against=_titles(checked_against, register),
        origin=origin,
    )
