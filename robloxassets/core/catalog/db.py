"""The catalogue's SQLite file: opening, checking, migrating, transactions and busy handling.

* WAL journal, foreign keys on, every write inside ``transaction()`` (``BEGIN IMMEDIATE``, so
  a second writer waits for the busy timeout and then gets ``CatalogBusyError``).
* ``PRAGMA user_version`` holds the schema version; ``MIGRATIONS[n]`` takes version n to n+1.
  Before migrating a file that already holds data, a backup copy is written beside it.
* ``PRAGMA application_id`` marks the file as ours. A file that is not SQLite, is damaged, or
  is some other program's database is moved aside (``*.corrupt-<time>`` / ``*.foreign-<time>``)
  and a fresh catalogue starts; ``OpenReport`` tells the caller so it can tell the user.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from robloxassets.core import paths
from robloxassets.core.catalog import sqlerrors
from robloxassets.core.catalog.sqlerrors import Failure
from robloxassets.core.errors import UserError

log = logging.getLogger(__name__)

FILE_NAME = "catalogue.sqlite3"
#: "RBXA" as a 32-bit integer: marks the database as the catalogue of this app.
APPLICATION_ID = 0x52425841
#: Seconds a write waits for another window or CLI call to finish before giving up.
BUSY_TIMEOUT = 5.0
#: Exit code of the CLI when the catalogue is busy (sysexits' EX_TEMPFAIL: try again).
BUSY_EXIT_CODE = 75

#: The full-text index row of an entry; large imports drop this trigger and fill the index in
#: one statement (twice as fast), then create it again, all inside their transaction.
FTS_INSERT_TRIGGER = """CREATE TRIGGER entry_fts_insert AFTER INSERT ON entry BEGIN
    INSERT INTO entry_fts (rowid, name, tags, notes, description, ids)
    VALUES (new.id, new.name, new.tags, new.notes, new.description,
            trim(coalesce(new.decal_id, '') || ' ' || coalesce(new.image_id, '')));
END;"""
FTS_FILL_FROM = """INSERT INTO entry_fts (rowid, name, tags, notes, description, ids)
SELECT id, name, tags, notes, description,
       trim(coalesce(decal_id, '') || ' ' || coalesce(image_id, ''))
FROM entry WHERE id >= ?"""

# Never edit a released migration: add a new one to MIGRATIONS instead.
SCHEMA_V1 = """
CREATE TABLE entry (
    id INTEGER PRIMARY KEY,
    decal_id INTEGER UNIQUE CHECK (decal_id > 0),
    image_id INTEGER UNIQUE CHECK (image_id > 0),
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    creator_type TEXT CHECK (creator_type IN ('user', 'group')),
    creator_id INTEGER,
    file_path TEXT NOT NULL DEFAULT '',
    sha256 TEXT,
    prepared_sha256 TEXT,
    width INTEGER,
    height INTEGER,
    status TEXT NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'in-review', 'approved', 'rejected', 'archived')),
    status_changed TEXT NOT NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    CHECK (decal_id IS NOT NULL OR image_id IS NOT NULL)
);
CREATE INDEX entry_name ON entry (name COLLATE NOCASE, id);
CREATE INDEX entry_status ON entry (status, status_changed);
CREATE INDEX entry_updated ON entry (updated, id);
CREATE INDEX entry_created ON entry (created, id);
CREATE INDEX entry_sha256 ON entry (sha256) WHERE sha256 IS NOT NULL;
CREATE INDEX entry_prepared ON entry (prepared_sha256) WHERE prepared_sha256 IS NOT NULL;

-- entry.tags is the display copy ("a, b"); this table is what filters use.
CREATE TABLE entry_tag (
    entry_id INTEGER NOT NULL REFERENCES entry (id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (entry_id, tag)
) WITHOUT ROWID;
CREATE INDEX entry_tag_by_tag ON entry_tag (tag, entry_id);

CREATE TABLE status_change (
    id INTEGER PRIMARY KEY,
    entry_id INTEGER NOT NULL REFERENCES entry (id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX status_change_entry ON status_change (entry_id, id);

-- Full-text index over what people search for; rowid = entry.id, kept in step by triggers.
CREATE VIRTUAL TABLE entry_fts USING fts5 (
    name, tags, notes, description, ids,
    tokenize = "unicode61 remove_diacritics 2",
    prefix = '1 2 3'
);
{fts_insert_trigger}
CREATE TRIGGER entry_fts_delete AFTER DELETE ON entry BEGIN
    DELETE FROM entry_fts WHERE rowid = old.id;
END;
CREATE TRIGGER entry_fts_update AFTER UPDATE OF name, tags, notes, description, decal_id, image_id
ON entry BEGIN
    DELETE FROM entry_fts WHERE rowid = old.id;
    INSERT INTO entry_fts (rowid, name, tags, notes, description, ids)
    VALUES (new.id, new.name, new.tags, new.notes, new.description,
            trim(coalesce(new.decal_id, '') || ' ' || coalesce(new.image_id, '')));
END;
""".replace("{fts_insert_trigger}", FTS_INSERT_TRIGGER)

# The upload queue (core/upload): one row per file sent or to send, its state written before
# and after every step so a crash resumes where it stopped (see core/upload/store.py).
UPLOAD_QUEUE_V2 = """
CREATE TABLE upload (
    id INTEGER PRIMARY KEY,
    source_path TEXT NOT NULL,
    source_sha256 TEXT,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    asset_type TEXT NOT NULL CHECK (asset_type IN ('image', 'decal')),
    creator_type TEXT NOT NULL CHECK (creator_type IN ('user', 'group')),
    creator_id INTEGER NOT NULL CHECK (creator_id > 0),
    privacy TEXT NOT NULL DEFAULT 'default'
        CHECK (privacy IN ('default', 'restricted', 'open-use')),
    max_side INTEGER NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued'
        CHECK (state IN ('queued', 'preparing', 'sending', 'in-review', 'approved',
                         'rejected', 'failed', 'needs-decision')),
    prepared_path TEXT,
    prepared_sha256 TEXT,
    content_type TEXT,
    width INTEGER,
    height INTEGER,
    sent_name TEXT,
    operation_path TEXT,
    asset_id INTEGER,
    image_id INTEGER,
    entry_id INTEGER REFERENCES entry (id) ON DELETE SET NULL,
    error_kind TEXT NOT NULL DEFAULT '',
    error TEXT NOT NULL DEFAULT '',
    attempts INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    sent TEXT,
    accepted TEXT
);
CREATE INDEX upload_state ON upload (state, id);
CREATE INDEX upload_source ON upload (source_sha256) WHERE source_sha256 IS NOT NULL;
CREATE INDEX upload_asset ON upload (asset_id) WHERE asset_id IS NOT NULL;
"""

#: MIGRATIONS[n] upgrades a database at user_version n to n + 1.
MIGRATIONS: list[str] = [SCHEMA_V1, UPLOAD_QUEUE_V2]


def schema_version() -> int:
    return len(MIGRATIONS)


class CatalogBusyError(UserError):
    """Another window or command holds the catalogue's write lock longer than the timeout."""

    def __init__(self, path: Path | None = None) -> None:
        super().__init__("The catalogue is busy (another window is writing); try again.",
                         exit_code=BUSY_EXIT_CODE)
        self.path = path


class CatalogFileError(UserError):
    """The database file can't be used as it is (disk full, read-only, newer app version)."""


@dataclass
class OpenReport:
    """What happened while opening: a file kept aside, a backup taken, a migration run."""

    set_aside: Path | None = None
    reason: str = ""
    backup: Path | None = None
    migrated_from: int | None = None

    @property
    def message(self) -> str:
        if self.set_aside is None:
            return ""
        return (f"The catalogue file was {self.reason}; it was kept as {self.set_aside.name} "
                f"in {self.set_aside.parent} and a fresh catalogue was started.")


def default_path() -> Path:
    return paths.data_dir() / FILE_NAME


def translate_error(exc: sqlite3.Error, path: Path | None = None) -> UserError | None:
    """A user-facing error for SQLite failures the user can act on; None for bugs."""
    kind = sqlerrors.classify(exc)
    where = f" ({path})" if path else ""
    if kind is Failure.BUSY:
        return CatalogBusyError(path)
    if kind is Failure.FULL:
        return CatalogFileError(f"The disk holding the catalogue{where} is full; free some "
                                "space and try again. Nothing was changed.")
    if kind is Failure.READ_ONLY:
        return CatalogFileError(f"The catalogue{where} is read-only; check the folder's "
                                "permissions.")
    if kind in (Failure.CORRUPT, Failure.NOT_A_DATABASE):
        return CatalogFileError(f"The catalogue file{where} is damaged; restart the app to "
                                "keep it aside and start a fresh one.")
    if kind is Failure.IO:
        return CatalogFileError(f"The catalogue{where} could not be read or written ({exc}); "
                                "check the disk and try again.")
    return None


@contextlib.contextmanager
def translated(path: Path | None = None) -> Iterator[None]:
    """Re-raise SQLite errors the user can act on as ``UserError``s; others stay bugs."""
    try:
        yield
    except sqlite3.Error as exc:
        user_error = translate_error(exc, path)
        if user_error is None:
            raise
        raise user_error from exc


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection, path: Path | None = None) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``; rolls back on any exception (also KeyboardInterrupt)."""
    with translated(path):
        conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        with translated(path):
            conn.execute("COMMIT")


def _stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")


def _aside_name(path: Path, kind: str) -> Path:
    candidate = path.with_name(f"{path.name}.{kind}-{_stamp()}")
    counter = 2
    while candidate.exists():
        candidate = path.with_name(f"{path.name}.{kind}-{_stamp()}-{counter}")
        counter += 1
    return candidate


def _set_aside(path: Path, kind: str) -> Path:
    """Move the file (and its WAL/SHM companions) out of the way; never delete it."""
    target = _aside_name(path, kind)
    os.replace(path, target)
    for suffix in ("-wal", "-shm", "-journal"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            with contextlib.suppress(OSError):
                os.replace(companion, target.with_name(target.name + suffix))
    log.warning("Catalogue %s was %s; kept as %s", path, kind, target)
    return target


def _problem(path: Path) -> tuple[str, str] | None:
    """Why the existing file at ``path`` can't be our catalogue: (kind, reason), or None.

    The file is only looked at through SQLite: opening and closing it with ``open()`` would
    drop every POSIX lock this process holds on it (other connections of the window), and
    another process closing its connection could then take itself for the last one and
    delete the WAL under them. SQLite itself says when a file is not a database.
    """
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise CatalogFileError(f"The catalogue {path} can't be read ({exc.strerror}); check "
                               "its permissions.") from exc
    if size == 0:
        return None  # an empty file is simply a new database
    if not os.access(path, os.R_OK):
        raise CatalogFileError(f"The catalogue {path} can't be read (permission denied); "
                               "check its permissions.")
    probe: sqlite3.Connection | None = None
    try:
        probe = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                                timeout=BUSY_TIMEOUT)
        app_id = probe.execute("PRAGMA application_id").fetchone()[0]
        tables = {row[0] for row in probe.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        if app_id != APPLICATION_ID:
            if tables:
                return "foreign", "another program's database, not a catalogue"
            return None
        check = probe.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            return "corrupt", f"damaged ({check})"
    except sqlite3.Error as exc:
        kind = sqlerrors.classify(exc)
        if kind is Failure.BUSY:
            raise CatalogBusyError(path) from exc
        if kind is Failure.NOT_A_DATABASE:
            return "corrupt", "not a database (damaged or overwritten)"
        if kind is Failure.CORRUPT:
            return "corrupt", "damaged and could not be read"
        # Anything else is no sign of damage (a read-only probe can meet a short read of the
        # WAL index while another connection commits): only genuine corruption may set a
        # catalogue aside, and the real connection reports what persists.
        log.info("Catalogue check of %s inconclusive: %s", path, exc)
        return None
    finally:
        if probe is not None:
            probe.close()
    return None


def connect(path: Path | None = None, *, busy_timeout: float = BUSY_TIMEOUT,
            report: OpenReport | None = None) -> sqlite3.Connection:
    """Open (creating or migrating as needed) the catalogue at ``path`` (default location).

    ``report`` is filled in with anything the user should hear about.
    """
    path = Path(path) if path is not None else default_path()
    report = report if report is not None else OpenReport()
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        problem = _problem(path)
        if problem is not None:
            kind, reason = problem
            report.set_aside = _set_aside(path, kind)
            report.reason = reason
    try:
        conn = sqlite3.connect(path, timeout=busy_timeout, isolation_level=None,
                               check_same_thread=False)
    except sqlite3.Error as exc:
        raise translate_error(exc, path) or exc from exc
    try:
        with translated(path):
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
            conn.execute("PRAGMA foreign_keys = ON")
            if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            # With WAL, NORMAL never corrupts on a crash; it may lose the last commit on
            # power loss, which a catalogue can afford for its speed.
            conn.execute("PRAGMA synchronous = NORMAL")
            # 32 MB of page cache (default 2 MB): keeps the full-text index and the sort
            # indexes of a large catalogue in memory between keystrokes.
            conn.execute("PRAGMA cache_size = -32768")
        _migrate(conn, path, report)
    except BaseException:
        conn.close()
        raise
    return conn


def _migrate(conn: sqlite3.Connection, path: Path, report: OpenReport) -> None:
    with translated(path):
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    target = schema_version()
    if version == target:
        return
    if version > target:
        raise CatalogFileError(
            f"The catalogue {path} was written by a newer version of Roblox Assets (schema "
            f"{version}, this app knows {target}); update the app to open it.")
    if version > 0:
        report.backup = backup(conn, path, f"v{version}")
    with transaction(conn, path):
        # Another process may have migrated while we waited for the lock.
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version >= target:
            return
        for number in range(version, target):
            log.info("Migrating catalogue %s to schema %d", path, number + 1)
            for statement in _statements(MIGRATIONS[number]):
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {target}")
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    report.migrated_from = version


def _statements(script: str) -> list[str]:
    """Split a script into statements (``executescript`` would commit our transaction)."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        if line.strip().startswith("--") and not buffer.strip():
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements


def backup(conn: sqlite3.Connection, path: Path, label: str) -> Path:
    """A consistent copy of the open database beside it (``<name>.v1-<time>.bak``)."""
    target = path.with_name(f"{path.name}.{label}-{_stamp()}.bak")
    with translated(path):
        dest = sqlite3.connect(target)
        try:
            conn.backup(dest)
        finally:
            dest.close()
    log.info("Backed up catalogue %s to %s before migrating", path, target)
    return target
