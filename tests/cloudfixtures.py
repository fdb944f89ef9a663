"""Fixtures for everything that talks to "Roblox": the fake server, a client aimed at it, an
in-memory keyring. Imported by the conftest.py of the test folders that need them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import pytest

from robloxassets.core.cloud.apikey import ApiKey
from robloxassets.core.cloud.client import Client, RetryPolicy, Timeouts
from robloxassets.core.cloud.ratelimit import Backoff, Pacer
from robloxassets.core.cloud.urls import Endpoints
from tests.fakeroblox import GOOD_KEY, FakeRoblox

#: Nothing listens here (the discard port): a client not aimed at the fake server fails at
#: once instead of reaching the internet.
NOWHERE = "http://127.0.0.1:9"


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring that keeps passwords in this process only (no file, no OS service)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture(autouse=True)
def no_internet(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROBLOXASSETS_OPEN_CLOUD_URL", NOWHERE)
    monkeypatch.setenv("ROBLOXASSETS_THUMBNAILS_URL", NOWHERE)
    monkeypatch.delenv("ROBLOXASSETS_API_KEY", raising=False)


@pytest.fixture(autouse=True)
def no_keyring() -> Iterator[None]:
    """By default no keyring backend exists (as on a headless box); tests that want one use
    ``memory_keyring``. The machine's real keyring is never touched."""
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def memory_keyring(no_keyring: None) -> MemoryKeyring:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend


@pytest.fixture
def fake() -> Iterator[FakeRoblox]:
    with FakeRoblox() as server:
        yield server


@pytest.fixture
def fake_env(fake: FakeRoblox, monkeypatch: pytest.MonkeyPatch) -> FakeRoblox:
    """The app's environment pointed at the fake server, with the good key."""
    for name, value in fake.environment().items():
        monkeypatch.setenv(name, value)
    return fake


def make_client(fake: FakeRoblox | str, *, key: str = GOOD_KEY, pacer: Pacer | None = None,
                read: float = 5.0, attempts: int = 3) -> Client:
    """A client aimed at ``fake`` (or a base URL) with short waits, so retries don't slow the
    suite."""
    url = fake if isinstance(fake, str) else fake.url
    return Client(ApiKey(key, "entered"), Endpoints(url, url),
                  pacer=pacer or Pacer({}),
                  retry=RetryPolicy(attempts=attempts, rate_limited=10,
                                    backoff=Backoff(base=0.01, cap=0.05)),
                  timeouts=Timeouts(connect=2.0, read=read, upload=read))


@pytest.fixture
def client(fake: FakeRoblox) -> Iterator[Client]:
    with make_client(fake) as made:
        yield made


def grep_tree(root: Path, needle: str) -> list[Path]:
    """Files under ``root`` whose bytes contain ``needle``."""
    found = []
    data = needle.encode()
    for path in root.rglob("*"):
        if path.is_file():
            try:
                if data in path.read_bytes():
                    found.append(path)
            except OSError:
                continue
    return found
