"""The GUI entry point, run as a user runs it: start, switch pages, close, exit cleanly."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from robloxassets.gui.app import EXIT_ON_ERROR_CODE, EXIT_ON_ERROR_ENV

# The script finds the main window by its type: offscreen there is no active window, and
# QApplication.topLevelWidgets() comes back in no fixed order (menus and frames are top-level
# widgets too). A watchdog ends it if the walk never finishes.
SCRIPT = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from robloxassets.gui import app as gui
    from robloxassets.gui.mainwindow import MainWindow

    app = gui.create_application()
    ACTION = sys.argv[1]

    def walk_and_close():
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        assert len(windows) == 1, f"expected one main window, found {windows}"
        window = windows[0]
        if ACTION == "fail":
            raise RuntimeError("planted failure in a slot")
        for action in window.page_actions:
            action.trigger()
            QApplication.processEvents()
        window.show_page("errors", "279")
        QApplication.processEvents()
        window.close()

    def watchdog():
        print("watchdog: the app was still running after 30 s", file=sys.stderr, flush=True)
        app.exit(99)

    QTimer.singleShot(300, walk_and_close)
    QTimer.singleShot(30_000, watchdog)
    raise SystemExit(gui.main())
""")


def _run(tmp_path: Path, action: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ROBLOXASSETS_HOME": str(tmp_path),
           EXIT_ON_ERROR_ENV: "1"}
    try:
        return subprocess.run([sys.executable, "-c", SCRIPT, action], env=env,
                              capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired as exc:  # the watchdog should have ended it long before
        raise AssertionError(f"the app did not exit: {exc.stderr!r}") from exc


def test_app_starts_switches_pages_and_exits_cleanly(tmp_path: Path) -> None:
    for _ in range(3):  # the teardown crash this guards against was intermittent
        result = _run(tmp_path, "walk")
        assert result.returncode == 0, result.stderr
        assert "pure virtual" not in result.stderr
        assert "Traceback" not in result.stderr
    assert (tmp_path / "config" / "settings.json").exists()


def test_an_unhandled_error_in_a_slot_ends_the_app_with_its_traceback(tmp_path: Path) -> None:
    result = _run(tmp_path, "fail")
    assert result.returncode == EXIT_ON_ERROR_CODE, result.stderr
    assert "RuntimeError: planted failure in a slot" in result.stderr
    assert "watchdog" not in result.stderr


# The app started with paths, as the desktop entry (Exec=robloxassets open %F) starts it.
OPEN_SCRIPT = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from robloxassets import cli
    from robloxassets.gui import app as gui
    from robloxassets.gui.mainwindow import MainWindow

    app = gui.create_application()

    def check():
        (window,) = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        library = window.page("library")
        if "checking" in library.summary() or not library.summary()[0].isdigit():
            QTimer.singleShot(50, check)
            return
        print("page:", window.current_page.page_id)
        print("summary:", library.summary())
        print("status:", window.statusBar().currentMessage())
        window.close()

    QTimer.singleShot(300, check)
    QTimer.singleShot(30_000, lambda: app.exit(99))
    raise SystemExit(cli.main(sys.argv[1:]))
""")


def test_paths_on_the_command_line_open_in_the_library(tmp_path: Path) -> None:
    from PIL import Image

    folder = tmp_path / "decals"
    folder.mkdir()
    for name in ("a.png", "b.png"):
        Image.new("RGB", (64, 64), "red").save(folder / name)
    single = tmp_path / "single.png"
    Image.new("RGB", (2048, 2048), "blue").save(single)
    missing = tmp_path / "gone"
    # The window last showed another page: the paths still go to the Library.
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "settings.json").write_text('{"window.page": 2}')
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ROBLOXASSETS_HOME": str(tmp_path),
           EXIT_ON_ERROR_ENV: "1"}
    result = subprocess.run([sys.executable, "-c", OPEN_SCRIPT, "open", str(folder),
                             str(single), str(missing)], env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout.splitlines()
    assert "page: library" in out
    assert "summary: 3 images · 1 need work" in out, out
    assert f"status: Not found: {missing}" in out, out
