"""Small previews of catalogued images, read from their local files in the background.

Only rows on screen ask for a thumbnail, the newest requests are served first (what the user
scrolled to), and at most ``capacity`` thumbnails stay in memory, least recently used out.
"""

from __future__ import annotations

import logging
from collections import OrderedDict, deque
from functools import partial
from typing import Protocol

from PySide6.QtCore import (
    QFile,
    QFileDevice,
    QIODeviceBase,
    QObject,
    QSize,
    Qt,
    Signal,
    SignalInstance,
)
from PySide6.QtGui import QImage, QImageReader, QPixmap

from robloxassets.core.safeio import open_regular
from robloxassets.gui.tasks import TaskRunner

log = logging.getLogger(__name__)


def read_thumbnail(path: str, side: int) -> QImage | None:
    """Decode ``path`` scaled to fit ``side`` x ``side`` (runs in a pool thread).

    The file is opened through ``open_regular``: an entry's file may have been replaced by
    a FIFO or a device, and Qt's own open of one would block this pool thread for good."""
    try:
        handle = open_regular(path)
    except OSError as exc:
        log.debug("No thumbnail for %s: %s", path, exc)
        return None
    with handle:
        device = QFile()
        if not device.open(handle.fileno(), QIODeviceBase.OpenModeFlag.ReadOnly,
                           QFileDevice.FileHandleFlag.DontCloseHandle):
            return None
        try:
            return _read(QImageReader(device), path, side)
        finally:
            device.close()


def _read(reader: QImageReader, path: str, side: int) -> QImage | None:
    reader.setAutoTransform(True)
    size = reader.size()
    if size.isValid() and (size.width() > side or size.height() > side):
        reader.setScaledSize(size.scaled(QSize(side, side), Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    if image.isNull():
        log.debug("No thumbnail for %s: %s", path, reader.errorString())
        return None
    if image.width() > side or image.height() > side:
        image = image.scaled(side, side, Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
    return image


class ThumbnailSource(Protocol):
    """What the Catalogue asks of a thumbnail source: ``ThumbnailLoader`` for local files;
    a source of Roblox's own thumbnails (by content ID) for entries without one."""

    loaded: SignalInstance  # key: its thumbnail is there now (or known to be unavailable)

    def get(self, key: str) -> QPixmap | None: ...

    def failed(self, key: str) -> bool: ...


class ThumbnailLoader(QObject):
    """Loads thumbnails of files on a ``TaskRunner`` and keeps a bounded cache.

    Signals: ``loaded(str)`` with the path whose thumbnail is now available (or known to be
    unreadable: ``get`` then keeps returning None without trying again).
    """

    loaded = Signal(str)

    def __init__(self, tasks: TaskRunner, side: int = 40, capacity: int = 400,
                 in_flight: int = 4, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.side = side
        self.capacity = capacity
        self.in_flight = in_flight
        self._cache: OrderedDict[str, QPixmap] = OrderedDict()
        self._failed: set[str] = set()
        self._queued: deque[str] = deque()
        self._running: set[str] = set()

    def get(self, path: str) -> QPixmap | None:
        """The cached thumbnail, or None (then it is loaded and ``loaded`` follows)."""
        if not path:
            return None
        pixmap = self._cache.get(path)
        if pixmap is not None:
            self._cache.move_to_end(path)
            return pixmap
        if path in self._failed or path in self._running:
            return None
        if path in self._queued:
            self._queued.remove(path)
        self._queued.append(path)
        # Rows scrolled past long ago are not worth loading any more.
        while len(self._queued) > 4 * self.capacity:
            self._queued.popleft()
        self._pump()
        return None

    def failed(self, path: str) -> bool:
        return path in self._failed

    def forget(self, path: str | None = None) -> None:
        """Drop one path (e.g. the file changed) or everything."""
        if path is None:
            self._cache.clear()
            self._failed.clear()
            self._queued.clear()
        else:
            self._cache.pop(path, None)
            self._failed.discard(path)

    def _pump(self) -> None:
        while self._queued and len(self._running) < self.in_flight:
            path = self._queued.pop()  # newest first: what is on screen now
            self._running.add(path)
            self.tasks.run_task(read_thumbnail, path, self.side,
                                on_done=partial(self._done, path),
                                on_error=partial(self._load_failed, path))

    def _load_failed(self, path: str, _exc: BaseException) -> None:
        self._done(path, None)

    def _done(self, path: str, image: QImage | None) -> None:
        self._running.discard(path)
        if image is None:
            self._failed.add(path)
        else:
            self._cache[path] = QPixmap.fromImage(image)
            while len(self._cache) > self.capacity:
                self._cache.popitem(last=False)
        self.loaded.emit(path)
        self._pump()

    @property
    def cached(self) -> int:
        return len(self._cache)
