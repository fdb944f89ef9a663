"""Fault injection: the disk fills at every write step of add, import, export, fit and the
scan cache (issue 10, "Done when").

Two ways, both run here:

* Simulated, anywhere: every SQLite statement in turn fails with SQLITE_FULL (a wrapper
  around the connection), and every step of a file write (create, write, fsync, rename,
  link) fails with ENOSPC (the ``os`` functions monkeypatched).
* For real, as root: the operation runs on a small tmpfs filled up to a little less free
  space each round, so the disk runs out wherever it happens to (SQLite's own writes, its
  WAL and index, the PNG encoder's writes).

After each fault: the message names the file and says what to do, nothing committed before
is lost, nothing half-written is visible, and the same operation works once there is space.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from robloxassets.core.catalog import transfer
from robloxassets.core.catalog.model import Entry
from robloxassets.core.catalog.store import Catalog
from robloxassets.core.errors import IO_EXIT_CODE, UserError
from robloxassets.core.images.cache import ScanCache
from robloxassets.core.images.fit import fit_many
from robloxassets.core.images.info import Verdict
from robloxassets.core.images.scan import Scanner
from tests.hostile import fill_disk, small_disk
from tests.images import make_jpeg, make_rgb_png

ADVICE = ("free some space", "check the disk", "is full")


class _Faults:
    """Counts SQLite statements; the ``fail_at``-th one raises SQLITE_FULL."""

    def __init__(self) -> None:
        self.count = 0
        self.fail_at: int | None = None

    def tick(self) -> None:
        self.count += 1
        if self.count == self.fail_at:
            raise sqlite3.OperationalError("database or disk is full")


class _FaultyConnection:
    def __init__(self, real: sqlite3.Connection, faults: _Faults) -> None:
        self._real = real
        self._faults = faults

    def execute(self, *args: Any) -> sqlite3.Cursor:
        self._faults.tick()
        return self._real.execute(*args)

    def executemany(self, *args: Any) -> sqlite3.Cursor:
        self._faults.tick()
        return self._real.executemany(*args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


@pytest.fixture
def faults(monkeypatch: pytest.MonkeyPatch) -> _Faults:
    state = _Faults()
    real_connect = sqlite3.connect

    def connect(*args: Any, **kwargs: Any) -> Any:
        return _FaultyConnection(real_connect(*args, **kwargs), state)

    monkeypatch.setattr(sqlite3, "connect", connect)
    return state


def _entries(path: Path) -> list[tuple[int | None, str]]:
    with Catalog(path) as catalog:
        return [(e.decal_id, e.name) for e in catalog.iter_all(sort="decal_id")]


def _check_message(exc: UserError, path: Path) -> None:
    assert exc.exit_code == IO_EXIT_CODE, exc.message
    assert str(path) in exc.message, exc.message
    assert any(advice in exc.message for advice in ADVICE), exc.message


def _every_statement(faults: _Faults, path: Path, action: Callable[[Catalog], None],
                     expected_after: int) -> None:
    """Run ``action`` once to count its statements, then again failing at each one."""
    with Catalog(path) as catalog:
        catalog.add(Entry(name="Committed before", decal_id=1))
    baseline = path.read_bytes()
    faults.count, faults.fail_at = 0, None
    with Catalog(path) as catalog:
        action(catalog)
    total = faults.count
    assert total > 3
    for step in range(1, total + 1):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.write_bytes(baseline)
        faults.count, faults.fail_at = 0, step
        try:
            with Catalog(path) as catalog:
                action(catalog)
        except UserError as exc:
            _check_message(exc, path)
        faults.fail_at = None
        names = _entries(path)
        assert (1, "Committed before") in names, step
        assert len(names) in (1, expected_after), (step, names)  # all or nothing
        assert not [p for p in path.parent.iterdir() if ".corrupt-" in p.name], step


def test_add_with_the_disk_full_at_every_statement(tmp_path: Path, faults: _Faults) -> None:
    _every_statement(faults, tmp_path / "catalogue.sqlite3",
                     lambda c: c.add(Entry(name="New", decal_id=2, tags=("a", "b"))), 2)


def test_import_with_the_disk_full_at_every_statement(tmp_path: Path, faults: _Faults) -> None:
    source = tmp_path / "more.csv"
    rows = "".join(f"Decal {n},{100 + n},walls\n" for n in range(1500))
    source.write_text("name,decal_id,tags\n" + rows)
    _every_statement(faults, tmp_path / "catalogue.sqlite3",
                     lambda c: transfer.import_file(c, source), 1501)


def test_the_scan_cache_with_the_disk_full_at_every_statement(tmp_path: Path,
                                                              faults: _Faults) -> None:
    folder = tmp_path / "art"
    folder.mkdir()
    for n in range(5):
        make_rgb_png(folder / f"{n}.png", (64 + n, 64))
    expected = {f"{n}.png" for n in range(5)}

    def scan(cache: ScanCache) -> dict[str, Verdict]:
        items = Scanner(cache, processes=False).scan([folder])
        return {Path(i.info.path).name: i.info.verdict for i in items}

    faults.count, faults.fail_at = 0, None
    assert set(scan(ScanCache(tmp_path / "probe.sqlite3"))) == expected
    total = faults.count
    for step in range(1, total + 1):
        path = tmp_path / f"cache-{step}.sqlite3"
        faults.count, faults.fail_at = 0, step
        first = scan(ScanCache(path))  # a cache that fails never fails the scan
        faults.fail_at = None
        assert set(first) == expected and set(first.values()) == {Verdict.OK}, step
        again = ScanCache(path)
        assert set(scan(again)) == expected
        assert again.count() == 5, step  # a full disk is no damage: the cache was kept


# -- file writes: each step of an atomic write fails in turn -------------------------------

_STEPS = ("open", "write", "fsync", "replace", "link")


def _enospc(*_args: Any, **_kwargs: Any) -> Any:
    raise OSError(errno.ENOSPC, "No space left on device")


def _inject(monkeypatch: pytest.MonkeyPatch, step: str, folder: Path) -> None:
    """Make ``step`` of writing a file in ``folder`` fail as a full disk does."""
    if step == "open":
        real_open = os.open

        def open_(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
            if flags & os.O_CREAT and os.fspath(path).startswith(str(folder)):
                _enospc()
            return real_open(path, flags, *args, **kwargs)

        monkeypatch.setattr(os, "open", open_)
    elif step == "write":
        real_fdopen = os.fdopen

        class Full:
            def __init__(self, handle: Any) -> None:
                self._handle = handle

            def write(self, data: Any) -> int:
                self._handle.write(data[: len(data) // 2])  # half of it lands, then full
                _enospc()
                return 0

            def __getattr__(self, name: str) -> Any:
                return getattr(self._handle, name)

            def __enter__(self) -> Full:
                return self

            def __exit__(self, *exc: Any) -> None:
                self._handle.close()

        monkeypatch.setattr(os, "fdopen", lambda *a, **k: Full(real_fdopen(*a, **k)))
    elif step == "fsync":
        monkeypatch.setattr(os, "fsync", _enospc)
    elif step == "replace":
        monkeypatch.setattr(os, "replace", _enospc)
    elif step == "link":
        monkeypatch.setattr(os, "link", _enospc)
        real_replace = os.replace
        monkeypatch.setattr(os, "replace", lambda a, b: _enospc() if str(b).startswith(
            str(folder)) else real_replace(a, b))


def _visible(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("step", _STEPS)
def test_export_with_the_disk_full_at_every_step(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 step: str) -> None:
    with Catalog() as catalog:
        catalog.add(Entry(name="Kept", decal_id=1))
        entries = catalog.iter_all()
    out = tmp_path / "out"
    out.mkdir()
    target = out / "all.csv"
    target.write_text("the old export\n")
    _inject(monkeypatch, step, out)
    try:
        transfer.write_export(target, transfer.csv_text(entries), bom=True)
    except UserError as exc:
        _check_message(exc, target)
    else:
        assert step == "link", "every other step is on the way of an export"
    monkeypatch.undo()
    assert _visible(out) == ["all.csv"]  # no temp file left, hidden or not
    if step != "link":
        assert target.read_text() == "the old export\n"
    transfer.write_export(target, transfer.csv_text(entries), bom=True)
    assert "Kept" in target.read_text(encoding="utf-8-sig")


@pytest.mark.parametrize("step", _STEPS)
@pytest.mark.parametrize("overwrite", [False, True])
def test_fit_with_the_disk_full_at_every_step(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              step: str, overwrite: bool) -> None:
    source = make_jpeg(tmp_path / "wall.jpg", (2048, 1024))
    out = tmp_path / "ready"
    out.mkdir()
    if overwrite:
        make_rgb_png(out / "wall.png")
    before = _visible(out)
    _inject(monkeypatch, step, out)
    [result] = list(fit_many([source], out, overwrite=overwrite))
    monkeypatch.undo()
    # A new copy is published with a hard link, not a rename: a failing rename can't stop it.
    assert (result.status == "written") == ((step, overwrite) == ("replace", False)), result
    if result.status == "failed":
        assert result.disk_error and "free some space" in result.message
        assert str(out / "wall.png") in result.message
        assert _visible(out) == before  # no temp file, hidden or not
    [again] = list(fit_many([source], out, overwrite=True))
    assert again.status == "written"


# -- the real thing: a small tmpfs, filled up a little more each round (root only) ---------

def _rounds(disk: Path, needed: int, step: int) -> list[int]:
    return list(range(0, needed + step, step))


def test_catalogue_writes_on_a_disk_filling_up(tmp_path: Path) -> None:
    source = tmp_path / "more.csv"
    source.write_text("name,decal_id,notes\n" + "".join(
        f"Decal {n},{100 + n},{'x' * 200}\n" for n in range(1000)))
    with small_disk(tmp_path / "disk", "8m") as disk:
        path = disk / "catalogue.sqlite3"
        outcomes: set[str] = set()
        for leave in _rounds(disk, 1_200_000, 96 * 1024):
            for item in disk.iterdir():
                item.unlink()
            with Catalog(path) as catalog:
                catalog.add(Entry(name="Committed before", decal_id=1))
            filler = fill_disk(disk, leave)
            try:
                with Catalog(path) as catalog:
                    catalog.add(Entry(name="Second", decal_id=2))
                    transfer.import_file(catalog, source)
                outcomes.add("done")
            except UserError as exc:
                _check_message(exc, path)
                outcomes.add("refused")
            filler.unlink()
            names = _entries(path)
            assert (1, "Committed before") in names, leave
            assert len(names) in (1, 2, 1002), (leave, len(names))
            assert not [p for p in disk.iterdir() if ".corrupt-" in p.name], leave
        assert outcomes == {"done", "refused"}  # both ends were reached


def test_exports_copies_and_the_scan_cache_on_a_disk_filling_up(tmp_path: Path) -> None:
    with Catalog() as catalog:
        for n in range(300):
            catalog.add(Entry(name=f"Decal {n}", decal_id=100 + n, notes="n" * 300))
        text = transfer.csv_text(catalog.iter_all())
    images = tmp_path / "images"
    images.mkdir()
    for n in range(4):
        make_jpeg(images / f"{n}.jpg", (1500 + n, 1200))
    with small_disk(tmp_path / "disk", "4m") as disk:
        outcomes: set[str] = set()
        for leave in _rounds(disk, 900_000, 64 * 1024):
            for item in disk.iterdir():
                if item.is_dir():
                    for inner in item.iterdir():
                        inner.unlink()
                    item.rmdir()
                else:
                    item.unlink()
            (disk / "all.csv").write_text("old\n")
            (disk / "ready").mkdir()
            filler = fill_disk(disk, leave)
            try:
                transfer.write_export(disk / "all.csv", text, bom=True)
                assert (disk / "all.csv").read_bytes() == text.encode("utf-8-sig")
                outcomes.add("export")
            except UserError as exc:
                _check_message(exc, disk / "all.csv")
                assert (disk / "all.csv").read_text() == "old\n"
            for result in fit_many([images], disk / "ready"):
                assert result.status in ("written", "failed")
                if result.status == "failed":
                    assert result.disk_error and "free some space" in result.message
            for name in os.listdir(disk / "ready"):
                assert not name.startswith(".")  # nothing half-written left behind
                from PIL import Image

                with Image.open(disk / "ready" / name) as im:
                    im.verify()  # every copy there is whole
            cache = ScanCache(disk / "cache.sqlite3")
            verdicts = {i.info.verdict for i in Scanner(cache, processes=False).scan([images])}
            assert verdicts == {Verdict.DOWNSCALE}, leave
            filler.unlink()
            assert {i.info.verdict for i in Scanner(cache, processes=False).scan([images])} \
                == {Verdict.DOWNSCALE}
        assert "export" in outcomes
