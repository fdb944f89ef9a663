"""Roblox's own pictures for catalogue entries that have no local file.

A ``ThumbnailSource`` keyed by content ID (``rbxassetid://N``) for the Catalogue's table:
rows on screen ask, the IDs asked within a moment go to core's ``ThumbnailCache`` together
(50 to a request, kept in the cache folder), one fetch at a time, on the task runner, and
the pictures are decoded there too. A picture still pending (the asset is in review) is asked
again after ``RETRY_PENDING`` seconds; one Roblox won't show (blocked, unknown) gets the
placeholder. No key is sent: the thumbnails API is public.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QImage, QPixmap

from robloxassets.core.assetid import try_parse_asset_id
from robloxassets.core.cloud.client import Client, RetryPolicy
from robloxassets.core.cloud.thumbnails import ThumbnailCache
from robloxassets.gui.catalog.thumbnails import read_thumbnail
from robloxassets.gui.tasks import TaskRunner

log = logging.getLogger(__name__)

#: Seconds before a pending picture (or a failed fetch) is asked for again.
RETRY_PENDING = 120.0
#: How long requests are gathered before one fetch goes out, in ms.
GATHER_MS = 60


ClientFactory = Callable[[threading.Event], Client]


def default_client(cancel: threading.Event) -> Client:
    # One try: a picture is best effort and asked for again later anyway, and a fetch
    # waiting out retries would only hold up the next one (and the window's closing).
    return Client(retry=RetryPolicy(attempts=1), cancel=cancel)


def fetch_pictures(client_factory: ClientFactory, ids: list[int], side: int,
                   cancel: threading.Event) -> dict[int, tuple[str, QImage | None]]:
    """State and decoded picture per asset ID (runs in a pool thread)."""
    with client_factory(cancel) as client:
        found = ThumbnailCache(client).get(ids)
    result: dict[int, tuple[str, QImage | None]] = {}
    for asset_id in ids:
        thumb = found.get(asset_id)
        if thumb is None:  # the request failed: try again later
            result[asset_id] = ("Unavailable", None)
            continue
        image = read_thumbnail(str(thumb.path), side) if thumb.path is not None else None
        result[asset_id] = (thumb.state if image is not None or thumb.path is None
                            else "Error", image)
    return result


class RemoteThumbnails(QObject):
    """Signals: ``loaded(str)`` with the content ID whose picture is there now (or known to
    be unavailable)."""

    loaded = Signal(str)

    def __init__(self, tasks: TaskRunner, side: int = 40, capacity: int = 600,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.side = side
        self.capacity = capacity
        #: Tests aim it at the fake Roblox; by default the environment's thumbnails URL.
        self.client_factory: ClientFactory = default_client
        self._cache: OrderedDict[str, QPixmap] = OrderedDict()
        self._failed: set[str] = set()
        self._later: dict[str, float] = {}  # pending: not before this time
        self._wanted: dict[int, str] = {}
        self._running: dict[int, str] = {}
        self._timer = QTimer(self, singleShot=True, interval=GATHER_MS)
        self._timer.timeout.connect(self._fetch)

    def get(self, key: str) -> QPixmap | None:
        pixmap = self._cache.get(key)
        if pixmap is not None:
            self._cache.move_to_end(key)
            return pixmap
        if self.failed(key):
            return None
        asset_id = try_parse_asset_id(key)
        if asset_id is None:
            self._failed.add(key)
            return None
        if asset_id not in self._running and asset_id not in self._wanted:
            self._wanted[asset_id] = key
            if not self._running and not self._timer.isActive():
                self._timer.start()
        return None

    def failed(self, key: str) -> bool:
        """No picture now: Roblox won't show one, or it is pending (the placeholder shows
        until it is asked again)."""
        return key in self._failed or time.monotonic() < self._later.get(key, 0.0)

    @property
    def busy(self) -> bool:
        return bool(self._running or self._wanted)

    def _fetch(self) -> None:
        if self._running or not self._wanted:
            return
        self._running, self._wanted = self._wanted, {}
        self.tasks.run_task(fetch_pictures, self.client_factory, list(self._running),
                            self.side, pass_cancel=True, on_done=self._done,
                            on_error=self._fetch_failed)

    def _fetch_failed(self, exc: BaseException) -> None:
        log.info("Roblox thumbnails not fetched: %s", exc)
        self._done({asset_id: ("Unavailable", None) for asset_id in self._running})

    def _due(self, keys: list[str]) -> None:
        for key in keys:
            self.loaded.emit(key)

    def _done(self, found: dict[int, tuple[str, QImage | None]]) -> None:
        running, self._running = self._running, {}
        later = time.monotonic() + RETRY_PENDING
        again: list[str] = []
        for asset_id, key in running.items():
            state, image = found.get(asset_id, ("Unavailable", None))
            if image is not None:
                self._cache[key] = QPixmap.fromImage(image)
                while len(self._cache) > self.capacity:
                    self._cache.popitem(last=False)
            elif state in ("Blocked", "Error"):
                self._failed.add(key)
            else:  # pending, in review, or Roblox could not be asked
                self._later[key] = later
                again.append(key)
            self.loaded.emit(key)
        if again:
            # Asked again once due: the rows repaint, and those on screen ask.
            QTimer.singleShot(int(RETRY_PENDING * 1000) + 50, self,
                              lambda: self._due(again))
        if self._wanted:
            self._timer.start()
