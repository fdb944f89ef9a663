"""The key: keyring or environment, never printed, never logged, never in a file."""

from __future__ import annotations

import logging
import pickle

import pytest

from robloxassets.core.cloud import apikey
from robloxassets.core.cloud.apikey import ApiKey, ApiKeyError
from robloxassets.core.cloud.redact import REDACTED, RedactingFilter, redact
from tests.cloudfixtures import MemoryKeyring

SECRET = "s3cret-" + "abcdef0123" * 8


def test_no_keyring_says_so_and_names_the_variable() -> None:
    assert "ROBLOXASSETS_API_KEY" in apikey.keyring_problem()
    with pytest.raises(ApiKeyError, match="No system keyring"):
        apikey.save_key(SECRET)
    assert apikey.load_key() is None
    with pytest.raises(ApiKeyError, match="set ROBLOXASSETS_API_KEY"):
        apikey.require_key()


def test_the_environment_works_without_a_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(apikey.ENV, f"  {SECRET}\n")
    key = apikey.load_key()
    assert key is not None and key.reveal() == SECRET and key.source == "environment"


def test_keyring_save_load_forget(memory_keyring: MemoryKeyring,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    assert apikey.keyring_problem() == ""
    saved = apikey.save_key(f"  {SECRET} ")
    assert saved.source == "keyring"
    assert memory_keyring.store == {(apikey.SERVICE, apikey.ACCOUNT): SECRET}
    assert apikey.load_key() == saved
    monkeypatch.setenv(apikey.ENV, "environment-key-0123456789")
    assert apikey.load_key().source == "environment"  # the variable wins while set
    monkeypatch.delenv(apikey.ENV)
    assert apikey.forget_key() is True
    assert apikey.forget_key() is False
    assert apikey.load_key() is None


def test_a_failing_keyring_gives_a_sentence(memory_keyring: MemoryKeyring) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError(f"locked (and here is {SECRET})")

    memory_keyring.get_password = broken  # type: ignore[method-assign]
    with pytest.raises(ApiKeyError) as caught:
        apikey.load_key()
    assert "locked" in caught.value.message and SECRET not in caught.value.message


@pytest.mark.parametrize("text", ["", "   ", "short", "has space inside 0123456789",
                                  "ünïcode-0123456789abcdef", "x" * 9000])
def test_what_is_not_a_key_is_refused_without_repeating_it(text: str) -> None:
    with pytest.raises(ApiKeyError) as caught:
        apikey.check_key_text(text)
    assert (text.strip() or "§") not in caught.value.message


def test_the_key_object_does_not_show_itself() -> None:
    key = ApiKey(SECRET, "entered")
    assert SECRET not in repr(key) and SECRET not in str(key) and SECRET not in f"{key}"
    assert SECRET not in repr([key]) and SECRET not in repr({"k": key})
    with pytest.raises(TypeError):
        pickle.dumps(key)


def test_log_records_are_redacted(caplog: pytest.LogCaptureFixture) -> None:
    ApiKey(SECRET, "entered")  # registering is what loading a key does
    assert redact(f"a {SECRET} b") == f"a {REDACTED} b"
    record = logging.LogRecord("robloxassets.x", logging.INFO, __file__, 1,
                               "header %s", (SECRET,), None)
    try:
        raise ValueError(f"boom {SECRET}")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    RedactingFilter().filter(record)
    formatted = logging.Formatter().format(record)
    assert SECRET not in formatted and REDACTED in formatted and "boom" in formatted


def test_the_app_log_file_gets_the_filter(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    from robloxassets.core import logs
    from robloxassets.core.cloud.redact import install_log_filter

    handler = logging.FileHandler(tmp_path / "app.log", encoding="utf-8")
    handler._robloxassets = True  # type: ignore[attr-defined]
    root = logging.getLogger("robloxassets")
    root.addHandler(handler)
    try:
        install_log_filter()
        ApiKey(SECRET, "entered")
        logging.getLogger("robloxassets.core.cloud.client").warning("sent %s", SECRET)
        handler.flush()
    finally:
        root.removeHandler(handler)
        handler.close()
    text = (tmp_path / "app.log").read_text(encoding="utf-8")
    assert "sent" in text and SECRET not in text
    assert logs.LOG_NAME
