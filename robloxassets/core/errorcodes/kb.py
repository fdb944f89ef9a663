"""Load the knowledge base: the bundled JSON plus the user's override file; index it on use.

The override file (``errorcodes.json`` in the config folder) has the bundled file's shape:
``{"entries": [...]}`` or a bare list. An entry whose ``id`` is bundled replaces the fields it
gives (e.g. only ``messages``); a new ``id`` adds an entry and needs every required field. A
broken file or entry is reported in ``KnowledgeBase.problems`` and skipped: the bundled data
always works.
"""

from __future__ import annotations

import json
import logging
import stat
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from robloxassets.core import jsonsafe, paths, safeio
from robloxassets.core.errorcodes import index_cache
from robloxassets.core.errorcodes.index import SearchIndex
from robloxassets.core.errorcodes.model import Entry, EntryError, parse_entry
from robloxassets.core.resources import read_text

log = logging.getLogger(__name__)

OVERRIDE_NAME = "errorcodes.json"


def override_path() -> Path:
    """Where users put their own entries and corrections."""
    return paths.config_dir() / OVERRIDE_NAME


class KnowledgeBase:
    """All entries in file order (bundled, then new ones from the override file), looked up
    by id or code, with the search index built once, on the first look-up. ``problems``
    lists what was wrong with the override file, in sentences fit to show the user."""

    def __init__(self, entries: Sequence[Entry], problems: Sequence[str] = (),
                 override_file: Path | None = None,
                 sources: dict[str, dict[str, str]] | None = None) -> None:
        self.entries: tuple[Entry, ...] = tuple(entries)
        self.by_id: dict[str, Entry] = {e.id: e for e in self.entries}
        self.by_code: dict[int, list[Entry]] = {}
        for entry in self.entries:
            if entry.code is not None:
                self.by_code.setdefault(entry.code, []).append(entry)
        self.problems: list[str] = list(problems)
        self.override_file = override_file
        #: The bundled source register: key -> {"title", "where", "version", ...}.
        self.sources: dict[str, dict[str, str]] = dict(sources or {})
        self._index: SearchIndex | None = None

    @property
    def index(self) -> SearchIndex:
        """The search index, built on the first look-up rather than at load: opening the app
        (or ``robloxassets error --status``) need not pay for it."""
        if self._index is None:
            self._index = index_cache.load_or_build(self.entries)
        return self._index

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def get(self, key: str | int) -> Entry | None:
        """The entry for an id ("279", "403-sign-in", "decal-blurry") or a code (279; the
        entry whose id is the bare code when several share it)."""
        found = self.by_id.get(str(key).strip())
        if found is None and isinstance(key, int) and key in self.by_code:
            return self.by_code[key][0]
        return found

    def for_code(self, code: int) -> list[Entry]:
        """Every entry with this code (403 is both an Open Cloud error and a sign-in error)."""
        return list(self.by_code.get(code, ()))

    def in_category(self, category: str | None) -> list[Entry]:
        """Entries of one category (all if None), codes in number order, then topics."""
        chosen = [e for e in self.entries if not category or e.category == category]
        return sorted(chosen, key=lambda e: (e.code is None, e.code or 0, e.title))

    def counts(self) -> tuple[int, int]:
        """(number of codes, number of topics)."""
        codes = sum(1 for e in self.entries if e.is_code)
        return codes, len(self.entries) - codes

    def summary(self) -> str:
        codes, topics = self.counts()
        return f"{codes:,} error codes · {topics:,} topics"


def bundled_document() -> dict[str, Any]:
    """The whole bundled file: schema number, source register and entries."""
    data = json.loads(read_text("errorcodes", "errorcodes.json"))
    if not isinstance(data, dict):
        raise ValueError("the bundled errorcodes.json must hold a JSON object")
    return data


def bundled_raw() -> list[dict[str, Any]]:
    """The bundled entries as JSON objects (what the schema test checks)."""
    return list(bundled_document()["entries"])


def source_titles(register: dict[str, Any]) -> dict[str, str]:
    """Source key -> the title shown to the user ("... (version ...)")."""
    titles: dict[str, str] = {}
    for key, info in register.items():
        if isinstance(info, dict) and isinstance(info.get("title"), str):
            version = info.get("version")
            titles[key] = f"{info['title']} ({version})" if version else info["title"]
    return titles


def load_bundled() -> KnowledgeBase:
    """The bundled knowledge base alone, without the user's overrides."""
    return load(override_file=None, use_override=False)


def load(override_file: Path | None = None, *, use_override: bool = True) -> KnowledgeBase:
    """The knowledge base with the user's override file (default: ``override_path()``)."""
    problems: list[str] = []
    document = bundled_document()
    raw_entries = list(document["entries"])
    register = document.get("sources", {})
    titles = source_titles(register)
    raw_by_id = {str(r.get("id")): r for r in raw_entries if isinstance(r, dict)}
    entries: dict[str, Entry] = {}
    for raw in raw_entries:
        try:
            entry = parse_entry(raw, register=titles)
        except EntryError as exc:  # a bug in the shipped data; the schema test guards it
            log.error("Bundled error-code entry %r is invalid: %s", raw.get("id"), exc)
            continue
        entries[entry.id] = entry
    source = (override_file or override_path()) if use_override else None
    if source is not None:
        _apply_overrides(source, raw_by_id, entries, problems, titles)
    _check_related(entries, problems, source)
    return KnowledgeBase(list(entries.values()), problems,
                         source if source is not None and source.exists() else None, register)


#: An override file bigger than this is no hand-written correction list: refuse to read it.
MAX_OVERRIDE_BYTES = 5 * 1024 * 1024


def _read_override(path: Path, problems: list[str]) -> list[Any] | None:
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        problems.append(f"Could not read {path} ({exc.strerror or exc}). The bundled error "
                        "codes are used.")
        return None
    if not stat.S_ISREG(info.st_mode):
        # A FIFO or a device would block the read (and the page) forever.
        problems.append(f"{path} is not a regular file. Replace it with a JSON file; the "
                        "bundled error codes are used meanwhile.")
        return None
    if info.st_size > MAX_OVERRIDE_BYTES:
        problems.append(f"{path} is {info.st_size / 1048576:.0f} MB, too big for a list of "
                        "corrections (at most 5 MB). Nothing in it was used.")
        return None
    try:
        text = safeio.read_text(path, encoding="utf-8")
    except FileNotFoundError:
        return None
    except UnicodeDecodeError:
        problems.append(f"{path} is not UTF-8 text. Save it as UTF-8; the bundled error codes "
                        "are used meanwhile.")
        return None
    except OSError as exc:
        problems.append(f"Could not read {path} ({exc.strerror or exc}). The bundled error "
                        "codes are used.")
        return None
    if not text.strip():
        return []
    try:
        data = jsonsafe.loads(text, max_depth=jsonsafe.CONFIG_DEPTH)
    except json.JSONDecodeError as exc:
        problems.append(f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}: "
                        f"{exc.msg}). Fix or delete it; the bundled error codes are used "
                        "meanwhile.")
        return None
    except jsonsafe.JSONTooDeepError as exc:
        problems.append(f"{path} can't be used: {exc}. Fix or delete it; the bundled error "
                        "codes are used meanwhile.")
        return None
    if isinstance(data, dict) and isinstance(data.get("entries"), list):
        return list(data["entries"])
    if isinstance(data, list):
        return data
    problems.append(f"{path} must hold {{\"entries\": [...]}} or a list of entries. Nothing "
                    "in it was used; the bundled error codes still work.")
    return None


def _apply_overrides(path: Path, raw_by_id: dict[str, dict[str, Any]],
                     entries: dict[str, Entry], problems: list[str],
                     titles: dict[str, str]) -> None:
    items = _read_override(path, problems)
    if not items:
        return
    seen: set[str] = set()
    for number, item in enumerate(items, 1):
        key = str(item.get("id")) if isinstance(item, dict) and "id" in item else ""
        label = f'entry {number} ("{key}")' if key else f"entry {number}"
        if key and key in seen:
            problems.append(f"{path}: {label} appears more than once; the last one is used.")
        bundled = raw_by_id.get(key)
        merged = {**bundled, **item} if bundled is not None and isinstance(item, dict) else item
        try:
            entry = parse_entry(merged, origin="bundled+override" if bundled else "override",
                                register=titles)
        except EntryError as exc:
            kept = "the bundled entry is used" if bundled else "it was not added"
            problems.append(f"{path}: {label}: {exc}. Skipped; {kept}.")
            continue
        seen.add(entry.id)
        entries[entry.id] = entry


def _check_related(entries: dict[str, Entry], problems: list[str], source: Path | None) -> None:
    """Drop links to entries that don't exist, telling the user when their file made them."""
    for entry_id, entry in list(entries.items()):
        missing = [r for r in entry.related if r not in entries]
        if not missing:
            continue
        if entry.origin == "bundled":
            log.error("Bundled entry %s links to unknown entries %s", entry_id, missing)
        else:
            names = ", ".join(f'"{m}"' for m in missing)
            problems.append(f"{source}: entry \"{entry_id}\" links to {names}, which is not a "
                            "known code or topic; the link was left out.")
        kept = tuple(r for r in entry.related if r in entries)
        entries[entry_id] = replace(entry, related=kept)
