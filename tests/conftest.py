"""Shared fixtures: every test gets its own ROBLOXASSETS_HOME and an offscreen Qt."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Set before any Qt import so the tests never need a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def app_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Data, cache and config of the app under a fresh folder: never the real home."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("ROBLOXASSETS_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def qapp_args() -> list[str]:
    return ["robloxassets-tests"]


@pytest.fixture
def main_window(qtbot, qapp):
    """The real main window with every page, shown offscreen."""
    qapp.setProperty("robloxassets.testing", True)
    from robloxassets.gui.app import create_window

    window = create_window()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()
