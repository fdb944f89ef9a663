"""The window starts whatever the home holds (issue 10, items 1, 2 and 6 from the GUI): a
read-only home, a full disk, settings and error-code overrides nested 100,000 deep.

Run as a user runs the app, in its own process. Only Qt's own types are used to find the
window, so the test does not depend on how the GUI's modules are laid out.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from robloxassets.core.catalog.model import Entry
from robloxassets.core.catalog.store import Catalog
from robloxassets.gui.app import EXIT_ON_ERROR_ENV
from tests.hostile import fill_disk, read_only, small_disk

SCRIPT = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow
    from robloxassets.gui import app as gui

    app = gui.create_application()

    def look_and_close():
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMainWindow)]
        assert len(windows) == 1, windows
        assert not windows[0].grab().isNull()
        windows[0].close()

    QTimer.singleShot(1500, look_and_close)
    QTimer.singleShot(30_000, lambda: app.exit(99))
    raise SystemExit(gui.main())
""")


def _start(home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ROBLOXASSETS_HOME": str(home),
           EXIT_ON_ERROR_ENV: "1"}
    return subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True,
                          text=True, timeout=60)


def _catalogue(home: Path) -> Path:
    path = home / "data" / "catalogue.sqlite3"
    path.parent.mkdir(parents=True)
    with Catalog(path) as catalog:
        catalog.add(Entry(name="Kept", decal_id=5))
    return path


def _asides(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if "corrupt" in p.name]


def test_the_window_starts_with_a_read_only_home(tmp_path: Path) -> None:
    home = tmp_path / "home"
    _catalogue(home)
    with read_only(home):
        result = _start(home)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def test_the_window_starts_on_a_full_disk_and_keeps_the_catalogue(tmp_path: Path) -> None:
    with small_disk(tmp_path / "home", "4m") as home:
        path = _catalogue(home)
        filler = fill_disk(home)
        result = _start(home)
        assert result.returncode == 0, result.stderr
        assert _asides(path.parent) == []
        filler.unlink()
        with Catalog(path) as catalog:
            assert [e.name for e in catalog.iter_all()] == ["Kept"]


def test_the_window_starts_with_settings_and_overrides_nested_deeply(tmp_path: Path) -> None:
    config = tmp_path / "home" / "config"
    config.mkdir(parents=True)
    deep = "[" * 100_000 + "]" * 100_000
    (config / "settings.json").write_text('{"window.page": ' + deep + "}")
    (config / "errorcodes.json").write_text('{"entries": ' + deep + "}")
    result = _start(tmp_path / "home")
    assert result.returncode == 0, result.stderr
    assert "RecursionError" not in result.stderr
