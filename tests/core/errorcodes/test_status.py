"""The Roblox status check against a real HTTP server on 127.0.0.1 (no internet needed).

The server answers in the shape of status.io's public status JSON (what status.roblox.com
runs on), and in broken shapes.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest
import requests

from robloxassets.core.errorcodes.status import (
    MAX_ANSWER_BYTES,
    STATUS_API,
    STATUS_PAGE,
    STATUSIO_PATH,
    StatusReport,
    api_url,
    check_status,
)

# path -> (HTTP status, body, seconds to wait before answering)
Routes = dict[str, tuple[int, bytes, float]]


def statusio(code: int = 100, status: str = "Operational", components: list[Any] | None = None,
             incidents: list[Any] | None = None, active: list[Any] | None = None) -> str:
    """A status.io answer: overall status, components with containers, incidents."""
    return json.dumps({"result": {
        "status_overall": {"updated": "2026-11-30T18:02:11.000Z", "status": status,
                           "status_code": code},
        "status": components if components is not None else [
            {"id": "a1", "name": "Website", "status": "Operational", "status_code": 100,
             "containers": [{"id": "c1", "name": "Global", "status": "Operational",
                             "status_code": 100}]},
            {"id": "a2", "name": "Games", "status": "Operational", "status_code": 100,
             "containers": []}],
        "incidents": incidents or [],
        "maintenance": {"active": active or [], "upcoming": []},
    }})


class _Handler(BaseHTTPRequestHandler):
    routes: ClassVar[Routes] = {}
    seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.seen.append(self.path)
        status, body, delay = self.routes.get(self.path, (404, b"not found", 0.0))
        if delay:
            time.sleep(delay)
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout and size tests)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, Routes, list[str]]]:
    routes: Routes = {}
    seen: list[str] = []
    handler = type("Handler", (_Handler,), {"routes": routes, "seen": seen})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", routes, seen
    httpd.shutdown()
    httpd.server_close()


def answer(routes: Routes, body: str | bytes, status: int = 200, delay: float = 0.0) -> None:
    routes[STATUSIO_PATH] = (status, body.encode() if isinstance(body, str) else body, delay)


def test_roblox_page_is_read_from_status_io() -> None:
    assert STATUS_PAGE == "https://status.roblox.com"
    assert api_url() == STATUS_API == \
        "https://api.status.io/1.0/status/59db90dbcdeb2f04dadcf16d"
    assert api_url("http://127.0.0.1:9/") == "http://127.0.0.1:9" + STATUSIO_PATH


def test_all_good(server: tuple[str, Routes, list[str]]) -> None:
    url, routes, seen = server
    answer(routes, statusio())
    report = check_status(base_url=url)
    assert report.reached and report.level == "ok"
    assert report.description == "Operational"
    assert report.problems == ()
    assert "no problems" in report.message
    assert report.updated == "2026-11-30T18:02:11.000Z"
    assert report.updated_at == datetime(2026, 11, 30, 18, 2, 11, tzinfo=timezone.utc)
    assert report.url == url
    assert seen == [STATUSIO_PATH]


def test_degraded_parts_incidents_and_maintenance_are_listed(
        server: tuple[str, Routes, list[str]]) -> None:
    url, routes, _seen = server
    components = [
        {"name": "Website", "status": "Operational", "status_code": 100, "containers": []},
        {"name": "Games", "status": "Degraded Performance", "status_code": 300,
         "containers": [{"name": "Europe", "status": "Degraded Performance",
                         "status_code": 300},
                        {"name": "Asia", "status": "Operational", "status_code": 100}]},
        {"name": "Avatar Shop", "status": "Service Disruption", "status_code": 500}]
    answer(routes, statusio(400, "Partial Service Disruption", components,
                            incidents=[{"name": "Slow joins", "messages": []}],
                            active=[{"name": "Database upgrade"}]))
    with requests.Session() as session:
        report = check_status(session=session, base_url=url + "/")
    assert report.reached and report.level == "minor"
    assert report.problems == ("Games (Europe): degraded performance",
                               "Avatar Shop: service disruption", "Incident: Slow joins",
                               "Maintenance: Database upgrade")
    assert "Partial Service Disruption" in report.message and "Avatar Shop" in report.message


@pytest.mark.parametrize(("code", "level"), [(200, "maintenance"), (300, "minor"),
                                             (500, "major"), (600, "major")])
def test_status_codes_become_levels(server: tuple[str, Routes, list[str]], code: int,
                                    level: str) -> None:
    url, routes, _seen = server
    answer(routes, statusio(code, "Whatever they say"))
    report = check_status(base_url=url)
    assert report.reached and report.level == level
    assert "Whatever they say" in report.message


def test_maintenance_under_way_while_operational(server: tuple[str, Routes, list[str]]) -> None:
    url, routes, _seen = server
    answer(routes, statusio(active=[{"name": "Planned work"}]))
    report = check_status(base_url=url)
    assert report.level == "maintenance" and "Planned work" in report.message


@pytest.mark.parametrize(("status", "body", "reason"), [
    (500, "{}", "HTTP 500"),
    (503, "<html>down</html>", "HTTP 503"),
    (200, "<html>We moved</html>", "not the status data"),
    (200, "", "not the status data"),
    (200, json.dumps(["a", "list"]), "not the status data"),
    (200, json.dumps({"result": None}), "not the status data"),
    (200, json.dumps({"result": {}}), "not the status data"),
    (200, json.dumps({"result": {"status_overall": "Operational"}}), "not the status data"),
    (200, json.dumps({"result": {"status_overall": {"status_code": "100"}}}),
     "not the status data"),
    (200, json.dumps({"result": {"status_overall": {"status_code": 150}}}),
     "not the status data"),
    (200, json.dumps({"status": {"indicator": "purple"}}), "not the status data"),
    # Statuspage's shape (what the first edition read): Roblox's page is not on Statuspage.
    (200, json.dumps({"status": {"indicator": "none",
                                 "description": "All Systems Operational"}}),
     "not the status data"),
    (200, "[" * 100_000 + "]" * 100_000, "not the status data"),
    (200, b"\xff\xfe\x00garbage", "not the status data"),
])
def test_unexpected_answers_are_reported_not_raised(
        server: tuple[str, Routes, list[str]], status: int, body: str | bytes,
        reason: str) -> None:
    url, routes, _seen = server
    answer(routes, body, status)
    report = check_status(base_url=url)
    assert not report.reached and report.level == "unknown"
    assert report.message.startswith("Could not reach the Roblox status page")
    assert reason in report.message


def test_odd_parts_of_a_good_answer_are_skipped(server: tuple[str, Routes, list[str]]) -> None:
    url, routes, _seen = server
    answer(routes, json.dumps({"result": {
        "status_overall": {"status": "Degraded Performance", "status_code": 300},
        "status": [None, "text", {"name": 5, "status_code": 300},
                   {"name": "Games", "containers": "none", "status_code": True}],
        "incidents": {"not": "a list"}, "maintenance": ["odd"]}}))
    report = check_status(base_url=url)
    assert report.reached and report.level == "minor"
    assert report.problems == ("A service: degraded performance",)


def test_a_huge_answer_is_refused(server: tuple[str, Routes, list[str]]) -> None:
    url, routes, _seen = server
    answer(routes, b" " * (MAX_ANSWER_BYTES + 1024) + statusio().encode())
    report = check_status(base_url=url)
    assert not report.reached and "not the status data" in report.message


def test_timeout(server: tuple[str, Routes, list[str]]) -> None:
    url, routes, _seen = server
    answer(routes, statusio(), delay=1.0)
    report = check_status(base_url=url, timeout=0.2)
    assert not report.reached
    assert "no answer within 0.2 seconds" in report.message


def test_offline() -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    report = check_status(base_url=f"http://127.0.0.1:{port}", timeout=1)
    assert not report.reached
    assert "no connection" in report.message


@pytest.mark.parametrize(("updated", "expected"), [
    ("2026-11-30T18:02:11.000Z", datetime(2026, 11, 30, 18, 2, 11, tzinfo=timezone.utc)),
    ("2026-11-30T19:02:11+01:00", datetime(2026, 11, 30, 18, 2, 11, tzinfo=timezone.utc)),
    ("2026-11-30T18:02:11", datetime(2026, 11, 30, 18, 2, 11, tzinfo=timezone.utc)),
    ("", None), ("yesterday", None), ("9999-99-99T00:00:00Z", None),
])
def test_when_the_page_was_updated(updated: str, expected: datetime | None) -> None:
    report = StatusReport(reached=True, level="ok", message="", updated=updated)
    assert report.updated_at == expected
    if expected is not None:
        assert report.updated_at is not None and report.updated_at.utcoffset() is not None
