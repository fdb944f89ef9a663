"""Fixtures of the Error codes page's tests: the page in a window, a local status server."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from robloxassets.gui.errors.page import ErrorCodesPage
from robloxassets.gui.mainwindow import MainWindow


@pytest.fixture
def page(qtbot) -> Iterator[ErrorCodesPage]:
    window = MainWindow([ErrorCodesPage])
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    found = window.page("errors")
    assert isinstance(found, ErrorCodesPage)
    yield found
    window.close()


@pytest.fixture
def status_server() -> Iterator[Callable[[dict[str, Any]], str]]:
    """Serve a status answer on 127.0.0.1 at status.io's path; returns the base URL."""
    servers: list[ThreadingHTTPServer] = []

    def start(answer: dict[str, Any]) -> str:
        body = json.dumps(answer).encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True).start()
        servers.append(httpd)
        return f"http://127.0.0.1:{httpd.server_address[1]}"

    yield start
    for httpd in servers:
        httpd.shutdown()
        httpd.server_close()
