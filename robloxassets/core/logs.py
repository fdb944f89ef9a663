"""Logging set-up shared by the GUI and the CLI: a rotating file in the log dir."""

from __future__ import annotations

import logging
import logging.handlers

from robloxassets.core import paths
from robloxassets.core.cloud.redact import RedactingFilter

LOG_NAME = "robloxassets.log"


def setup_logging(level: int = logging.INFO) -> None:
    """Log to a rotating file; tracebacks of bugs end up here, never on the user's screen."""
    root = logging.getLogger("robloxassets")
    if any(getattr(h, "_robloxassets", False) for h in root.handlers):
        return
    try:
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            paths.log_dir() / LOG_NAME, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
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
