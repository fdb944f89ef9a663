"""The catalogue against a full disk, a read-only folder and damaged pages (issue 10, items 1
and 2 and the damaged-pages point): only real damage sets a file aside, reading works on a
read-only disk, and what can be read of a damaged file is saved."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from robloxassets.core.catalog import db
from robloxassets.core.catalog.model import Entry
from robloxassets.core.catalog.store import Catalog
from robloxassets.core.errors import IO_EXIT_CODE
from tests.hostile import damage_pages, fill_disk, read_only, small_disk


def _aside(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".corrupt-" in p.name
                  or ".foreign-" in p.name)


def _fill(path: Path, count: int = 20, notes: str = "") -> list[Entry]:
    with Catalog(path) as catalog:
        for n in range(1, count + 1):
            catalog.add(Entry(name=f"Decal {n}", decal_id=1000 + n, notes=notes,
                              tags=("walls",)))
        return catalog.iter_all(sort="decal_id")


# -- item 1: a full disk is not damage -----------------------------------------------------

def test_a_full_disk_never_sets_a_healthy_catalogue_aside(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk", "4m") as disk:
        path = disk / "catalogue.sqlite3"
        before = _fill(path)
        filler = fill_disk(disk)
        for _ in range(2):  # twice: the first failed open must leave nothing to trip over
            with pytest.raises(db.CatalogFileError) as caught:
                Catalog(path)
            assert caught.value.exit_code == IO_EXIT_CODE
            assert str(path) in caught.value.message
            assert "full" in caught.value.message or "disk" in caught.value.message
        assert _aside(disk) == []
        filler.unlink()
        with Catalog(path) as catalog:
            assert catalog.report.set_aside is None
            assert catalog.iter_all(sort="decal_id") == before


@pytest.mark.parametrize("message", ["database or disk is full", "disk I/O error",
                                     "unable to open database file", "out of memory",
                                     "database is locked"])
def test_no_error_but_damage_sets_a_file_aside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               message: str) -> None:
    path = tmp_path / "catalogue.sqlite3"
    _fill(path, 3)
    real = db._open_writable

    def failing(*args, **kwargs):
        raise sqlite3.OperationalError(message)

    monkeypatch.setattr(db, "_open_writable", failing)
    with pytest.raises((db.CatalogFileError, db.CatalogBusyError)):
        Catalog(path)
    assert _aside(tmp_path) == []
    monkeypatch.setattr(db, "_open_writable", real)
    with Catalog(path) as catalog:
        assert catalog.total() == 3


def test_damage_reported_by_sqlite_does_set_the_file_aside(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "catalogue.sqlite3"
    _fill(path, 3)
    real = db._open_writable
    calls = []

    def damaged_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise sqlite3.DatabaseError("database disk image is malformed")
        return real(*args, **kwargs)

    monkeypatch.setattr(db, "_open_writable", damaged_once)
    with Catalog(path) as catalog:
        assert catalog.report.set_aside is not None
        assert catalog.report.recovered == 3  # the file itself was fine: all read back


# -- item 2: a read-only folder --------------------------------------------------------------

def test_a_read_only_folder_opens_for_reading_and_writes_say_why(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "catalogue.sqlite3"
    before = _fill(path, 5)
    listing = sorted(os.listdir(folder))
    with read_only(folder):
        with Catalog(path) as catalog:
            assert "read" in catalog.read_only
            assert catalog.iter_all(sort="decal_id") == before
            assert catalog.ids(db_query("decal 3")) == [before[2].id]
            with pytest.raises(db.CatalogReadOnlyError) as caught:
                catalog.add(Entry(name="new", decal_id=99))
            assert caught.value.exit_code == IO_EXIT_CODE
            assert str(path) in caught.value.message
            assert "can only be read" in catalog.report.message
        assert sorted(os.listdir(folder)) == listing  # nothing created, nothing moved
    with Catalog(path) as catalog:  # writable again
        assert not catalog.read_only
        catalog.add(Entry(name="new", decal_id=99))


def db_query(text: str):
    from robloxassets.core.catalog.store import Query

    return Query(text=text)


def test_a_read_only_folder_without_a_catalogue_reads_as_empty(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    with read_only(folder), Catalog(folder / "catalogue.sqlite3") as catalog:
        assert catalog.total() == 0 and catalog.read_only
        with pytest.raises(db.CatalogReadOnlyError):
            catalog.add(Entry(name="new", decal_id=1))
    assert os.listdir(folder) == []


def test_unmerged_changes_on_a_read_only_disk_are_not_silently_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "catalogue.sqlite3"
    writer = Catalog(path)
    writer.conn.execute("PRAGMA wal_autocheckpoint = 0")
    writer.add(Entry(name="only in the WAL", decal_id=7))
    # A snapshot as a crash leaves it: the change is in -wal, never merged, and no -shm.
    snapshot = tmp_path / "snapshot"
    snapshot.mkdir()
    for name in os.listdir(folder):
        if not name.endswith("-shm"):
            shutil.copy(folder / name, snapshot / name)
    writer.close()
    assert (snapshot / "catalogue.sqlite3-wal").stat().st_size > 0
    with read_only(snapshot), pytest.raises(db.CatalogFileError, match="never merged"):
        Catalog(snapshot / "catalogue.sqlite3")


def test_a_damaged_catalogue_on_a_read_only_disk_is_reported_not_a_crash(
        tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "catalogue.sqlite3").write_bytes(b"not a database at all" * 20)
    with read_only(folder), pytest.raises(db.CatalogFileError, match="can't be kept aside"):
        Catalog(folder / "catalogue.sqlite3")


# -- damaged pages: save what can be read --------------------------------------------------

def test_readable_rows_of_a_damaged_catalogue_are_saved(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.sqlite3"
    # One entry per page (3 KB of notes), so damaged pages in the middle hit entries.
    before = _fill(path, 600, notes="n" * 3000)
    pages = path.stat().st_size // 4096
    damage_pages(path, [pages // 3, pages // 2, 2 * pages // 3])
    with Catalog(path) as catalog:
        report = catalog.report
        assert report.set_aside is not None and report.reason.startswith("damaged")
        saved = catalog.iter_all(sort="decal_id")
        assert report.recovered == len(saved)
        assert 590 <= len(saved) <= 600
        assert f"{len(saved):,} entries were read back" in report.message
        # What was saved is exactly what was there: values, tags, history.
        originals = {e.decal_id: e for e in before}
        for entry in saved:
            old = originals[entry.decal_id]
            assert entry.with_changes(id=old.id) == old
        assert catalog.ids(db_query("walls")) != []  # the search index was rebuilt
        catalog.add(Entry(name="after", decal_id=5))
    assert report.set_aside.exists()  # the damaged file is kept whole


def test_a_file_that_is_no_database_is_not_walked_row_by_row(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Every range of such a file fails; splitting them all down to single rows took 12 s
    # before the fresh catalogue opened (and the window's banner showed).
    from robloxassets.core.catalog import recover

    def walk(*_args: object) -> list[tuple[object, ...]]:
        raise AssertionError("walked the ranges of a file that holds no tables")

    monkeypatch.setattr(recover, "_read_ranges", walk)
    path = db.default_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"definitely not sqlite" * 20)
    with Catalog() as catalog:
        assert catalog.total() == 0
    assert list(path.parent.glob("catalogue.sqlite3.corrupt-*"))
