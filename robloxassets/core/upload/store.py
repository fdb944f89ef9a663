"""The upload queue's rows in the catalogue database (table ``upload``, schema version 2).

``UploadStore`` wraps a ``Catalog``'s connection; every change is its own short transaction,
so each step of an upload is on disk before the next one starts. State changes name the
states they expect (``move(..., from_=...)``): a change that lost a race (the user cancelled
the item meanwhile, from another window) changes nothing and returns False.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from robloxassets.core.catalog import db
from robloxassets.core.catalog.model import utc_now
from robloxassets.core.catalog.store import Catalog
from robloxassets.core.cloud.assets import AssetType, Creator, Privacy
from robloxassets.core.upload.model import (
    ACTIVE_STATES,
    MAY_HAVE_BEEN_UPLOADED,
    State,
    UploadItem,
)

COLUMNS = ("id", "source_path", "source_sha256", "name", "description", "asset_type",
           "creator_type", "creator_id", "privacy", "max_side", "state", "prepared_path",
           "prepared_sha256", "content_type", "width", "height", "sent_name",
           "operation_path", "asset_id", "image_id", "entry_id", "error_kind", "error",
           "attempts", "created", "updated", "sent", "accepted")
_SELECT = f"SELECT {', '.join(COLUMNS)} FROM upload"
_STATES = {state.value: state for state in State}
_CHUNK = 500


def _item(row: Sequence[Any]) -> UploadItem:
    values = dict(zip(COLUMNS, row, strict=True))
    creator = Creator(values.pop("creator_type"), values.pop("creator_id"))
    return UploadItem(**{**values, "creator": creator,
                         "asset_type": AssetType(values["asset_type"]),
                         "privacy": Privacy(values["privacy"]),
                         "state": _STATES[values["state"]]})


@dataclass(frozen=True)
class NewUpload:
    source_path: str
    source_sha256: str | None
    name: str
    description: str
    asset_type: AssetType
    creator: Creator
    privacy: Privacy
    max_side: int


@dataclass(frozen=True)
class Recovery:
    """What ``recover`` found after an earlier run stopped: items whose preparation was cut
    off (queued again) and items cut off while sending (now needing a decision)."""

    requeued: int = 0
    flagged: tuple[int, ...] = ()


class UploadStore:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.conn = catalog.conn

    def _transaction(self) -> Any:
        return db.transaction(self.conn, self.catalog.path)

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        with db.translated(self.catalog.path):
            return self.conn.execute(sql, params).fetchall()

    # --- reading --------------------------------------------------------------------------
    def get(self, item_id: int) -> UploadItem | None:
        rows = self._read(f"{_SELECT} WHERE id = ?", (item_id,))
        return _item(rows[0]) if rows else None

    def many(self, ids: Iterable[int]) -> dict[int, UploadItem]:
        wanted = list(dict.fromkeys(ids))
        found: dict[int, UploadItem] = {}
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start:start + _CHUNK]
            marks = ", ".join("?" for _ in chunk)
            for row in self._read(f"{_SELECT} WHERE id IN ({marks})", chunk):
                found[row[0]] = _item(row)
        return found

    def items(self, states: Iterable[State] | None = None, limit: int | None = None
              ) -> list[UploadItem]:
        """Items, newest first (what the Uploads page lists)."""
        sql, params = _SELECT, []
        if states is not None:
            wanted = [State(s).value for s in states]
            sql += f" WHERE state IN ({', '.join('?' for _ in wanted)})"
            params = wanted
        sql += " ORDER BY id DESC"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [_item(row) for row in self._read(sql, params)]

    def counts(self) -> dict[State, int]:
        counts = dict.fromkeys(State, 0)
        for state, number in self._read("SELECT state, count(*) FROM upload GROUP BY state"):
            counts[_STATES[state]] = number
        return counts

    def pending(self) -> int:
        """Items a runner still has work on."""
        marks = ", ".join("?" for _ in ACTIVE_STATES)
        return int(self._read(f"SELECT count(*) FROM upload WHERE state IN ({marks})",
                              [s.value for s in ACTIVE_STATES])[0][0])

    def next_queued(self, exclude: set[int], limit: int) -> list[UploadItem]:
        """Queued items in queue order, skipping those the runner already holds."""
        if limit <= 0:
            return []
        skip = sorted(exclude)[:_CHUNK]
        clause = f" AND id NOT IN ({', '.join('?' for _ in skip)})" if skip else ""
        rows = self._read(f"{_SELECT} WHERE state = 'queued'{clause} ORDER BY id LIMIT ?",
                          (*skip, limit + len(exclude) - len(skip)))
        return [item for item in map(_item, rows) if item.id not in exclude][:limit]

    def polling(self) -> list[UploadItem]:
        """Items Roblox accepted whose operation has not been seen to finish."""
        return [_item(row) for row in self._read(
            f"{_SELECT} WHERE state = 'sending' AND operation_path IS NOT NULL ORDER BY id")]

    def unfinished_for(self, source_sha256: str) -> UploadItem | None:
        """An item for this content that is queued, on its way, or waiting for the user."""
        rows = self._read(f"{_SELECT} WHERE source_sha256 = ? AND state IN "
                          "('queued', 'preparing', 'sending', 'failed', 'needs-decision') "
                          "ORDER BY id LIMIT 1", (source_sha256,))
        return _item(rows[0]) if rows else None

    def accepted_for(self, source_sha256: str) -> UploadItem | None:
        rows = self._read(f"{_SELECT} WHERE source_sha256 = ? AND state IN "
                          "('in-review', 'approved', 'rejected') ORDER BY id DESC LIMIT 1",
                          (source_sha256,))
        return _item(rows[0]) if rows else None

    def by_asset_id(self, asset_id: int) -> UploadItem | None:
        rows = self._read(f"{_SELECT} WHERE asset_id = ? ORDER BY id DESC LIMIT 1",
                          (asset_id,))
        return _item(rows[0]) if rows else None

    # --- writing --------------------------------------------------------------------------
    def add(self, uploads: Sequence[NewUpload]) -> list[int]:
        now = utc_now()
        ids = []
        with self._transaction():
            for new in uploads:
                cursor = self.conn.execute(
                    "INSERT INTO upload (source_path, source_sha256, name, description, "
                    "asset_type, creator_type, creator_id, privacy, max_side, state, created, "
                    "updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)",
                    (new.source_path, new.source_sha256, new.name, new.description,
                     new.asset_type.value, new.creator.kind, new.creator.id,
                     new.privacy.value, new.max_side, now, now))
                ids.append(int(cursor.lastrowid or 0))
        return ids

    def move(self, item_id: int, to: State, *, from_: Iterable[State],
             **fields: Any) -> bool:
        """Set the state (and ``fields``) if the item is in one of ``from_``."""
        expected = [State(s).value for s in from_]
        columns = {"state": to.value, "updated": utc_now(), **fields}
        unknown = set(columns) - set(COLUMNS)
        if unknown:
            raise ValueError(f"unknown upload columns {sorted(unknown)}")
        assignments = ", ".join(f"{name} = ?" for name in columns)
        marks = ", ".join("?" for _ in expected)
        with self._transaction():
            cursor = self.conn.execute(
                f"UPDATE upload SET {assignments} WHERE id = ? AND state IN ({marks})",
                [*columns.values(), item_id, *expected])
        return cursor.rowcount == 1

    def update(self, item_id: int, **fields: Any) -> None:
        """Change fields without a state change (e.g. a decal's image ID found later)."""
        columns = {"updated": utc_now(), **fields}
        if set(columns) - set(COLUMNS) or "state" in columns:
            raise ValueError("update() changes fields, not the state")
        assignments = ", ".join(f"{name} = ?" for name in columns)
        with self._transaction():
            self.conn.execute(f"UPDATE upload SET {assignments} WHERE id = ?",
                              [*columns.values(), item_id])

    def recover(self) -> Recovery:
        """After a run that stopped without finishing (crash, kill, power cut): preparation
        starts over; an item that was being sent with no operation recorded may have reached
        Roblox, so it waits for the user. Call only while holding the runner lock."""
        now = utc_now()
        with self._transaction():
            requeued = self.conn.execute(
                "UPDATE upload SET state = 'queued', updated = ? WHERE state = 'preparing'",
                (now,)).rowcount
            rows = self.conn.execute(
                "SELECT id, name FROM upload WHERE state = 'sending' AND "
                "operation_path IS NULL ORDER BY id").fetchall()
            for item_id, name in rows:
                self.conn.execute(
                    "UPDATE upload SET state = 'needs-decision', error_kind = 'cut-off', "
                    "error = ?, updated = ? WHERE id = ?",
                    (MAY_HAVE_BEEN_UPLOADED.format(name=name), now, item_id))
        return Recovery(requeued, tuple(row[0] for row in rows))

    def retry(self, ids: Iterable[int]) -> int:
        """Queue failed items (and items needing a decision: the user decided to send them
        again) once more; returns how many."""
        changed = 0
        for item_id in ids:
            if self.move(item_id, State.QUEUED, from_=(State.FAILED, State.NEEDS_DECISION),
                         error="", error_kind="", operation_path=None, attempts=0):
                changed += 1
        return changed

    def cancel(self, ids: Iterable[int], *, idle: bool = False) -> int:
        """Remove items not on their way to Roblox (queued, failed, needing a decision).
        Items already accepted stay, and so do items being sent unless ``idle`` (the caller
        holds the runner lock: nobody is sending them, so "sending" is a leftover and the
        user may drop it)."""
        wanted = list(ids)
        states = "'queued', 'failed', 'needs-decision'" + (
            ", 'preparing', 'sending'" if idle else "")
        removed = 0
        with self._transaction():
            for start in range(0, len(wanted), _CHUNK):
                chunk = wanted[start:start + _CHUNK]
                marks = ", ".join("?" for _ in chunk)
                removed += self.conn.execute(
                    f"DELETE FROM upload WHERE id IN ({marks}) AND state IN ({states})",
                    chunk).rowcount
        return removed

    def forget_finished(self, ids: Iterable[int] | None = None) -> int:
        """Drop finished rows from the list (the catalogue keeps their entries)."""
        sql = "DELETE FROM upload WHERE state IN ('approved', 'rejected')"
        with self._transaction():
            if ids is None:
                return self.conn.execute(sql).rowcount
            wanted = list(ids)
            marks = ", ".join("?" for _ in wanted) or "NULL"
            return self.conn.execute(f"{sql} AND id IN ({marks})", wanted).rowcount

    def rename(self, item_id: int, name: str, description: str | None = None) -> bool:
        """New name (and description) for an item not sent yet or refused; it stays in its
        state (``retry`` queues a failed one)."""
        fields: dict[str, Any] = {"name": name, "sent_name": None}
        if description is not None:
            fields["description"] = description
        item = self.get(item_id)
        if item is None or item.state not in (State.QUEUED, State.FAILED,
                                              State.NEEDS_DECISION):
            return False
        return self.move(item_id, item.state, from_=(item.state,), **fields)
