"""Background work for the GUI: run core functions on Qt's thread pool, results on the UI thread.

Two shapes, after Picard's ``run_task`` and superqt's generator workers:

* ``run_task(fn, on_done, on_error)``: one call in the pool; the callback runs on the UI thread.
* ``GeneratorWorker(gen_fn)``: a generator in the pool; every yielded value is emitted as
  ``yielded`` on the UI thread; ``abort()`` asks it to stop at its next yield. Core generators
  that need to stop mid-item take a ``threading.Event`` (``worker.cancel_event``).

Workers are owned by the ``TaskRunner`` that started them, so they are not garbage-collected
while running and can all be cancelled when the window closes.

Connect worker signals to bound methods of QObjects (widgets, models): Qt then queues the call
onto the receiver's thread. A bare lambda may run in the pool thread; ``run_task`` relays its
callbacks through a QObject for that reason.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Iterator
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

from robloxassets.core.errors import UserError

log = logging.getLogger(__name__)

_RETIRE_SECONDS = 2.0


class WorkerSignals(QObject):
    """Signals of a worker: ``yielded(value)``, ``returned(value)``, ``errored(exc)``,
    ``finished()`` (always last, also after abort or error)."""

    yielded = Signal(object)
    returned = Signal(object)
    errored = Signal(object)
    finished = Signal()


class GeneratorWorker(QRunnable):
    """Runs ``gen_fn(*args, **kwargs)`` (a generator function) in the thread pool."""

    def __init__(self, gen_fn: Callable[..., Iterator[Any]], *args: Any,
                 pass_cancel: bool = False, **kwargs: Any) -> None:
        """``pass_cancel=True`` hands ``cancel=self.cancel_event`` to ``gen_fn``, so core code
        that blocks inside one item (a scan, a batch of resizes) can stop early too."""
        super().__init__()
        self.setAutoDelete(False)
        self.signals = WorkerSignals()
        self.cancel_event = threading.Event()
        self._fn = gen_fn
        self._args = args
        self._kwargs = {**kwargs, "cancel": self.cancel_event} if pass_cancel else kwargs

    def abort(self) -> None:
        self.cancel_event.set()

    @property
    def aborted(self) -> bool:
        return self.cancel_event.is_set()

    def run(self) -> None:
        try:
            gen = self._fn(*self._args, **self._kwargs)
            try:
                while True:
                    if self.cancel_event.is_set():
                        close = getattr(gen, "close", None)  # generators have it
                        if close is not None:
                            close()
                        break
                    value = next(gen)
                    self.signals.yielded.emit(value)
            except StopIteration as stop:
                self.signals.returned.emit(stop.value)
        except Exception as exc:  # reported to the UI thread; never lost in the pool
            if isinstance(exc, UserError):
                log.info("Background task stopped: %s", exc.message)
            else:
                log.exception("Background task failed")
            self.signals.errored.emit(exc)
        finally:
            self.signals.finished.emit()


class FunctionWorker(GeneratorWorker):
    """Runs a plain function in the pool; its result comes as ``returned``."""

    def __init__(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        def as_generator(*a: Any, **kw: Any) -> Generator[Any, None, Any]:
            return fn(*a, **kw)
            yield  # pragma: no cover - makes this a generator function

        super().__init__(as_generator, *args, **kwargs)


class _Relay(QObject):
    """Calls plain Python callbacks on the UI thread (the thread this object lives in)."""

    def __init__(self, runner: TaskRunner, worker: GeneratorWorker,
                 on_done: Callable[[Any], None] | None,
                 on_error: Callable[[BaseException], None] | None) -> None:
        super().__init__(runner)
        self._runner = runner
        self._worker = worker
        self._on_done = on_done
        self._on_error = on_error
        worker.signals.returned.connect(self.returned)
        worker.signals.errored.connect(self.errored)
        worker.signals.finished.connect(self.finished)

    @Slot(object)
    def returned(self, value: Any) -> None:
        if self._on_done is not None and not self._worker.aborted:
            self._on_done(value)

    @Slot(object)
    def errored(self, exc: BaseException) -> None:
        if self._on_error is not None and not self._worker.aborted:
            self._on_error(exc)

    @Slot()
    def finished(self) -> None:
        self._runner._retire(self._worker)
        self.deleteLater()


class TaskRunner(QObject):
    """Starts workers on a thread pool and keeps them alive until they finish."""

    def __init__(self, pool: QThreadPool | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        if pool is None:
            # Its own pool, wider than the core count: a long job (a scan that runs its own
            # worker threads, a batch of resizes) must not starve the short ones (previews,
            # thumbnails read back from the cache) that keep the UI responsive.
            pool = QThreadPool(self)
            pool.setMaxThreadCount(max(8, QThreadPool.globalInstance().maxThreadCount()))
        self.pool = pool
        self._running: set[GeneratorWorker] = set()
        # Finished workers are kept a little longer: ``finished`` is emitted from inside
        # run(), so the pool thread may still be unwinding it when the UI thread gets the
        # signal; dropping the last reference then would free the runnable under its thread.
        self._retired: deque[tuple[float, GeneratorWorker]] = deque()

    def start(self, worker: GeneratorWorker,
              on_done: Callable[[Any], None] | None = None,
              on_error: Callable[[BaseException], None] | None = None) -> GeneratorWorker:
        """Start ``worker``; ``on_done``/``on_error`` run on the UI thread (not after abort)."""
        self._purge_retired()
        self._running.add(worker)
        _Relay(self, worker, on_done, on_error)
        self.pool.start(worker)
        return worker

    def run_task(self, fn: Callable[..., Any], *args: Any,
                 on_done: Callable[[Any], None] | None = None,
                 on_error: Callable[[BaseException], None] | None = None,
                 **kwargs: Any) -> GeneratorWorker:
        return self.start(FunctionWorker(fn, *args, **kwargs), on_done, on_error)

    def _retire(self, worker: GeneratorWorker) -> None:
        self._running.discard(worker)
        self._retired.append((time.monotonic(), worker))

    def _purge_retired(self, age: float = _RETIRE_SECONDS) -> None:
        now = time.monotonic()
        while self._retired and now - self._retired[0][0] > age:
            self._retired.popleft()

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def abort_all(self, wait_ms: int = 3000) -> None:
        for worker in list(self._running):
            worker.abort()
        if self.pool.waitForDone(wait_ms):
            self._retired.clear()


class SerialLookup(QObject):
    """A background lookup that runs one at a time: ``refresh`` while one runs asks for one
    more after it, on the next turn of the event loop (this answer is applied first), so what
    a lookup reads (hashes, PNG chunks) is not read twice at once.

    A subclass starts its job in ``_start`` (None when there is nothing to look up), names it
    in ``doing``, and calls ``_finished`` first thing in its answer; ``_failed`` is its
    ``on_error``. Signals: ``updated()`` as the subclass says; ``problem(str, object)`` as
    ``Page``'s."""

    updated = Signal()
    problem = Signal(str, object)
    #: What the lookup does, as the title of a problem it reports.
    doing = "Looking up"

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.worker: GeneratorWorker | None = None  # the lookup running, if any
        self.again = False  # refresh was called while a lookup ran

    def refresh(self) -> None:
        if self.worker is not None:
            self.again = True
            return
        self.worker = self._start()

    def _start(self) -> GeneratorWorker | None:
        raise NotImplementedError

    def _finished(self) -> None:
        self.worker = None
        if self.again:
            self.again = False
            QTimer.singleShot(0, self.refresh)

    def _failed(self, exc: BaseException) -> None:
        self._finished()
        self.problem.emit(self.doing, exc)

    def shutdown(self) -> None:
        if self.worker is not None:
            self.worker.abort()
