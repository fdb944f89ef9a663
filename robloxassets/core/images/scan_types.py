"""The scanner's result type, apart from the scanner so the cache can use it too."""

from __future__ import annotations

from dataclasses import dataclass

from robloxassets.core.images.info import ImageInfo
from robloxassets.core.images.thumbnails import Thumbnail


@dataclass(frozen=True, slots=True)
class ScanItem:
    """One scanned image: its facts and verdict, and its thumbnail.

    ``thumbnail`` is None when the image could not be decoded (corrupt, or too big to open);
    for cache hits it is a ``CachedThumbnail`` whose pixels are read on first use.
    """

    info: ImageInfo
    thumbnail: Thumbnail | None


@dataclass(frozen=True, slots=True)
class FolderProblem:
    """A folder (or path) the scan could not look into, and why in plain words: the images
    in it were not checked, so the caller must not say that all is well."""

    path: str
    reason: str
    #: What to do about it, in a few words ("check the permissions of the file and its
    #: folder"); "" when there is nothing to add.
    advice: str = ""

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"
