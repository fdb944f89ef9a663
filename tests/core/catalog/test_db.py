"""The catalogue file: schema, migrations with backups, damaged or foreign files, busy locks."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from robloxassets.core.catalog import db
from robloxassets.core.catalog.model import Entry
from robloxassets.core.catalog.store import Catalog


def _aside(folder: Path, kind: str) -> list[Path]:
    return sorted(p for p in folder.iterdir() if f".{kind}-" in p.name
                  and not p.name.endswith(("-wal", "-shm")))


def test_fresh_catalogue_is_versioned_wal_with_foreign_keys() -> None:
    with Catalog() as catalog:
        conn = catalog.conn
        assert conn.execute("PRAGMA user_version").fetchone()[0] == db.schema_version()
        assert conn.execute("PRAGMA application_id").fetchone()[0] == db.APPLICATION_ID
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert catalog.path == db.default_path()
        assert catalog.report.set_aside is None
        assert catalog.report.migrated_from == 0


def test_reopening_does_not_migrate_again() -> None:
    with Catalog() as catalog:
        catalog.add(Entry(name="x", decal_id=1))
    with Catalog() as again:
        assert again.report.migrated_from is None
        assert again.report.backup is None
        assert again.total() == 1


def test_garbage_file_is_kept_aside_and_a_fresh_catalogue_starts() -> None:
    path = db.default_path()
    path.write_bytes(b"this is not a database, it is a shopping list\n" * 50)
    with Catalog() as catalog:
        assert catalog.total() == 0
        catalog.add(Entry(name="new", decal_id=1))
        aside = catalog.report.set_aside
        assert aside is not None and aside.exists()
        assert "kept as" in catalog.report.message and aside.name in catalog.report.message
    assert aside.read_bytes().startswith(b"this is not a database")
    assert _aside(path.parent, "corrupt") == [aside]


def test_damaged_pages_are_detected(tmp_path: Path) -> None:
    path = tmp_path / "cat.sqlite3"
    with Catalog(path) as catalog:
        for n in range(1, 400):
            catalog.add(Entry(name=f"Entry number {n}", notes="x" * 300, decal_id=n))
        catalog.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) > 8 * page
    data[3 * page:6 * page] = b"\xde\xad\xbe\xef" * (3 * page // 4)
    path.write_bytes(bytes(data))
    with Catalog(path) as catalog:
        assert catalog.report.set_aside is not None
        assert catalog.report.reason.startswith("damaged")
        assert catalog.total() == 0


def test_other_programs_database_is_kept_aside(tmp_path: Path) -> None:
    path = tmp_path / "cat.sqlite3"
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, title TEXT)")
    other.execute("INSERT INTO photos (title) VALUES ('holiday')")
    other.commit()
    other.close()
    with Catalog(path) as catalog:
        assert catalog.report.reason.startswith("another program")
        assert catalog.total() == 0
        aside = catalog.report.set_aside
    check = sqlite3.connect(aside)
    assert check.execute("SELECT title FROM photos").fetchone()[0] == "holiday"
    check.close()


def test_empty_file_becomes_a_catalogue(tmp_path: Path) -> None:
    path = tmp_path / "cat.sqlite3"
    path.write_bytes(b"")
    with Catalog(path) as catalog:
        assert catalog.report.set_aside is None
        catalog.add(Entry(name="x", decal_id=1))


def test_migration_takes_a_backup_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "cat.sqlite3"
    with Catalog(path) as catalog:
        catalog.add(Entry(name="Before the upgrade", decal_id=42))
    base = db.schema_version()
    monkeypatch.setattr(db, "MIGRATIONS", [*db.MIGRATIONS,
                                           "ALTER TABLE entry ADD COLUMN colour TEXT;"])
    with Catalog(path) as catalog:
        report = catalog.report
        assert report.migrated_from == base
        assert catalog.conn.execute("PRAGMA user_version").fetchone()[0] == base + 1
        assert catalog.find_by_asset_id(42).name == "Before the upgrade"
    assert report.backup is not None and report.backup.exists()
    copy = sqlite3.connect(report.backup)
    assert copy.execute("PRAGMA user_version").fetchone()[0] == base
    assert copy.execute("SELECT name FROM entry").fetchone()[0] == "Before the upgrade"
    copy.close()


def test_failed_migration_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "cat.sqlite3"
    with Catalog(path) as catalog:
        catalog.add(Entry(name="Safe", decal_id=42))
    monkeypatch.setattr(db, "MIGRATIONS", [
        *db.MIGRATIONS, "ALTER TABLE entry ADD COLUMN colour TEXT;\nTHIS IS NOT SQL;"])
    with pytest.raises(sqlite3.OperationalError):
        Catalog(path)
    monkeypatch.undo()
    with Catalog(path) as catalog:
        assert catalog.conn.execute("PRAGMA user_version").fetchone()[0] == db.schema_version()
        columns = [row[1] for row in catalog.conn.execute("PRAGMA table_info(entry)")]
        assert "colour" not in columns
        assert catalog.total() == 1


def test_newer_schema_is_refused_not_set_aside(tmp_path: Path) -> None:
    path = tmp_path / "cat.sqlite3"
    with Catalog(path) as catalog:
        catalog.conn.execute("PRAGMA user_version = 99")
    with pytest.raises(db.CatalogFileError, match="newer version"):
        Catalog(path)
    assert path.exists()
    assert not _aside(tmp_path, "corrupt")


def _hold_write_lock(path: Path, release: threading.Event, holding: threading.Event) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO entry (name, decal_id, status_changed, created, updated) "
                 "VALUES ('held', 999, 'x', 'x', 'x')")
    holding.set()
    release.wait(10)
    conn.execute("COMMIT")
    conn.close()


def test_writer_waits_then_reports_busy() -> None:
    with Catalog() as setup:
        path = setup.path
    release, holding = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(path, release, holding))
    holder.start()
    try:
        assert holding.wait(5)
        with Catalog(busy_timeout=0.3) as catalog:
            assert catalog.total() == 0  # reading still works during the other write
            started = time.monotonic()
            with pytest.raises(db.CatalogBusyError) as info:
                catalog.add(Entry(name="Blocked", decal_id=1))
            assert time.monotonic() - started >= 0.25  # it waited before giving up
        assert "busy" in str(info.value) and "try again" in str(info.value)
        assert info.value.exit_code == db.BUSY_EXIT_CODE
    finally:
        release.set()
        holder.join()
    with Catalog() as catalog:
        assert [e.name for e in catalog.search()] == ["held"]


def test_writer_succeeds_when_lock_is_released_while_waiting() -> None:
    with Catalog() as setup:
        path = setup.path
    release, holding = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(path, release, holding))
    holder.start()
    assert holding.wait(5)
    threading.Timer(0.3, release.set).start()
    with Catalog(busy_timeout=5) as catalog:
        catalog.add(Entry(name="Patient", decal_id=1))
        assert catalog.total() == 2
    holder.join()


def test_a_first_version_catalogue_gains_the_upload_queue(tmp_path: Path) -> None:
    path = tmp_path / "cat.sqlite3"
    conn = sqlite3.connect(path)
    for statement in db._statements(db.SCHEMA_V1):
        conn.execute(statement)
    conn.execute("INSERT INTO entry (decal_id, name, status_changed, created, updated) "
                 "VALUES (7, 'Old', 'x', 'x', 'x')")
    conn.execute("PRAGMA user_version = 1")
    conn.execute(f"PRAGMA application_id = {db.APPLICATION_ID}")
    conn.commit()
    conn.close()
    with Catalog(path) as catalog:
        assert catalog.report.migrated_from == 1 and catalog.report.backup is not None
        assert catalog.find_by_asset_id(7).name == "Old"
        assert catalog.conn.execute("SELECT count(*) FROM upload").fetchone()[0] == 0
