"""Keeping the Open Cloud API key out of log files and messages.

Every key the app loads is registered here; ``redact`` replaces it in any text, and
``RedactingFilter`` (installed on the app's log handlers as soon as a key is registered) does
the same for every log record, its arguments and its traceback. This is the second guard: the
first is that no code of ours formats a key or a request's headers into text at all.
"""

from __future__ import annotations

import logging
import threading

REDACTED = "[redacted key]"

_lock = threading.Lock()
_secrets: set[str] = set()
# Shorter strings could be ordinary words: only register what could be a real key.
_MIN_SECRET = 8


def register_secret(value: str) -> None:
    """Remember ``value`` as a secret and make sure log handlers filter it out."""
    if len(value) < _MIN_SECRET:
        return
    with _lock:
        _secrets.add(value)
    install_log_filter()


def forget_secrets() -> None:
    """For tests: drop the registered secrets (the filter stays installed and harmless)."""
    with _lock:
        _secrets.clear()


def redact(text: str) -> str:
    """``text`` with every registered secret replaced."""
    if not _secrets or not text:
        return text
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites a record's message (and traceback) with secrets replaced; never drops it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not _secrets:
            return True
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: leave it to the formatter to report
            return True
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        record.exc_info = None if record.exc_text else record.exc_info
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


_FILTER = RedactingFilter()


def install_log_filter() -> None:
    """Put the filter on every handler of the root logger and the app's logger.

    A filter on a handler sees records of every logger that reaches it (a logger's own
    filters would miss records of its children), so handlers are where it goes. Handlers added
    later get it the next time a key is registered or this is called.
    """
    for name in ("", "robloxassets"):
        for handler in logging.getLogger(name).handlers:
            if _FILTER not in handler.filters:
                handler.addFilter(_FILTER)
