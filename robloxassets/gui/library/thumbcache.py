"""A bounded in-memory cache of thumbnail images, by bytes, least recently used out first.

The grid keeps only what fits here; evicted thumbnails are read back from the on-disk scan
cache when they scroll into view again, so 10,000 images never need 10,000 images in memory.
"""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtGui import QImage

# About 750 thumbnails of 128 px, or 190 of 256 px: several screens of the grid.
DEFAULT_BUDGET = 48 * 1024 * 1024


class ThumbnailMemoryCache:
    """Maps a key (the file path) to a QImage; holds at most ``budget`` bytes of pixels."""

    def __init__(self, budget: int = DEFAULT_BUDGET) -> None:
        self.budget = budget
        self._images: OrderedDict[str, QImage] = OrderedDict()
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._images)

    @property
    def used_bytes(self) -> int:
        return self._bytes

    def get(self, key: str) -> QImage | None:
        image = self._images.get(key)
        if image is not None:
            self._images.move_to_end(key)
        return image

    def put(self, key: str, image: QImage) -> None:
        self.discard(key)
        self._images[key] = image
        self._bytes += image.sizeInBytes()
        while self._bytes > self.budget and len(self._images) > 1:
            _, old = self._images.popitem(last=False)
            self._bytes -= old.sizeInBytes()

    def discard(self, key: str) -> None:
        old = self._images.pop(key, None)
        if old is not None:
            self._bytes -= old.sizeInBytes()

    def clear(self) -> None:
        self._images.clear()
        self._bytes = 0
