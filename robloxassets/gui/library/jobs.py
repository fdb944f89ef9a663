"""Background jobs of the Library page: scanning folders and reading thumbnails back.

These run in Qt's thread pool (see ``robloxassets.gui.tasks``); they call core and turn core's
raw RGBA thumbnails into QImages there, so the UI thread only inserts finished rows.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Generator, Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from robloxassets.core.catalog.links import CatalogLink, LibraryFile, TaggedFile, link_library
from robloxassets.core.catalog.store import Catalog
from robloxassets.core.images.cache import ScanCache
from robloxassets.core.images.info import ImageInfo
from robloxassets.core.images.scan import FolderProblem, ScanItem, Scanner, find_images
from robloxassets.core.images.thumbnails import CachedThumbnail, Thumbnail
from robloxassets.gui.qimage import rgba_qimage

# Thumbnails beyond this many per scan are not turned into QImages straight away: the grid's
# memory cache could not hold them anyway, and rows read theirs back when they are shown.
EAGER_THUMBNAILS = 400
BATCH_SECONDS = 0.08
LIST_BATCH = 2000

ScanRow = tuple[ImageInfo, QImage | None, bool]


def to_qimage(thumbnail: Thumbnail, display_px: int) -> QImage:
    """A QImage of at most ``display_px`` on its longest side (the grid's cell in device
    pixels): the memory cache then holds four times more 128 px thumbnails than 256 px ones."""
    image = rgba_qimage(thumbnail.rgba, thumbnail.width, thumbnail.height)
    if max(image.width(), image.height()) > display_px:
        image = image.scaled(display_px, display_px, Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
    return image


def scan_rows(item: ScanItem, eager: bool, display_px: int) -> ScanRow:
    thumb = item.thumbnail
    # Cache hits carry lazy thumbnails: leave them on disk until a row is painted, so a warm
    # reopen of 10,000 images reads only the few dozen that are on screen.
    fresh = thumb is not None and not isinstance(thumb, CachedThumbnail)
    image = to_qimage(thumb, display_px) if thumb is not None and fresh and eager else None
    return item.info, image, thumb is not None


def scan_job(roots: Iterable[str], scanner: Scanner, display_px: int,
             cancel: threading.Event | None = None) -> Generator[tuple[str, object], None, int]:
    """Yield ("found", [paths]) while listing, ("problems", [FolderProblem]) for folders
    that could not be read (their images are missing), then ("scanned", [ScanRow]) in
    small batches.

    Batches are sent every ~80 ms so the first thumbnails show at once and the UI thread is
    not flooded with one signal per image. Returns the number of images scanned.
    """
    found: list[str] = []
    batch: list[str] = []
    problems: list[FolderProblem] = []
    for path in find_images(list(roots), cancel, problems=problems):
        batch.append(str(path))
        if len(batch) >= LIST_BATCH:
            found.extend(batch)
            yield "found", batch
            batch = []
    if batch:
        found.extend(batch)
        yield "found", batch
    if problems:
        yield "problems", problems
    return (yield from scan_paths(found, scanner, display_px, cancel))


def scan_paths(paths: list[str], scanner: Scanner, display_px: int,
               cancel: threading.Event | None = None
               ) -> Generator[tuple[str, object], None, int]:
    """Scan known files (no listing): ("scanned", [ScanRow]) batches."""
    rows: list[ScanRow] = []
    done = 0
    last = time.monotonic()
    for item in scanner.scan(paths, cancel):
        rows.append(scan_rows(item, done < EAGER_THUMBNAILS, display_px))
        done += 1
        now = time.monotonic()
        if now - last >= BATCH_SECONDS:
            yield "scanned", rows
            rows = []
            last = now
    if rows:
        yield "scanned", rows
    return done


def load_thumbnails(cache: ScanCache, wanted: list[tuple[str, int, int]], thumb_size: int,
                    display_px: int) -> list[tuple[str, QImage | None]]:
    """Read thumbnails back from the disk cache: (path, file size, mtime_ns) -> QImage."""
    out: list[tuple[str, QImage | None]] = []
    for path, size, mtime_ns in wanted:
        thumb = cache.thumbnail(path, size, mtime_ns, thumb_size)
        out.append((path, to_qimage(thumb, display_px) if thumb is not None else None))
    return out


def changed_under(folder: str, known: dict[str, tuple[int, int]], cache: ScanCache | None = None,
                  cancel: threading.Event | None = None) -> tuple[list[str], list[str]]:
    """Compare a folder on disk with what the grid knows under it.

    ``known`` maps paths under ``folder`` to (bytes, mtime_ns). Returns (new or changed paths,
    paths that are gone); the gone ones leave ``cache`` too.
    """
    on_disk: list[str] = [str(p) for p in find_images([folder], cancel)]
    fresh: list[str] = []
    for path in on_disk:
        before = known.get(path)
        if before is None:
            fresh.append(path)
            continue
        try:
            st = os.stat(path)
        except OSError:
            continue
        if (st.st_size, st.st_mtime_ns) != before:
            fresh.append(path)
    present = set(on_disk)
    gone = [p for p in known if p not in present]
    if cache is not None and gone:
        cache.forget(gone)
    return fresh, gone


def lookup_catalog(open_catalog: Callable[[], Catalog], files: list[LibraryFile],
                   cache: ScanCache, skip_tags: frozenset[tuple[str, int, int]],
                   cancel: threading.Event
                   ) -> tuple[dict[str, CatalogLink], list[TaggedFile], dict[str, str]]:
    """Catalogue links of the Library's files (hashing them if the catalogue has hashes), the
    unlinked PNGs that carry asset IDs, and the digests now known. Runs in the pool, on a
    connection of its own: hashing a big folder must not hold up the window's other reads."""
    with open_catalog() as catalog:
        found = link_library(catalog, files, cache, skip_tags, cancel)
    links = {path: link for path, entry in found.entries.items()
             if (link := CatalogLink.of(entry)) is not None}
    return links, found.tagged, found.hashes
