"""Fault injection: ``kill -9`` at random points of import, export, fit and the scan (issue
10, "Done when"). Nothing committed is lost, nothing half-written is visible, and the next
run works and clears what the killed one left behind.

Each operation runs once to measure how long it takes, then is killed (the whole process
group: the scan's worker processes too) after a random share of that time, a few times.
``ROBLOXASSETS_KILL_ROUNDS=50 python -m pytest tests/faults/test_kill.py`` runs more rounds
by hand; ``ROBLOXASSETS_KILL_SEED`` picks the random points (printed on failure).
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image

from robloxassets.core.catalog.model import Entry
from robloxassets.core.catalog.store import Catalog
from tests.images import make_jpeg

ROUNDS = int(os.environ.get("ROBLOXASSETS_KILL_ROUNDS", "3"))
SEED = int(os.environ.get("ROBLOXASSETS_KILL_SEED", str(int(time.time()))))

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs kill -9")


def _start(home: Path, *args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "ROBLOXASSETS_HOME": str(home)}
    return subprocess.Popen([sys.executable, "-m", "robloxassets", *args], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)


def _run(home: Path, *args: str) -> float:
    """Run to the end; how long it took."""
    start = time.monotonic()
    process = _start(home, *args)
    _, err = process.communicate(timeout=120)
    assert process.returncode in (0, 1), err.decode()
    return time.monotonic() - start


def _kill_during(home: Path, duration: float, rng: random.Random, *args: str) -> float:
    """Start the command and kill -9 its process group after a random part of
    ``duration``; the delay used."""
    delay = rng.uniform(0.05, 1.0) * duration
    process = _start(home, *args)
    try:
        process.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    if process.stderr is not None:
        process.stderr.close()
    return delay


def _catalogue(home: Path, count: int) -> Path:
    path = home / "data" / "catalogue.sqlite3"
    with Catalog(path) as catalog:
        catalog.insert_many([Entry(name=f"Committed {n}", decal_id=n, notes="n" * 100)
                             for n in range(1, count + 1)])
    return path


def _healthy(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    assert not [p for p in path.parent.iterdir() if ".corrupt-" in p.name]


def _visible(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if not p.name.startswith("."))


@pytest.fixture
def rng() -> random.Random:
    print(f"kill seed {SEED}")
    return random.Random(SEED)


def test_kill_during_import_is_all_or_nothing(tmp_path: Path, rng: random.Random) -> None:
    home = tmp_path / "home"
    path = _catalogue(home, 50)
    source = tmp_path / "more.csv"
    source.write_text("name,decal_id,tags\n" + "".join(
        f"Imported {n},{10_000 + n},walls\n" for n in range(20_000)))
    probe = tmp_path / "probe"
    _catalogue(probe, 50)
    duration = _run(probe, "catalog", "import", str(source))
    for round_ in range(ROUNDS):
        delay = _kill_during(home, duration, rng, "catalog", "import", str(source))
        _healthy(path)
        with Catalog(path) as catalog:
            total = catalog.total()
            assert total in (50, 20_050), (round_, delay, total)
            assert catalog.find_by_asset_id(50).name == "Committed 50"
            if total == 20_050:  # it finished before the kill: start again from 50
                catalog.remove([e.id for e in catalog.search() if e.decal_id >= 10_000])


def test_kill_during_export_leaves_the_old_or_the_whole_new_file(
        tmp_path: Path, rng: random.Random) -> None:
    home = tmp_path / "home"
    _catalogue(home, 20_000)
    reference = tmp_path / "reference.csv"
    duration = _run(home, "catalog", "export", "-o", str(reference))
    out = tmp_path / "out"
    out.mkdir()
    target = out / "all.csv"
    for round_ in range(ROUNDS):
        target.write_text("the old export\n")
        delay = _kill_during(home, duration, rng, "catalog", "export", "-o", str(target))
        assert _visible(out) == [target], (round_, delay)
        content = target.read_bytes()
        assert content in (b"the old export\n", reference.read_bytes()), (round_, delay)
    _run(home, "catalog", "export", "-o", str(target))  # clears temp files of killed runs
    assert sorted(p.name for p in out.iterdir()) == ["all.csv"]
    assert target.read_bytes() == reference.read_bytes()


def test_kill_during_fit_leaves_only_whole_copies(tmp_path: Path, rng: random.Random) -> None:
    home = tmp_path / "home"
    images = tmp_path / "images"
    images.mkdir()
    for n in range(10):
        make_jpeg(images / f"{n}.jpg", (2500 + n, 1900))
    probe = tmp_path / "probe"
    duration = _run(home, "fit", str(images), "--out", str(probe))
    ready = tmp_path / "ready"
    for round_ in range(ROUNDS):
        delay = _kill_during(home, duration, rng, "fit", str(images), "--out", str(ready),
                             "--overwrite")
        if ready.exists():
            for copy in _visible(ready):
                with Image.open(copy) as im:
                    im.load()  # whole: a cut-short PNG would raise here
                assert copy.name.endswith(".png"), (round_, delay)
    _run(home, "fit", str(images), "--out", str(ready), "--overwrite")
    assert sorted(p.name for p in ready.iterdir()) == [f"{n}.png" for n in range(10)]


def test_kill_during_the_scan_keeps_the_cache_usable(tmp_path: Path, rng: random.Random) -> None:
    home = tmp_path / "home"
    images = tmp_path / "images"
    images.mkdir()
    for n in range(40):  # enough for the worker processes
        make_jpeg(images / f"{n}.jpg", (1200 + n, 900))
    probe = tmp_path / "probe"
    duration = _run(probe, "check", str(images))
    cache = home / "cache" / "scan-cache.sqlite3"
    for round_ in range(ROUNDS):
        delay = _kill_during(home, duration, rng, "check", str(images))
        if cache.exists():
            conn = sqlite3.connect(cache)
            try:
                assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok", (round_,
                                                                                 delay)
            finally:
                conn.close()
    env = {**os.environ, "ROBLOXASSETS_HOME": str(home)}
    done = subprocess.run([sys.executable, "-m", "robloxassets", "check", str(images)],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "40 images: 40 will be downscaled" in done.stdout, done
