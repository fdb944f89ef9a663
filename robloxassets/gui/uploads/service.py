"""The window's side of the upload queue: core's ``Runner`` on a thread of its own (at a lower
priority), its events as signals on the UI thread, and moderation refreshes in the background.

Nothing here decides anything about uploads: preparing, sending, recording and moderation
are core's (``core.upload``); this only runs them off the UI thread and reports back.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
from collections import deque
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from robloxassets.core.catalog.store import Catalog
from robloxassets.core.cloud import apikey
from robloxassets.core.cloud.apikey import ApiKey
from robloxassets.core.cloud.assets import AssetsApi
from robloxassets.core.cloud.client import Client
from robloxassets.core.errors import UserError
from robloxassets.core.upload import moderation
from robloxassets.core.upload.moderation import ModerationResult
from robloxassets.core.upload.queue import UploadQueue
from robloxassets.core.upload.runner import Event, EventKind, Runner, RunnerConfig, RunReport
from robloxassets.gui.catalog_access import CatalogAccess
from robloxassets.gui.tasks import GeneratorWorker, TaskRunner

log = logging.getLogger(__name__)

ClientFactory = Callable[[ApiKey], Client]

#: How long closing the window waits for requests on the wire to be answered and recorded.
SHUTDOWN_WAIT = 5.0
#: How much lower the runner's threads run than the window's (Linux niceness): a batch keeps
#: the machine's cores busy (conversion, hashing, requests), and on a loaded machine the OS
#: then lets the UI thread run first whenever it has something to do.
RUNNER_NICENESS = 10


def lower_priority() -> None:
    """Lower the calling thread's priority (and that of the threads it starts): Linux only,
    where niceness is per thread; elsewhere nothing changes."""
    if sys.platform != "linux":
        return
    try:
        thread = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, thread,
                       min(os.getpriority(os.PRIO_PROCESS, thread) + RUNNER_NICENESS, 19))
    except OSError as exc:  # not allowed (a sandbox): run at the normal priority
        log.info("Runner priority unchanged: %s", exc)


def default_client(key: ApiKey) -> Client:
    return Client(key)


class UploadService(QObject):
    """Runs the queue, one run at a time, and refreshes moderation.

    Signals (all on the UI thread):
        runner_events(object): a list of runner ``Event``s (items changed, notices, stopped,
            finished) in the order they happened, with only the latest change of each item:
            the runner reports faster than a window needs to repaint, so what arrives while
            the UI thread is busy comes as one list, and the UI does its work once for it.
        running_changed(bool): a run started / ended.
        run_failed(object): a run could not start or broke (``ApiKeyError``, ``QueueBusy``,
            a bug); the page shows its sentence.
        moderation_done(object): a list of ``ModerationResult`` from a refresh.
        moderation_failed(object): the refresh's exception.
    """

    runner_events = Signal(object)
    _wake = Signal()
    _ended_with = Signal(object, object)  # (report, exception), from the runner's thread
    running_changed = Signal(bool)
    run_failed = Signal(object)
    moderation_done = Signal(object)
    moderation_failed = Signal(object)

    def __init__(self, tasks: TaskRunner, access: CatalogAccess,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.access = access
        #: Tests and benchmarks aim the client at the fake Roblox and tune the runner here.
        self.client_factory: ClientFactory = default_client
        self.config = RunnerConfig()
        self._runner: Runner | None = None
        self._runner_lock = threading.Lock()
        self._stop_asked = False
        self._again = False
        self._thread: threading.Thread | None = None
        self._run_ended = threading.Event()
        self._run_ended.set()
        self._refreshing: GeneratorWorker | None = None
        self.last_report: RunReport | None = None
        self._inbox: deque[Event] = deque()
        self._inbox_lock = threading.Lock()
        self._wake.connect(self._drain)
        self._ended_with.connect(self._run_ended_with)

    # --- the runner ---------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._thread is not None

    @property
    def refreshing(self) -> bool:
        return self._refreshing is not None

    def start(self) -> bool:
        """Work the queue until it is empty; while a run goes on, it picks up new items by
        itself (and one more run follows if it was ending just then). False: already running."""
        if self._thread is not None:
            self._again = True
            return False
        self._stop_asked = False
        self._again = False
        self._run_ended.clear()
        # A thread of its own rather than the task pool's: its lowered priority stays with it
        # (and the runner's own threads, which inherit it) instead of a reused pool thread.
        self._thread = threading.Thread(target=self._thread_main, name="upload-runner",
                                        daemon=True)
        self._thread.start()
        self.running_changed.emit(True)
        return True

    def stop(self) -> None:
        """Nothing new is sent; requests on the wire finish and are recorded."""
        self._stop_asked = True
        self._again = False
        with self._runner_lock:
            if self._runner is not None:
                self._runner.stop()

    def _thread_main(self) -> None:
        lower_priority()
        try:
            report = self._run_job()
        except Exception as exc:  # reported on the UI thread, never lost
            if not isinstance(exc, UserError):
                log.exception("The upload run failed")
            self._ended_with.emit(None, exc)
        else:
            self._ended_with.emit(report, None)

    def _run_ended_with(self, report: RunReport | None, exc: BaseException | None) -> None:
        if exc is not None:
            self._run_error(exc)
        elif report is not None:
            self._run_done(report)

    def _run_job(self) -> RunReport:
        # The runner's thread: the keyring and every request are read and sent here.
        try:
            try:
                key = apikey.require_key()
            except UserError:
                # No run will recover the queue: items a stopped run left "sending" are put
                # where they belong now, so the page never shows one on its way for ever.
                with contextlib.suppress(UserError):
                    UploadQueue().recover_if_idle()
                raise
            with self.client_factory(key) as client:
                runner = Runner(client, config=self.config, on_event=self._push)
                with self._runner_lock:
                    self._runner = runner
                    if self._stop_asked:
                        runner.stop()
                try:
                    return runner.run()
                finally:
                    with self._runner_lock:
                        self._runner = None
        finally:
            self._run_ended.set()

    def _push(self, event: Event) -> None:
        # Runner thread: one wake-up per batch of events, however many follow meanwhile.
        with self._inbox_lock:
            self._inbox.append(event)
            first = len(self._inbox) == 1
        if first:
            self._wake.emit()

    def _drain(self) -> None:
        with self._inbox_lock:
            events = list(self._inbox)
            self._inbox.clear()
        if events:
            self.runner_events.emit(coalesce(events))

    def _run_done(self, report: RunReport) -> None:
        self._drain()  # what the runner said last comes before "the run ended"
        self.last_report = report
        self._ended()

    def _run_error(self, exc: BaseException) -> None:
        self._drain()
        self._ended()
        self.run_failed.emit(exc)

    def _ended(self) -> None:
        self._thread = None
        again = self._again and not self._stop_asked
        self.running_changed.emit(False)
        if again:
            self.start()

    # --- moderation -----------------------------------------------------------------------------
    def refresh_moderation(self) -> bool:
        """Ask Roblox about every catalogue entry in review; False if a refresh runs already."""
        if self._refreshing is not None:
            return False
        self._refreshing = self.tasks.run_task(self._moderation_job, pass_cancel=True,
                                               on_done=self._moderation_done,
                                               on_error=self._moderation_error)
        return True

    def _moderation_job(self, cancel: threading.Event) -> list[ModerationResult]:
        key = apikey.require_key()
        catalog: Catalog = self.access.open_catalog()
        try:
            entries = moderation.in_review(catalog)
            if not entries:
                return []
            with self.client_factory(key) as client:
                return moderation.refresh(catalog, AssetsApi(client), entries, cancel=cancel)
        finally:
            catalog.close()

    def _moderation_done(self, results: list[ModerationResult]) -> None:
        self._refreshing = None
        self.moderation_done.emit(results)

    def _moderation_error(self, exc: BaseException) -> None:
        self._refreshing = None
        self.moderation_failed.emit(exc)

    # --- lifetime -----------------------------------------------------------------------------
    def shutdown(self, wait: float = SHUTDOWN_WAIT) -> None:
        """Stop the run and wait a little for answers already on their way to be recorded
        (anything cut off is flagged "may have been uploaded" next time, never re-sent)."""
        self.stop()
        if self._refreshing is not None:
            self._refreshing.abort()
        if not self._run_ended.wait(wait):
            log.warning("The upload run did not stop within %.0f s", wait)


def coalesce(events: list[Event]) -> list[Event]:
    """``events`` with each item's changes folded into its latest (in that one's place),
    the rest kept as they are."""
    latest: dict[int, int] = {}
    for index, event in enumerate(events):
        if event.kind is EventKind.ITEM and event.item is not None:
            latest[event.item.id] = index
    return [event for index, event in enumerate(events)
            if event.kind is not EventKind.ITEM or event.item is None
            or latest[event.item.id] == index]
