"""The scan cache: what the scanner learnt about each file, and its thumbnail, in SQLite.

Entries are keyed by path and thumbnail size and only count when the file's size and mtime
still match, so a changed file is analysed again. The verdict is worked out again on every
read (from the stored facts), so a different ``max_side`` never needs a new scan.

It is only a cache: a damaged or foreign file is deleted and rebuilt, and when the database
cannot be used at all (read-only disk, full disk, locked for too long) every call degrades to
"not cached" instead of failing. Each thread gets its own connection (WAL lets the GUI read
thumbnails while a scan writes).

Paths are stored as text when they are valid UTF-8 and otherwise as the file name's bytes
(``os.fsencode``), a BLOB: a Linux file name can be any bytes, which Python hands over as
text with lone surrogates that SQLite can't take as text.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from robloxassets.core import paths
from robloxassets.core.images.info import ImageFacts, ImageInfo, Verdict, evaluate
from robloxassets.core.images.rules import MAX_TEXTURE_SIDE
from robloxassets.core.images.scan_types import ScanItem
from robloxassets.core.images.thumbnails import CachedThumbnail, Thumbnail, pack, unpack

log = logging.getLogger(__name__)

CACHE_FILE = "scan-cache.sqlite3"
SCHEMA_VERSION = 3  # 2: perceptual hashes (phash, phash_mirror); 3: colour signature
_CHUNK = 500  # paths per IN (...) query; well under SQLite's variable limit

_SCHEMA = """
CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL,
    thumb_size INTEGER NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    format TEXT,
    width INTEGER,
    height INTEGER,
    mode TEXT,
    has_alpha INTEGER NOT NULL,
    animated INTEGER NOT NULL,
    frames INTEGER NOT NULL,
    sha256 TEXT,
    corrupt TEXT,
    refused INTEGER NOT NULL,
    thumb_width INTEGER,
    thumb_height INTEGER,
    thumb_kind INTEGER,
    phash INTEGER,
    phash_mirror INTEGER,
    colour BLOB,
    UNIQUE (path, thumb_size)
);
-- Pixels apart from the facts, so listing 10,000 entries never reads thumbnail pages.
CREATE TABLE thumbs (item_id INTEGER PRIMARY KEY, data BLOB NOT NULL);
"""

_COLUMNS = ("id, path, size, mtime_ns, format, width, height, mode, has_alpha, animated, "
            "frames, sha256, corrupt, refused, thumb_width, thumb_height, phash, phash_mirror, "
            "colour")

T = TypeVar("T")


@contextlib.contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """One write transaction (taking the write lock at once), rolled back on any error."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _db_path(path: str) -> str | bytes:
    """How ``path`` is stored: as text, or as its bytes when it is not valid UTF-8."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path)
    return path


def _from_db(value: str | bytes) -> str:
    return value if isinstance(value, str) else os.fsdecode(value)


def _chunks(names: Sequence[str]) -> Iterator[tuple[list[str | bytes], str]]:
    """``names`` in slices of at most _CHUNK as stored (``_db_path``), each with its
    ``?, ?, ...`` placeholders."""
    for start in range(0, len(names), _CHUNK):
        chunk = [_db_path(name) for name in names[start:start + _CHUNK]]
        yield chunk, ",".join("?" * len(chunk))


def _signed(value: int | None) -> int | None:
    """A 64-bit unsigned hash as SQLite's signed INTEGER."""
    return value - (1 << 64) if value is not None and value >= 1 << 63 else value


def _unsigned(value: int | None) -> int | None:
    return value + (1 << 64) if value is not None and value < 0 else value


class ScanCache:
    """Scan results and thumbnails on disk, shared by the GUI, the CLI and the scanner.

    Thread-safe: every thread uses its own SQLite connection. Owns the file
    ``scan-cache.sqlite3`` in the user cache folder unless another ``path`` is given.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path is not None else paths.cache_dir() / CACHE_FILE
        self._local = threading.local()
        self._lock = threading.Lock()
        self._generation = 0
        self._connections: list[sqlite3.Connection] = []
        self._warned = False

    # -- connections -------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None and self._local.generation == self._generation:
            return conn
        if conn is not None:
            self._forget(conn)
        conn = sqlite3.connect(self.path, timeout=10, isolation_level=None,
                               check_same_thread=False)
        try:
            # Under the lock: two connections switching a new file to WAL at once can get
            # "database is locked" at once (SQLite doesn't wait on that lock).
            with self._lock:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                if version != SCHEMA_VERSION:
                    self._create_schema(conn, version)
        except BaseException:
            conn.close()
            raise
        with self._lock:
            self._connections.append(conn)
        self._local.conn = conn
        self._local.generation = self._generation
        return conn

    @staticmethod
    def _create_schema(conn: sqlite3.Connection, version: int) -> None:
        with _transaction(conn):
            if version != 0:
                log.info("Scan cache schema %s is not %s; starting afresh", version,
                         SCHEMA_VERSION)
            conn.execute("DROP TABLE IF EXISTS items")
            conn.execute("DROP TABLE IF EXISTS thumbs")
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _forget(self, conn: sqlite3.Connection) -> None:
        with self._lock:
            if conn in self._connections:
                self._connections.remove(conn)
        with contextlib.suppress(sqlite3.Error):
            conn.close()
        self._local.conn = None

    def close(self) -> None:
        """Close the calling thread's connection (others close when their thread ends)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            self._forget(conn)

    def _reset(self) -> None:
        """Throw away a damaged cache file and start a new one."""
        with self._lock:
            self._generation += 1
            for suffix in ("", "-wal", "-shm", "-journal"):
                try:
                    os.unlink(f"{self.path}{suffix}")
                except FileNotFoundError:
                    pass
                except OSError as exc:
                    log.warning("Could not delete the damaged scan cache %s: %s",
                                self.path, exc)
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            self._forget(conn)

    def _run(self, action: Callable[[sqlite3.Connection], T], default: T) -> T:
        for attempt in (1, 2):
            try:
                return action(self._connect())
            except sqlite3.DatabaseError as exc:
                text = str(exc).lower()
                damaged = (not isinstance(exc, sqlite3.OperationalError)
                           or "malformed" in text or "not a database" in text)
                if damaged and attempt == 1:
                    log.warning("Scan cache %s is damaged (%s); rebuilding it", self.path, exc)
                    self._reset()
                    continue
                if not self._warned:
                    log.warning("Scan cache %s is not usable (%s); scanning without it",
                                self.path, exc)
                    self._warned = True
                return default
            except OSError as exc:
                if not self._warned:
                    log.warning("Scan cache %s is not usable (%s)", self.path, exc)
                    self._warned = True
                return default
        return default

    # -- reading -----------------------------------------------------------------------

    def get(self, path: str, size: int, mtime_ns: int, thumb_size: int, *,
            max_side: int = MAX_TEXTURE_SIDE) -> ScanItem | None:
        """The cached result for this exact file version, thumbnail included, or None."""
        item = self.get_many([(path, size, mtime_ns)], thumb_size, max_side=max_side).get(path)
        if item is None or item.thumbnail is None:
            return item
        # get() promises a ready thumbnail; get_many() leaves pixels on disk until needed.
        thumb = self.thumbnail(path, size, mtime_ns, thumb_size)
        return ScanItem(item.info, thumb)

    def get_many(self, keys: Iterable[tuple[str, int, int]], thumb_size: int, *,
                 max_side: int = MAX_TEXTURE_SIDE) -> dict[str, ScanItem]:
        """Cached results for many ``(path, size, mtime_ns)`` at once, by path.

        Only entries whose size and mtime still match are returned. Their thumbnails are
        ``CachedThumbnail`` objects: no pixels are read until ``rgba`` is used.
        """
        wanted = {path: (size, mtime_ns) for path, size, mtime_ns in keys}
        if not wanted:
            return {}

        def action(conn: sqlite3.Connection) -> dict[str, ScanItem]:
            found: dict[str, ScanItem] = {}
            for chunk, marks in _chunks(list(wanted)):
                rows = conn.execute(
                    f"SELECT {_COLUMNS} FROM items WHERE thumb_size = ? AND path IN ({marks})",
                    (thumb_size, *chunk)).fetchall()
                for row in rows:
                    path = _from_db(row[1])
                    if (row[2], row[3]) == wanted.get(path):
                        found[path] = self._item_from_row(row, max_side)
            return found

        return self._run(action, {})

    def _item_from_row(self, row: Sequence[Any], max_side: int) -> ScanItem:
        (row_id, stored_path, size, mtime_ns, fmt, width, height, mode, has_alpha, animated,
         frames, sha256, corrupt, refused, thumb_width, thumb_height, phash, mirror, colour) = row
        path = _from_db(stored_path)
        phash, mirror = _unsigned(phash), _unsigned(mirror)
        facts = ImageFacts(path=path, bytes=size, mtime_ns=mtime_ns, format=fmt, width=width,
                           height=height, mode=mode, has_alpha=bool(has_alpha),
                           animated=bool(animated), frames=frames, sha256=sha256,
                           refused=bool(refused), phash=phash, phash_mirror=mirror,
                           colour=colour)
        if corrupt:
            info = ImageInfo(path=path, format=fmt, width=width, height=height, mode=mode,
                             has_alpha=bool(has_alpha), bytes=size, mtime_ns=mtime_ns,
                             verdict=Verdict.CORRUPT, message=corrupt,
                             animated=bool(animated), frames=frames, sha256=sha256,
                             phash=phash, phash_mirror=mirror, colour=colour)
        else:
            info = evaluate(facts, max_side)
        thumb = None
        if thumb_width:
            thumb = CachedThumbnail(thumb_width, thumb_height,
                                    lambda: self._pixels(row_id, size, mtime_ns))
        return ScanItem(info, thumb)

    def _pixels(self, row_id: int, size: int, mtime_ns: int) -> bytes | None:
        def action(conn: sqlite3.Connection) -> bytes | None:
            row = conn.execute(
                "SELECT items.thumb_kind, items.thumb_width, items.thumb_height, thumbs.data "
                "FROM items JOIN thumbs ON thumbs.item_id = items.id "
                "WHERE items.id = ? AND items.size = ? AND items.mtime_ns = ?",
                (row_id, size, mtime_ns)).fetchone()
            return None if row is None else unpack(row[0], row[3], row[1], row[2])

        return self._run(action, None)

    def thumbnail(self, path: str, size: int, mtime_ns: int, thumb_size: int
                  ) -> Thumbnail | None:
        """The cached thumbnail of this exact file version, or None (one indexed SELECT)."""
        def action(conn: sqlite3.Connection) -> Thumbnail | None:
            row = conn.execute(
                "SELECT items.thumb_kind, items.thumb_width, items.thumb_height, thumbs.data "
                "FROM items JOIN thumbs ON thumbs.item_id = items.id "
                "WHERE items.path = ? AND items.thumb_size = ? AND items.size = ? "
                "AND items.mtime_ns = ?", (_db_path(path), thumb_size, size, mtime_ns)
            ).fetchone()
            if row is None:
                return None
            rgba = unpack(row[0], row[3], row[1], row[2])
            return None if rgba is None else Thumbnail(row[1], row[2], rgba)

        return self._run(action, None)

    # -- writing -----------------------------------------------------------------------

    def put(self, item: ScanItem, thumb_size: int) -> None:
        """Store one scan result (replacing any older entry for the path)."""
        self.put_many([item], thumb_size)

    def put_many(self, items: Iterable[ScanItem], thumb_size: int, *,
                 packed: Sequence[tuple[int, bytes] | None] | None = None) -> None:
        """Store several scan results in one transaction.

        ``packed`` may carry each item's thumbnail already packed (``thumbnails.pack``), so
        the scanner's worker threads do the compressing instead of the thread writing here.
        """
        items = list(items)
        rows = [self._row_for(item, packed[i] if packed is not None else None)
                for i, item in enumerate(items)]
        if not rows:
            return

        def action(conn: sqlite3.Connection) -> None:
            with _transaction(conn):
                for values, thumb in rows:
                    path = _db_path(values[0])
                    conn.execute("DELETE FROM thumbs WHERE item_id IN "
                                 "(SELECT id FROM items WHERE path = ? AND thumb_size = ?)",
                                 (path, thumb_size))
                    conn.execute("DELETE FROM items WHERE path = ? AND thumb_size = ?",
                                 (path, thumb_size))
                    cursor = conn.execute(
                        "INSERT INTO items (path, thumb_size, size, mtime_ns, format, width, "
                        "height, mode, has_alpha, animated, frames, sha256, corrupt, refused, "
                        "thumb_width, thumb_height, thumb_kind, phash, phash_mirror, colour) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (path, thumb_size, *values[1:]))
                    if thumb is not None:
                        conn.execute("INSERT INTO thumbs (item_id, data) VALUES (?, ?)",
                                     (cursor.lastrowid, thumb))

        self._run(action, None)

    @staticmethod
    def _row_for(item: ScanItem, packed: tuple[int, bytes] | None = None
                 ) -> tuple[tuple[Any, ...], bytes | None]:
        info = item.info
        corrupt = info.message if info.verdict is Verdict.CORRUPT else None
        refused = corrupt is None and info.target_size is None
        kind: int | None = None
        data: bytes | None = None
        tw = th = None
        if item.thumbnail is not None:
            kind, data = packed if packed is not None else pack(item.thumbnail)
            tw, th = item.thumbnail.width, item.thumbnail.height
        values = (info.path, info.bytes, info.mtime_ns, info.format, info.width, info.height,
                  info.mode, int(info.has_alpha), int(info.animated), info.frames, info.sha256,
                  corrupt, int(refused), tw, th, kind, _signed(info.phash),
                  _signed(info.phash_mirror), info.colour)
        return values, data

    def hashes(self, keys: Iterable[tuple[str, int, int]]) -> dict[str, str]:
        """Known SHA-256 digests for ``(path, size, mtime_ns)``, by path (matching versions)."""
        wanted = {path: (size, mtime_ns) for path, size, mtime_ns in keys}

        def action(conn: sqlite3.Connection) -> dict[str, str]:
            found: dict[str, str] = {}
            for chunk, marks in _chunks(list(wanted)):
                for stored, size, mtime_ns, digest in conn.execute(
                        f"SELECT path, size, mtime_ns, sha256 FROM items WHERE sha256 IS NOT "
                        f"NULL AND path IN ({marks})", chunk):
                    path = _from_db(stored)
                    if (size, mtime_ns) == wanted.get(path):
                        found[path] = digest
            return found

        return self._run(action, {}) if wanted else {}

    def set_hashes(self, rows: Iterable[tuple[str, int, int, str]]) -> None:
        """Remember digests of ``(path, size, mtime_ns, sha256)``; only entries of that exact
        file version take them (a file changed meanwhile gets its hash on the next look)."""
        values = [(digest, _db_path(path), size, mtime_ns)
                  for path, size, mtime_ns, digest in rows]
        if not values:
            return

        def action(conn: sqlite3.Connection) -> None:
            with _transaction(conn):
                conn.executemany("UPDATE items SET sha256 = ? WHERE path = ? AND size = ? "
                                 "AND mtime_ns = ?", values)

        self._run(action, None)

    def forget(self, paths: Iterable[str]) -> None:
        """Drop the entries of files that are gone (every thumbnail size)."""
        names = list(dict.fromkeys(paths))
        if not names:
            return

        def action(conn: sqlite3.Connection) -> None:
            with _transaction(conn):
                for chunk, marks in _chunks(names):
                    conn.execute(f"DELETE FROM thumbs WHERE item_id IN (SELECT id FROM items "
                                 f"WHERE path IN ({marks}))", chunk)
                    conn.execute(f"DELETE FROM items WHERE path IN ({marks})", chunk)

        self._run(action, None)

    def prune_missing(self, cancel: threading.Event | None = None) -> int:
        """Drop entries of files deleted since they were cached; returns how many files.

        Only files whose folder still exists count as deleted: a folder that is missing may be
        on a drive that is not plugged in, and its entries are worth keeping for its return.
        """
        paths: list[str] = self._run(lambda conn: [_from_db(row[0]) for row in conn.execute(
            "SELECT DISTINCT path FROM items")], [])
        gone: list[str] = []
        folders: dict[str, bool] = {}
        for path in paths:
            if cancel is not None and cancel.is_set():
                return 0
            folder = os.path.dirname(path)
            if folder not in folders:
                folders[folder] = os.path.isdir(folder)
            if folders[folder] and not os.path.lexists(path):
                gone.append(path)
        self.forget(gone)
        if gone:
            log.info("Scan cache: forgot %d deleted files", len(gone))
        return len(gone)

    def clear(self) -> None:
        """Forget everything (e.g. a "Clear thumbnail cache" action)."""
        def action(conn: sqlite3.Connection) -> None:
            conn.execute("DELETE FROM thumbs")
            conn.execute("DELETE FROM items")

        self._run(action, None)

    def count(self) -> int:
        """How many entries the cache holds."""
        return self._run(lambda conn: conn.execute("SELECT COUNT(*) FROM items").fetchone()[0],
                         0)
