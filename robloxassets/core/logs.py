"""Logging set-up shared by the GUI and the CLI: a rotating file in the log dir."""

from __future__ import annotations

import logging
import logging.handlers

from robloxassets.core import paths
from robloxassets.core.cloud.redact import RedactingFilter

LOG_NAME = "robloxassets.log"


class _QuietFileHandler(logging.handlers.RotatingFileHandler):
    """A log that can't be written (full or read-only disk) is dropped silently: logging's
    default prints a traceback on stderr, right where the user reads the real message."""

    def handleError(self, record: logging.LogRecord) -> None:
        pass


def setup_logging(level: int = logging.INFO) -> None:
    """Log to a rotating file; tracebacks of bugs end up here, never on the user's screen."""
    root = logging.getLogger("robloxassets")
    if any(getattr(h, "_robloxassets", False) for h in root.handlers):
        return
    try:
        handler: logging.Handler = _QuietFileHandler(
            paths.log_dir() / LOG_NAME, maxBytes=1_000_000, backupCount=3, encoding="utf-8",
            errors="backslashreplace")
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    # The Open Cloud key never reaches the log, whatever a record holds.
    handler.addFilter(RedactingFilter())
    handler._robloxassets = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)


def log_path() -> str:
    return str(paths.log_dir() / LOG_NAME)
