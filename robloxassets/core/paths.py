"""Where user data, caches and settings live.

platformdirs decides by default; ``ROBLOXASSETS_HOME`` moves all three under one folder
(``data/``, ``cache/``, ``config/``) so tests and portable installs never touch the real home.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import platformdirs

APP_NAME = "robloxassets"
HOME_ENV = "ROBLOXASSETS_HOME"

log = logging.getLogger(__name__)


def _home() -> Path | None:
    value = os.environ.get(HOME_ENV, "").strip()
    return Path(value).expanduser() if value else None


def _ensure(path: Path) -> Path:
    """Create the folder if it is missing. A folder that can't be created (read-only home,
    no permission) is returned all the same: readers then find nothing there, and each
    writer reports the problem with its own file named, instead of the app not starting."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        log.info("Could not create %s: %s", path, exc)  # before logging is set up: quiet
    return path


def data_dir() -> Path:
    """Folder for the catalogue database and other user data."""
    home = _home()
    return _ensure(home / "data" if home else platformdirs.user_data_path(APP_NAME, False))


def cache_dir() -> Path:
    """Folder for caches that can be rebuilt (thumbnails, scan results)."""
    home = _home()
    return _ensure(home / "cache" if home else platformdirs.user_cache_path(APP_NAME, False))


def config_dir() -> Path:
    """Folder for settings and user overrides (e.g. extra error-code entries)."""
    home = _home()
    return _ensure(home / "config" if home else platformdirs.user_config_path(APP_NAME, False))


def log_dir() -> Path:
    """Folder for the log file; kept beside the cache because it can be deleted."""
    return _ensure(cache_dir() / "logs")
