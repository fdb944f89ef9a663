"""Running the upload queue: preparing, sending and following uploads, with every step on disk.

``Runner.run`` works until nothing is left to do (or it is stopped), on the calling thread
(the GUI calls it from a worker; the CLI from its main thread). That thread is the only one
that writes the queue's rows, so each row says exactly what has happened:

* preparation runs on ``prepare_workers`` threads, ``prepare_ahead`` items ahead of sending,
  so the next images are converted while earlier ones are on the wire;
* creates go out on ``send_workers`` threads, paced below the create limit here, before the
  row says "sending"; the operation Roblox returns is written as soon as it arrives;
* operations are polled by one poller thread with growing delays, paced below the operations
  limit; results land in the catalogue as they come.

``on_event`` hears every change (an ``Event``), from the runner thread; the GUI turns them
into signals. Nothing here imports Qt.
"""

from __future__ import annotations

import collections
import concurrent.futures as cf
import enum
import heapq
import itertools
import logging
import os
import queue
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from robloxassets.core.catalog.model import utc_now
from robloxassets.core.catalog.store import Catalog
from robloxassets.core.cloud.assets import (
    AssetsApi,
    AssetType,
    CreateRequest,
    Operation,
    operation_failed,
)
from robloxassets.core.cloud.client import Client, Notice
from robloxassets.core.cloud.delivery import image_id_of_decal
from robloxassets.core.cloud.errors import CloudError, Kind
from robloxassets.core.errors import DiskError, UserError
from robloxassets.core.upload import prepare
from robloxassets.core.upload.lock import QueueBusy, RunnerLock
from robloxassets.core.upload.model import NEUTRAL_NAME, State, UploadItem, name_for_upload
from robloxassets.core.upload.results import STATE_OF, record_accepted, record_image_id, status_of
from robloxassets.core.upload.store import Recovery, UploadStore

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PollSchedule:
    """When to ask about an operation: ``first`` seconds after the create, then each wait
    ``factor`` times the last, at most ``longest``; after ``give_up`` seconds the item stays
    as it is (its operation recorded) and the next run asks again. An operation not done
    after ``say_after`` seconds is said (a notice), then again every ``say_every``."""

    first: float = 1.0
    factor: float = 1.5
    longest: float = 15.0
    give_up: float = 600.0
    say_after: float = 5.0
    say_every: float = 15.0


@dataclass(frozen=True)
class RunnerConfig:
    prepare_workers: int = 2
    send_workers: int = 2
    #: Items prepared ahead of sending; while a rate limit holds sending back, up to
    #: ``prepare_while_waiting`` (the create burst), so the burst goes out as soon as the
    #: window opens instead of waiting for conversions.
    prepare_ahead: int = 6
    prepare_while_waiting: int = 120
    poll: PollSchedule = field(default_factory=PollSchedule)
    #: Tries of one create when Roblox answers 5xx (a 429 or no connection doesn't count).
    max_attempts: int = 4
    #: Seconds without a connection before a run gives up (None: wait until stopped).
    offline_patience: float | None = None
    #: Retry a moderated name once under a neutral one (the catalogue keeps the real name).
    rename_moderated: bool = False
    #: For decals, look up the image ID through asset delivery (best effort).
    find_image_ids: bool = True


class EventKind(str, enum.Enum):
    ITEM = "item"  # an item changed; ``item`` is its new row
    NOTICE = "notice"  # something to show while it lasts (rate limit, offline, ...)
    STOPPED = "stopped"  # the batch stopped before the queue was empty; ``message`` says why
    FINISHED = "finished"  # the run ended


@dataclass(frozen=True)
class Event:
    kind: EventKind
    item: UploadItem | None = None
    message: str = ""
    wait: float = 0.0
    done: int = 0
    total: int = 0


@dataclass
class RunReport:
    recovery: Recovery = field(default_factory=Recovery)
    #: Items this run touched, by ID (their final rows are in the store).
    touched: set[int] = field(default_factory=set)
    stopped: str = ""
    stop_kind: Kind | None = None
    creates: int = 0
    rate_limited: int = 0
    #: The disk refused an upload-ready copy (full, read-only): the batch stopped on it.
    disk_error: bool = False


OFFLINE_WAITING = ("Can't reach Roblox (no connection); the queue waits and goes on by itself "
                   "when the connection is back.")

_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")


def _filename(item: UploadItem) -> str:
    stem = _FILENAME.sub("-", Path(item.source_path).stem).strip("-.")[:40] or "image"
    return f"{stem}{'.png' if item.content_type == 'image/png' else '.jpg'}"


class _Poller(threading.Thread):
    """Polls operations when they are due; results go to the runner's inbox."""

    def __init__(self, api: AssetsApi, schedule: PollSchedule, inbox: queue.Queue[Any],
                 cancel: threading.Event, offline_patience: float | None) -> None:
        super().__init__(name="upload-poller", daemon=True)
        self.api = api
        self.schedule = schedule
        self.inbox = inbox
        self.cancel = cancel
        self.offline_patience = offline_patience
        self._heap: list[tuple[float, int, int, str, str, float, float]] = []
        self._seq = itertools.count()
        self._cond = threading.Condition()
        self._busy = False
        self._halt = False
        self._said_at: float | None = None

    def add(self, item_id: int, path: str, name: str, delay: float | None = None) -> None:
        first = self.schedule.first if delay is None else delay
        now = time.monotonic()
        with self._cond:
            heapq.heappush(self._heap, (now + first, next(self._seq), item_id, path, name,
                                        max(first, 0.05), now))
            self._cond.notify()

    def idle(self) -> bool:
        with self._cond:
            return not self._heap and not self._busy

    def stop(self) -> None:
        with self._cond:
            self._halt = True
            self._cond.notify()

    def _next(self) -> tuple[float, int, int, str, str, float, float] | None:
        with self._cond:
            while not self._halt and not self.cancel.is_set():
                if self._heap:
                    wait = self._heap[0][0] - time.monotonic()
                    if wait <= 0:
                        self._busy = True
                        return heapq.heappop(self._heap)
                    self._cond.wait(min(wait, 0.5))
                else:
                    self._cond.wait(0.5)
            return None

    def run(self) -> None:
        offline_since: float | None = None
        while True:
            entry = self._next()
            if entry is None:
                return
            _, _, item_id, path, name, delay, started = entry
            try:
                op = self.api.operation(path, name, cancel=self.cancel,
                                        notify=lambda n: self.inbox.put(("notice", n)))
            except CloudError as exc:
                if exc.kind is Kind.CANCELLED:
                    self._requeue(entry, delay)
                    return
                if exc.kind in (Kind.OFFLINE, Kind.CUT_OFF, Kind.UNAVAILABLE, Kind.BAD_ANSWER,
                                Kind.RATE_LIMITED):
                    # Polling is safe to repeat: keep trying, further apart.
                    now = time.monotonic()
                    offline_since = offline_since or now
                    if (self.offline_patience is not None
                            and now - offline_since > self.offline_patience):
                        self.inbox.put(("poll-stuck", item_id, exc))
                    else:
                        wait = min(delay * 2, 60.0)
                        text = OFFLINE_WAITING if exc.kind is Kind.OFFLINE else exc.message
                        self.inbox.put(("notice", Notice(exc.kind, text, wait)))
                        self._requeue(entry, wait)
                else:
                    self.inbox.put(("op-failed", item_id, exc))
                self._done()
                continue
            except Exception as exc:  # a bug: tell the runner, keep the thread alive
                log.exception("Polling %s failed", path)
                self.inbox.put(("op-failed", item_id, exc))
                self._done()
                continue
            offline_since = None
            if op.done:
                self.inbox.put(("op-done", item_id, op))
            elif time.monotonic() - started > self.schedule.give_up:
                self.inbox.put(("poll-stuck", item_id, None))
            else:
                self._say_waiting(name, started)
                self._requeue(entry, min(delay * self.schedule.factor, self.schedule.longest))
            self._done()

    def _say_waiting(self, name: str, started: float) -> None:
        """A create Roblox is slow to finish is said once it takes a while, then every
        ``say_every`` seconds at most (whichever items are waiting): never minutes of silence."""
        now = time.monotonic()
        waited = now - started
        if waited < self.schedule.say_after:
            return
        if self._said_at is not None and now - self._said_at < self.schedule.say_every:
            return
        self._said_at = now
        what = f"the upload of {name!r}" if name else "an upload"
        self.inbox.put(("notice", Notice(
            Kind.PROCESSING, f"Waiting for Roblox to finish processing {what} ({waited:.0f} s "
            f"so far; gives up after {self.schedule.give_up:.0f} s and asks again next "
            "time).", 0.0)))

    def _requeue(self, entry: tuple[float, int, int, str, str, float, float], wait: float
                 ) -> None:
        _, _, item_id, path, name, _, started = entry
        with self._cond:
            heapq.heappush(self._heap, (time.monotonic() + wait, next(self._seq), item_id,
                                        path, name, wait, started))

    def _done(self) -> None:
        with self._cond:
            self._busy = False


class Runner:
    """Runs the queue stored in the catalogue at ``catalog_path`` (default location).

    Only one runner works at a time across processes (``RunnerLock``); ``run`` raises
    ``QueueBusy`` when another holds it.
    """

    def __init__(self, client: Client, catalog_path: Path | None = None, *,
                 config: RunnerConfig | None = None,
                 on_event: Callable[[Event], None] | None = None,
                 lock: RunnerLock | None = None) -> None:
        self.client = client
        self.api = AssetsApi(client)
        self.catalog_path = catalog_path
        self.config = config or RunnerConfig()
        self.on_event = on_event
        self.lock = lock or RunnerLock()
        self.cancel = threading.Event()

    def stop(self) -> None:
        """Ask a running ``run`` to stop: nothing new starts; requests on the wire finish and
        are recorded; the rest stays queued for the next run."""
        self.cancel.set()

    # --- events ---------------------------------------------------------------------------
    def _emit(self, event: Event) -> None:
        if self.on_event is None:
            return
        try:
            self.on_event(event)
        except Exception:  # a listener's bug must not stop the queue
            log.exception("Upload event listener failed")

    # --- the run --------------------------------------------------------------------------
    def run(self) -> RunReport:
        if not self.lock.acquire():
            raise QueueBusy()
        try:
            with Catalog(self.catalog_path) as catalog:
                return _Run(self, catalog).run()
        finally:
            self.lock.release()


class _Run:
    """One run's bookkeeping (the runner thread's own state)."""

    def __init__(self, runner: Runner, catalog: Catalog) -> None:
        self.r = runner
        self.config = runner.config
        self.client = runner.client
        self.pacer = runner.client.pacer
        self.catalog = catalog
        self.store = UploadStore(catalog)
        self.cancel = runner.cancel
        self.report = RunReport()
        self.inbox: queue.Queue[Any] = queue.Queue()
        self.deferred: collections.deque[tuple[Any, ...]] = collections.deque()
        # Prepared items by queue order: preparations finish in any order, sends go in order.
        self.ready: list[tuple[int, UploadItem]] = []
        self.held: set[int] = set()
        self.preparing = 0
        self.preparing_ids: set[int] = set()
        self.sending = 0
        self.side_jobs = 0
        self.stopping = ""
        self.create_after = 0.0
        self.offline_since: float | None = None
        self.offline_tries = 0
        self.limited_in_row = 0
        self.next_query = 0.0
        self.done_ids: set[int] = set()
        self.poller = _Poller(runner.api, self.config.poll, self.inbox, self.cancel,
                              self.config.offline_patience)

    # --- helpers --------------------------------------------------------------------------
    def emit_item(self, item_id: int) -> None:
        item = self.store.get(item_id)
        if item is None:
            return
        self.report.touched.add(item_id)
        if item.state not in (State.QUEUED, State.PREPARING, State.SENDING):
            self.done_ids.add(item_id)
        self.r._emit(Event(EventKind.ITEM, item=item, done=len(self.done_ids),
                           total=len(self.report.touched)))

    def notice(self, kind: Kind, message: str, wait: float = 0.0) -> None:
        self.r._emit(Event(EventKind.NOTICE, message=message, wait=wait,
                           done=len(self.done_ids), total=len(self.report.touched)))

    def stop_batch(self, exc: CloudError) -> None:
        if not self.stopping:
            self.stopping = exc.message
            self.report.stopped = exc.message
            self.report.stop_kind = exc.kind
            self.r._emit(Event(EventKind.STOPPED, message=exc.message))

    def release(self, item_id: int) -> None:
        self.held.discard(item_id)

    # --- main loop ------------------------------------------------------------------------
    def run(self) -> RunReport:
        self.report.recovery = self.store.recover()
        for item_id in self.report.recovery.flagged:
            self.emit_item(item_id)
        prep_pool = cf.ThreadPoolExecutor(max(1, self.config.prepare_workers),
                                          thread_name_prefix="upload-prepare")
        net_pool = cf.ThreadPoolExecutor(max(1, self.config.send_workers) + 1,
                                         thread_name_prefix="upload-send")
        self.poller.start()
        try:
            for item in self.store.polling():
                self.held.add(item.id)
                self.report.touched.add(item.id)
                assert item.operation_path is not None
                self.poller.add(item.id, item.operation_path, item.name, delay=0.0)
            self._loop(prep_pool, net_pool)
        finally:
            self.poller.stop()
            prep_pool.shutdown(wait=True, cancel_futures=True)
            net_pool.shutdown(wait=True)
            self.poller.join(timeout=30)
            # Preparations cut short by a stop go back to the queue as they were.
            self._drain_after_stop()
        self.r._emit(Event(EventKind.FINISHED, message=self.report.stopped,
                           done=len(self.done_ids), total=len(self.report.touched)))
        return self.report

    def _drain_after_stop(self) -> None:
        while True:
            while self.deferred:
                self._handle(self.deferred.popleft(), None, None)
            try:
                message = self.inbox.get_nowait()
            except queue.Empty:
                return
            self._handle(message, None, None)

    def _loop(self, prep_pool: cf.Executor, net_pool: cf.Executor) -> None:
        while True:
            now = time.monotonic()
            if self.cancel.is_set() and not self.stopping:
                self.stopping = "Stopped."
                self.report.stopped = "Stopped."
            wake = now + 0.5
            if not self.stopping:
                self._take_work(prep_pool, now)
                wake = min(wake, self._send(net_pool, now))
            if self.deferred:
                # Results are recorded after the next creates are on their way, so a burst
                # is not slowed by writing the catalogue between its requests.
                while self.deferred:
                    self._handle(self.deferred.popleft(), prep_pool, net_pool)
                continue
            busy = self.preparing or self.sending or self.side_jobs
            if self.stopping and not busy:
                return
            if (not self.stopping and not busy and not self.ready and self.poller.idle()
                    and self.inbox.empty() and not self.store.next_queued(self.held, 1)):
                return
            timeout = max(0.0, wake - time.monotonic())
            try:
                message = self.inbox.get(timeout=timeout)
            except queue.Empty:
                continue
            self._handle(message, prep_pool, net_pool)
            while True:
                try:
                    message = self.inbox.get_nowait()
                except queue.Empty:
                    break
                self._handle(message, prep_pool, net_pool)

    # --- taking work ----------------------------------------------------------------------
    def _take_work(self, prep_pool: cf.Executor, now: float) -> None:
        ahead = self.config.prepare_ahead
        if max(self.create_after - now, self.pacer.delay("create")) > 1.0:
            ahead = max(ahead, self.config.prepare_while_waiting)
        room = ahead - self.preparing - len(self.ready)
        if room <= 0 or now < self.next_query:
            return
        # Of the items this run holds, only those waiting to be sent are still "queued" in
        # the database; the others are preparing or sending there.
        items = self.store.next_queued({item_id for item_id, _ in self.ready}, room)
        if not items:
            # Look again shortly: another window may add or retry items meanwhile.
            self.next_query = now + 0.5
            return
        for item in items:
            self.held.add(item.id)
            self.report.touched.add(item.id)
            if item.prepared and item.prepared_path and os.path.isfile(item.prepared_path):
                # Read and checked against its hash when it is sent.
                heapq.heappush(self.ready, (item.id, item))
                continue
            if not self.store.move(item.id, State.PREPARING, from_=(State.QUEUED,)):
                self.release(item.id)
                continue
            self.preparing += 1
            self.preparing_ids.add(item.id)
            self.emit_item(item.id)
            prep_pool.submit(self._prepare_job, item)

    def _prepare_job(self, item: UploadItem) -> None:
        try:
            prepared = prepare.prepare_file(item.source_path, item.id, item.max_side)
        except DiskError as exc:
            self.inbox.put(("prep-disk", item.id, exc.message))
        except UserError as exc:
            self.inbox.put(("prep-failed", item.id, exc.message))
        except Exception as exc:
            log.exception("Preparing %s failed", item.source_path)
            self.inbox.put(("prep-failed", item.id,
                            f"{Path(item.source_path).name} could not be prepared (something "
                            f"went wrong inside the app: {type(exc).__name__})."))
        else:
            self.inbox.put(("prepared", item.id, prepared))

    # --- sending --------------------------------------------------------------------------
    def _send(self, net_pool: cf.Executor, now: float) -> float:
        """Start creates while a worker is free and the pacer allows; returns when to look
        again."""
        wake = now + 0.5
        while self.ready and self.sending < max(1, self.config.send_workers):
            if now < self.create_after:
                return min(wake, self.create_after)
            if self.preparing_ids and min(self.preparing_ids) < self.ready[0][0]:
                return wake  # uploads go in queue order: an earlier one is still preparing
            wait = self.pacer.try_take("create")
            if wait > 0:
                return min(wake, now + wait)
            _, item = heapq.heappop(self.ready)
            data = (prepare.read_prepared(item.prepared_path, item.prepared_sha256)
                    if item.prepared_path else None)
            if data is None:
                # The copy vanished or changed since it was made: make it again.
                self.store.move(item.id, State.QUEUED, from_=(State.QUEUED,),
                                prepared_path=None, prepared_sha256=None)
                self.release(item.id)
                self.next_query = 0.0
                continue
            sent_name = item.sent_name or name_for_upload(item.name)
            if not self.store.move(item.id, State.SENDING, from_=(State.QUEUED,),
                                   sent=utc_now(), sent_name=sent_name,
                                   attempts=item.attempts + 1, error="", error_kind=""):
                self.release(item.id)  # cancelled meanwhile
                continue
            self.sending += 1
            self.report.creates += 1
            self.emit_item(item.id)
            request = CreateRequest(sent_name, item.description, item.asset_type,
                                    item.creator, item.privacy)
            net_pool.submit(self._create_job, item.id, request, data,
                            item.content_type or "image/png", _filename(item))
        return wake

    def _create_job(self, item_id: int, request: CreateRequest, data: bytes,
                    content_type: str, filename: str) -> None:
        try:
            op = self.r.api.create(request, data, content_type, filename, pace=False)
        except CloudError as exc:
            self.inbox.put(("create-failed", item_id, exc))
        except UserError as exc:  # no key saved
            self.inbox.put(("create-failed", item_id,
                            CloudError(Kind.NO_KEY, exc.message, sent=False)))
        except Exception as exc:
            log.exception("Create failed")
            self.inbox.put(("create-bug", item_id, exc))
        else:
            self.inbox.put(("created", item_id, op))

    # --- results --------------------------------------------------------------------------
    def _handle(self, message: tuple[Any, ...], prep_pool: cf.Executor | None,
                net_pool: cf.Executor | None) -> None:
        kind = message[0]
        if kind == "notice":
            notice: Notice = message[1]
            if notice.kind is Kind.RATE_LIMITED:
                self.report.rate_limited += 1
            self.notice(notice.kind, notice.message, notice.wait)
            return
        item_id = message[1]
        payload: Any = message[2] if len(message) > 2 else None
        if kind in ("prepared", "prep-failed", "prep-disk"):
            self.preparing_ids.discard(item_id)
        if kind == "prepared":
            self.preparing -= 1
            self._prepared(item_id, payload)
        elif kind == "prep-disk":
            # Not the file's fault: it waits, queued, and the batch stops (every next copy
            # would fail the same way).
            self.preparing -= 1
            self.store.move(item_id, State.QUEUED, from_=(State.PREPARING,))
            self.release(item_id)
            self.emit_item(item_id)
            self.report.disk_error = True
            if not self.stopping:
                self.stopping = self.report.stopped = payload
                self.r._emit(Event(EventKind.STOPPED, message=payload))
        elif kind == "prep-failed":
            self.preparing -= 1
            self.store.move(item_id, State.FAILED, from_=(State.PREPARING,),
                            error_kind="refused", error=payload)
            self.release(item_id)
            self.emit_item(item_id)
        elif kind == "created":
            self.sending -= 1
            self._created(item_id, payload, net_pool)
        elif kind == "create-failed":
            self.sending -= 1
            self._create_failed(item_id, payload)
        elif kind == "create-bug":
            self.sending -= 1
            self.store.move(item_id, State.NEEDS_DECISION, from_=(State.SENDING,),
                            error_kind="cut-off", error=_bug_sentence(payload))
            self.release(item_id)
            self.emit_item(item_id)
        elif kind == "op-done":
            self._finished(item_id, payload, net_pool)
        elif kind == "op-failed":
            self._op_failed(item_id, payload)
        elif kind == "poll-stuck":
            self.release(item_id)
            item = self.store.get(item_id)
            label = repr(item.name) if item else "this upload"
            text = (payload.message if isinstance(payload, CloudError) else
                    f"Roblox is still processing {label} after "
                    f"{self.config.poll.give_up:.0f} s; it is asked again (never sent again) "
                    "the next time the queue runs.")
            self.store.update(item_id, error_kind="processing", error=text)
            self.emit_item(item_id)
        elif kind == "image-id":
            self.side_jobs -= 1
            image_id, text = payload
            item = self.store.get(item_id)
            if image_id is not None and item is not None:
                self.store.update(item_id, image_id=image_id)
                record_image_id(self.catalog, item.entry_id, image_id)
            elif text:
                self.store.update(item_id, error_kind="no-image-id", error=text)
            self.emit_item(item_id)

    def _prepared(self, item_id: int, prepared: prepare.Prepared) -> None:
        moved = self.store.move(
            item_id, State.QUEUED, from_=(State.PREPARING,), prepared_path=prepared.path,
            prepared_sha256=prepared.sha256, source_sha256=prepared.source_sha256,
            width=prepared.width, height=prepared.height, content_type=prepared.content_type)
        item = self.store.get(item_id) if moved else None
        if item is None:
            prepare.discard(prepared.path)
            self.release(item_id)
            return
        self.emit_item(item_id)
        if self.stopping:
            self.release(item_id)
            return
        heapq.heappush(self.ready, (item.id, item))

    def _created(self, item_id: int, op: Operation, net_pool: cf.Executor | None) -> None:
        self.limited_in_row = 0
        self.offline_since = None
        self.offline_tries = 0
        # Written first: from here on this item is polled, never sent again.
        self.store.move(item_id, State.SENDING, from_=(State.SENDING,),
                        operation_path=op.path)
        if op.done:
            self.deferred.append(("op-done", item_id, op))
            return
        item = self.store.get(item_id)
        self.emit_item(item_id)
        self.poller.add(item_id, op.path, item.name if item else "")

    def _create_failed(self, item_id: int, exc: CloudError) -> None:
        item = self.store.get(item_id)
        if item is None:
            self.release(item_id)
            return
        now = time.monotonic()
        back: dict[str, Any] = dict(to=State.QUEUED, from_=(State.SENDING,),
                                    attempts=max(item.attempts - 1, 0))
        requeue = False
        if exc.kind is Kind.RATE_LIMITED:
            self.report.rate_limited += 1
            self.limited_in_row += 1
            wait = exc.retry_after or self.client.retry.backoff.delay(self.limited_in_row - 1)
            self.pacer.block("create", wait)
            self.notice(exc.kind, f"Roblox asked the app to slow down; waiting {wait:.0f} s.",
                        wait)
            requeue = True
        elif exc.kind is Kind.OFFLINE or exc.kind is Kind.CANCELLED:
            if exc.kind is Kind.OFFLINE:
                self.offline_since = self.offline_since or now
                wait = self.client.retry.backoff.delay(self.offline_tries)
                self.offline_tries += 1
                self.create_after = now + wait
                patience = self.config.offline_patience
                if patience is not None and now - self.offline_since > patience:
                    self.stop_batch(CloudError(
                        Kind.OFFLINE, "Can't reach Roblox (no connection); the uploads left "
                        "stay queued and are sent when the queue runs again.", sent=False))
                else:
                    self.notice(exc.kind, OFFLINE_WAITING, wait)
            requeue = True
        elif exc.kind is Kind.UNAVAILABLE and item.attempts < self.config.max_attempts:
            wait = self.client.retry.backoff.delay(item.attempts - 1)
            self.create_after = max(self.create_after, now + wait)
            self.notice(exc.kind, exc.message, wait)
            back["attempts"] = item.attempts
            requeue = True
        elif exc.kind.stops_batch and exc.kind is not Kind.ACCOUNT_MODERATED:
            # The key is wrong: nothing was created, the item waits for a better key.
            self.stop_batch(exc)
            self.store.move(item_id, error_kind=exc.kind.value, error=exc.message, **back)
            self.release(item_id)
            self.emit_item(item_id)
            return
        elif (exc.kind in (Kind.NAME_MODERATED, Kind.DESCRIPTION_MODERATED)
              and self.config.rename_moderated and self._neutral(item, exc)):
            requeue = True
        if requeue:
            self.store.move(item_id, **back)
            self._back_in_line(item_id)
            return
        if exc.kind in (Kind.CUT_OFF, Kind.BAD_ANSWER):
            state = State.NEEDS_DECISION
            text = (f"The connection broke while {item.name!r} was being sent, so Roblox may "
                    "have received it. Check the Creator Dashboard (Creations) before sending "
                    "it again." if exc.kind is Kind.CUT_OFF else
                    f"Roblox answered the upload of {item.name!r} with something the app "
                    "could not read, so it may have been uploaded. Check the Creator "
                    "Dashboard before sending it again.")
        elif exc.kind is Kind.UNAVAILABLE:
            state = State.FAILED
            text = (f"Roblox was unavailable (HTTP {exc.status}) for {item.attempts} tries "
                    f"of {item.name!r}; retry it later. If it lasts, see status.roblox.com.")
        else:
            state, text = State.FAILED, exc.message
        self.store.move(item_id, state, from_=(State.SENDING,), error_kind=exc.kind.value,
                        error=text)
        self.release(item_id)
        self.emit_item(item_id)
        if exc.kind is Kind.ACCOUNT_MODERATED:
            self.stop_batch(exc)

    def _back_in_line(self, item_id: int) -> None:
        """An item queued again (rate limit, offline, a neutral name) waits in its place."""
        refreshed = self.store.get(item_id)
        if refreshed is not None and not self.stopping:
            heapq.heappush(self.ready, (refreshed.id, refreshed))
        else:
            self.release(item_id)
        self.emit_item(item_id)

    def _neutral(self, item: UploadItem, exc: CloudError) -> bool:
        """Prepare a retry under a neutral name (or without the description); False when
        that was tried already."""
        if exc.kind is Kind.NAME_MODERATED:
            neutral = NEUTRAL_NAME.format(number=item.id)
            if item.sent_name == neutral:
                return False
            self.store.update(item.id, sent_name=neutral)
            self.notice(exc.kind, f"The name {item.name!r} was refused by moderation; trying "
                        f"again as {neutral!r} (the catalogue keeps your name).")
            return True
        if not item.description:
            return False
        self.store.update(item.id, description="")
        self.notice(exc.kind, f"The description of {item.name!r} was refused by moderation; "
                    "trying again without it.")
        return True

    def _finished(self, item_id: int, op: Operation, net_pool: cf.Executor | None) -> None:
        item = self.store.get(item_id)
        if item is None:
            self.release(item_id)
            return
        if op.error or op.asset is None:
            exc = operation_failed(item.name, op.error or "no asset in the answer")
            if (exc.kind in (Kind.NAME_MODERATED, Kind.DESCRIPTION_MODERATED)
                    and self.config.rename_moderated and self._neutral(item, exc)):
                self.store.move(item_id, State.QUEUED, from_=(State.SENDING,),
                                operation_path=None)
                self._back_in_line(item_id)
                return
            self.store.move(item_id, State.FAILED, from_=(State.SENDING,),
                            error_kind=exc.kind.value, error=exc.message)
            self.release(item_id)
            self.emit_item(item_id)
            if exc.kind is Kind.ACCOUNT_MODERATED:
                self.stop_batch(exc)
            return
        asset = op.asset
        # The entry first: if the app stops before the row below is written, the operation
        # is polled again next time and this finds the entry by its ID.
        try:
            entry = record_accepted(self.catalog, item, asset)
        except UserError as exc:
            # Roblox has it, the catalogue refused it (a row queued by an older version): the
            # item must not stay "sending" and fail every later run the same way.
            self.store.move(
                item_id, State.NEEDS_DECISION, from_=(State.SENDING,),
                asset_id=asset.asset_id, accepted=utc_now(), error_kind="not-catalogued",
                error=f"Roblox accepted {item.name!r} as asset {asset.asset_id}, but the "
                      f"catalogue could not record it: {exc.message} Record the ID in the "
                      "catalogue yourself, then cancel this item (don't send it again).")
            self.release(item_id)
            self.emit_item(item_id)
            return
        state = STATE_OF.get(status_of(asset), State.IN_REVIEW)
        self.store.move(item_id, state, from_=(State.SENDING,), asset_id=asset.asset_id,
                        entry_id=entry.id, accepted=utc_now(), error="", error_kind="")
        prepare.discard(item.prepared_path)
        self.release(item_id)
        self.emit_item(item_id)
        kind = asset.asset_type or item.asset_type
        if (kind is AssetType.DECAL and self.config.find_image_ids and net_pool is not None
                and not self.cancel.is_set()):
            self.side_jobs += 1
            net_pool.submit(self._image_job, item_id, asset.asset_id)

    def _image_job(self, item_id: int, decal_id: int) -> None:
        try:
            image_id = image_id_of_decal(self.client, decal_id, cancel=self.cancel)
        except CloudError as exc:
            self.inbox.put(("image-id", item_id, (None, exc.message)))
        except Exception as exc:
            log.exception("Image ID lookup failed")
            self.inbox.put(("image-id", item_id, (None, _bug_sentence(exc))))
        else:
            self.inbox.put(("image-id", item_id, (image_id, "")))

    def _op_failed(self, item_id: int, exc: BaseException) -> None:
        self.release(item_id)
        if isinstance(exc, CloudError) and exc.kind.stops_batch:
            # The item stays as it is (its operation recorded); the next run polls it.
            self.stop_batch(exc)
            return
        text = (f"Roblox no longer knows the upload's operation ({exc.message}); check the "
                "Creator Dashboard: it may have been uploaded." if isinstance(exc, CloudError)
                else _bug_sentence(exc))
        self.store.move(item_id, State.NEEDS_DECISION, from_=(State.SENDING,),
                        error_kind="operation-lost", error=text)
        self.emit_item(item_id)


def _bug_sentence(exc: BaseException) -> str:
    return (f"Something went wrong inside the app ({type(exc).__name__}); the details are in "
            "the log. It may have been uploaded: check the Creator Dashboard.")
