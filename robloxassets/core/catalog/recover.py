"""Reading what can still be read from a damaged catalogue into the fresh one.

A few damaged pages make SQLite refuse whole queries, while almost every row sits on pages
that are fine. Rows are read by ranges of their ``id`` (the table's own B-tree, so a range
only touches the pages holding it); a range that fails is split in halves down to single
rows, so only the rows on damaged pages are lost. Each value is checked before it goes into
the fresh file: a damaged page can hand out wrong values without an error.

The damaged file itself is never changed (opened read-only); it stays beside the fresh one.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

_ENTRY_COLUMNS = ("id", "decal_id", "image_id", "name", "description", "tags", "notes",
                  "creator_type", "creator_id", "file_path", "sha256", "prepared_sha256",
                  "width", "height", "status", "status_changed", "created", "updated")
_STATUSES = frozenset({"draft", "in-review", "approved", "rejected", "archived"})
_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_RANGE = 512  # rows per query before splitting
_MAX_ID = 2**63 - 1

#: Ranges in a row that can't be read (or hold nothing) before the rest counts as lost:
#: a damaged page can claim an absurd largest id, and walking up to it would never end.
_GIVE_UP_AFTER = 256


def _read_ranges(conn: sqlite3.Connection, table: str, columns: str, top: int
                 ) -> list[tuple[Any, ...]]:
    """Rows of ``table`` with ids up to ``top``: seek to the next id that exists, read a
    range from there, and split ranges that fail into halves down to single rows."""
    rows: list[tuple[Any, ...]] = []
    select = f"SELECT {columns} FROM {table} WHERE id >= ? AND id < ? ORDER BY id"
    position, misses = 1, 0
    while position <= top and misses < _GIVE_UP_AFTER:
        try:
            found = conn.execute(f"SELECT min(id) FROM {table} WHERE id >= ?",
                                 (position,)).fetchone()[0]
        except sqlite3.DatabaseError:
            found = position  # can't seek through the damage: read on from here
        if found is None:
            break
        before = len(rows)
        stack = [(found, found + _RANGE)]
        while stack:
            lo, hi = stack.pop()
            try:
                rows.extend(conn.execute(select, (lo, hi)).fetchall())
            except sqlite3.DatabaseError:
                if hi - lo > 1:
                    mid = (lo + hi) // 2
                    stack += [(mid, hi), (lo, mid)]
        misses = 0 if len(rows) > before else misses + 1
        position = found + _RANGE
    return rows


def _highest_id(conn: sqlite3.Connection) -> int:
    """The largest entry id any readable structure knows of (0 if none can be read)."""
    best = 0
    for sql in ("SELECT max(id) FROM entry",
                "SELECT max(entry_id) FROM status_change",
                "SELECT max(entry_id) FROM entry_tag",
                "SELECT max(id) FROM entry INDEXED BY entry_updated",
                "SELECT max(id) FROM entry INDEXED BY entry_created",
                "SELECT max(rowid) FROM entry_fts"):
        try:
            value = conn.execute(sql).fetchone()[0]
        except sqlite3.DatabaseError:
            continue
        if isinstance(value, int) and 0 < value <= _MAX_ID:
            best = max(best, value)
    return best


def _text(value: Any) -> bool:
    return isinstance(value, str)


def _optional_id(value: Any) -> bool:
    return value is None or (isinstance(value, int) and 0 < value <= _MAX_ID)


def _clean_entry(row: Sequence[Any]) -> bool:
    """True when a row read back holds values a catalogue entry can have."""
    values = dict(zip(_ENTRY_COLUMNS, row, strict=True))
    if not isinstance(values["id"], int) or values["id"] <= 0:
        return False
    if not (_optional_id(values["decal_id"]) and _optional_id(values["image_id"])):
        return False
    if values["decal_id"] is None and values["image_id"] is None:
        return False
    if not all(_text(values[key]) for key in ("name", "description", "tags", "notes",
                                              "file_path")):
        return False
    if not values["name"].strip() or values["status"] not in _STATUSES:
        return False
    if values["creator_type"] not in (None, "user", "group"):
        return False
    if not (values["creator_id"] is None or isinstance(values["creator_id"], int)):
        return False
    for key in ("sha256", "prepared_sha256"):
        if values[key] is not None and not (_text(values[key]) and _HEX64.match(values[key])):
            return False
    for key in ("width", "height"):
        if values[key] is not None and not (isinstance(values[key], int) and values[key] > 0):
            return False
    return all(_text(values[key]) and _TIME.match(values[key])
               for key in ("status_changed", "created", "updated"))


def salvage(source: Path) -> tuple[list[tuple[Any, ...]], dict[int, list[tuple[str, str]]]]:
    """(entry rows, status histories by entry id) that can be read from ``source``."""
    wal = source.with_name(source.name + "-wal")
    # Nobody writes the file kept aside: immutable reads it without making a -shm beside it,
    # unless a -wal holds changes that only a normal read-only open sees.
    flags = "mode=ro" if wal.exists() and wal.stat().st_size else "mode=ro&immutable=1"
    conn = sqlite3.connect(f"{source.resolve().as_uri()}?{flags}", uri=True)
    try:
        try:
            tables = {name for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError:
            # Not a database at all (or its first page is gone): every range would fail, and
            # splitting them all down to single rows took 12 s to find nothing.
            return [], {}
        if "entry" not in tables:
            return [], {}
        top = _highest_id(conn)
        entries = [row for row in _read_ranges(conn, "entry", ", ".join(_ENTRY_COLUMNS), top)
                   if _clean_entry(row)]
        histories: dict[int, list[tuple[str, str]]] = {}
        try:
            last = conn.execute("SELECT max(id) FROM status_change").fetchone()[0]
        except sqlite3.DatabaseError:
            last = None
        if not isinstance(last, int) or last <= 0:
            last = _MAX_ID  # unknown: the walk stops where the rows end
        changes = (_read_ranges(conn, "status_change", "id, entry_id, status, at", last)
                   if "status_change" in tables else [])
        for _id, entry_id, status, at in sorted(changes):
            if status in _STATUSES and _text(at) and _TIME.match(at):
                histories.setdefault(entry_id, []).append((status, at))
        return entries, histories
    finally:
        conn.close()


def recover_into(conn: sqlite3.Connection, source: Path | None, path: Path) -> int:
    """Copy the readable entries of the damaged ``source`` into the fresh catalogue open on
    ``conn`` (in one transaction); returns how many were saved. Never raises for damage."""
    if source is None:
        return 0
    try:
        entries, histories = salvage(source)
    except sqlite3.Error as exc:
        log.warning("Nothing could be read back from %s: %s", source, exc)
        return 0
    if not entries:
        return 0
    from robloxassets.core.catalog import db

    marks = ", ".join("?" for _ in _ENTRY_COLUMNS)
    saved = 0
    with db.transaction(conn, path):
        for row in entries:
            # OR IGNORE: two damaged rows claiming the same asset ID keep the first.
            cursor = conn.execute(f"INSERT OR IGNORE INTO entry ({', '.join(_ENTRY_COLUMNS)}) "
                                  f"VALUES ({marks})", row)
            if not cursor.rowcount:
                continue
            saved += 1
            entry_id, tags = row[0], row[5]
            conn.executemany("INSERT OR IGNORE INTO entry_tag (entry_id, tag) VALUES (?, ?)",
                             [(entry_id, tag) for tag in tags.split(", ") if tag])
            history = histories.get(entry_id) or [(row[14], row[15])]
            conn.executemany("INSERT INTO status_change (entry_id, status, at) VALUES (?, ?, ?)",
                             [(entry_id, status, at) for status, at in history])
    log.warning("Recovered %d entries from the damaged catalogue %s", saved, source)
    return saved
