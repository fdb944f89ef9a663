"""The GUI entry point, run as a user runs it: start, switch pages, close, exit cleanly."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

SCRIPT = textwrap.dedent("""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from robloxassets.gui import app as gui

    app = gui.create_application()

    def walk_and_close():
        window = QApplication.activeWindow() or QApplication.topLevelWidgets()[0]
        window = window.window()
        for action in window.page_actions:
            action.trigger()
            QApplication.processEvents()
        window.show_page("errors", "279")
        QApplication.processEvents()
        window.close()

    QTimer.singleShot(800, walk_and_close)
    raise SystemExit(gui.main())
""")


def test_app_starts_switches_pages_and_exits_cleanly(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ROBLOXASSETS_HOME": str(tmp_path)}
    for _ in range(3):  # the teardown crash this guards against was intermittent
        result = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True,
                                text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        assert "pure virtual" not in result.stderr
        assert "Traceback" not in result.stderr
    assert (tmp_path / "config" / "settings.json").exists()
