"""A fake Roblox on 127.0.0.1: Open Cloud assets and operations, key introspection, asset
delivery and the thumbnails API, as a real HTTP server (``ThreadingHTTPServer``).

It checks what a real client must get right (the ``x-api-key`` header, the multipart parts and
their content types, no key sent to the CDN) and records every request, so tests assert on
what reached "Roblox". Behaviour is scripted per route: ``script("create", Reply(400,
...))`` answers the next create so; ``limit("create", 120, 6.0)`` enforces a sliding window
with 429s; ``hold("create")`` makes the next create wait (after it was received) until
``release``. Operations finish after ``polls_to_finish`` polls, asset types and moderation
states alternate between Roblox's two spellings, and moderation settles after
``reviews_to_settle`` reads of the asset (names containing "reject" are rejected).

Run as a program (``python -m tests.fakeroblox --port 0``) it serves until killed and prints
its URL first, for benchmarks that want the server in another process.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import io
import json
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from PIL import Image

GOOD_KEY = "test-key-" + "k3y" * 20
ALL_SCOPES = ("asset:read", "asset:write", "legacy-asset:manage")
IMAGE_TYPES = {"image/png", "image/jpeg", "image/bmp", "image/tga"}
_SIGNATURES = {"image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8", "image/bmp": b"BM"}


@dataclass
class Reply:
    """A scripted answer: a status with a body, a dropped connection, or a slow answer."""

    status: int = 200
    body: Any = None  # dict/list -> JSON, bytes/str -> as is
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False
    delay: float = 0.0
    passthrough: bool = False  # after the delay, answer normally

    @classmethod
    def slow(cls, seconds: float) -> Reply:
        return cls(delay=seconds, passthrough=True)

    @classmethod
    def cut(cls) -> Reply:
        return cls(drop=True)


@dataclass
class KeyRecord:
    owner: int = 4242
    scopes: tuple[str, ...] = ALL_SCOPES
    name: str = "uploads"
    enabled: bool = True
    expired: bool = False
    expires: str | None = None


@dataclass
class Created:
    """One create the server received (recorded before it answers)."""

    number: int
    request: dict[str, Any]
    filename: str
    content_type: str
    data: bytes
    operation: str = ""
    asset_id: int | None = None


@dataclass
class _Op:
    created: Created
    polls: int = 0
    done_after: int = 0
    error: dict[str, Any] | None = None


@dataclass
class _Asset:
    asset_id: int
    asset_type: str
    name: str
    description: str
    creator: dict[str, Any]
    reads: int = 0
    state: str = "Reviewing"
    image_id: int | None = None  # a decal's image


class _Window:
    def __init__(self, count: int, window: float, retry_after: str | None) -> None:
        self.count = count
        self.window = window
        self.retry_after = retry_after
        self.times: collections.deque[float] = collections.deque()
        self.refused = 0

    def admit(self, now: float) -> tuple[bool, dict[str, str]]:
        while self.times and self.times[0] <= now - self.window:
            self.times.popleft()
        if len(self.times) >= self.count:
            self.refused += 1
            reset = self.times[0] + self.window - now
            headers = {"x-ratelimit-limit": f"{self.count}, {self.count};w={self.window:g}",
                       "x-ratelimit-remaining": "0", "x-ratelimit-reset": f"{max(reset, 0):.0f}"}
            if self.retry_after is not None:
                headers["retry-after"] = self.retry_after
            return False, headers
        self.times.append(now)
        remaining = self.count - len(self.times)
        reset = self.times[0] + self.window - now
        return True, {"x-ratelimit-limit": f"{self.count}, {self.count};w={self.window:g}",
                      "x-ratelimit-remaining": str(remaining),
                      "x-ratelimit-reset": f"{max(reset, 0):.0f}"}


class FakeRoblox:
    """The server and its state; use as a context manager or call ``start``/``stop``."""

    def __init__(self, polls_to_finish: int = 2, reviews_to_settle: int = 1,
                 port: int = 0) -> None:
        self.port = port
        self.polls_to_finish = polls_to_finish
        self.reviews_to_settle = reviews_to_settle
        self.keys: dict[str, KeyRecord] = {GOOD_KEY: KeyRecord()}
        self.lock = threading.Condition()
        self.requests: list[dict[str, Any]] = []
        self.creates: list[Created] = []
        self.violations: list[str] = []
        self.refused_429 = 0
        self._scripts: dict[str, collections.deque[Reply]] = collections.defaultdict(
            collections.deque)
        self._limits: dict[str, _Window] = {}
        self._holds: dict[str, tuple[int, threading.Event]] = {}
        self._ops: dict[str, _Op] = {}
        self._assets: dict[int, _Asset] = {}
        self._next_id = 1_000_000
        self.op_error_for: Callable[[Created], dict[str, Any] | None] = lambda c: None
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.started = time.monotonic()

    # --- lifetime -------------------------------------------------------------------------
    def start(self) -> FakeRoblox:
        server = ThreadingHTTPServer(("127.0.0.1", self.port), _handler_for(self))
        server.daemon_threads = True
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="fakeroblox", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.release_all()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeRoblox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def environment(self) -> dict[str, str]:
        """Environment variables that point the app at this server with the good key."""
        return {"ROBLOXASSETS_OPEN_CLOUD_URL": self.url, "ROBLOXASSETS_THUMBNAILS_URL": self.url,
                "ROBLOXASSETS_API_KEY": GOOD_KEY}

    # --- scripting ------------------------------------------------------------------------
    def script(self, route: str, *replies: Reply) -> None:
        with self.lock:
            self._scripts[route].extend(replies)

    def limit(self, route: str, count: int, window: float, retry_after: str | None = "0"
              ) -> None:
        with self.lock:
            self._limits[route] = _Window(count, window, retry_after)

    def hold(self, route: str, number: int = 1) -> threading.Event:
        """Make the ``number``-th next request on ``route`` wait (after it is recorded) until
        ``release``; returns the event that releases it."""
        event = threading.Event()
        with self.lock:
            self._holds[route] = (number, event)
        return event

    def release_all(self) -> None:
        with self.lock:
            for _, event in self._holds.values():
                event.set()
            self._holds.clear()

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 10.0) -> bool:
        """Wait until ``predicate()`` holds (checked whenever a request is recorded)."""
        deadline = time.monotonic() + timeout
        with self.lock:
            while not predicate():
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.lock.wait(min(left, 0.2))
        return True

    def moderate(self, asset_id: int, state: str) -> None:
        with self.lock:
            self._assets[asset_id].state = state

    def asset(self, asset_id: int) -> _Asset:
        with self.lock:
            return self._assets[asset_id]

    def count(self, route: str) -> int:
        with self.lock:
            return sum(1 for r in self.requests if r["route"] == route)

    # --- handling -------------------------------------------------------------------------
    def _record(self, route: str, handler: BaseHTTPRequestHandler) -> None:
        with self.lock:
            self.requests.append({"route": route, "method": handler.command,
                                  "path": handler.path,
                                  "has_key": "x-api-key" in handler.headers,
                                  "at": time.monotonic()})
            self.lock.notify_all()

    def _take_script(self, route: str) -> Reply | None:
        with self.lock:
            queue = self._scripts.get(route)
            return queue.popleft() if queue else None

    def _maybe_hold(self, route: str) -> None:
        with self.lock:
            held = self._holds.get(route)
            if held is None:
                return
            number, event = held
            if number > 1:
                self._holds[route] = (number - 1, event)
                return
            del self._holds[route]
        event.wait(60)

    def _key(self, handler: BaseHTTPRequestHandler) -> KeyRecord | None:
        return self.keys.get(handler.headers.get("x-api-key", ""))

    def _new_id(self) -> int:
        self._next_id += 7
        return self._next_id

    def handle(self, route: str, handler: BaseHTTPRequestHandler, body: bytes
               ) -> tuple[int, Any, dict[str, str]] | None:
        """(status, body, headers) or None to drop the connection."""
        self._record(route, handler)
        reply = self._take_script(route)
        if reply is not None:
            if reply.delay:
                time.sleep(reply.delay)
            if reply.drop:
                return None
            if not reply.passthrough:
                return reply.status, reply.body, reply.headers
        window = self._limits.get(route)
        if window is not None:
            with self.lock:
                admitted, headers = window.admit(time.monotonic())
                if not admitted:
                    self.refused_429 += 1
            if not admitted:
                return 429, {"code": "RESOURCE_EXHAUSTED", "message": "Too many requests"}, \
                    headers
        else:
            headers = {}
        method = getattr(self, f"_route_{route}")
        status, payload, extra = method(handler, body)
        return status, payload, {**headers, **extra}

    def _auth(self, handler: BaseHTTPRequestHandler, scope: str
              ) -> tuple[int, Any, dict[str, str]] | None:
        record = self._key(handler)
        if record is None or not record.enabled or record.expired:
            return 401, {"errors": [{"code": 0, "message": "Invalid API Key"}]}, {}
        if scope not in record.scopes:
            return 403, {"code": "INSUFFICIENT_SCOPE",
                         "message": f"requires scope {scope}"}, {}
        return None

    def _route_create(self, handler: BaseHTTPRequestHandler, body: bytes
                      ) -> tuple[int, Any, dict[str, str]]:
        refused = self._auth(handler, "asset:write")
        if refused:
            return refused
        parts = _multipart(handler.headers.get("Content-Type", ""), body)
        problem = _check_parts(parts)
        if problem:
            with self.lock:
                self.violations.append(problem)
            return 400, {"code": "INVALID_ARGUMENT", "message": problem}, {}
        request = json.loads(parts["request"][2])
        filename, content_type, data = parts["fileContent"]
        with self.lock:
            created = Created(len(self.creates) + 1, request, filename, content_type, data)
            self.creates.append(created)
            self.lock.notify_all()
        self._maybe_hold("create")
        name = request["displayName"]
        if "moderatedname" in name.replace(" ", "").lower():
            return 400, {"code": "INVALID_ARGUMENT", "message": "AssetName is moderated."}, {}
        if "moderatedaccount" in name.replace(" ", "").lower():
            return 400, {"code": "INVALID_ARGUMENT", "message": "User is moderated"}, {}
        if not data.startswith(_SIGNATURES.get(content_type, b"")):
            return 400, '"InvalidImage"', {}
        with self.lock:
            op_id = uuid.uuid4().hex
            created.operation = op_id
            op = _Op(created, done_after=self.polls_to_finish,
                     error=self.op_error_for(created))
            self._ops[op_id] = op
            if op.done_after <= 0:
                return 200, self._operation_json(op_id, op), {}
        return 200, {"path": f"operations/{op_id}", "operationId": op_id}, {}

    def _finish(self, op: _Op) -> _Asset:
        created = op.created
        request = created.request
        asset_type = request["assetType"]
        asset = _Asset(self._new_id(), asset_type, request["displayName"],
                       request.get("description", ""), request["creationContext"]["creator"])
        if asset_type == "Decal":
            asset.image_id = self._new_id()
        self._assets[asset.asset_id] = asset
        created.asset_id = asset.asset_id
        return asset

    def _operation_json(self, op_id: str, op: _Op) -> dict[str, Any]:
        if op.error is not None:
            return {"path": f"operations/{op_id}", "operationId": op_id, "done": True,
                    "error": op.error}
        asset_id = op.created.asset_id
        asset = self._assets[asset_id] if asset_id is not None else self._finish(op)
        return {"path": f"operations/{op_id}", "operationId": op_id, "done": True,
                "response": self._asset_json(asset)}

    def _asset_json(self, asset: _Asset) -> dict[str, Any]:
        long_form = asset.asset_id % 2 == 0
        state = asset.state
        return {
            "path": f"assets/{asset.asset_id}", "assetId": str(asset.asset_id),
            "displayName": asset.name, "description": asset.description,
            "assetType": f"ASSET_TYPE_{asset.asset_type.upper()}" if long_form
            else asset.asset_type,
            "creationContext": {"creator": asset.creator},
            "moderationResult": {"moderationState": f"MODERATION_STATE_{state.upper()}"
                                 if long_form else state},
            "state": "Active", "revisionId": "1",
        }

    def _route_operation(self, handler: BaseHTTPRequestHandler, body: bytes
                         ) -> tuple[int, Any, dict[str, str]]:
        refused = self._auth(handler, "asset:read")
        if refused:
            return refused
        op_id = urlsplit(handler.path).path.rsplit("/", 1)[-1]
        with self.lock:
            op = self._ops.get(op_id)
            if op is None:
                return 404, {"code": "NOT_FOUND", "message": "Operation not found"}, {}
            op.polls += 1
            if op.polls < op.done_after:
                # Lenient clients: sometimes "done" is left out altogether.
                answer: dict[str, Any] = {"path": f"operations/{op_id}", "operationId": op_id}
                if op.polls % 2 == 0:
                    answer["done"] = False
                return 200, answer, {}
            return 200, self._operation_json(op_id, op), {}

    def _route_asset(self, handler: BaseHTTPRequestHandler, body: bytes
                     ) -> tuple[int, Any, dict[str, str]]:
        refused = self._auth(handler, "asset:read")
        if refused:
            return refused
        path = urlsplit(handler.path)
        if "readMask" in parse_qs(path.query):
            with self.lock:
                self.violations.append("readMask sent")
        try:
            asset_id = int(path.path.rsplit("/", 1)[-1])
        except ValueError:
            return 400, {"code": "INVALID_ARGUMENT", "message": "bad id"}, {}
        with self.lock:
            asset = self._assets.get(asset_id)
            if asset is None:
                return 404, {"code": "NOT_FOUND", "message": "Asset not found"}, {}
            asset.reads += 1
            if asset.state == "Reviewing" and asset.reads >= self.reviews_to_settle:
                asset.state = "Rejected" if "reject" in asset.name.lower() else "Approved"
            return 200, self._asset_json(asset), {}

    def _route_introspect(self, handler: BaseHTTPRequestHandler, body: bytes
                          ) -> tuple[int, Any, dict[str, str]]:
        if "x-api-key" in handler.headers:
            with self.lock:
                self.violations.append("key header sent to introspect")
        try:
            key = json.loads(body).get("apiKey", "")
        except ValueError:
            return 400, {"message": "bad body"}, {}
        record = self.keys.get(key)
        if record is None:
            return 401, {"errors": [{"code": 0, "message": "Invalid API Key"}]}, {}
        scopes: dict[str, list[str]] = {}
        for scope in record.scopes:
            name, _, operation = scope.partition(":")
            scopes.setdefault(name, []).append(operation)
        return 200, {
            "name": record.name, "authorizedUserId": record.owner,
            "scopes": [{"name": name, "operations": ops, "userIds": ["*"], "groupIds": ["*"]}
                       for name, ops in scopes.items()],
            "enabled": record.enabled, "expired": record.expired,
            "expirationTimeUtc": record.expires,
        }, {}

    def _route_delivery(self, handler: BaseHTTPRequestHandler, body: bytes
                        ) -> tuple[int, Any, dict[str, str]]:
        refused = self._auth(handler, "legacy-asset:manage")
        if refused:
            return refused
        asset_id = int(urlsplit(handler.path).path.rsplit("/", 1)[-1])
        with self.lock:
            asset = self._assets.get(asset_id)
        if asset is None:
            return 404, {"code": "NOT_FOUND", "message": "not found"}, {}
        return 200, {"location": f"{self.url}/cdn/decal/{asset_id}.xml"}, {}

    def _route_cdn(self, handler: BaseHTTPRequestHandler, body: bytes
                   ) -> tuple[int, Any, dict[str, str]]:
        if "x-api-key" in handler.headers:
            with self.lock:
                self.violations.append("key sent to the CDN")
        path = urlsplit(handler.path).path
        name = path.rsplit("/", 1)[-1]
        if path.startswith("/cdn/decal/"):
            with self.lock:
                asset = self._assets.get(int(name.split(".")[0]))
            if asset is None or asset.image_id is None:
                return 404, b"", {}
            xml = ('<roblox><Item class="Decal"><Properties><Content name="Texture">'
                   f"<url>http://www.roblox.com/asset/?id={asset.image_id}</url>"
                   "</Content></Properties></Item></roblox>")
            return 200, xml.encode(), {"Content-Type": "application/xml"}
        buffer = io.BytesIO()
        Image.new("RGB", (8, 8), (200, 40, 40)).save(buffer, "PNG")
        return 200, buffer.getvalue(), {"Content-Type": "image/png"}

    def _route_thumbnails(self, handler: BaseHTTPRequestHandler, body: bytes
                          ) -> tuple[int, Any, dict[str, str]]:
        if "x-api-key" in handler.headers:
            with self.lock:
                self.violations.append("key sent to the thumbnails API")
        query = parse_qs(urlsplit(handler.path).query)
        ids = [int(i) for i in query.get("assetIds", [""])[0].split(",") if i]
        if len(ids) > 100:
            return 400, {"errors": [{"code": 1, "message": "Too many ids"}]}, {}
        rows = []
        with self.lock:
            for asset_id in ids:
                asset = self._assets.get(asset_id)
                if asset is None:
                    rows.append({"targetId": asset_id, "state": "Error", "imageUrl": None})
                elif asset.state == "Approved":
                    rows.append({"targetId": asset_id, "state": "Completed",
                                 "imageUrl": f"{self.url}/cdn/thumb/{asset_id}.png"})
                elif asset.state == "Rejected":
                    rows.append({"targetId": asset_id, "state": "Blocked", "imageUrl": None})
                else:
                    rows.append({"targetId": asset_id, "state": "Pending", "imageUrl": None})
        return 200, {"data": rows}, {}


def _route_of(method: str, path: str) -> str | None:
    path = urlsplit(path).path
    if method == "POST" and path == "/assets/v1/assets":
        return "create"
    if method == "GET" and path.startswith("/assets/v1/operations/"):
        return "operation"
    if method == "GET" and path.startswith("/assets/v1/assets/"):
        return "asset"
    if method == "POST" and path == "/api-keys/v1/introspect":
        return "introspect"
    if method == "GET" and path.startswith("/asset-delivery-api/v1/assetId/"):
        return "delivery"
    if method == "GET" and path.startswith("/cdn/"):
        return "cdn"
    if method == "GET" and path == "/v1/assets":
        return "thumbnails"
    return None


_DISPOSITION = re.compile(rb'form-data;\s*name="([^"]*)"(?:;\s*filename="([^"]*)")?', re.I)


def _multipart(content_type: str, body: bytes) -> dict[str, tuple[str | None, str, bytes]]:
    """Parts of a multipart/form-data body: name -> (filename, content type, bytes).

    Parsed by hand with bytes operations (the email package takes tens of milliseconds per
    megabyte, which would make the server, not the client, what a benchmark measures)."""
    match = re.search(r'boundary="?([^";]+)"?', content_type)
    if not content_type.startswith("multipart/form-data") or match is None:
        return {}
    delimiter = b"--" + match.group(1).encode("latin-1")
    parts: dict[str, tuple[str | None, str, bytes]] = {}
    chunks = body.split(delimiter)
    if len(chunks) < 3 or not chunks[-1].startswith(b"--"):
        return {}
    for chunk in chunks[1:-1]:
        if not chunk.startswith(b"\r\n") or not chunk.endswith(b"\r\n"):
            return {}
        head, sep, content = chunk[2:-2].partition(b"\r\n\r\n")
        if not sep:
            return {}
        headers = {}
        for line in head.split(b"\r\n"):
            key, _, value = line.partition(b":")
            headers[key.strip().lower()] = value.strip()
        disposition = _DISPOSITION.match(headers.get(b"content-disposition", b""))
        if disposition is None:
            return {}
        filename = disposition.group(2)
        parts[disposition.group(1).decode()] = (
            filename.decode() if filename is not None else None,
            headers.get(b"content-type", b"").decode().split(";")[0].strip().lower(),
            content)
    return parts


def _check_parts(parts: dict[str, tuple[str | None, str, bytes]]) -> str:
    """What is wrong with a create's parts, per the contract; "" when nothing."""
    if set(parts) != {"request", "fileContent"}:
        return f"expected parts request and fileContent, got {sorted(parts)}"
    filename, _ctype, raw = parts["request"]
    if filename is not None:
        return "the request part must not be a file"
    try:
        request = json.loads(raw)
    except ValueError:
        return "the request part is not JSON"
    if request.get("assetType") not in ("Image", "Decal"):
        return f"bad assetType {request.get('assetType')!r}"
    name = request.get("displayName")
    if not isinstance(name, str) or not 0 < len(name) <= 50:
        return "displayName must be 1 to 50 characters"
    if not isinstance(request.get("description"), str) or len(request["description"]) > 1000:
        return "description must be a string of at most 1000 characters"
    creator = (request.get("creationContext") or {}).get("creator") or {}
    ids = [v for k, v in creator.items() if k in ("userId", "groupId")]
    if len(ids) != 1 or not isinstance(ids[0], str) or not ids[0].isdigit():
        return "creationContext.creator needs one userId or groupId as a string"
    filename, ctype, data = parts["fileContent"]
    if not filename:
        return "fileContent needs a file name"
    if ctype not in IMAGE_TYPES:
        return f"fileContent has content type {ctype!r}"
    if not data:
        return "fileContent is empty"
    if len(data) > 20 * 1024 * 1024:
        return "fileContent is over 20 MB"
    return ""


def _handler_for(fake: FakeRoblox) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in separate writes; without this, Nagle's algorithm and the
        # client's delayed ACK add 40 ms to every answer.
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            return

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            if len(body) < length:  # the client went away mid-request (a killed process)
                self.close_connection = True
                return
            route = _route_of(self.command, self.path)
            if route is None:
                self._answer(404, {"message": "no such route"}, {})
                return
            result = fake.handle(route, self, body)
            if result is None:
                self.close_connection = True
                with contextlib.suppress(OSError):
                    self.connection.shutdown(2)
                return
            self._answer(*result)

        def _answer(self, status: int, payload: Any, headers: dict[str, str]) -> None:
            if isinstance(payload, (dict, list)):
                data = json.dumps(payload).encode()
                headers = {"Content-Type": "application/json", **headers}
            elif isinstance(payload, str):
                data = payload.encode()
                headers = {"Content-Type": "application/json", **headers}
            else:
                data = payload or b""
            # A client killed mid-request is part of the tests: its socket is gone.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        do_GET = _serve
        do_POST = _serve

    return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description="A fake Roblox for benchmarks.")
    parser.add_argument("--polls", type=int, default=1, help="polls until an operation is done")
    parser.add_argument("--create-limit", default="",
                        help="COUNT/SECONDS sliding window for creates, e.g. 120/6")
    parser.add_argument("--retry-after", default="0")
    args = parser.parse_args()
    fake = FakeRoblox(polls_to_finish=args.polls).start()
    if args.create_limit:
        count, window = args.create_limit.split("/")
        fake.limit("create", int(count), float(window), args.retry_after)
    print(fake.url, flush=True)
    try:
        while True:
            line = input()
            if line.strip() == "stats":
                with fake.lock:
                    print(json.dumps({"creates": len(fake.creates), "refused": fake.refused_429,
                                      "violations": fake.violations,
                                      "requests": len(fake.requests)}), flush=True)
    except (EOFError, KeyboardInterrupt):
        pass
    finally:
        fake.stop()


if __name__ == "__main__":
    main()
