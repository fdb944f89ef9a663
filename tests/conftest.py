"""Shared fixtures: every test gets its own ROBLOXASSETS_HOME and an offscreen Qt."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Set before any Qt import so the tests never need a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

#: The least time a qtbot wait gives its condition or signal. A wait returns as soon as it is
#: met, so this costs nothing when all is well; pytest-qt's 5 s (and the few seconds some
#: tests gave layout waits) ran out on a fresh machine with both cores busy, where a
#: background open of the catalogue took longer (issue 9: no timing luck). pytest-timeout's
#: 120 s still stops a real hang.
WAIT_FLOOR_MS = 30_000


def _patch_qtbot_waits() -> None:
    from pytestqt.qtbot import QtBot

    wait_until, wait_signal, wait_signals, wait_exposed = (
        QtBot.waitUntil, QtBot.waitSignal, QtBot.waitSignals, QtBot.waitExposed)

    def wait_until_floored(self, callback, *, timeout=WAIT_FLOOR_MS):  # type: ignore[no-untyped-def]
        return wait_until(self, callback, timeout=max(timeout, WAIT_FLOOR_MS))

    def wait_signal_floored(self, signal=None, *, timeout=WAIT_FLOOR_MS, **kw):  # type: ignore[no-untyped-def]
        return wait_signal(self, signal, timeout=max(timeout, WAIT_FLOOR_MS), **kw)

    def wait_signals_floored(self, signals=None, *, timeout=WAIT_FLOOR_MS, **kw):  # type: ignore[no-untyped-def]
        return wait_signals(self, signals, timeout=max(timeout, WAIT_FLOOR_MS), **kw)

    def wait_exposed_floored(self, widget, *, timeout=WAIT_FLOOR_MS):  # type: ignore[no-untyped-def]
        return wait_exposed(self, widget, timeout=max(timeout, WAIT_FLOOR_MS))

    QtBot.waitUntil = wait_until_floored  # type: ignore[method-assign]
    QtBot.waitSignal = wait_signal_floored  # type: ignore[method-assign]
    QtBot.waitSignals = wait_signals_floored  # type: ignore[method-assign]
    QtBot.waitExposed = wait_exposed_floored  # type: ignore[method-assign]


_patch_qtbot_waits()


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
