"""The window's access to the catalogue: one opener, every read and write off the UI thread.

A locked catalogue can make SQLite wait, so no catalogue call runs on the UI thread. Pages get
a ``CatalogAccess`` in their context (``PageContext.catalog``) and go through it:

* ``read(fn)`` runs ``fn(catalog)`` on the reader thread, one call after another over one
  connection (WAL lets it read while another program writes); the result comes back on the
  UI thread through a signal, to ``on_done`` or ``on_error``.
* ``write(fn)`` does the same on the writer thread, with its own connection. When another
  program (a second window, ``robloxassets catalog import``) holds the write lock, the write
  waits for it, ``waiting(True)`` says so, and it runs as soon as the lock is free, unless it
  is cancelled (``WriteHandle.cancel`` or ``cancel_writes``), which raises ``WriteCancelled``
  in it without changing anything. A write must therefore be safe to start again after
  ``CatalogBusyError``: one transaction, or steps that skip what is already done.
* ``open_catalog()`` opens a connection of its own, for long jobs that run on the task pool (a
  Library lookup that hashes files, an export) so they never hold up the reader.

Every connection comes from the one ``opener`` (``Catalog`` by default; tests hand in another).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from PySide6.QtCore import QObject, QThreadPool, Signal

from robloxassets.core.catalog.db import CatalogBusyError, CatalogReadOnlyError, OpenReport
from robloxassets.core.catalog.store import Catalog
from robloxassets.core.errors import UserError
from robloxassets.gui.tasks import GeneratorWorker, TaskRunner

log = logging.getLogger(__name__)

T = TypeVar("T")

#: How long one attempt of a write waits for the lock before it says it is waiting (and
#: checks for a cancel); the write itself keeps trying until the lock is free.
WRITE_ATTEMPT_SECONDS = 0.2
WRITE_PAUSE_SECONDS = 0.05


class CatalogOpener(Protocol):
    """Opens the catalogue: ``Catalog`` itself, or a stand-in with the same signature."""

    def __call__(self, *, busy_timeout: float | None = None) -> Catalog: ...


def default_opener(*, busy_timeout: float | None = None) -> Catalog:
    return Catalog(busy_timeout=busy_timeout)


class WriteCancelled(UserError):
    """A write was cancelled while it waited for the catalogue; nothing was changed."""

    def __init__(self) -> None:
        super().__init__("Cancelled while waiting for the catalogue; nothing was changed.")


class WriteHandle:
    """A write on its way: ``cancel()`` stops it if it has not started changing anything."""

    def __init__(self) -> None:
        self.cancel_event = threading.Event()
        self.worker: GeneratorWorker | None = None

    def cancel(self) -> None:
        self.cancel_event.set()

    @property
    def cancelled(self) -> bool:
        return self.cancel_event.is_set()


class _Signals(QObject):
    """Carries the reader's and writer's news to the UI thread (queued connections)."""

    waiting = Signal(bool)
    read_only = Signal(str)


def _single_thread_pool(parent: QObject) -> QThreadPool:
    pool = QThreadPool(parent)
    pool.setMaxThreadCount(1)  # one connection, never used by two calls at once
    pool.setExpiryTimeout(-1)  # the thread stays: starting one again costs a keystroke's time
    return pool


class CatalogAccess(QObject):
    """Reads and writes of the catalogue for the whole window (see the module docstring).

    Signals:
        changed(): a write made through this object committed (pages show what changed).
        waiting(bool): a write is waiting for another program's write lock / no longer.
        read_only_changed(str): why the catalogue can only be read ("" once it can be
            written again); pages turn their write actions off while it is set.
    """

    changed = Signal()
    waiting = Signal(bool)
    read_only_changed = Signal(str)

    def __init__(self, opener: CatalogOpener = default_opener,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.opener = opener
        #: What the first opening of the file reported (a damaged file set aside), if anything.
        self.open_report: OpenReport | None = None
        self._report_lock = threading.Lock()
        self._reader: Catalog | None = None
        self._writer: Catalog | None = None
        self._reads = TaskRunner(_single_thread_pool(self), self)
        self._writes = TaskRunner(_single_thread_pool(self), self)
        self._handles: set[WriteHandle] = set()
        self._waiting = 0
        self._signals = _Signals(self)
        self._signals.waiting.connect(self._waiting_changed)
        self._signals.read_only.connect(self._set_read_only)
        #: Why the catalogue can only be read ("" when it can be changed). UI thread only:
        #: it follows every opening of the file, and a write refused as read-only.
        self.read_only = ""

    # --- connections -------------------------------------------------------------------------
    def open_catalog(self, busy_timeout: float | None = None) -> Catalog:
        """A new connection, for a background job in the calling thread (close it after)."""
        catalog = self.opener(busy_timeout=busy_timeout)
        self._signals.read_only.emit(catalog.report.read_only)
        if catalog.report.message:
            with self._report_lock:
                if self.open_report is None:
                    self.open_report = catalog.report
        return catalog

    def _reader_catalog(self) -> Catalog:
        # Runs on the reader thread only.
        if self._reader is None:
            self._reader = self.open_catalog()
        return self._reader

    def _writer_catalog(self) -> Catalog:
        # Runs on the writer thread only.
        if self._writer is None:
            self._writer = self.open_catalog(busy_timeout=WRITE_ATTEMPT_SECONDS)
        return self._writer

    # --- reading -----------------------------------------------------------------------------
    def read(self, fn: Callable[[Catalog], T], on_done: Callable[[T], None] | None = None,
             on_error: Callable[[BaseException], None] | None = None) -> GeneratorWorker:
        """Run ``fn(catalog)`` on the reader thread; ``on_done(result)`` or ``on_error(exc)``
        runs on the UI thread afterwards. Reads run one at a time, in the order asked."""
        return self._reads.run_task(lambda: fn(self._reader_catalog()), on_done=on_done,
                                    on_error=on_error)

    # --- writing -----------------------------------------------------------------------------
    def write(self, fn: Callable[..., T], on_done: Callable[[T], None] | None = None,
              on_error: Callable[[BaseException], None] | None = None,
              pass_cancel: bool = False) -> WriteHandle:
        """Run ``fn(catalog)`` (``fn(catalog, cancel_event)`` with ``pass_cancel``) on the
        writer thread, waiting as long as another program holds the write lock. After it
        commits, ``on_done(result)`` runs and ``changed`` is emitted."""
        handle = WriteHandle()
        self._handles.add(handle)

        def done(result: T) -> None:
            self._handles.discard(handle)
            if on_done is not None:
                on_done(result)
            self.changed.emit()

        def failed(exc: BaseException) -> None:
            self._handles.discard(handle)
            if isinstance(exc, CatalogReadOnlyError):
                self._set_read_only(exc.reason)
            if on_error is not None:
                on_error(exc)
            elif not isinstance(exc, UserError):
                log.error("Catalogue write failed", exc_info=exc)

        handle.worker = self._writes.run_task(self._write_job, fn, handle, pass_cancel,
                                              on_done=done, on_error=failed)
        return handle

    def _write_job(self, fn: Callable[..., Any], handle: WriteHandle, pass_cancel: bool) -> Any:
        waited = False
        try:
            while True:
                if handle.cancelled:
                    raise WriteCancelled()
                try:
                    catalog = self._writer_catalog()
                    return fn(catalog, handle.cancel_event) if pass_cancel else fn(catalog)
                except CatalogBusyError:
                    # Nothing was written (the lock is taken before anything changes): say
                    # so once, then try again until the lock is free or the user cancels.
                    if not waited:
                        waited = True
                        log.info("The catalogue is locked by another program; waiting")
                        self._signals.waiting.emit(True)
                    # A pause between attempts: some refusals come at once (the lock check
                    # while opening), and a loop without one would spin.
                    handle.cancel_event.wait(WRITE_PAUSE_SECONDS)
        finally:
            if waited:
                self._signals.waiting.emit(False)

    def cancel_writes(self) -> None:
        """Cancel every write still waiting for the catalogue (each reports WriteCancelled)."""
        for handle in list(self._handles):
            handle.cancel()

    @property
    def writing(self) -> bool:
        """A write was asked for and has not reported back yet."""
        return bool(self._handles)

    @property
    def is_waiting(self) -> bool:
        return self._waiting > 0

    def _set_read_only(self, reason: str) -> None:
        if reason != self.read_only:
            self.read_only = reason
            self.read_only_changed.emit(reason)

    def _waiting_changed(self, waiting: bool) -> None:
        before = self.is_waiting
        self._waiting = max(0, self._waiting + (1 if waiting else -1))
        if self.is_waiting != before:
            self.waiting.emit(self.is_waiting)

    # --- lifetime ----------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        """Some read or write has not reported back yet (tests wait for this to end)."""
        return self._reads.busy or self._writes.busy

    def reset(self) -> None:
        """Close the connections (after a failed open, or to see whether a read-only
        catalogue can be written now): the next call opens the file again."""
        self._reads.run_task(self._close_reader)
        self._writes.run_task(self._close_writer)

    def _close_reader(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None

    def _close_writer(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None

    def shutdown(self, wait_ms: int = 3000) -> None:
        """Cancel waiting writes, let running calls finish and close both connections."""
        self.cancel_writes()
        self._reads.abort_all(wait_ms)
        self._writes.abort_all(wait_ms)
        # The pools are idle now, so closing from this thread is safe (the connections are
        # opened with check_same_thread=False).
        for catalog in (self._reader, self._writer):
            if catalog is not None:
                catalog.close()
        self._reader = self._writer = None
