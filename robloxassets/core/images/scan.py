"""Finding images in folders and analysing them (facts, verdict, thumbnail) in parallel.

``find_images`` lists files; ``analyse`` reads one file once for everything the Library shows;
``Scanner`` runs ``analyse`` on a small thread pool (Pillow releases the GIL, so two
threads use both cores without pickling thumbnails between processes) and answers from the
``ScanCache`` when a file has not changed. Nothing here imports Qt: the GUI calls it from a
worker thread, the CLI from the main thread.
"""

from __future__ import annotations

import concurrent.futures as cf
import logging
import os
import stat
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from robloxassets.core.images import decode
from robloxassets.core.images.cache import ScanCache
from robloxassets.core.images.info import (
    ImageFacts,
    evaluate,
    missing_facts,
    read_header_facts,
)
from robloxassets.core.images.rules import MAX_TEXTURE_SIDE, is_image_path
from robloxassets.core.images.scan_types import ScanItem
from robloxassets.core.images.thumbnails import THUMB_SIZE, Thumbnail, make_thumbnail, pack

__all__ = ["ScanItem", "Scanner", "analyse", "find_images"]

log = logging.getLogger(__name__)

_LOOKUP_BATCH = 256   # paths per cache query while listing
_STORE_EVERY = 64     # analysed items per cache transaction
_STORE_SECONDS = 2.0


# -- listing -------------------------------------------------------------------------------

def find_images(paths: Iterable[str | os.PathLike[str]],
                cancel: threading.Event | None = None) -> Iterator[Path]:
    """Image files among ``paths``: files as given (if named like images), folders walked.

    Folders are walked recursively in a stable order (each folder's files sorted by name,
    then its subfolders); hidden files and folders (names starting with a dot) are skipped
    inside walked folders; symlinked folders are followed once (no loops); unreadable
    folders are skipped and logged; folders named like images are not files; broken
    symlinks are yielded (they become "corrupt" with the reason). Paths given that do not
    exist are skipped. Stops when ``cancel`` is set.
    """
    for name, _st in _walk(paths, cancel):
        yield Path(name)


def _walk(paths: Iterable[str | os.PathLike[str]], cancel: threading.Event | None
          ) -> Iterator[tuple[str, os.stat_result | None]]:
    """(path, stat or None when it cannot be stat'ed) of every image, without duplicates."""
    seen_files: set[str] = set()
    seen_dirs: set[tuple[int, int]] = set()

    def new_file(name: str) -> bool:
        key = os.path.normcase(os.path.abspath(name))
        if key in seen_files:
            return False
        seen_files.add(key)
        return True

    for given in paths:
        if cancel is not None and cancel.is_set():
            return
        name = os.fspath(given)
        try:
            st: os.stat_result | None = os.stat(name)
        except OSError as exc:
            if os.path.lexists(name) and is_image_path(name) and new_file(name):
                yield name, None  # a broken link or unreadable entry: analyse says why
            else:
                log.info("Skipped %s: %s", name, exc)
            continue
        assert st is not None
        if stat.S_ISDIR(st.st_mode):
            for found in _walk_folder(name, seen_dirs, cancel):
                if new_file(found[0]):
                    yield found
        elif is_image_path(name) and new_file(name):
            yield name, st


def _walk_folder(root: str, seen_dirs: set[tuple[int, int]],
                 cancel: threading.Event | None) -> Iterator[tuple[str, os.stat_result | None]]:
    stack = [root]
    while stack:
        if cancel is not None and cancel.is_set():
            return
        folder = stack.pop()
        try:
            st = os.stat(folder)
            key = (st.st_dev, st.st_ino)
            if key in seen_dirs:
                continue  # a symlink loop, or a folder reached twice
            seen_dirs.add(key)
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError as exc:
            log.warning("Skipped folder %s: %s", folder, exc)
            continue
        entries.sort(key=lambda e: (e.name.casefold(), e.name))
        subfolders: list[str] = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                subfolders.append(entry.path)
                continue
            if not is_image_path(entry.name):
                continue
            try:
                entry_st: os.stat_result | None = entry.stat()
            except OSError:
                entry_st = None  # broken symlink, or deleted since the listing
            if entry_st is not None and not stat.S_ISREG(entry_st.st_mode):
                continue  # sockets, pipes, devices
            yield entry.path, entry_st
        stack.extend(reversed(subfolders))


# -- one file ------------------------------------------------------------------------------

def analyse(path: str | os.PathLike[str], thumb_size: int = THUMB_SIZE, *,
            max_side: int = MAX_TEXTURE_SIDE) -> ScanItem:
    """Read one file once: header facts, verdict and thumbnail. Never raises.

    A decoding error (e.g. a truncated file) makes the verdict CORRUPT with the reason.
    Images whose header asks for too many pixels are refused before anything is decoded.
    """
    name = os.fspath(path)
    facts, thumb = _analyse(name, thumb_size)
    return ScanItem(evaluate(facts, max_side), thumb)


def _analyse(name: str, thumb_size: int) -> tuple[ImageFacts, Thumbnail | None]:
    try:
        handle = open(name, "rb")  # noqa: SIM115 - closed in the finally below
    except FileNotFoundError:
        return missing_facts(name), None
    except Exception as exc:
        return _error_facts(name, None, exc), None
    st: os.stat_result | None = None
    try:
        st = os.fstat(handle.fileno())
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(name)
        if st.st_size == 0:
            return ImageFacts(path=name, mtime_ns=st.st_mtime_ns, error=decode.EMPTY), None
        try:
            im, too_big = decode.open_image(handle)
            facts = read_header_facts(im, name, st.st_size, st.st_mtime_ns, too_big)
        except Exception as exc:  # not an image: a fact about these bytes, worth caching
            if isinstance(exc, OSError) and not _is_data_error(exc):
                raise
            return ImageFacts(path=name, bytes=st.st_size, mtime_ns=st.st_mtime_ns,
                              error=decode.describe_error(exc), settled=True), None
        facts = replace(facts, settled=True)
        if facts.refused:
            return facts, None
        try:
            thumb = make_thumbnail(im, thumb_size, decode.orientation(im))
        except decode.Bomb:
            return replace(facts, refused=True), None
        except Exception as exc:  # decoding failed: the file is damaged
            # Out of memory or a failing disk say nothing lasting about the file: not cached.
            lasting = not isinstance(exc, MemoryError) and _is_data_error(exc)
            return replace(facts, error=decode.describe_error(exc), settled=lasting), None
        return facts, thumb
    except Exception as exc:  # never raises: any failure is the file's verdict
        return _error_facts(name, st, exc), None
    finally:
        handle.close()


def _analyse_and_pack(name: str, thumb_size: int
                      ) -> tuple[ImageFacts, Thumbnail | None, tuple[int, bytes] | None]:
    # Compressing the thumbnail for the cache here, on the worker thread, keeps the thread
    # that writes the cache (and yields items) from becoming the bottleneck.
    facts, thumb = _analyse(name, thumb_size)
    packed = pack(thumb) if thumb is not None and facts.settled else None
    return facts, thumb, packed


def _analyse_only(name: str, thumb_size: int
                  ) -> tuple[ImageFacts, Thumbnail | None, tuple[int, bytes] | None]:
    facts, thumb = _analyse(name, thumb_size)
    return facts, thumb, None


def _is_data_error(exc: BaseException) -> bool:
    """True for errors about the bytes (damaged, truncated, not an image), False for errors of
    reading them (permission, I/O), which may pass and must not be cached."""
    if not isinstance(exc, OSError):
        return True
    # Pillow reports damaged data as OSError without an errno ("image file is truncated").
    return exc.errno is None


def _error_facts(name: str, st: os.stat_result | None, exc: BaseException) -> ImageFacts:
    if st is None:
        return ImageFacts(path=name, error=decode.describe_error(exc))
    return ImageFacts(path=name, bytes=st.st_size, mtime_ns=st.st_mtime_ns,
                      error=decode.describe_error(exc))


# -- many files ----------------------------------------------------------------------------

class Scanner:
    """Scans folders and files into ``ScanItem``s, in parallel, with an optional cache.

    Owns a thread pool for the duration of each ``scan`` call. No Qt: call ``scan`` from a
    worker thread and forward the items to the UI thread.
    """

    def __init__(self, cache: ScanCache | None = None, thumb_size: int = THUMB_SIZE,
                 workers: int = 2, max_side: int = MAX_TEXTURE_SIDE) -> None:
        self.cache = cache
        self.thumb_size = thumb_size
        self.workers = max(1, workers)
        self.max_side = max_side

    def scan(self, paths: Iterable[str | os.PathLike[str]],
             cancel: threading.Event | None = None) -> Iterator[ScanItem]:
        """Every image under ``paths``, in completion order. Never raises for a file.

        Unchanged files (same path, size and mtime) come from the cache at once, with
        ``CachedThumbnail``s; the rest are analysed on ``workers`` threads and stored in the
        cache. ``info.path`` is absolute. Stops promptly when ``cancel`` is set. A file
        deleted while scanning comes out CORRUPT ("the file no longer exists").
        """
        cancel = cancel or threading.Event()
        run = _ScanRun(self, cancel)
        try:
            yield from run.items(paths)
        finally:
            run.close()


class _ScanRun:
    """The state of one ``Scanner.scan`` call: pool, pending work, results to store."""

    def __init__(self, scanner: Scanner, cancel: threading.Event) -> None:
        self.scanner = scanner
        self.cancel = cancel
        self.pool = cf.ThreadPoolExecutor(scanner.workers, thread_name_prefix="image-scan")
        self.pending: set[cf.Future[tuple[ImageFacts, Thumbnail | None,
                                          tuple[int, bytes] | None]]] = set()
        # Queued futures hold only a path, so a deeper queue costs no memory and keeps the
        # workers busy while this thread writes to the cache.
        self.max_pending = scanner.workers * 4
        self.to_store: list[ScanItem] = []
        self.packed: list[tuple[int, bytes] | None] = []
        self.last_store = time.monotonic()

    def items(self, paths: Iterable[str | os.PathLike[str]]) -> Iterator[ScanItem]:
        batch: list[tuple[str, os.stat_result | None]] = []
        for name, st in _walk(paths, self.cancel):
            batch.append((os.path.abspath(name), st))
            if len(batch) >= _LOOKUP_BATCH:
                yield from self._dispatch(batch)
                batch = []
            yield from self._collect(block=False)
            if self.cancel.is_set():
                return
        if batch:
            yield from self._dispatch(batch)
        while self.pending and not self.cancel.is_set():
            yield from self._collect(block=True)

    def _dispatch(self, batch: list[tuple[str, os.stat_result | None]]) -> Iterator[ScanItem]:
        scanner = self.scanner
        hits: dict[str, ScanItem] = {}
        if scanner.cache is not None:
            keys = [(name, st.st_size, st.st_mtime_ns) for name, st in batch if st is not None]
            hits = scanner.cache.get_many(keys, scanner.thumb_size, max_side=scanner.max_side)
        for name, _st in batch:
            if self.cancel.is_set():
                return
            hit = hits.get(name)
            if hit is not None:
                yield hit
                continue
            while len(self.pending) >= self.max_pending and not self.cancel.is_set():
                yield from self._collect(block=True)
            if self.cancel.is_set():
                return
            worker = _analyse_and_pack if scanner.cache is not None else _analyse_only
            self.pending.add(self.pool.submit(worker, name, scanner.thumb_size))

    def _collect(self, block: bool) -> Iterator[ScanItem]:
        if not self.pending:
            return
        # Short waits so a cancel is noticed within a tenth of a second.
        done, _ = cf.wait(self.pending, timeout=0.1 if block else 0,
                          return_when=cf.FIRST_COMPLETED)
        items = []
        for future in done:
            self.pending.discard(future)
            facts, thumb, packed = future.result()  # never raises
            item = ScanItem(evaluate(facts, self.scanner.max_side), thumb)
            if facts.settled:  # only what was read: never "missing"/"no permission"
                self.to_store.append(item)
                self.packed.append(packed)
            items.append(item)
        for item in items:
            if self.cancel.is_set():
                return
            yield item
        if (len(self.to_store) >= _STORE_EVERY
                or (self.to_store and time.monotonic() - self.last_store > _STORE_SECONDS)):
            self._store()

    def _store(self) -> None:
        if self.scanner.cache is not None and self.to_store:
            self.scanner.cache.put_many(self.to_store, self.scanner.thumb_size,
                                        packed=self.packed)
        self.to_store = []
        self.packed = []
        self.last_store = time.monotonic()

    def close(self) -> None:
        for future in self.pending:
            future.cancel()
        # Running analyses finish on their own (one image each); nothing waits for them.
        self.pool.shutdown(wait=False, cancel_futures=True)
        # Whatever finished is worth keeping, even after a cancel.
        for future in list(self.pending):
            if future.done() and not future.cancelled():
                facts, thumb, packed = future.result()
                if facts.settled:
                    self.to_store.append(ScanItem(evaluate(facts, self.scanner.max_side), thumb))
                    self.packed.append(packed)
        self.pending.clear()
        self._store()
        decode.DECODE_BUDGET.release_memory()
