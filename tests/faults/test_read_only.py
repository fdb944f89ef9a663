"""Fault injection: the data, cache and config folders each read-only on their own (issue 10,
"Done when"). As root a read-only bind mount (chmod does not stop root), else chmod 0555.

Every command and the window keep working for what does not need that folder; what does
says which folder and what to do, and nothing is an "app bug" (exit 3).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from robloxassets.core.catalog.model import Entry
from robloxassets.core.catalog.store import Catalog
from robloxassets.core.errors import IO_EXIT_CODE
from robloxassets.core.images.cache import ScanCache
from robloxassets.core.images.scan import Scanner
from tests.cli.test_hostile import BUG, cli
from tests.gui.test_hostile_start import _start
from tests.hostile import read_only
from tests.images import make_jpeg


def _home(tmp_path: Path) -> tuple[Path, Path]:
    home = tmp_path / "home"
    with Catalog(home / "data" / "catalogue.sqlite3") as catalog:
        catalog.add(Entry(name="Kept", decal_id=5))
    images = tmp_path / "images"
    images.mkdir()
    make_jpeg(images / "wall.jpg", (2048, 1024))
    (home / "cache").mkdir()
    list(Scanner(ScanCache(home / "cache" / "scan-cache.sqlite3"), processes=False)
         .scan([images]))
    (home / "config").mkdir()
    (home / "config" / "settings.json").write_text(json.dumps({"library.thumb_size": 96}))
    (home / "config" / "errorcodes.json").write_text(json.dumps(
        {"entries": [{"id": "279", "note": "Ask IT first."}]}))
    return home, images


@pytest.mark.parametrize("folder", ["data", "cache", "config"])
def test_one_read_only_folder_at_a_time(tmp_path: Path, folder: str) -> None:
    home, images = _home(tmp_path)
    more = tmp_path / "more.csv"
    more.write_text("name,decal_id\nNew,77\n")
    with read_only(home / folder):
        before = sorted(os.listdir(home / folder))
        assert before  # the folder holds what the app made there
        runs = {
            "check": cli(home, "check", str(images)),
            "fit": cli(home, "fit", str(images), "--out", str(tmp_path / "ready")),
            "list": cli(home, "catalog", "list"),
            "export": cli(home, "catalog", "export", "-o", str(tmp_path / "a.luau")),
            "error": cli(home, "error", "279"),
            "add": cli(home, "catalog", "add", "6", "--name", "Added"),
            "import": cli(home, "catalog", "import", str(more)),
        }
        window = _start(home)
        assert sorted(os.listdir(home / folder)) == before  # nothing written there
    for name, done in runs.items():
        assert done.returncode != BUG and "Traceback" not in done.stderr, (name, done.stderr)
    assert window.returncode == 0, window.stderr
    assert runs["check"].returncode == 1 and "Will be downscaled" in runs["check"].stdout
    assert runs["fit"].returncode == 0 and (tmp_path / "ready" / "wall.png").exists()
    assert "Kept" in runs["list"].stdout and runs["export"].returncode == 0
    assert runs["error"].returncode == 0 and "Ask IT first." in runs["error"].stdout
    if folder == "data":
        for name in ("add", "import"):
            assert runs[name].returncode == IO_EXIT_CODE, runs[name].stderr
            assert str(home / "data") in runs[name].stderr
            assert "make its folder writable" in runs[name].stderr
    else:
        assert runs["add"].returncode == 0 and runs["import"].returncode == 0
