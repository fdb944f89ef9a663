"""Shared pieces of the Uploads page tests: images on disk, the window aimed at the fake
Roblox, waiting for rows."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from robloxassets.core.cloud.apikey import ApiKey
from robloxassets.core.cloud.client import Client
from robloxassets.core.upload.model import State
from robloxassets.core.upload.runner import PollSchedule, RunnerConfig
from robloxassets.gui.mainwindow import MainWindow
from robloxassets.gui.uploads.page import UploadsPage
from tests.cloudfixtures import make_client
from tests.fakeroblox import FakeRoblox

FAST = RunnerConfig(poll=PollSchedule(first=0.02, factor=1.5, longest=0.2))


def images(folder: Path, names: list[str]) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number, name in enumerate(names):
        path = folder / f"{name}.png"
        Image.new("RGBA", (48 + number, 40), (30 * number % 255, 90, 200, 255)).save(path)
        paths.append(str(path))
    return paths


def uploads_page(window: MainWindow) -> UploadsPage:
    page = window.page("uploads")
    assert isinstance(page, UploadsPage)
    return page


def aim(page: UploadsPage, fake: FakeRoblox | str) -> None:
    """The page's runner and moderation talk to ``fake`` with short waits."""

    def factory(key: ApiKey) -> Client:
        return make_client(fake, key=key.reveal())

    page.service.client_factory = factory
    page.service.config = FAST


def states(page: UploadsPage) -> list[State]:
    return [item.state for item in page.model.items]


def settle(qtbot, page: UploadsPage, timeout: int = 15000) -> None:  # type: ignore[no-untyped-def]
    """Wait until the runner and every catalogue call of the window are done."""
    qtbot.waitUntil(lambda: not page.service.running and not page.service.refreshing
                    and not page.context.catalog.busy, timeout=timeout)
