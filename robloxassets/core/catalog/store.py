"""Reading and writing catalogue entries: CRUD, duplicate checks, search, filters, history.

``Catalog`` owns one SQLite connection; use one per thread (a background import opens its
own). Every write runs in one transaction, so it happens completely or not at all.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from robloxassets.core.assetid import try_parse_asset_id
from robloxassets.core.catalog import db
from robloxassets.core.catalog.codegen import CodeSource
from robloxassets.core.catalog.model import (
    CONTACT_SUPPORT_AFTER,
    SLOW_REVIEW,
    Entry,
    Status,
    StatusChange,
    format_time,
    parse_tags,
    utc_now,
    validate_entry,
)
from robloxassets.core.errors import UserError

COLUMNS = ("id", "decal_id", "image_id", "name", "description", "tags", "notes",
           "creator_type", "creator_id", "file_path", "sha256", "prepared_sha256", "width",
           "height", "status", "status_changed", "created", "updated")
_SELECT = f"SELECT {', '.join(COLUMNS)} FROM entry"
_INSERT = (f"INSERT INTO entry ({', '.join(COLUMNS)}) "
           f"VALUES ({', '.join('?' for _ in COLUMNS)})")

_STATUS_ORDER = ("CASE status WHEN 'draft' THEN 0 WHEN 'in-review' THEN 1 "
                 "WHEN 'approved' THEN 2 WHEN 'rejected' THEN 3 ELSE 4 END")
#: Sort keys (the GUI's columns and the CLI) -> SQL; every order ends with id so it is total.
SORT_KEYS: dict[str, str] = {
    "name": "name COLLATE NOCASE",
    "decal_id": "decal_id",
    "image_id": "image_id",
    "status": _STATUS_ORDER,
    "tags": "tags",
    "size": "coalesce(width * height, -1)",
    "file": "file_path",
    "created": "created",
    "updated": "updated",
    # Longest wait in review first; everything not in review after it.
    "review": "CASE WHEN status = 'in-review' THEN status_changed ELSE '9999' END",
}

#: Sort keys with an index, so the first rows come without sorting every match.
INDEXED_SORTS = frozenset({"name", "decal_id", "image_id", "created", "updated"})

# SQLite allows 999 parameters in old builds; stay well under it.
_BATCH = 500
#: From this many rows on, an insert fills the full-text index in one statement.
_BULK_FTS = 1000
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


class ImportCancelled(UserError):
    """The user cancelled an import; nothing was added."""

    def __init__(self) -> None:
        super().__init__("Import cancelled; nothing was added.", exit_code=1)


class DuplicateAssetError(UserError):
    """The decal or image ID is already catalogued; ``existing`` is the entry holding it."""

    def __init__(self, kind: str, asset_id: int, existing: Entry) -> None:
        super().__init__(f"The {kind} ID {asset_id} is already in the catalogue as "
                         f"{existing.name!r}; edit that entry instead.")
        self.kind = kind
        self.asset_id = asset_id
        self.existing = existing


class NotFoundError(UserError):
    """No entry has the given ID."""

    def __init__(self, message: str) -> None:
        super().__init__(message, exit_code=1)


@dataclass(frozen=True)
class Query:
    """A view on the catalogue: search text, status and tag filters, sort order."""

    text: str = ""
    status: Status | None = None
    tag: str | None = None
    sort: str = "name"
    descending: bool = False


#: Words of the search text that count. Every word must match, so a few already pick one
#: entry; a pasted page of 100,000 characters must not become an FTS query of 15,000 terms.
MAX_SEARCH_WORDS = 16
#: Longest word looked up (prefix queries on longer ones only cost time).
MAX_WORD_LENGTH = 64


def search_words(text: str) -> list[str]:
    """The words a search matches on: lower case, each once, at most MAX_SEARCH_WORDS."""
    words: dict[str, None] = {}
    for match in _WORD.finditer(text.lower()):
        words.setdefault(match.group()[:MAX_WORD_LENGTH])
        if len(words) >= MAX_SEARCH_WORDS:
            break
    return list(words)


def fts_expression(text: str) -> str | None:
    """Search text -> an FTS5 query: every word must match as a prefix; syntax is escaped."""
    words = search_words(text)
    if not words:
        return None
    return " ".join(f'"{word}"*' for word in words)


_STATUSES = {status.value: status for status in Status}


def _bindable(text: str) -> str:
    """Search text SQLite can take: bytes that aren't UTF-8 (lone surrogates, from argv or a
    paste) become "?", which matches what a reader would have seen in their place."""
    if text.isascii():
        return text
    return text.encode("utf-8", "replace").decode("utf-8")


def _row_to_entry(row: Sequence[Any], history: tuple[StatusChange, ...] = ()) -> Entry:
    return Entry(
        id=row[0], decal_id=row[1], image_id=row[2], name=row[3], description=row[4],
        tags=tuple(row[5].split(", ")) if row[5] else (), notes=row[6], creator_type=row[7],
        creator_id=row[8], file_path=row[9], sha256=row[10], prepared_sha256=row[11],
        width=row[12], height=row[13], status=_STATUSES[row[14]], status_changed=row[15],
        created=row[16], updated=row[17], history=history,
    )


def _entry_row(entry: Entry, entry_id: int | None) -> tuple[Any, ...]:
    return (entry_id, entry.decal_id, entry.image_id, entry.name, entry.description,
            ", ".join(entry.tags), entry.notes, entry.creator_type, entry.creator_id,
            entry.file_path, entry.sha256, entry.prepared_sha256, entry.width, entry.height,
            entry.status.value, entry.status_changed, entry.created, entry.updated)


def _chunks(items: Sequence[Any], size: int = _BATCH) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


class Catalog:
    """The asset catalogue in its SQLite file (default: ``catalogue.sqlite3`` in the data dir).

    ``report`` says whether a damaged or foreign file was kept aside at open, so the caller
    can tell the user. Writes raise ``CatalogBusyError`` when another process holds the lock
    longer than ``busy_timeout`` seconds, and ``DuplicateAssetError`` for an ID recorded twice.
    """

    def __init__(self, path: str | Path | None = None, *,
                 busy_timeout: float | None = None, reading: bool = False) -> None:
        self.path = Path(path) if path is not None else db.default_path()
        self.report = db.OpenReport()
        timeout = db.BUSY_TIMEOUT if busy_timeout is None else busy_timeout
        self.conn = db.connect(self.path, busy_timeout=timeout, report=self.report,
                               reading=reading)

    # --- lifetime -------------------------------------------------------------------------
    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Catalog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        with db.translated(self.path):
            return self.conn.execute(sql, params).fetchall()

    @property
    def read_only(self) -> str:
        """Why this catalogue can only be read ("" when it can be changed)."""
        return self.report.read_only

    def _transaction(self) -> Any:
        if self.report.read_only:
            raise db.CatalogReadOnlyError(self.path, self.report.read_only)
        return db.transaction(self.conn, self.path)

    def data_version(self) -> int:
        """Changes when another connection commits: cheap to poll for outside changes."""
        return int(self._read("PRAGMA data_version")[0][0])

    # --- reading --------------------------------------------------------------------------
    def _where(self, query: Query, dense: bool = False) -> tuple[str, list[Any]]:
        """SQL conditions for ``query``. ``dense``: the text matches most entries, so test
        each row in sort order until the page is full instead of collecting every match."""
        clauses: list[str] = []
        params: list[Any] = []
        text = _bindable(query.text).strip()
        if text:
            # A pasted address or rbxassetid:// finds its entry by ID.
            asset_id = try_parse_asset_id(text) if not text.isdigit() else None
            expression = fts_expression(text)
            if asset_id is not None and ("/" in text or ":" in text):
                clauses.append("(decal_id = ? OR image_id = ?)")
                params += [asset_id, asset_id]
            elif expression is not None and dense:
                clauses.append("EXISTS (SELECT 1 FROM entry_fts WHERE entry_fts MATCH ? "
                               "AND entry_fts.rowid = entry.id)")
                params.append(expression)
            elif expression is None:
                # Only punctuation (", ((((, ^, a NUL): no word to look up, so look for the
                # text itself in names, tags and notes instead of listing every entry.
                needle = text[:MAX_WORD_LENGTH]
                clauses.append("(instr(name, ?) OR instr(tags, ?) OR instr(notes, ?) "
                               "OR instr(description, ?))")
                params += [needle] * 4
            else:
                tag_words = _WORD.findall(query.tag.lower()) if query.tag else []
                if tag_words:
                    # Let the full-text index intersect with the tag too, so it hands over
                    # few rows; the exact tag test below still decides.
                    expression = f'({expression}) AND tags : "{" ".join(tag_words)}"'
                clauses.append("id IN (SELECT rowid FROM entry_fts WHERE entry_fts MATCH ?)")
                params.append(expression)
        if query.status is not None:
            clauses.append("status = ?")
            params.append(Status(query.status).value)
        if query.tag:
            clauses.append("id IN (SELECT entry_id FROM entry_tag WHERE tag = ?)")
            params.append(_bindable(query.tag))
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def _order(self, query: Query) -> str:
        if query.sort not in SORT_KEYS:
            raise UserError(f"Can't sort by {query.sort!r}; use one of: "
                            f"{', '.join(SORT_KEYS)}.")
        direction = "DESC" if query.descending else "ASC"
        return f" ORDER BY {SORT_KEYS[query.sort]} {direction}, id {direction}"

    def ids(self, query: Query = Query(), limit: int | None = None) -> list[int]:
        """Entry row IDs matching ``query``, in its order (what a table model holds).

        With ``limit``, only the first rows: what search-as-you-type shows at once.
        """
        dense = limit is not None and self._dense(query)
        where, params = self._where(query, dense)
        sql = f"SELECT id FROM entry{where}{self._order(query)}"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [row[0] for row in self._read(sql, params)]

    def _dense(self, query: Query) -> bool:
        """Whether the search text matches so many entries (a first letter typed) that
        walking the sort index beats collecting every match; decided from the index's count."""
        if query.sort not in INDEXED_SORTS or query.tag:
            return False
        expression = fts_expression(query.text)
        if expression is None or "/" in query.text or ":" in query.text:
            return False
        matches = self._read("SELECT count(*) FROM entry_fts WHERE entry_fts MATCH ?",
                             (expression,))[0][0]
        # The largest row ID stands in for the number of entries: instant, unlike count(*),
        # and close enough to choose a plan (both plans give the same rows).
        size = self._read("SELECT coalesce(max(id), 0) FROM entry")[0][0]
        return bool(matches * 3 > size)

    def count(self, query: Query = Query()) -> int:
        where, params = self._where(query)
        return int(self._read(f"SELECT count(*) FROM entry{where}", params)[0][0])

    def search(self, query: Query = Query(), limit: int | None = None,
               with_history: bool = False) -> list[Entry]:
        where, params = self._where(query)
        sql = f"{_SELECT}{where}{self._order(query)}"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        rows = self._read(sql, params)
        if not with_history:
            return [_row_to_entry(row) for row in rows]
        histories = self._histories(None if len(rows) > 5 * _BATCH else [r[0] for r in rows])
        return [_row_to_entry(row, histories.get(row[0], ())) for row in rows]

    def entries_by_ids(self, ids: Iterable[int]) -> dict[int, Entry]:
        """Entries (without history) for row IDs; missing IDs are simply absent."""
        wanted = list(dict.fromkeys(ids))
        found: dict[int, Entry] = {}
        for chunk in _chunks(wanted):
            marks = ", ".join("?" for _ in chunk)
            for row in self._read(f"{_SELECT} WHERE id IN ({marks})", chunk):
                found[row[0]] = _row_to_entry(row)
        return found

    def get(self, entry_id: int) -> Entry | None:
        rows = self._read(f"{_SELECT} WHERE id = ?", (entry_id,))
        return self._with_history([_row_to_entry(rows[0])])[0] if rows else None

    def history(self, entry_id: int) -> tuple[StatusChange, ...]:
        return tuple(StatusChange(Status(status), at) for status, at in self._read(
            "SELECT status, at FROM status_change WHERE entry_id = ? ORDER BY id", (entry_id,)))

    def _with_history(self, entries: list[Entry]) -> list[Entry]:
        if not entries:
            return entries
        changes = self._histories([e.id for e in entries if e.id is not None])
        return [e.with_changes(history=changes.get(e.id, ()) if e.id is not None else ())
                for e in entries]

    def _histories(self, ids: list[int] | None) -> dict[int, tuple[StatusChange, ...]]:
        """Status histories by entry; ``None`` (or many IDs) reads them all in one query."""
        if ids is None or len(ids) > 5 * _BATCH:
            rows = self._read("SELECT entry_id, status, at FROM status_change ORDER BY id")
        else:
            rows = []
            for chunk in _chunks(ids):
                marks = ", ".join("?" for _ in chunk)
                rows += self._read(f"SELECT entry_id, status, at FROM status_change WHERE "
                                   f"entry_id IN ({marks}) ORDER BY id", chunk)
        statuses = _STATUSES
        changes: dict[int, list[StatusChange]] = {}
        for entry_id, status, at in rows:
            changes.setdefault(entry_id, []).append(StatusChange(statuses[status], at))
        return {entry_id: tuple(items) for entry_id, items in changes.items()}

    def find_by_asset_id(self, asset_id: int) -> Entry | None:
        """The entry whose decal ID or image ID is ``asset_id``, with its history."""
        rows = self._read(f"{_SELECT} WHERE decal_id = ? OR image_id = ? ORDER BY id LIMIT 1",
                          (asset_id, asset_id))
        return self._with_history([_row_to_entry(rows[0])])[0] if rows else None

    def find(self, text: str) -> Entry:
        """The entry named by an asset ID in any form the parser takes; ``NotFoundError``."""
        from robloxassets.core.assetid import parse_asset_id

        asset_id = parse_asset_id(text).asset_id
        entry = self.find_by_asset_id(asset_id)
        if entry is None:
            raise NotFoundError(f"No entry in the catalogue has the decal or image ID "
                                f"{asset_id}.")
        return entry

    def find_by_sha256(self, hashes: Iterable[str]) -> dict[str, list[Entry]]:
        """Entries whose file (or upload-ready copy) has one of these content hashes.

        Returns ``{hash: [entries]}`` for the hashes that are catalogued; one query per 500
        hashes, so a Library of thousands of images is looked up at once.
        """
        wanted = list(dict.fromkeys(h.lower() for h in hashes if h))
        found: dict[str, list[Entry]] = {}
        for chunk in _chunks(wanted):
            marks = ", ".join("?" for _ in chunk)
            rows = self._read(f"{_SELECT} WHERE sha256 IN ({marks}) "
                              f"OR prepared_sha256 IN ({marks}) ORDER BY id", [*chunk, *chunk])
            chunk_set = set(chunk)
            for row in rows:
                entry = _row_to_entry(row)
                for digest in chunk_set.intersection((entry.sha256, entry.prepared_sha256)):
                    found.setdefault(digest, []).append(entry)
        return found

    def has_hashes(self) -> bool:
        """True when some entry records a file hash (only then are Library files hashed)."""
        return bool(self._read("SELECT EXISTS (SELECT 1 FROM entry WHERE sha256 IS NOT NULL "
                               "OR prepared_sha256 IS NOT NULL)")[0][0])

    def total(self) -> int:
        return int(self._read("SELECT count(*) FROM entry")[0][0])

    def status_counts(self) -> dict[Status, int]:
        counts = dict.fromkeys(Status, 0)
        for status, number in self._read("SELECT status, count(*) FROM entry GROUP BY status"):
            counts[Status(status)] = number
        return counts

    def review_counts(self, now: datetime | None = None) -> tuple[int, int, int]:
        """Entries in review: all of them, those waiting over a day, those over a week."""
        now = now or datetime.now(timezone.utc)
        day, week = (format_time(now - SLOW_REVIEW), format_time(now - CONTACT_SUPPORT_AFTER))
        total, slow, stuck = self._read(
            "SELECT count(*), coalesce(sum(status_changed <= ?), 0), "
            "coalesce(sum(status_changed <= ?), 0) FROM entry WHERE status = 'in-review'",
            (day, week))[0]
        return total, slow, stuck

    def tag_counts(self) -> list[tuple[str, int]]:
        """Every tag in use with its number of entries, by tag."""
        return [(tag, number) for tag, number in self._read(
            "SELECT tag, count(*) FROM entry_tag GROUP BY tag ORDER BY tag")]

    def code_sources(self) -> list[CodeSource]:
        """Name, IDs and status of every entry: all that code generation reads."""
        return [CodeSource(name, decal_id, image_id, _STATUSES[status])
                for name, decal_id, image_id, status in self._read(
                    "SELECT name, decal_id, image_id, status FROM entry ORDER BY id")]

    def iter_all(self, sort: str = "name") -> list[Entry]:
        """Every entry with its history, in a stable order (exports)."""
        return self.search(Query(sort=sort), with_history=True)

    # --- writing --------------------------------------------------------------------------
    def duplicate_of(self, entry: Entry, own_id: int | None = None) -> DuplicateAssetError | None:
        """The rule that an asset ID is recorded once: the error saying which other entry
        (not ``own_id``) already has the entry's decal or image ID, or None."""
        for kind, value in (("decal", entry.decal_id), ("image", entry.image_id)):
            if value is None:
                continue
            existing = self.find_by_asset_id(value)
            if existing is not None and existing.id != own_id:
                return DuplicateAssetError(kind, value, existing)
        return None

    def _check_unique(self, entry: Entry, own_id: int | None) -> None:
        duplicate = self.duplicate_of(entry, own_id)
        if duplicate is not None:
            raise duplicate

    def _write_tags(self, entry_id: int, tags: Iterable[str]) -> None:
        self.conn.execute("DELETE FROM entry_tag WHERE entry_id = ?", (entry_id,))
        self.conn.executemany("INSERT INTO entry_tag (entry_id, tag) VALUES (?, ?)",
                              [(entry_id, tag) for tag in tags])

    def add(self, entry: Entry) -> Entry:
        """Save a new entry (its ``id`` is ignored); returns it as stored."""
        entry = validate_entry(entry)
        now = utc_now()
        entry = entry.with_changes(created=entry.created or now, updated=now,
                                   status_changed=entry.status_changed or now)
        with self._transaction():
            self._check_unique(entry, None)
            cursor = self.conn.execute(_INSERT, _entry_row(entry, None))
            entry_id = cursor.lastrowid
            assert entry_id is not None  # an INSERT always sets it
            self._write_tags(entry_id, entry.tags)
            self.conn.execute("INSERT INTO status_change (entry_id, status, at) VALUES (?, ?, ?)",
                              (entry_id, entry.status.value, entry.status_changed))
        stored = self.get(entry_id)
        assert stored is not None
        return stored

    def update(self, entry: Entry) -> Entry:
        """Save changes to an existing entry; a new status is added to its history."""
        entry_id = entry.id
        if entry_id is None:
            raise ValueError("update() needs a saved entry")
        entry = validate_entry(entry)
        with self._transaction():
            old = self.get(entry_id)
            if old is None:
                raise NotFoundError(f"The entry {entry.name!r} was removed meanwhile "
                                    "(by another window?); add it again.")
            self._check_unique(entry, entry_id)
            now = utc_now()
            changed_status = entry.status is not old.status
            entry = entry.with_changes(
                created=old.created, updated=now,
                status_changed=now if changed_status else old.status_changed)
            self.conn.execute(
                f"UPDATE entry SET {', '.join(f'{c} = ?' for c in COLUMNS[1:])} WHERE id = ?",
                (*_entry_row(entry, None)[1:], entry_id))
            self._write_tags(entry_id, entry.tags)
            if changed_status:
                self.conn.execute(
                    "INSERT INTO status_change (entry_id, status, at) VALUES (?, ?, ?)",
                    (entry_id, entry.status.value, now))
        stored = self.get(entry_id)
        assert stored is not None
        return stored

    def set_status(self, entry_ids: Iterable[int], status: Status | str) -> int:
        """Move entries to ``status`` (history records it); returns how many changed."""
        status = status if isinstance(status, Status) else Status.parse(status)
        ids = list(entry_ids)
        now = utc_now()
        changed = 0
        with self._transaction():
            for chunk in _chunks(ids):
                marks = ", ".join("?" for _ in chunk)
                moving = [row[0] for row in self.conn.execute(
                    f"SELECT id FROM entry WHERE id IN ({marks}) AND status != ?",
                    [*chunk, status.value])]
                if not moving:
                    continue
                marks = ", ".join("?" for _ in moving)
                self.conn.execute(f"UPDATE entry SET status = ?, status_changed = ?, updated = ? "
                                  f"WHERE id IN ({marks})", [status.value, now, now, *moving])
                self.conn.executemany(
                    "INSERT INTO status_change (entry_id, status, at) VALUES (?, ?, ?)",
                    [(entry_id, status.value, now) for entry_id in moving])
                changed += len(moving)
        return changed

    def change_tags(self, entry_ids: Iterable[int], add: Iterable[str] = (),
                    remove: Iterable[str] = ()) -> int:
        """Add and/or remove tags on many entries at once; returns how many changed."""
        add_set, remove_set = set(parse_tags(list(add))), set(parse_tags(list(remove)))
        ids = list(entry_ids)
        now = utc_now()
        changed = 0
        with self._transaction():
            for entry_id, entry in self.entries_by_ids(ids).items():
                tags = tuple(sorted((set(entry.tags) | add_set) - remove_set))
                if tags == entry.tags:
                    continue
                self.conn.execute("UPDATE entry SET tags = ?, updated = ? WHERE id = ?",
                                  (", ".join(tags), now, entry_id))
                self._write_tags(entry_id, tags)
                changed += 1
        return changed

    def remove(self, entry_ids: Iterable[int]) -> list[Entry]:
        """Delete entries; returns them with their history so ``restore`` can undo it."""
        ids = list(entry_ids)
        with self._transaction():
            removed = self._with_history(list(self.entries_by_ids(ids).values()))
            for chunk in _chunks([e.id for e in removed]):
                marks = ", ".join("?" for _ in chunk)
                self.conn.execute(f"DELETE FROM entry WHERE id IN ({marks})", chunk)
        return removed

    def restore(self, entries: Sequence[Entry]) -> None:
        """Put entries back exactly as they were (same row IDs, times and history).

        Rows with the same IDs are replaced, so this also undoes edits. Raises
        ``DuplicateAssetError`` if another entry took one of their asset IDs meanwhile.
        """
        with self._transaction():
            ids = [e.id for e in entries if e.id is not None]
            for chunk in _chunks(ids):
                marks = ", ".join("?" for _ in chunk)
                self.conn.execute(f"DELETE FROM entry WHERE id IN ({marks})", chunk)
            for entry in entries:
                self._check_unique(entry, None)
            self._insert_rows(list(entries), keep_ids=True)

    def snapshot(self, entry_ids: Iterable[int]) -> list[Entry]:
        """Entries with history as they are now, for undoing a change made next."""
        return self._with_history(list(self.entries_by_ids(entry_ids).values()))

    def _insert_rows(self, entries: list[Entry], keep_ids: bool = False,
                     progress: Callable[[int], None] | None = None,
                     cancel: threading.Event | None = None, chunk_size: int = 2000) -> list[int]:
        """Insert validated entries with their tags and history (inside a transaction)."""
        bulk = not keep_ids and len(entries) >= _BULK_FTS
        if keep_ids:
            # Restored entries all have their IDs (zip below is strict if one had none).
            ids = [e.id for e in entries if e.id is not None]
        else:
            start = self.conn.execute("SELECT coalesce(max(id), 0) FROM entry").fetchone()[0] + 1
            ids = list(range(start, start + len(entries)))
        if bulk:
            self.conn.execute("DROP TRIGGER entry_fts_insert")
        done = 0
        for offset in range(0, len(entries), chunk_size):
            if cancel is not None and cancel.is_set():
                raise ImportCancelled()
            pairs = list(zip(entries[offset:offset + chunk_size],
                             ids[offset:offset + chunk_size], strict=True))
            self.conn.executemany(_INSERT, [_entry_row(e, i) for e, i in pairs])
            self.conn.executemany("INSERT INTO entry_tag (entry_id, tag) VALUES (?, ?)",
                                  [(i, tag) for e, i in pairs for tag in e.tags])
            self.conn.executemany(
                "INSERT INTO status_change (entry_id, status, at) VALUES (?, ?, ?)",
                [(i, change.status.value, change.at) for e, i in pairs
                 for change in (e.history or (StatusChange(e.status, e.status_changed),))])
            done += len(pairs)
            if progress is not None:
                progress(done)
        if bulk:
            self.conn.execute(db.FTS_FILL_FROM, (ids[0],))
            self.conn.execute(db.FTS_INSERT_TRIGGER)
        return ids

    def insert_many(self, entries: Sequence[Entry],
                    progress: Callable[[int], None] | None = None,
                    cancel: threading.Event | None = None) -> int:
        """Insert already-validated entries in one transaction: all of them or none."""
        try:
            with self._transaction():
                self._insert_rows(list(entries), progress=progress, cancel=cancel)
        except sqlite3.IntegrityError as exc:
            raise UserError("Some of these asset IDs are already in the catalogue (added by "
                            "another window meanwhile?); nothing was added. Try again.") from exc
        return len(entries)

    def existing_asset_ids(self) -> dict[int, tuple[str, str]]:
        """Every catalogued asset ID -> (kind, name); for validating a large import fast."""
        found: dict[int, tuple[str, str]] = {}
        for decal_id, image_id, name in self._read(
                "SELECT decal_id, image_id, name FROM entry"):
            if decal_id is not None:
                found[decal_id] = ("decal", name)
            if image_id is not None:
                found[image_id] = ("image", name)
        return found
