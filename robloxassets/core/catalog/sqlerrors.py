"""SQLite failures sorted by what the user can do about them, by SQLite's error code.

Python 3.11 and newer give every ``sqlite3.Error`` raised by SQLite its (extended) result
code as ``sqlite_errorcode`` and name as ``sqlite_errorname``; the primary code is the low
byte. Python 3.10 has neither, so there the message text decides, as SQLite words it.
"""

from __future__ import annotations

import sqlite3
from enum import Enum


class Failure(Enum):
    """Kinds of SQLite failure the user can act on."""

    BUSY = "busy"          # another connection holds the lock: try again
    FULL = "full"          # the disk (or the database's size limit) is full
    READ_ONLY = "read-only"
    CORRUPT = "corrupt"    # damaged
    NOT_A_DATABASE = "not-a-database"  # some other kind of file (or overwritten)
    IO = "io"              # the file can't be read or written
    CANT_OPEN = "cant-open"  # the file (or its folder) can't be opened at all
    NO_MEMORY = "no-memory"


# Primary result codes (https://sqlite.org/rescode.html).
_BY_CODE = {
    3: Failure.CANT_OPEN,  # SQLITE_PERM
    5: Failure.BUSY,       # SQLITE_BUSY
    6: Failure.BUSY,       # SQLITE_LOCKED
    7: Failure.NO_MEMORY,  # SQLITE_NOMEM
    8: Failure.READ_ONLY,  # SQLITE_READONLY
    10: Failure.IO,        # SQLITE_IOERR
    11: Failure.CORRUPT,   # SQLITE_CORRUPT
    13: Failure.FULL,      # SQLITE_FULL
    14: Failure.CANT_OPEN,  # SQLITE_CANTOPEN
    26: Failure.NOT_A_DATABASE,  # SQLITE_NOTADB
}

# Python 3.10 only: SQLite's own messages for the codes above.
_BY_TEXT = (
    ("locked", Failure.BUSY), ("busy", Failure.BUSY),
    ("disk is full", Failure.FULL),
    ("readonly", Failure.READ_ONLY), ("read-only", Failure.READ_ONLY),
    ("malformed", Failure.CORRUPT), ("not a database", Failure.NOT_A_DATABASE),
    ("disk i/o", Failure.IO), ("unable to open", Failure.CANT_OPEN),
    ("access permission denied", Failure.CANT_OPEN), ("out of memory", Failure.NO_MEMORY),
)


def error_code(exc: sqlite3.Error) -> int | None:
    """SQLite's extended result code of ``exc``, or None (Python 3.10, or an error the
    sqlite3 module raised itself, such as using a closed connection)."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code if isinstance(code, int) else None


def classify(exc: sqlite3.Error) -> Failure | None:
    """What kind of failure ``exc`` is; None for anything else (a bug, not the user's).

    ``sqlite_errorname`` (e.g. ``SQLITE_BUSY_SNAPSHOT``) goes to the log with the error; the
    code alone decides here."""
    code = error_code(exc)
    if code is not None:
        return _BY_CODE.get(code & 0xFF)
    # Python 3.10, or an error of the sqlite3 module itself (whose words match none of these).
    text = str(exc).lower()
    return next((kind for words, kind in _BY_TEXT if words in text), None)
