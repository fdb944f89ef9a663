"""The command line against a full disk, a read-only home, FIFOs and devices, odd names,
bombs, deep JSON, long text and links (issue 10, every item from the CLI).

Each command runs as its own process, as a user runs it: a hang then fails after the
``timeout`` below instead of stalling the test run, and exit codes are the real ones.
"""

from __future__ import annotations

import json
import os
import random
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from robloxassets.core.catalog.model import Entry
from robloxassets.core.catalog.store import Catalog
from robloxassets.core.errors import IO_EXIT_CODE
from tests.hostile import (
    apng_claiming,
    damage_pages,
    fill_disk,
    make_fifo,
    make_png_at,
    make_too_deep,
    non_utf8_path,
    progressive_bomb,
    read_only,
    small_disk,
)
from tests.images import make_jpeg, make_rgb_png

BUG = 3  # the exit code of "something went wrong inside the app"


def cli(home: Path, *args: str, stdin: bytes | None = None, timeout: float = 60,
        umask: int | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ROBLOXASSETS_HOME": str(home), "PYTHONIOENCODING": "utf-8"}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "robloxassets", *args], env=env, input=stdin,
            capture_output=True, timeout=timeout, cwd=cwd,
            preexec_fn=(lambda: os.umask(umask)) if umask is not None else None)
    except subprocess.TimeoutExpired as exc:
        raise AssertionError(f"robloxassets {' '.join(args)[:80]} hung") from exc
    return subprocess.CompletedProcess(
        done.args, done.returncode, done.stdout.decode("utf-8", "replace"),
        done.stderr.decode("utf-8", "replace"))


def _catalogue(home: Path, count: int = 3, **fields) -> Path:
    path = home / "data" / "catalogue.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    with Catalog(path) as catalog:
        for n in range(1, count + 1):
            catalog.add(Entry(name=f"Decal {n}", decal_id=100 + n, **fields))
    return path


# -- item 1: full disk ---------------------------------------------------------------------

def test_a_full_disk_is_reported_and_the_catalogue_kept(tmp_path: Path) -> None:
    with small_disk(tmp_path / "home", "4m") as home:
        _catalogue(home)
        filler = fill_disk(home)
        listing = cli(home, "catalog", "list")
        assert listing.returncode == IO_EXIT_CODE, listing.stderr
        assert "full" in listing.stderr and "catalogue.sqlite3" in listing.stderr
        assert not [p for p in (home / "data").iterdir() if "corrupt" in p.name]
        filler.unlink()
        assert "Decal 3" in cli(home, "catalog", "list").stdout


def test_the_upload_queue_is_listed_on_a_full_disk(tmp_path: Path) -> None:
    with small_disk(tmp_path / "home", "4m") as home:
        _catalogue(home)
        assert cli(home, "queue").returncode == 0
        filler = fill_disk(home)
        listing = cli(home, "queue", "--all")
        assert listing.returncode == 0, listing.stderr
        assert "upload queue is empty" in listing.stdout
        assert "can only be read" in listing.stderr and "is full" in listing.stderr
        filler.unlink()


def test_exports_and_copies_to_a_full_disk_exit_74_naming_the_file(tmp_path: Path) -> None:
    home = tmp_path / "home"
    _catalogue(home)
    make_rgb_png(tmp_path / "a.png", (2048, 2048))
    with small_disk(tmp_path / "disk", "1m") as disk:
        (disk / "all.csv").write_text("the old export\n")
        fill_disk(disk)
        export = cli(home, "catalog", "export", "-o", str(disk / "all.csv"))
        assert export.returncode == IO_EXIT_CODE, export.stderr
        assert "all.csv" in export.stderr and "free some space" in export.stderr
        assert (disk / "all.csv").read_text() == "the old export\n"
        (disk / "ready").mkdir()
        fit = cli(home, "fit", str(tmp_path / "a.png"), "--out", str(disk / "ready"))
        assert fit.returncode == IO_EXIT_CODE, fit.stdout + fit.stderr
        assert "free some space" in fit.stdout
        assert os.listdir(disk / "ready") == []  # nothing half-written, hidden or not


# -- item 2: read-only home ----------------------------------------------------------------

def test_a_read_only_home_reads_and_says_why_it_cant_write(tmp_path: Path) -> None:
    home = tmp_path / "home"
    _catalogue(home, tags=("walls",))
    images = tmp_path / "images"
    images.mkdir()
    make_rgb_png(images / "a.png", (2048, 1024))
    (tmp_path / "more.csv").write_text("name,decal_id\nNew,999\n")
    with read_only(home):
        listing = cli(home, "catalog", "list")
        assert listing.returncode == 0, listing.stderr
        assert "Decal 2" in listing.stdout and "can only be read" in listing.stderr
        for args in (["catalog", "search", "decal"], ["catalog", "show", "101"],
                     ["catalog", "list", "--json"],
                     ["catalog", "export", "--format", "csv", "-o", "-"],
                     ["catalog", "export", "-o", str(tmp_path / "a.luau")], ["id", "5"]):
            done = cli(home, *args)
            assert done.returncode == 0, (args, done.stderr)
        for args in (["catalog", "add", "7", "--name", "x"], ["catalog", "set", "101",
                                                              "--name", "y"],
                     ["catalog", "remove", "101"], ["catalog", "import",
                                                    str(tmp_path / "more.csv")]):
            done = cli(home, *args)
            assert done.returncode == IO_EXIT_CODE, (args, done.stderr)
            assert "can't be changed" in done.stderr and "read-only" in done.stderr
        check = cli(home, "check", str(images))
        assert check.returncode == 1 and "Will be downscaled" in check.stdout, check.stderr
        fit = cli(home, "fit", str(images), "--out", str(tmp_path / "ready"))
        assert fit.returncode == 0, fit.stderr
        assert (tmp_path / "ready" / "a.png").exists()
    assert cli(home, "catalog", "add", "7", "--name", "x").returncode == 0


def test_every_catalog_command_on_a_read_only_empty_home_is_no_bug(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    with read_only(home):
        for args in (["catalog", "list"], ["catalog", "search", "x"], ["catalog", "show", "1"],
                     ["catalog", "set", "1", "--name", "x"], ["catalog", "remove", "1"],
                     ["catalog", "export", "--format", "json", "-o", "-"],
                     ["catalog", "add", "1", "--name", "x"],
                     ["catalog", "import", str(tmp_path / "none.csv")],
                     ["fit", str(tmp_path), "--out", str(tmp_path / "o")],
                     ["check", str(tmp_path)]):
            done = cli(home, *args)
            assert done.returncode != BUG, (args, done.stderr)
            assert "Traceback" not in done.stderr


# -- item 3: FIFOs and devices -------------------------------------------------------------

def test_fifos_and_devices_are_refused_not_waited_on(tmp_path: Path) -> None:
    home = tmp_path / "home"
    folder = tmp_path / "art"
    folder.mkdir()
    make_rgb_png(folder / "a.png")
    fifo = make_fifo(folder / "x.png")
    check = cli(home, "check", str(fifo), timeout=30)
    assert check.returncode == 1 and "named pipe" in check.stdout
    check = cli(home, "check", str(folder), timeout=30)
    assert check.returncode == 1 and "a.png" in check.stdout and "named pipe" in check.stdout
    fit = cli(home, "fit", str(folder), "--out", str(tmp_path / "o"), timeout=30)
    assert fit.returncode == 1 and "named pipe" in fit.stdout
    assert (tmp_path / "o" / "a.png").exists()
    csv_fifo = make_fifo(tmp_path / "more.csv")
    imported = cli(home, "catalog", "import", str(csv_fifo), timeout=30)
    assert imported.returncode == 2 and "named pipe" in imported.stderr
    if os.path.exists("/dev/zero"):
        added = cli(home, "catalog", "add", "5", "--name", "z", "--file", "/dev/zero",
                    timeout=30)
        assert added.returncode == 2 and "character device" in added.stderr


# -- item 4: names that aren't UTF-8 -------------------------------------------------------

def test_a_name_that_is_not_utf8_is_checked_with_the_rest(tmp_path: Path) -> None:
    folder = tmp_path / "art"
    folder.mkdir()
    make_rgb_png(folder / "a.png")
    odd = make_png_at(non_utf8_path(folder))
    make_rgb_png(folder / "z.png")
    for _ in range(2):  # cold, then from the scan cache
        check = cli(tmp_path / "home", "check", str(folder))
        assert check.returncode == 0, check.stderr
        assert "3 images" in check.stdout and "caf\\xe9-\\xff.png" in check.stdout
    listed = json.loads(cli(tmp_path / "home", "check", "--json", str(folder)).stdout)
    assert str(odd) in {item["path"] for item in listed}  # JSON escapes give the name back


# -- item 5: progressive JPEG bombs --------------------------------------------------------

@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="reads VmHWM")
def test_progressive_bombs_are_never_decoded_by_check_or_fit(tmp_path: Path) -> None:
    folder = tmp_path / "bombs"
    folder.mkdir()
    for n in range(3):
        progressive_bomb(folder / f"bomb{n}.jpg")
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent (pytest).
    wrapper = ("import sys; from robloxassets.cli import main; code = main(sys.argv[1:]); "
               "print('peak', [int(l.split()[1]) // 1024 for l in open('/proc/self/status') "
               "if l.startswith('VmHWM:')][0], file=sys.stderr); raise SystemExit(code)")
    env = {**os.environ, "ROBLOXASSETS_HOME": str(tmp_path / "home")}
    for args in (["check", str(folder)], ["fit", str(folder), "--out", str(tmp_path / "o")]):
        done = subprocess.run([sys.executable, "-c", wrapper, *args], env=env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 1, done.stderr
        assert "too big" in done.stdout or "not decoded" in done.stdout
        peak = int(done.stderr.rsplit("peak", 1)[1])
        assert peak < 250, f"{args[0]}: peak {peak} MB"


# -- item 6: deep JSON ---------------------------------------------------------------------

def test_deeply_nested_json_import_is_a_message(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    done = cli(tmp_path / "home", "catalog", "import", str(deep))
    assert done.returncode == 2 and "nested too deeply" in done.stderr, done.stderr
    inner = tmp_path / "inner.json"
    inner.write_text('[{"name": "x", "decal_id": 5, "notes": ' + "[" * 900 + "]" * 900 + "}]")
    done = cli(tmp_path / "home", "catalog", "import", str(inner))
    assert done.returncode == 1 and "notes must be text" in done.stderr, done.stderr
    config = tmp_path / "home" / "config"
    config.mkdir(parents=True)
    (config / "errorcodes.json").write_text("[" * 100_000 + "]" * 100_000)
    (config / "settings.json").write_text("[" * 100_000 + "]" * 100_000)
    looked_up = cli(tmp_path / "home", "error", "279")
    assert looked_up.returncode == 0 and "nested too deeply" in looked_up.stderr


# -- item 7: long text ---------------------------------------------------------------------

def test_long_text_and_binary_input(tmp_path: Path) -> None:
    home = tmp_path / "home"
    _catalogue(home)
    assert cli(home, "id", "a." * 50_000).returncode == 1
    assert cli(home, "catalog", "search", "a" * 100_000).returncode == 1
    paste = ("I was playing and then " * 40_000)[:1_000_000].encode()
    done = cli(home, "error", "-", stdin=paste + b" Error Code: 279")
    assert done.returncode == 0 and "Error 279" in done.stdout
    rng = random.Random(3)
    blob = bytes(rng.randrange(256) for _ in range(200_000))
    done = cli(home, "error", "-", stdin=blob)
    assert done.returncode == 1 and "not text" in done.stderr
    assert cli(home, "id", "4٦0５9").returncode == 1


# -- item 8: CSV fields over 128 KiB -------------------------------------------------------

def test_the_csv_round_trip_takes_long_fields(tmp_path: Path) -> None:
    first = tmp_path / "first"
    _catalogue(first, 2, notes="note " * 60_000, description="d" * 200_000)
    out = tmp_path / "all.csv"
    assert cli(first, "catalog", "export", "-o", str(out)).returncode == 0
    second = tmp_path / "second"
    done = cli(second, "catalog", "import", str(out))
    assert done.returncode == 0, done.stderr
    again = tmp_path / "again.csv"
    assert cli(second, "catalog", "export", "-o", str(again)).returncode == 0
    assert again.read_bytes() == out.read_bytes()


# -- item 9: exports keep modes, follow links, refuse devices ------------------------------

def test_exports_keep_modes_follow_links_and_refuse_devices(tmp_path: Path) -> None:
    home = tmp_path / "home"
    _catalogue(home)
    new = tmp_path / "new.luau"
    assert cli(home, "catalog", "export", "-o", str(new), umask=0o002).returncode == 0
    assert stat.S_IMODE(new.stat().st_mode) == 0o664
    new.chmod(0o640)
    assert cli(home, "catalog", "export", "-o", str(new), umask=0o077).returncode == 0
    assert stat.S_IMODE(new.stat().st_mode) == 0o640
    real = tmp_path / "shared" / "assets.json"
    real.parent.mkdir()
    real.write_text("{}")
    link = tmp_path / "assets.json"
    link.symlink_to(real)
    assert cli(home, "catalog", "export", "-o", str(link)).returncode == 0
    assert link.is_symlink() and "Decal 1" in real.read_text()
    if os.path.exists("/dev/full"):
        done = cli(home, "catalog", "export", "--format", "csv", "-o", "/dev/full")
        assert done.returncode == 2 and "character device" in done.stderr
        assert stat.S_ISCHR(os.stat("/dev/full").st_mode)
    # fit's copies too: the umask's mode, not 0600.
    make_rgb_png(tmp_path / "a.png")
    assert cli(home, "fit", str(tmp_path / "a.png"), "--out", str(tmp_path / "o"),
               umask=0o022).returncode == 0
    assert stat.S_IMODE((tmp_path / "o" / "a.png").stat().st_mode) == 0o644


# -- the smaller points --------------------------------------------------------------------

def test_fit_output_folder_rules(tmp_path: Path) -> None:
    home = tmp_path / "home"
    art = tmp_path / "work" / "art"
    art.mkdir(parents=True)
    make_jpeg(art / "wall.jpg", (2048, 1024))
    # The sources are inside the output folder: they are prepared, beside the folder.
    done = cli(home, "fit", "art", "--out", ".", cwd=tmp_path / "work")
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "work" / "wall.png").exists()
    empty = cli(home, "fit", str(art), "--out", "")
    assert empty.returncode == 2 and "--out is empty" in empty.stderr
    same = cli(home, "fit", str(art), "--out", str(art))
    assert same.returncode == 2 and "folder being prepared" in same.stderr
    nothing = tmp_path / "nothing"
    nothing.mkdir()
    done = cli(home, "fit", str(nothing), "--out", str(tmp_path / "o"))
    assert done.returncode == 1 and "nothing was written" in done.stdout


def test_names_are_printed_safely(tmp_path: Path) -> None:
    home = tmp_path / "home"
    path = home / "data" / "catalogue.sqlite3"
    path.parent.mkdir(parents=True)
    with Catalog(path) as catalog:
        catalog.add(Entry(name="Evil\x1b[2J name\nDECAL ID  FAKE", decal_id=5,
                          tags=("a\x1b]0;t\x07",)))
    listing = cli(home, "catalog", "list")
    assert "\x1b" not in listing.stdout and "\x07" not in listing.stdout
    assert len(listing.stdout.splitlines()) == 2  # header and one row
    assert "\\e[2J" in listing.stdout
    shown = cli(home, "catalog", "show", "5")
    assert "\x1b" not in shown.stdout
    folder = tmp_path / "art"
    folder.mkdir()
    make_rgb_png(folder / "red\x1b[31m\nx.png")
    check = cli(home, "check", str(folder))
    assert "\x1b" not in check.stdout and "red\\e[31m\\nx.png" in check.stdout
    assert len(check.stdout.splitlines()) == 2


def test_folders_that_cant_be_read_make_the_exit_code_say_so(tmp_path: Path) -> None:
    folder = tmp_path / "art"
    folder.mkdir()
    make_rgb_png(folder / "a.png")
    make_too_deep(folder)  # paths past PATH_MAX: unreadable to anyone
    done = cli(tmp_path / "home", "check", str(folder))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "1 image: 1 OK" in done.stdout
    assert "warning: skipped" in done.stderr and "too long" in done.stderr
    assert "To include them, move that folder to a shorter path." in done.stderr


def test_lying_apngs_and_damaged_catalogues(tmp_path: Path) -> None:
    home = tmp_path / "home"
    apng_claiming(tmp_path / "spin.png", 2**31)
    [item] = json.loads(cli(home, "check", "--json", str(tmp_path / "spin.png")).stdout)
    assert item["animated"] and item["frames"] == 0
    path = _catalogue(home, 300, notes="n" * 3000)
    pages = path.stat().st_size // 4096
    damage_pages(path, [pages // 2])
    done = cli(home, "catalog", "list")
    assert done.returncode == 0, done.stderr
    assert "entries were read back" in done.stderr
    assert len(done.stdout.splitlines()) >= 299 - 2  # header + almost every row


def test_help_documents_the_disk_exit_code(tmp_path: Path) -> None:
    for args in ([], ["catalog"], ["fit"]):
        done = cli(tmp_path / "home", *args, "--help")
        assert done.returncode == 0 and "74" in done.stdout, args
