"""The catalogue's SQLite file: opening, checking, migrating, transactions and busy handling.

* WAL journal, foreign keys on, every write inside ``transaction()`` (``BEGIN IMMEDIATE``, so
  a second writer waits for the busy timeout and then gets ``CatalogBusyError``).
* ``PRAGMA user_version`` holds the schema version; ``MIGRATIONS[n]`` takes version n to n+1.
  Before migrating a file that already holds data, a backup copy is written beside it.
* ``PRAGMA application_id`` marks the file as ours. A file that is not SQLite, is damaged, or
  is some other program's database is moved aside (``*.corrupt-<time>`` / ``*.foreign-<time>``)
  and a fresh catalogue starts, holding every entry that could still be read from a damaged
  file (``recover``); ``OpenReport`` tells the caller so it can tell the user.
* Only SQLite's own verdict of damage (SQLITE_CORRUPT, SQLITE_NOTADB) sets a file aside: a
  full disk, an I/O error or a lock while opening is reported and the file left alone.
* A catalogue whose folder can't be written (read-only disk, no permission) opens for reading
  (``OpenReport.read_only`` says why); every write then raises ``CatalogReadOnlyError``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sqlite3
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from robloxassets.core import paths
from robloxassets.core.catalog import sqlerrors
from robloxassets.core.catalog.sqlerrors import Failure
from robloxassets.core.errors import IO_EXIT_CODE, UserError, describe_os_error, disk_error
from robloxassets.core.safeio import kind_of

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


class CatalogReadOnlyError(CatalogFileError):
    """A write to a catalogue that could only be opened for reading."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"The catalogue {path} can't be changed: {reason}. Nothing was "
                         "changed; make its folder writable (or set ROBLOXASSETS_HOME to a "
                         "writable folder) and try again.", exit_code=IO_EXIT_CODE)
        self.reason = reason


#: What to do about a catalogue that can only be read (said by the CLI and the window).
READ_ONLY_ADVICE = ("Changes can't be saved until that is fixed: make it writable (or set "
                    "ROBLOXASSETS_HOME to a writable folder), then try again.")


@dataclass
class OpenReport:
    """What happened while opening: a file kept aside (and how many of its entries were
    saved from it), a backup taken, a migration run, or a catalogue opened read-only."""

    set_aside: Path | None = None
    reason: str = ""
    backup: Path | None = None
    migrated_from: int | None = None
    #: Entries read back from the file kept aside into the fresh one (None: nothing tried).
    recovered: int | None = None
    #: Why the catalogue can only be read ("" when it can be changed).
    read_only: str = ""

    @property
    def message(self) -> str:
        parts: list[str] = []
        if self.set_aside is not None:
            parts.append(f"The catalogue file was {self.reason}; it was kept as "
                         f"{self.set_aside.name} in {self.set_aside.parent} and a fresh "
                         "catalogue was started.")
            if self.recovered:
                parts.append(f"{self.recovered:,} "
                             f"{'entry was' if self.recovered == 1 else 'entries were'} "
                             "read back from the damaged file into the fresh one; check for "
                             "missing entries (the kept file still holds everything).")
            elif self.recovered == 0 and self.reason.startswith("damaged"):
                parts.append("No entries could be read back from it.")
        if self.read_only:
            parts.append(f"The catalogue can only be read: {self.read_only}. {READ_ONLY_ADVICE}")
        return " ".join(parts)


def default_path() -> Path:
    return paths.data_dir() / FILE_NAME


def is_corruption(exc: sqlite3.Error) -> bool:
    """Only these errors say the file itself is damaged; any other (full disk, I/O error,
    read-only, out of memory) is about the moment, and must never set a catalogue aside."""
    return sqlerrors.classify(exc) in (Failure.CORRUPT, Failure.NOT_A_DATABASE)


def _damage(exc: sqlite3.Error, doing: str) -> tuple[str, str]:
    """The (kind, reason) a file is set aside for, after ``is_corruption(exc)``."""
    if sqlerrors.classify(exc) is Failure.NOT_A_DATABASE:
        return "corrupt", "not a database (damaged or overwritten)"
    return "corrupt", f"damaged and could not be {doing}"


def translate_error(exc: sqlite3.Error, path: Path | None = None) -> UserError | None:
    """A user-facing error for SQLite failures the user can act on; None for bugs."""
    kind = sqlerrors.classify(exc)
    where = f" ({path})" if path else ""
    if kind is Failure.BUSY:
        return CatalogBusyError(path)
    if kind is Failure.FULL or (kind is Failure.IO and _disk_full(path)):
        # On a full disk SQLite often says "disk I/O error" (it could not grow the WAL
        # index): the free space tells the two apart.
        return CatalogFileError(f"The disk holding the catalogue{where} is full: free some "
                                "space and try again. Nothing was changed.",
                                exit_code=IO_EXIT_CODE)
    if kind is Failure.READ_ONLY:
        return CatalogFileError(f"The catalogue{where} is read-only; check the permissions of "
                                "its folder (or whether its disk is mounted read-only). "
                                "Nothing was changed.", exit_code=IO_EXIT_CODE)
    if kind in (Failure.CORRUPT, Failure.NOT_A_DATABASE):
        return CatalogFileError(f"The catalogue file{where} is damaged; restart the app to "
                                "keep it aside and start a fresh one.")
    if kind is Failure.IO:
        return CatalogFileError(f"The catalogue{where} could not be read or written ({exc}): "
                                "the disk may be full, removed or failing; check it and try "
                                "again. Nothing was changed.", exit_code=IO_EXIT_CODE)
    if kind is Failure.CANT_OPEN:
        return CatalogFileError(f"The catalogue{where} can't be opened ({exc}); check that "
                                "its folder exists and you may write there.",
                                exit_code=IO_EXIT_CODE)
    if kind is Failure.NO_MEMORY:
        return CatalogFileError("There is not enough memory to open the catalogue; close "
                                "other programs and try again.", exit_code=IO_EXIT_CODE)
    return None


def _disk_full(path: Path | None) -> bool:
    """True when the file system holding ``path`` has (almost) no space left."""
    if path is None:
        return False
    try:
        return shutil.disk_usage(path.parent).free < 256 * 1024
    except OSError:
        return False


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
    except BaseException as exc:
        if conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):  # SQLite may have rolled back itself
                conn.execute("ROLLBACK")
        # A statement inside failing for a reason the user can act on (the disk filled up
        # in the middle of an import) is a message too, not a bug.
        user_error = translate_error(exc, path) if isinstance(exc, sqlite3.Error) and not \
            isinstance(exc, sqlite3.IntegrityError) else None
        if user_error is not None:
            raise user_error from exc
        raise
    else:
        try:
            with translated(path):
                conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            raise


def _stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")


def _aside_name(path: Path, kind: str) -> Path:
    candidate = path.with_name(f"{path.name}.{kind}-{_stamp()}")
    counter = 2
    while candidate.exists():
        candidate = path.with_name(f"{path.name}.{kind}-{_stamp()}-{counter}")
        counter += 1
    return candidate


def _set_aside(path: Path, kind: str, reason: str) -> Path:
    """Move the file (and its WAL/SHM companions) out of the way; never delete it."""
    target = _aside_name(path, kind)
    try:
        os.replace(path, target)
    except OSError as exc:
        raise CatalogFileError(
            f"The catalogue {path} is {reason}, and it can't be kept aside to start a fresh "
            f"one ({describe_os_error(exc)}): make its folder writable and open it again; "
            "until then nothing in it is changed.", exit_code=IO_EXIT_CODE) from exc
    for suffix in ("-wal", "-shm", "-journal"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            with contextlib.suppress(OSError):
                os.replace(companion, target.with_name(target.name + suffix))
    log.warning("Catalogue %s was %s; kept as %s", path, kind, target)
    return target


def _file_problem(path: Path) -> tuple[str, str] | None:
    """What the file system says of the existing ``path``: a refusal when it is no file.

    The file is not opened here: opening and closing it with ``open()`` would drop every
    POSIX lock this process holds on it (other connections of the window), and another
    process closing its connection could then take itself for the last one and delete the
    WAL under them. SQLite itself says when a file is not a database (_content_problem).
    """
    try:
        info = path.stat()
    except OSError as exc:
        raise disk_error(exc, path, doing="read the catalogue",
                         after="Nothing was changed.") from exc
    if not stat.S_ISREG(info.st_mode):
        raise CatalogFileError(f"The catalogue {path} is {kind_of(info.st_mode)}, not a file; "
                               "move it away so a catalogue can be kept there.")
    return None


def _content_problem(conn: sqlite3.Connection, path: Path) -> tuple[str, str] | None:
    """Whether the open database is a healthy catalogue: (kind, reason), or None.

    Only SQLite saying the file is damaged counts as damage; any other error (full disk,
    I/O error, out of memory, a lock) is raised as a message and the file is left alone.
    """
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = {row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        if app_id != APPLICATION_ID:
            if tables:
                return "foreign", "another program's database, not a catalogue"
            return None
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            return "corrupt", f"damaged ({check})"
    except sqlite3.Error as exc:
        if is_corruption(exc):
            return _damage(exc, "read")
        raise translate_error(exc, path) or exc from exc
    return None


def _why_read_only(path: Path) -> str:
    """Why the catalogue at ``path`` can't be written, in words ("" when it can)."""
    folder = path.parent
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return f"its folder {folder} is on a disk mounted read-only"
    except (OSError, AttributeError):  # no statvfs (Windows) or no folder
        pass
    if not folder.is_dir():
        return f"its folder {folder} does not exist and can't be created"
    if not os.access(folder, os.W_OK):
        return f"you have no permission to write in its folder {folder}"
    if os.path.lexists(path) and not os.access(path, os.W_OK):
        return f"you have no permission to change the file {path}"
    return ""


def _configure(conn: sqlite3.Connection, busy_timeout: float, writable: bool) -> None:
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")
    # 32 MB of page cache (default 2 MB): keeps the full-text index and the sort indexes of
    # a large catalogue in memory between keystrokes.
    conn.execute("PRAGMA cache_size = -32768")
    if not writable:
        conn.execute("PRAGMA query_only = ON")
        return
    if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        conn.execute("PRAGMA journal_mode = WAL")
    # With WAL, NORMAL never corrupts on a crash; it may lose the last commit on power
    # loss, which a catalogue can afford for its speed.
    conn.execute("PRAGMA synchronous = NORMAL")


def _opened(target: str | Path, busy_timeout: float, writable: bool, *, uri: bool = False,
            probe: bool = False) -> sqlite3.Connection:
    """A configured connection to ``target``; closed again if configuring it fails.
    ``probe`` reads the schema first, which is where a read-only open fails."""
    conn = sqlite3.connect(target, uri=uri, timeout=busy_timeout, isolation_level=None,
                           check_same_thread=False)
    try:
        if probe:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        _configure(conn, busy_timeout, writable)
    except BaseException:
        conn.close()
        raise
    return conn


def _open_writable(path: Path, busy_timeout: float) -> sqlite3.Connection:
    return _opened(path, busy_timeout, True)


def _open_read_only(path: Path, busy_timeout: float) -> sqlite3.Connection:
    """Open a catalogue whose folder can't be written.

    ``mode=ro`` works while the WAL index (``-shm``) exists or can be made. On a read-only
    disk it can't, and only ``immutable=1`` opens the file; that ignores the ``-wal`` file,
    so it is used only when there is no WAL content to miss.
    """
    uri = path.resolve().as_uri()
    try:
        return _opened(f"{uri}?mode=ro", busy_timeout, False, uri=True, probe=True)
    except sqlite3.Error as exc:
        # CANT_OPEN: no -shm can be made (read-only disk); IO: it can't grow (full disk).
        if sqlerrors.classify(exc) not in (Failure.CANT_OPEN, Failure.IO):
            raise
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise CatalogFileError(
            f"The catalogue {path} has changes that were never merged into it (in "
            f"{wal.name}), and its folder can't be written, so they can't be read: make the "
            "folder writable once and open the catalogue again.", exit_code=IO_EXIT_CODE)
    return _opened(f"{uri}?mode=ro&immutable=1", busy_timeout, False, uri=True)


def _open_empty_read_only(busy_timeout: float) -> sqlite3.Connection:
    """An empty catalogue in memory, read-only: what a catalogue that can't be created
    holds. Reading commands show no entries; writing ones say why they can't."""
    conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    for statement in _statements(SCHEMA_V1):
        conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {schema_version()}")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    _configure(conn, busy_timeout, False)
    return conn


def connect(path: Path | None = None, *, busy_timeout: float = BUSY_TIMEOUT,
            report: OpenReport | None = None, reading: bool = False) -> sqlite3.Connection:
    """Open (creating or migrating as needed) the catalogue at ``path`` (default location).

    ``report`` is filled in with anything the user should hear about: a damaged file kept
    aside (and the entries read back from it), or a catalogue that can only be read.
    Raises ``CatalogFileError`` (a ``UserError``) when it can't be opened at all.
    ``reading``: the caller only reads (a listing), so a catalogue that can't be opened for
    writing because its disk is full is opened for reading instead (``report.read_only``).
    """
    try:
        return _connect(path, busy_timeout, report, full_disk_read_only=False)
    except CatalogFileError as exc:
        if not reading or exc.exit_code != IO_EXIT_CODE or "is full" not in exc.message:
            raise
    return _connect(path, busy_timeout, report, full_disk_read_only=True)


def _connect(path: Path | None, busy_timeout: float, report: OpenReport | None, *,
             full_disk_read_only: bool) -> sqlite3.Connection:
    path = Path(path) if path is not None else default_path()
    report = report if report is not None else OpenReport()
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
    exists = os.path.lexists(path)
    problem = _file_problem(path) if exists else None
    read_only = _why_read_only(path) or (
        f"the disk holding its folder {path.parent} is full" if full_disk_read_only else "")
    if read_only:
        report.read_only = read_only
        if not exists or os.path.getsize(path) == 0:
            return _open_empty_read_only(busy_timeout)
        if problem is not None:
            _set_aside(path, *problem)  # raises: the folder can't be written
        try:
            reader = _open_read_only(path, busy_timeout)
        except sqlite3.Error as exc:
            if is_corruption(exc):
                _set_aside(path, "corrupt", "damaged")  # raises, as above
            raise translate_error(exc, path) or exc from exc
        try:
            problem = _content_problem(reader, path)
            if problem is not None:
                _set_aside(path, *problem)  # raises, as above
            _check_version(reader, path, writable=False)
        except BaseException:
            reader.close()
            raise
        return reader

    conn: sqlite3.Connection | None = None
    if problem is None:
        try:
            conn = _open_writable(path, busy_timeout)
            problem = _content_problem(conn, path) if exists else None
        except sqlite3.Error as exc:
            if conn is not None:
                conn.close()
                conn = None
            if not is_corruption(exc):
                raise translate_error(exc, path) or exc from exc
            problem = _damage(exc, "opened")
        except BaseException:
            if conn is not None:
                conn.close()
            raise
    if problem is not None:
        if conn is not None:
            conn.close()
        kind, reason = problem
        report.set_aside = _set_aside(path, kind, reason)
        report.reason = reason
        try:
            conn = _open_writable(path, busy_timeout)
        except sqlite3.Error as exc:
            raise translate_error(exc, path) or exc from exc
    assert conn is not None
    try:
        _migrate(conn, path, report)
        if problem is not None and problem[0] == "corrupt":
            from robloxassets.core.catalog.recover import recover_into

            report.recovered = recover_into(conn, report.set_aside, path)
    except BaseException:
        conn.close()
        raise
    return conn


def _check_version(conn: sqlite3.Connection, path: Path, *, writable: bool) -> None:
    with translated(path):
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    target = schema_version()
    if version > target:
        raise CatalogFileError(
            f"The catalogue {path} was written by a newer version of Roblox Assets (schema "
            f"{version}, this app knows {target}); update the app to open it.")
    if version < target and not writable:
        raise CatalogFileError(
            f"The catalogue {path} needs an upgrade for this version of the app, and its "
            "folder can't be written: make it writable and open the catalogue again.",
            exit_code=IO_EXIT_CODE)


def _migrate(conn: sqlite3.Connection, path: Path, report: OpenReport) -> None:
    _check_version(conn, path, writable=True)
    with translated(path):
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    target = schema_version()
    if version == target:
        return
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
