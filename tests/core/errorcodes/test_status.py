"""The Roblox status check against a real HTTP server on 127.0.0.1 (no internet needed)."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest
import requests

from robloxassets.core.errorcodes.status import check_status

# path -> (HTTP status, body, seconds to wait before answering)
Routes = dict[str, tuple[int, str, float]]

OK_SUMMARY = {
    "page": {"name": "Roblox"},
    "status": {"indicator": "none", "description": "All Systems Operational"},
    "components": [{"name": "Games", "status": "operational"}],
    "incidents": [],
}
MINOR_SUMMARY = {
    "status": {"indicator": "minor", "description": "Partially Degraded Service"},
    "components": [{"name": "Games", "status": "operational"},
                   {"name": "Avatar Shop", "status": "partial_outage"}],
    "incidents": [{"name": "Slow joins", "status": "investigating"},
                  {"name": "Old thing", "status": "resolved"}],
}


class _Handler(BaseHTTPRequestHandler):
    routes: ClassVar[Routes] = {}
    seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.seen.append(self.path)
        status, body, delay = self.routes.get(self.path, (404, "not found", 0.0))
        if delay:
            time.sleep(delay)
        data = body.encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout test)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, Routes, list[str]]]:
    routes: ClassVar[Routes] = {}
    seen: ClassVar[list[str]] = []
    handler = type("Handler", (_Handler,), {"routes": routes, "seen": seen})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", routes, seen
    httpd.shutdown()
    httpd.server_close()


def test_all_good(server: tuple[str, Routes, list[str]]) -> None:
    url, routes, seen = server
    routes["/api/v2/summary.json"] = (200, json.dumps(OK_SUMMARY), 0)
    report = check_status(base_url=url)
    assert report.reached and report.level == "ok"
    assert report.description == "All Systems Operational"
    assert report.problems == ()
    assert "no problems" in report.message
    assert seen == ["/api/v2/summary.json"]


def test_minor_problems_list_components_and_open_incidents(
        server: tuple[str, Routes, list[str]]) -> None:
    url, routes, _seen = server
    routes["/api/v2/summary.json"] = (200, json.dumps(MINOR_SUMMARY), 0)
    report = check_status(base_url=url + "/")
    assert report.level == "minor"
    assert report.problems == ("Avatar Shop: partial outage", "Incident: Slow joins")
    assert "Avatar Shop" in report.message


def test_falls_back_to_status_json(server: tuple[str, Routes, list[str]]) -> None:
    url, routes, seen = server
    routes["/api/v2/status.json"] = (
        200, json.dumps({"status": {"indicator": "major", "description": "Major Outage"}}), 0)
    with requests.Session() as session:
        report = check_status(session=session, base_url=url)
    assert seen == ["/api/v2/summary.json", "/api/v2/status.json"]
    assert report.reached and report.level == "major" and "outage" in report.message


@pytest.mark.parametrize(("status", "body", "reason"), [
    (500, "{}", "HTTP 500"),
    (200, "<html>We moved</html>", "not the status data"),
    (200, json.dumps({"status": {"indicator": "purple"}}), "not the status data"),
    (200, json.dumps(["a", "list"]), "not the status data"),
])
def test_unexpected_answers_are_reported_not_raised(
        server: tuple[str, Routes, list[str]], status: int, body: str, reason: str) -> None:
    url, routes, _seen = server
    routes["/api/v2/summary.json"] = (status, body, 0)
    report = check_status(base_url=url)
    assert not report.reached and report.level == "unknown"
    assert report.message.startswith("Could not reach the Roblox status page")
    assert reason in report.message


def test_timeout(server: tuple[str, Routes, list[str]]) -> None:
    url, routes, _seen = server
    routes["/api/v2/summary.json"] = (200, json.dumps(OK_SUMMARY), 1.0)
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
