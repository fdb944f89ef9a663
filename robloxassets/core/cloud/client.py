"""One HTTP client for Roblox's APIs: a ``requests.Session``, timeouts on every call, pacing,
retries, and every failure turned into a ``CloudError`` sentence.

Two ways to call:

* ``send``: exactly one request (paced unless told not to). Used for creating assets, where
  the upload queue must record what happened before anything is tried again.
* ``call``: for requests that are safe to repeat (reads, polls): waits out 429s (honouring
  ``retry-after``, ``x-ratelimit-reset``, or backing off with jitter when told ``0``) and tries
  5xx, unreadable answers and connection failures again a bounded number of times.

The key header is added only to requests for the Open Cloud base URL and those never follow
redirects, so the key can't leak to another host (a thumbnail CDN, a redirect target).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import requests
from requests.exceptions import ChunkedEncodingError, ConnectTimeout, ContentDecodingError
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

from robloxassets import __version__
from robloxassets.core.cloud import errors
from robloxassets.core.cloud.apikey import ApiKey, require_key
from robloxassets.core.cloud.errors import CloudError, Kind
from robloxassets.core.cloud.ratelimit import Backoff, Pacer, reset_after, retry_after
from robloxassets.core.cloud.urls import Endpoints

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Answers larger than this are not read into memory (JSON answers are a few KB).
MAX_JSON_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class Timeouts:
    """Seconds to connect and to wait for an answer; creating an asset sends up to 20 MB and
    Roblox checks the file before it answers, so it gets longer."""

    connect: float = 10.0
    read: float = 30.0
    upload: float = 120.0


@dataclass(frozen=True)
class RetryPolicy:
    """How often ``call`` tries again: ``attempts`` in all for 5xx, unreadable answers and
    connection failures; ``rate_limited`` 429s in a row before giving up."""

    attempts: int = 4
    rate_limited: int = 30
    backoff: Backoff = field(default_factory=Backoff)


@dataclass(frozen=True)
class Notice:
    """Something the user should see while it lasts: waiting on a rate limit, Roblox
    unavailable, offline. ``wait`` is the seconds before the next try."""

    kind: Kind
    message: str
    wait: float


def classify_connection_error(exc: requests.RequestException, what: str) -> CloudError:
    """A request that got no answer. ``sent`` is False only when it surely never left: the
    connection was never made. Anything later (a reset, a read timeout) may have reached
    Roblox, which matters for uploads: those are never sent again without the user."""
    if isinstance(exc, ConnectTimeout):
        return errors.offline(what, sent=False)
    if isinstance(exc, (ChunkedEncodingError, ContentDecodingError)):
        return errors.offline(what, sent=True)
    if isinstance(exc, requests.exceptions.SSLError):
        return errors.offline(what, sent=False)
    reason = exc.args[0] if exc.args else None
    reason = getattr(reason, "reason", reason)
    if isinstance(reason, (NewConnectionError, ConnectTimeoutError)):
        return errors.offline(what, sent=False)
    return errors.offline(what, sent=True)


class Client:
    """Roblox's web APIs over one session. ``notify`` hears about waits (from worker
    threads); setting ``cancel`` stops waits and retries early with ``Kind.CANCELLED``.

    Tests and benchmarks hand in their own ``endpoints``, ``pacer`` (scaled windows) and
    ``retry`` policy; by default the key is read when first needed.
    """

    def __init__(self, key: ApiKey | None = None, endpoints: Endpoints | None = None, *,
                 pacer: Pacer | None = None, retry: RetryPolicy | None = None,
                 timeouts: Timeouts | None = None,
                 notify: Callable[[Notice], None] | None = None,
                 cancel: threading.Event | None = None,
                 session: requests.Session | None = None) -> None:
        self._key = key
        self.endpoints = endpoints or Endpoints.from_environment()
        self.pacer = pacer or Pacer()
        self.retry = retry or RetryPolicy()
        self.timeouts = timeouts or Timeouts()
        self.notify = notify
        self.cancel = cancel or threading.Event()
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = f"robloxassets/{__version__}"
        self._lock = threading.Lock()

    # --- lifetime -----------------------------------------------------------------------
    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def key(self) -> ApiKey:
        with self._lock:
            if self._key is None:
                self._key = require_key()
            return self._key

    def __repr__(self) -> str:
        return f"Client({self.endpoints.open_cloud})"

    # --- waiting --------------------------------------------------------------------------
    def wait(self, seconds: float, cancel: threading.Event | None = None) -> bool:
        """Sleep up to ``seconds``; True when cancelled meanwhile."""
        return (cancel or self.cancel).wait(max(seconds, 0.0))

    def _tell(self, notify: Callable[[Notice], None] | None, kind: Kind, message: str,
              wait: float) -> None:
        listener = notify or self.notify
        if listener is not None:
            try:
                listener(Notice(kind, message, wait))
            except Exception:  # a listener's bug must not break the upload
                log.exception("Notice listener failed")

    def _check_cancel(self, cancel: threading.Event | None = None) -> None:
        if self.cancel.is_set() or (cancel is not None and cancel.is_set()):
            raise CloudError(Kind.CANCELLED, "Stopped.", sent=False)

    # --- one request ----------------------------------------------------------------------
    def send(self, method: str, url: str, *, bucket: str, what: str,
             scope: str = "asset:read", auth: bool = True, pace: bool = True,
             json_body: Any = None, files: Any = None, params: Mapping[str, Any] | None = None,
             read_timeout: float | None = None, max_bytes: int = MAX_JSON_BYTES,
             cancel: threading.Event | None = None) -> requests.Response:
        """One request; a success (2xx) is returned with its body read, anything else
        raises ``CloudError``. ``what`` names the subject in messages."""
        self._check_cancel(cancel)
        if pace and not self.pacer.acquire(bucket, lambda s: self.wait(s, cancel)):
            self._check_cancel(cancel)
        headers: dict[str, str] = {}
        # Open Cloud requests carry the key (in a header, or in the body of an introspection),
        # so they never follow a redirect to wherever it points.
        open_cloud = self.endpoints.is_open_cloud(url)
        if auth and open_cloud:
            headers["x-api-key"] = self.key.reveal()
        timeout = (self.timeouts.connect,
                   read_timeout if read_timeout is not None else self.timeouts.read)
        try:
            response = self.session.request(
                method, url, headers=headers, json=json_body, files=files, params=params,
                timeout=timeout, allow_redirects=not open_cloud, stream=True)
        except requests.RequestException as exc:
            # The exception's text names the URL, never the headers; logged without it anyway.
            log.info("%s %s: %s", method, _path(url), type(exc).__name__)
            raise classify_connection_error(exc, what) from None
        try:
            body = _read_body(response, max_bytes, what)
        finally:
            response.close()
        self.pacer.observe(bucket, response.headers)
        status = response.status_code
        if 200 <= status < 300:
            response._content = body
            return response
        wait = None
        if status == 429:
            wait = retry_after(response.headers) or reset_after(response.headers)
        log.info("%s %s: HTTP %d", method, _path(url), status)
        raise errors.from_response(status, body, what=what, scope=scope, retry_after=wait)

    # --- with retries ---------------------------------------------------------------------
    def call(self, method: str, url: str, *, bucket: str, what: str,
             parse: Callable[[requests.Response], T], scope: str = "asset:read",
             auth: bool = True, params: Mapping[str, Any] | None = None,
             json_body: Any = None, max_bytes: int = MAX_JSON_BYTES,
             cancel: threading.Event | None = None,
             notify: Callable[[Notice], None] | None = None) -> T:
        """``send`` + ``parse`` for a request that is safe to repeat, with waits and
        retries; raises the last ``CloudError`` when they run out. ``cancel`` and
        ``notify`` stand in for the client's own for this call."""
        failures = 0
        limited = 0
        while True:
            try:
                response = self.send(method, url, bucket=bucket, what=what, scope=scope,
                                     auth=auth, params=params, json_body=json_body,
                                     max_bytes=max_bytes, cancel=cancel)
                return parse(response)
            except CloudError as exc:
                if exc.kind is Kind.RATE_LIMITED:
                    limited += 1
                    if limited > self.retry.rate_limited:
                        raise
                    wait = exc.retry_after or self.retry.backoff.delay(limited - 1)
                    self.pacer.block(bucket, wait)
                    self._tell(notify, exc.kind, _rate_message(wait), wait)
                    continue
                if exc.kind not in (Kind.UNAVAILABLE, Kind.BAD_ANSWER, Kind.OFFLINE,
                                    Kind.CUT_OFF):
                    raise
                failures += 1
                if failures >= self.retry.attempts:
                    raise
                wait = self.retry.backoff.delay(failures - 1)
                self._tell(notify, exc.kind, exc.message, wait)
                if self.wait(wait, cancel):
                    self._check_cancel(cancel)

    def json(self, response: requests.Response, what: str) -> Any:
        """The answer's JSON; ``CloudError(BAD_ANSWER)`` when it is not JSON."""
        try:
            return json.loads(response.content.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            raise errors.bad_answer(what, "not JSON", response.status_code) from None


def _rate_message(wait: float) -> str:
    return f"Roblox asked the app to slow down; waiting {max(wait, 1):.0f} s."


def _path(url: str) -> str:
    """A URL without its query, for the log (queries carry nothing secret, but keep it
    short)."""
    return url.split("?", 1)[0]


def _read_body(response: requests.Response, max_bytes: int, what: str) -> bytes:
    """The body, at most ``max_bytes`` of it (a runaway answer is refused, not buffered)."""
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in response.iter_content(64 * 1024):
            size += len(chunk)
            if size > max_bytes:
                raise errors.bad_answer(what, f"an answer over {max_bytes // 1048576} MB",
                                        response.status_code)
            chunks.append(chunk)
    except requests.RequestException as exc:
        raise classify_connection_error(exc, what) from None
    return b"".join(chunks)
