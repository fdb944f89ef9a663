"""Finding images in folders and analysing them (facts, verdict, thumbnail) in parallel.

``find_images`` lists files; ``analyse`` reads one file once for everything the Library shows;
``Scanner`` runs ``analyse`` on worker processes (``workers``; a few files on threads) and
answers from the ``ScanCache`` when a file has not changed. Nothing here imports Qt: the GUI
calls it from a worker thread, the CLI from the main thread.
"""

from __future__ import annotations

import concurrent.futures as cf
import errno
import logging
import os
import stat
import threading
import time
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import fields, replace
from pathlib import Path
from typing import Any, TypeVar

from PIL import Image

from robloxassets.core.duplicates.phash import fingerprint
from robloxassets.core.errors import advice_for, describe_os_error
from robloxassets.core.images import decode, workers
from robloxassets.core.images.cache import ScanCache
from robloxassets.core.images.info import (
    ImageFacts,
    evaluate,
    missing_facts,
    read_header_facts,
)
from robloxassets.core.images.rules import MAX_TEXTURE_SIDE, is_image_path
from robloxassets.core.images.scan_types import FolderProblem, ScanItem
from robloxassets.core.images.thumbnails import (
    THUMB_SIZE,
    PackedThumbnail,
    Thumbnail,
    pack,
    packed_from_image,
    thumbnail_from_image,
    thumbnail_image,
)
from robloxassets.core.safeio import open_regular

__all__ = ["FolderProblem", "ScanItem", "Scanner", "analyse", "find_images"]

log = logging.getLogger(__name__)

_T = TypeVar("_T")

_LOOKUP_BATCH = 256   # paths per cache query while listing
_STORE_EVERY = 64     # analysed items per cache transaction
_STORE_SECONDS = 2.0


# -- listing -------------------------------------------------------------------------------

def find_images(paths: Iterable[str | os.PathLike[str]],
                cancel: threading.Event | None = None, *,
                problems: list[FolderProblem] | None = None) -> Iterator[Path]:
    """Image files among ``paths``: files as given (if named like images), folders walked.

    Folders are walked recursively in a stable order (each folder's files sorted by name,
    then its subfolders); hidden files and folders (names starting with a dot) are skipped
    inside walked folders; symlinked folders are followed once (no loops); folders that
    can't be read (no permission, a path too long) are skipped, logged and added to
    ``problems``; folders named like images are not files; broken symlinks, FIFOs and
    devices named like images are yielded (they become "corrupt" with the reason; nothing
    opens them). Paths given that do not exist are skipped. Stops when ``cancel`` is set.
    """
    for name, _st in _walk(paths, cancel, problems):
        yield Path(name)


def _walk(paths: Iterable[str | os.PathLike[str]], cancel: threading.Event | None,
          problems: list[FolderProblem] | None = None
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
            for found in _walk_folder(name, seen_dirs, cancel, problems):
                if new_file(found[0]):
                    yield found
        elif is_image_path(name) and new_file(name):
            yield name, st


def _folder_advice(exc: OSError) -> str:
    """What to do about a folder the scan could not look into."""
    if exc.errno in (errno.EACCES, errno.EPERM):
        return ("give your user permission to read that folder (or move its images to one "
                "you can read)")
    if exc.errno == errno.ENAMETOOLONG:
        return "move that folder to a shorter path"
    return advice_for(exc)


def _walk_folder(root: str, seen_dirs: set[tuple[int, int]], cancel: threading.Event | None,
                 problems: list[FolderProblem] | None = None
                 ) -> Iterator[tuple[str, os.stat_result | None]]:
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
            if problems is not None:
                problems.append(FolderProblem(folder, f"could not be read "
                                                      f"({describe_os_error(exc)})",
                                              _folder_advice(exc)))
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
            # FIFOs, devices and sockets named like images are listed too: ``analyse`` says
            # what they are without opening them.
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


def _analyse(name: str, thumb_size: int,
             make: Callable[[Image.Image], _T] = thumbnail_from_image,  # type: ignore[assignment]
             hashes: bool = True) -> tuple[ImageFacts, _T | None]:
    try:
        # Regular files only, and never blocking: a FIFO named x.png would wait forever.
        handle = open_regular(name)  # closed in the finally below
    except FileNotFoundError:
        return missing_facts(name), None
    except Exception as exc:
        return _error_facts(name, _stat(name), exc), None
    st: os.stat_result | None = None
    try:
        st = os.fstat(handle.fileno())
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(name)
        if st.st_size == 0:  # a lasting fact about this version of the file: cached
            return ImageFacts(path=name, mtime_ns=st.st_mtime_ns, error=decode.EMPTY,
                              settled=True), None
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
            work = thumbnail_image(im, thumb_size, decode.orientation(im))
        except decode.Bomb:
            return replace(facts, refused=True), None
        except Exception as exc:  # decoding failed: the file is damaged
            # Out of memory or a failing disk say nothing lasting about the file: not cached.
            lasting = not isinstance(exc, MemoryError) and _is_data_error(exc)
            return replace(facts, error=decode.describe_error(exc), settled=lasting), None
        # The perceptual hash and the colour signature come from the thumbnail's small
        # picture, already decoded: about 0.25 ms, against 3 ms from the full image, with the
        # same accuracy.
        if hashes:
            plain, mirrored, colour = fingerprint(work)
            facts = replace(facts, phash=plain, phash_mirror=mirrored, colour=colour)
        return facts, make(work)
    except Exception as exc:  # never raises: any failure is the file's verdict
        return _error_facts(name, st, exc), None
    finally:
        handle.close()


# What a worker sends back for one file: the facts' field values (a plain tuple pickles the
# same on every Python version), the thumbnail's size, the packed thumbnail and, from a thread
# only, the thumbnail's pixels (a process sends the packed form alone: 10 KB, not 256 KB).
_Analysed = tuple[tuple[Any, ...], tuple[int, int] | None, tuple[int, bytes] | None,
                  Thumbnail | None]
_FACT_FIELDS = tuple(f.name for f in fields(ImageFacts))


def _analyse_chunk(names: list[str], thumb_size: int, in_process: bool, pack_thumbs: bool,
                   hashes: bool = True) -> list[_Analysed]:
    """Analyse several files in a worker (thread or process). Packing the thumbnail for the
    cache happens here too, so the thread that writes the cache never becomes the bottleneck."""
    out: list[_Analysed] = []
    for name in names:
        size = packed = thumb = None
        if in_process:
            facts, made = _analyse(name, thumb_size, packed_from_image, hashes)
            if made is not None:
                size, packed = made[:2], made[2]
        else:
            facts, thumb = _analyse(name, thumb_size, hashes=hashes)
            if thumb is not None:
                size = (thumb.width, thumb.height)
                if pack_thumbs and facts.settled:
                    packed = pack(thumb)
        out.append((tuple(getattr(facts, f) for f in _FACT_FIELDS), size, packed, thumb))
    return out


def _unpacked(result: _Analysed) -> tuple[ImageFacts, Thumbnail | None, tuple[int, bytes] | None]:
    values, size, packed, thumb = result
    if thumb is None and size is not None and packed is not None:
        thumb = PackedThumbnail(size[0], size[1], packed)
    return ImageFacts(*values), thumb, packed


def _is_data_error(exc: BaseException) -> bool:
    """True for errors about the bytes (damaged, truncated, not an image), False for errors of
    reading them (permission, I/O), which may pass and must not be cached."""
    if not isinstance(exc, OSError):
        return True
    # Pillow reports damaged data as OSError without an errno ("image file is truncated").
    return exc.errno is None


def _error_facts(name: str, st: os.stat_result | None, exc: BaseException | str
                 ) -> ImageFacts:
    """Facts of a file that could not be read: ``exc`` is the error, or the reason in words."""
    error = exc if isinstance(exc, str) else decode.describe_error(exc)
    if st is None:
        return ImageFacts(path=name, error=error)
    return ImageFacts(path=name, bytes=st.st_size, mtime_ns=st.st_mtime_ns, error=error)


# -- many files ----------------------------------------------------------------------------

class Scanner:
    """Scans folders and files into ``ScanItem``s, in parallel, with an optional cache.

    Batches of files go to worker processes shared by all scanners (``workers.shared_pool``),
    a few files to a thread pool of this scan's own (no process start-up for them). No Qt:
    call ``scan`` from a worker thread and forward the items to the UI thread.
    """

    def __init__(self, cache: ScanCache | None = None, thumb_size: int = THUMB_SIZE,
                 workers: int = 2, max_side: int = MAX_TEXTURE_SIDE,
                 processes: bool = True, perceptual_hashes: bool = True) -> None:
        # perceptual_hashes=False only for the benchmark's baseline (what hashing costs).
        self.perceptual_hashes = perceptual_hashes
        self.cache = cache
        self.thumb_size = thumb_size
        self.workers = max(1, workers)
        self.max_side = max_side
        self.processes = processes

    def scan(self, paths: Iterable[str | os.PathLike[str]],
             cancel: threading.Event | None = None, *,
             problems: list[FolderProblem] | None = None) -> Generator[ScanItem, None, None]:
        """Every image under ``paths``, in completion order. Never raises for a file.

        Folders that could not be read are added to ``problems`` (their images are missing
        from the results, so the caller should say so).

        Unchanged files (same path, size and mtime) come from the cache at once, with
        ``CachedThumbnail``s; the rest are analysed by the workers and stored in the cache.
        ``info.path`` is absolute. Stops promptly when ``cancel`` is set. A file deleted while
        scanning comes out CORRUPT ("the file no longer exists"), and so does one that made a
        worker process crash (not cached: the next scan tries again).
        """
        cancel = cancel or threading.Event()
        run = _ScanRun(self, cancel)
        try:
            yield from run.items(paths, problems)
        finally:
            run.close()


# A scan with at least this many files to analyse at once uses worker processes: below it,
# starting them (or waking an idle pool) costs more than they save.
_PROCESSES_FROM = 24
# Files go to workers in chunks: one task per file cost about 0.3 ms of hand-over between
# processes, a fifth of what a small image takes; chunks of 16 halved this process's share
# again against chunks of 8 (0.17 against 0.23 ms per image), while the first results still
# come within ~0.15 s. Big files go alone, so a chunk is never much more than one big image.
_CHUNK_FILES = 16
_CHUNK_BYTES = 2 << 20
_FIRST_CHUNK_FILES = 4

_Future = cf.Future[list[_Analysed]]


class _ScanRun:
    """The state of one ``Scanner.scan`` call: executors, pending work, results to store."""

    def __init__(self, scanner: Scanner, cancel: threading.Event) -> None:
        self.scanner = scanner
        self.cancel = cancel
        self.threads: cf.ThreadPoolExecutor | None = None
        self.process_pool = workers.shared_pool(scanner.workers) if scanner.processes else None
        self.processes: cf.ProcessPoolExecutor | None = None  # leased from process_pool
        self.use_processes = False  # set once there is enough work for them
        self.submitted = 0  # chunks sent to workers
        # Each pending future with the files it analyses and whether it runs in a process.
        self.pending: dict[_Future, tuple[list[str], bool]] = {}
        # Chunks that were with the workers when one died: sent again one at a time, and a
        # chunk that fails again is split into single files, so the file that crashes a
        # worker is told apart from those that happened to be queued with it.
        self.suspects: list[list[str]] = []
        self.retrying: _Future | None = None
        # Queued chunks hold only paths, so a deeper queue costs no memory and keeps the
        # workers busy while this thread writes to the cache.
        self.max_pending = scanner.workers * 4
        self.to_store: list[ScanItem] = []
        self.packed: list[tuple[int, bytes] | None] = []
        self.last_store = time.monotonic()

    def items(self, paths: Iterable[str | os.PathLike[str]],
              problems: list[FolderProblem] | None = None) -> Iterator[ScanItem]:
        batch: list[tuple[str, os.stat_result | None]] = []
        for name, st in _walk(paths, self.cancel, problems):
            batch.append((os.path.abspath(name), st))
            if len(batch) >= _LOOKUP_BATCH:
                yield from self._dispatch(batch)
                batch = []
            yield from self._collect(block=False)
            if self.cancel.is_set():
                return
        if batch:
            yield from self._dispatch(batch)
        while (self.pending or self.suspects) and not self.cancel.is_set():
            yield from self._collect(block=True)

    def _dispatch(self, batch: list[tuple[str, os.stat_result | None]]) -> Iterator[ScanItem]:
        scanner = self.scanner
        hits: dict[str, ScanItem] = {}
        if scanner.cache is not None:
            keys = [(name, st.st_size, st.st_mtime_ns) for name, st in batch
                    if st is not None and stat.S_ISREG(st.st_mode)]
            hits = scanner.cache.get_many(keys, scanner.thumb_size, max_side=scanner.max_side)
        misses: list[tuple[str, int]] = []
        for name, st in batch:
            hit = hits.get(name)
            if hit is not None:
                if self.cancel.is_set():
                    return
                yield hit
            else:
                misses.append((name, st.st_size if st is not None else 0))
        if len(misses) >= _PROCESSES_FROM:
            self.use_processes = self.process_pool is not None
        # One small chunk per worker opens a scan: the first thumbnails come back sooner.
        small_first = 0 if self.submitted else self.scanner.workers
        for chunk in _chunked(misses, small_first):
            self.submitted += 1
            while (len(self.pending) >= self.max_pending or self.suspects) \
                    and not self.cancel.is_set():
                yield from self._collect(block=True)
            if self.cancel.is_set():
                return
            self._submit(chunk)

    def _submit(self, names: list[str], threads: bool = True) -> _Future | None:
        """Send ``names`` to the worker processes, or to threads when there are none (or they
        fail to start) and ``threads`` allows; None when nothing took it."""
        scanner = self.scanner
        pack_thumbs = scanner.cache is not None
        future = self._submit_to_processes(names, pack_thumbs) if self.use_processes else None
        if future is not None:
            self.pending[future] = (names, True)
            return future
        if not threads:
            return None
        if self.threads is None:
            self.threads = cf.ThreadPoolExecutor(scanner.workers,
                                                 thread_name_prefix="image-scan")
        future = self.threads.submit(_analyse_chunk, names, scanner.thumb_size, False,
                                     pack_thumbs, scanner.perceptual_hashes)
        self.pending[future] = (names, False)
        return future

    def _submit_to_processes(self, names: list[str], pack_thumbs: bool) -> _Future | None:
        assert self.process_pool is not None
        for _attempt in range(2):
            if self.processes is None:
                self.processes = self.process_pool.lease()
                if self.processes is None:  # this system cannot start them
                    self.use_processes = False
                    return None
            try:
                return self.processes.submit(_analyse_chunk, names, self.scanner.thumb_size,
                                             True, pack_thumbs, self.scanner.perceptual_hashes)
            except cf.BrokenExecutor:
                self._drop_processes()  # a worker died since the last result: a fresh pool
            except (RuntimeError, OSError) as exc:
                log.warning("Worker processes failed to start (%s); analysing on threads", exc)
                break
        self._drop_processes()
        self.use_processes = False
        return None

    def _drop_processes(self) -> None:
        if self.processes is not None and self.process_pool is not None:
            self.process_pool.discard(self.processes)
            self.process_pool.release(self.processes)
        self.processes = None

    def _collect(self, block: bool) -> Iterator[ScanItem]:
        yield from self._retry_next()
        if not self.pending:
            return
        if block:  # short waits, so a cancel is noticed within a tenth of a second
            done = cf.wait(self.pending, timeout=0.1, return_when=cf.FIRST_COMPLETED)[0]
        else:  # called for every file listed: cheaper than cf.wait's waiter machinery
            done = {future for future in self.pending if future.done()}
        items = []
        for future in done:
            names, in_process = self.pending.pop(future)
            for facts, thumb, packed in self._results(future, names, in_process):
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

    def _results(self, future: _Future, names: list[str], in_process: bool
                 ) -> list[tuple[ImageFacts, Thumbnail | None, tuple[int, bytes] | None]]:
        try:
            return [_unpacked(result) for result in future.result()]
        except Exception as exc:
            retried = future is self.retrying
            if retried:
                self.retrying = None
            if not in_process:  # a thread's analysis never raises; if it did, say so per file
                return [(_error_facts(name, _stat(name), exc), None, None) for name in names]
            self._drop_processes()
            if not retried:
                self.suspects.append(names)
            elif len(names) > 1:
                self.suspects[:0] = [[name] for name in names]
            else:
                log.warning("A worker process died analysing %s (%s)", names[0], exc)
                return [(_error_facts(names[0], _stat(names[0]), decode.CRASHED), None, None)]
            return []

    def _retry_next(self) -> Iterator[ScanItem]:
        """Send the next suspect chunk alone to a fresh worker process, once nothing else
        runs."""
        if not self.suspects or self.pending or self.cancel.is_set():
            return
        names = self.suspects.pop(0)
        # Never on a thread: if a file crashes the decoder, it would take the app along.
        self.retrying = self._submit(names, threads=False)
        if self.retrying is None:
            for name in names:
                yield ScanItem(evaluate(_error_facts(name, _stat(name), decode.CRASHED),
                                        self.scanner.max_side), None)

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
        # Running analyses finish on their own (a chunk each); nothing waits for them.
        if self.threads is not None:
            self.threads.shutdown(wait=False, cancel_futures=True)
        # Whatever finished is worth keeping, even after a cancel.
        for future, (names, in_process) in list(self.pending.items()):
            if future.done() and not future.cancelled() and future is not self.retrying:
                for facts, thumb, packed in self._results(future, names, in_process):
                    if facts.settled:
                        self.to_store.append(ScanItem(evaluate(facts, self.scanner.max_side),
                                                      thumb))
                        self.packed.append(packed)
        self.pending.clear()
        self.suspects.clear()
        if self.process_pool is not None:
            self.process_pool.release(self.processes)
            self.processes = None
        self._store()
        decode.DECODE_BUDGET.release_memory()


def _chunked(files: list[tuple[str, int]], small_first: int = 0) -> Iterator[list[str]]:
    """(path, bytes) in chunks for the workers; the first ``small_first`` chunks have at most
    _FIRST_CHUNK_FILES files, so the first thumbnails of a scan show sooner."""
    chunk: list[str] = []
    size = 0
    most = _FIRST_CHUNK_FILES if small_first > 0 else _CHUNK_FILES
    for name, file_bytes in files:
        chunk.append(name)
        size += file_bytes
        if len(chunk) >= most or size >= _CHUNK_BYTES:
            yield chunk
            chunk, size = [], 0
            small_first -= 1
            most = _FIRST_CHUNK_FILES if small_first > 0 else _CHUNK_FILES
    if chunk:
        yield chunk


def _stat(name: str) -> os.stat_result | None:
    try:
        return os.stat(name)
    except OSError:
        return None
