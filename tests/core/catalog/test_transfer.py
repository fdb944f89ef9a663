"""CSV and JSON export/import: lossless round trip, all-or-nothing, skip bad rows, formula
safety, cancel, and a process killed mid-import leaving all or nothing."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from robloxassets.core.catalog import transfer
from robloxassets.core.catalog.model import Entry, Status
from robloxassets.core.catalog.store import Catalog, ImportCancelled, Query
from robloxassets.core.errors import UserError


def _fill(catalog: Catalog) -> None:
    first = catalog.add(Entry(
        name="Red brick wall", decal_id=46059313, image_id=46059300, tags=("bricks", "walls"),
        notes='=HYPERLINK("http://evil.example","click")\nsecond line, with comma',
        description="+1 for bricks", creator_type="group", creator_id=4567,
        file_path="/home/me/decals/brick wall.png", sha256="a" * 64,
        prepared_sha256="b" * 64, width=1024, height=512, status=Status.IN_REVIEW))
    catalog.update(first.with_changes(status=Status.APPROVED))
    catalog.add(Entry(name="@mention sign", image_id=2676631400, notes="-5 degrees",
                      description="'quoted' text"))
    catalog.add(Entry(name="Café ☕ logo", decal_id=777, tags=("ui",), status=Status.REJECTED))


def _export(catalog: Catalog, path: Path) -> bytes:
    entries = catalog.iter_all()
    if path.suffix == ".csv":
        transfer.write_export(path, transfer.csv_text(entries), bom=True)
    else:
        transfer.write_export(path, transfer.json_text(entries))
    return path.read_bytes()


@pytest.mark.parametrize("suffix", [".csv", ".json"])
def test_round_trip_is_lossless(tmp_path: Path, suffix: str) -> None:
    with Catalog(tmp_path / "one.sqlite3") as one:
        _fill(one)
        first = _export(one, tmp_path / f"first{suffix}")
        originals = one.iter_all()
    with Catalog(tmp_path / "two.sqlite3") as two:
        report = transfer.import_file(two, tmp_path / f"first{suffix}")
        assert report.added == 3 and not report.skipped
        second = _export(two, tmp_path / f"second{suffix}")
        copies = two.iter_all()
    assert first == second
    assert [c.to_dict() for c in copies] == [o.to_dict() for o in originals]
    assert len(copies[-1].history) == 2


def test_csv_is_safe_against_formula_injection(tmp_path: Path) -> None:
    with Catalog() as catalog:
        _fill(catalog)
        _export(catalog, tmp_path / "out.csv")
    with open(tmp_path / "out.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), value
    by_name = {r["name"]: r for r in rows}
    assert by_name["'@mention sign"]["notes"] == "'-5 degrees"
    assert by_name["Red brick wall"]["notes"].startswith("'=HYPERLINK")
    assert by_name["Red brick wall"]["description"] == "'+1 for bricks"
    assert by_name["'@mention sign"]["description"] == "''quoted' text"


@pytest.mark.parametrize("value", ["=1+1", "+x", "-x", "@x", "\tx", "\rx", "'x", "''=x", "x",
                                   "", "'"])
def test_cell_escaping_is_reversible(value: str) -> None:
    assert transfer.unescape_cell(transfer.escape_cell(value)) == value


BAD_CSV = """name,decal_id,image_id,status,tags,width
Good one,100,,draft,"a, b",
No IDs at all,,,draft,,
Bad status,101,,waiting,,
Bad ID,https://example.com/library/5,,,,
Zero width,102,,,,0
Good two,https://www.roblox.com/library/103/x,rbxassetid://203,in review,,64
Repeats row 2,100,,,,
"""


def test_bad_rows_are_listed_and_nothing_is_imported(tmp_path: Path) -> None:
    path = tmp_path / "sheet.csv"
    path.write_text(BAD_CSV, encoding="utf-8")
    with Catalog() as catalog:
        catalog.add(Entry(name="Already here", image_id=9))
        with pytest.raises(transfer.ImportRejected) as info:
            transfer.import_file(catalog, path)
        assert catalog.total() == 1
        message = str(info.value)
        assert "5 of 7 rows in sheet.csv" in message
        for line in ("row 3: 'No IDs at all' needs a decal ID", "row 4: 'waiting' is not a "
                     "status", "row 5: decal_id: https://example.com/library/5 is not a Roblox",
                     "row 6: width '0' must be above 0", "row 8: decal ID 100 is also on row 2"):
            assert line in message
        report = transfer.import_file(catalog, path, skip_bad=True)
        assert report.added == 2 and len(report.skipped) == 5
        good = catalog.find_by_asset_id(203)
        assert good.decal_id == 103 and good.status is Status.IN_REVIEW and good.width == 64
        assert catalog.find_by_asset_id(100).tags == ("a", "b")


def test_rows_already_in_the_catalogue_are_bad(tmp_path: Path) -> None:
    with Catalog() as catalog:
        _fill(catalog)
        _export(catalog, tmp_path / "all.json")
        with pytest.raises(transfer.ImportRejected, match="already in the catalogue"):
            transfer.import_file(catalog, tmp_path / "all.json")
        assert catalog.total() == 3


@pytest.mark.parametrize(("name", "content", "message"), [
    ("x.txt", "hello", "takes .csv or .json"),
    ("x.csv", "", "is empty"),
    ("x.csv", "name,colour\nA,red\n", "columns this app does not know: colour"),
    ("x.csv", "name,notes\nA,b\n", "needs a name column and a decal_id"),
    ("x.json", "{not json", "not valid JSON"),
    ("x.json", '{"format": "other-app", "entries": []}', "not a catalogue export"),
    ("x.json", '{"entries": 5}', "no list of entries"),
])
def test_unreadable_files_get_clear_messages(tmp_path: Path, name: str, content: str,
                                             message: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with Catalog() as catalog, pytest.raises(UserError, match=message):
        transfer.import_file(catalog, path)


def test_json_import_takes_the_cli_list_shape(tmp_path: Path) -> None:
    path = tmp_path / "list.json"
    path.write_text(json.dumps([{"decal_id": 5, "name": "Plain", "tags": ["x"]},
                                {"image_id": "rbxassetid://6", "name": "Other",
                                 "status": "approved"}]), encoding="utf-8")
    with Catalog() as catalog:
        assert transfer.import_file(catalog, path).added == 2
        assert catalog.find_by_asset_id(6).status is Status.APPROVED
        assert len(catalog.find_by_asset_id(6).history) == 1


def _big_csv(path: Path, rows: int) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["decal_id", "name", "tags", "notes"])
        for n in range(1, rows + 1):
            writer.writerow([n, f"Decal {n}", "bulk, test", f"note for row {n}"])


def test_cancelled_import_adds_nothing(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    _big_csv(path, 5000)
    cancel = threading.Event()
    seen: list[int] = []

    def progress(done: int, total: int) -> None:
        seen.append(done)
        cancel.set()

    with Catalog() as catalog:
        with pytest.raises(ImportCancelled):
            transfer.import_file(catalog, path, progress=progress, cancel=cancel)
        assert seen and seen[0] < 5000
        assert catalog.total() == 0
        assert catalog.ids(Query(text="decal")) == []
        # The full-text trigger a large import sets aside is back after the rollback.
        added = catalog.add(Entry(name="Single after cancel", decal_id=1))
        assert catalog.ids(Query(text="single")) == [added.id]


KILL_SCRIPT = textwrap.dedent("""
    import sys, time
    from robloxassets.core.catalog import transfer
    from robloxassets.core.catalog.store import Catalog

    def progress(done, total):
        print(f"written {done}", flush=True)
        time.sleep(float(sys.argv[2]))  # give the test time to kill us mid-transaction

    with Catalog() as catalog:
        report = transfer.import_file(catalog, sys.argv[1], progress=progress)
    print("finished", report.added, flush=True)
""")


def _run_import(app_home: Path, csv_path: Path, pause: float) -> subprocess.Popen[str]:
    env = {**os.environ, "ROBLOXASSETS_HOME": str(app_home)}
    return subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(csv_path), str(pause)],
                            stdout=subprocess.PIPE, text=True, env=env)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_killed_import_leaves_nothing_then_a_full_import_works(app_home: Path,
                                                               tmp_path: Path) -> None:
    rows = 12000
    path = tmp_path / "big.csv"
    _big_csv(path, rows)
    process = _run_import(app_home, path, pause=5)
    line = process.stdout.readline()
    assert line.startswith("written"), line
    assert int(line.split()[1]) < rows  # killed in the middle, rows already written
    process.send_signal(signal.SIGKILL)
    process.wait(10)
    process.stdout.close()
    with Catalog() as catalog:
        assert catalog.report.set_aside is None
        assert catalog.total() == 0
        assert catalog.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finished = _run_import(app_home, path, pause=0)
    output, _ = finished.communicate(timeout=120)
    assert finished.returncode == 0, output
    assert f"finished {rows}" in output
    with Catalog() as catalog:
        assert catalog.total() == rows
        assert catalog.count(Query(tag="bulk")) == rows
        assert catalog.ids(Query(text="11999")) == [11999]
        added = catalog.add(Entry(name="Added after bulk", decal_id=99999))
        assert catalog.ids(Query(text="after bulk")) == [added.id]
