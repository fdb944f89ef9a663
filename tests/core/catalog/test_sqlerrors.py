"""SQLite failures are sorted by SQLite's error code (message text only on Python 3.10)."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest

from robloxassets.core.catalog import db
from robloxassets.core.catalog.sqlerrors import Failure, classify, error_code

needs_codes = pytest.mark.skipif(sys.version_info < (3, 11),
                                 reason="sqlite_errorcode is new in Python 3.11")


def raised(action) -> sqlite3.Error:
    with pytest.raises(sqlite3.Error) as info:
        action()
    return info.value


@needs_codes
def test_real_failures_are_sorted_by_their_code(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    writer = sqlite3.connect(path, isolation_level=None, timeout=0)
    writer.execute("CREATE TABLE t (x)")
    writer.execute("BEGIN IMMEDIATE")
    other = sqlite3.connect(path, isolation_level=None, timeout=0)
    busy = raised(lambda: other.execute("BEGIN IMMEDIATE"))
    assert (busy.sqlite_errorname, classify(busy)) == ("SQLITE_BUSY", Failure.BUSY)
    writer.execute("ROLLBACK")

    reader = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    read_only = raised(lambda: reader.execute("INSERT INTO t VALUES (1)"))
    assert classify(read_only) is Failure.READ_ONLY

    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"not a database at all" * 50)
    corrupt = raised(lambda: sqlite3.connect(garbage).execute("SELECT * FROM sqlite_master"))
    assert classify(corrupt) is Failure.NOT_A_DATABASE

    syntax = raised(lambda: writer.execute("SELEC 1"))
    assert error_code(syntax) == 1 and classify(syntax) is None  # a bug, not the user's
    for conn in (writer, other, reader):
        conn.close()


@needs_codes
def test_the_code_decides_not_the_words() -> None:
    # Messages change between SQLite versions and locales of wrappers; codes don't.
    full = sqlite3.OperationalError("database or disk is locked")  # misleading words
    full.sqlite_errorcode = 13  # SQLITE_FULL
    assert classify(full) is Failure.FULL
    assert "is full" in str(db.translate_error(full))
    snapshot = sqlite3.OperationalError("whatever")
    snapshot.sqlite_errorcode = 5 | (2 << 8)  # SQLITE_BUSY_SNAPSHOT: primary code 5
    assert isinstance(db.translate_error(snapshot), db.CatalogBusyError)


def test_without_a_code_the_message_decides() -> None:
    # What Python 3.10 gives, and what the sqlite3 module raises by itself.
    assert classify(sqlite3.OperationalError("database is locked")) is Failure.BUSY
    assert classify(sqlite3.OperationalError("database or disk is full")) is Failure.FULL
    assert classify(sqlite3.ProgrammingError("Cannot operate on a closed database.")) is None
