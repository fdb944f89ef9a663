"""The scanner's worker processes: one pool shared by every scan, started on first use and
stopped when it has been idle for a while.

Why processes, when Pillow releases the GIL? Measured on the benchmark corpus
(benchmarks/library_bench.py, 2 cores): two threads analysing small images got only 1.4x-1.8x
of one thread, because every image takes the GIL back a dozen times between its decode,
resize and packing steps, and each hand-over waits on the other thread. Two processes keep both
cores busy (1.97 cores against 1.85); the cold scan went from 1.66x-1.70x to about 1.8x-1.9x
the plain Pillow loop. A decoder that crashes on a hostile file now takes down a worker, not
the app.

Workers start from a fork server where there is one (Linux), so they never inherit the GUI's
threads, and from a fresh interpreter elsewhere. Nothing here imports Qt.
"""

from __future__ import annotations

import concurrent.futures as cf
import logging
import multiprocessing
import threading
from collections.abc import Callable
from typing import Any

from robloxassets.core.images import decode

log = logging.getLogger(__name__)

IDLE_SECONDS = 30.0
"""A pool nobody has used for this long is stopped, and the workers' memory goes with it."""

_PRELOAD = ["robloxassets.core.images.scan"]


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        # Workers fork from a server that has already imported Pillow and the scanner, so a
        # new worker is ready in milliseconds.
        context.set_forkserver_preload(_PRELOAD)
        return context
    return multiprocessing.get_context("spawn")


_server_started = threading.Event()


def start_early() -> None:
    """Start the fork server now, in the background, so the first scan big enough for worker
    processes does not wait for it (about 0.1 s: a new interpreter importing Pillow). Nothing
    to do where workers start from scratch (Windows, macOS)."""
    threading.Thread(target=_start_server, name="scan-fork-server", daemon=True).start()


def wait_started(timeout: float = 10.0) -> bool:
    """Wait for ``start_early`` to be done (benchmarks time scans, not start-up)."""
    return _server_started.wait(timeout)


def _start_server() -> None:
    try:
        if _context().get_start_method() == "forkserver":
            from multiprocessing import forkserver

            forkserver.ensure_running()
    except (OSError, ImportError, ValueError) as exc:  # the scanner falls back to threads
        log.info("Fork server not started: %s", exc)
    finally:
        _server_started.set()


def _start_worker(changed: Any, used: Any, setup: Callable[[], None] | None) -> None:
    """Runs first in every worker process: share the parent's decoding-memory budget."""
    decode.DECODE_BUDGET.share(changed, used)
    # Trimming after every big decode stalled the other scan thread's allocations; a worker
    # process has nobody to stall, and hands the memory back at once (the 10,000-image
    # corpus: peak of all processes 408 MB instead of 419, no slower).
    decode.DECODE_BUDGET.trim_every = 0.0
    if setup is not None:
        setup()


class ProcessPool:
    """A ``ProcessPoolExecutor`` of ``workers`` processes, made on demand and shared.

    ``lease`` hands out the executor (None when this system cannot start worker processes;
    callers then use threads) and ``release`` gives it back; the last release starts the idle
    timer. ``discard`` drops an executor that broke (a worker died), so the next lease starts
    a fresh one. ``setup`` (a module-level function) runs in each worker as it starts.
    """

    def __init__(self, workers: int, idle_seconds: float = IDLE_SECONDS,
                 setup: Callable[[], None] | None = None) -> None:
        self.workers = workers
        self.idle_seconds = idle_seconds
        self.setup = setup
        self._lock = threading.Lock()
        self._executor: cf.ProcessPoolExecutor | None = None
        self._users = 0
        self._timer: threading.Timer | None = None
        self._unavailable = False

    def lease(self) -> cf.ProcessPoolExecutor | None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            if self._executor is None and not self._unavailable:
                self._executor = self._start()
            if self._executor is not None:
                self._users += 1
            return self._executor

    def release(self, executor: cf.ProcessPoolExecutor | None) -> None:
        if executor is None:
            return
        with self._lock:
            self._users = max(0, self._users - 1)
            if self._users == 0 and self._executor is not None and self._timer is None:
                self._timer = threading.Timer(self.idle_seconds, self._retire)
                self._timer.daemon = True
                self._timer.start()

    def discard(self, executor: cf.ProcessPoolExecutor) -> None:
        """Forget ``executor`` (broken); leases taken on it are still released as usual."""
        with self._lock:
            if self._executor is executor:
                self._executor = None
        executor.shutdown(wait=False, cancel_futures=True)

    def shutdown(self) -> None:
        with self._lock:
            executor, self._executor = self._executor, None
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)

    def _retire(self) -> None:
        with self._lock:
            if self._users or self._executor is None:
                return
            executor, self._executor = self._executor, None
            self._timer = None
        executor.shutdown(wait=False, cancel_futures=True)

    def _start(self) -> cf.ProcessPoolExecutor | None:
        try:
            context = _context()
            # One budget for all workers: two processes may not decode two huge images at
            # once any more than two threads could.
            changed = context.Condition()
            used = context.Value("q", 0, lock=False)
            executor = cf.ProcessPoolExecutor(self.workers, mp_context=context,
                                              initializer=_start_worker,
                                              initargs=(changed, used, self.setup))
            # This process decodes too (the window's previews, small scans on threads): on
            # the same budget, or a big progressive JPEG previewed while the workers decode
            # another held both coefficient buffers at once (800 MB in the window).
            decode.DECODE_BUDGET.share(changed, used)
            return executor
        except (OSError, ImportError, ValueError) as exc:
            # E.g. no working semaphores (some sandboxes): scanning still works on threads.
            log.warning("Worker processes are not available (%s); scanning on threads", exc)
            self._unavailable = True
            return None


_shared: dict[int, ProcessPool] = {}
_shared_lock = threading.Lock()


def shared_pool(workers: int) -> ProcessPool:
    """The process-wide pool of ``workers`` processes."""
    with _shared_lock:
        pool = _shared.get(workers)
        if pool is None:
            pool = _shared[workers] = ProcessPool(workers)
        return pool
