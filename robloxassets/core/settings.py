"""User settings: declared in one place with their defaults and types, stored as JSON.

The file lives in the config dir. A missing, unreadable or malformed file falls back to the
defaults (and a malformed one is kept aside as ``settings.json.bad``) so the app always starts.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from robloxassets.core import jsonsafe, paths, safeio
from robloxassets.core.atomic import write_text_atomic
from robloxassets.core.duplicates.rules import DEFAULT_THRESHOLD, MAX_THRESHOLD
from robloxassets.core.images.rules import (
    LARGEST_SIDE_CHOICES,
    LARGEST_SIDE_HELP,
    MAX_TEXTURE_SIDE,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Setting:
    default: Any
    type: type
    doc: str


# Every setting the app knows; pages add theirs here so defaults stay visible in one place.
SETTINGS: dict[str, Setting] = {
    "library.folders": Setting([], list, "Folders open in the Library, restored at start."),
    "library.output_folder": Setting("", str, "Where 'Prepare for upload' writes copies."),
    "library.thumb_size": Setting(128, int, "Thumbnail size in the grid, in pixels."),
    "library.sort": Setting("name", str, "Grid sort key: name, size or date."),
    "library.filter": Setting("all", str, "Verdict filter of the grid."),
    "library.max_side": Setting(1024, int, "Longest side of upload-ready copies."),
    "images.max_side": Setting(MAX_TEXTURE_SIDE, int,
                               "Largest side for the check, copies and uploads (1024, 2048 "
                               "or 4096). " + LARGEST_SIDE_HELP),
    "upload.creator_type": Setting("", str, "Who uploads own: user or group ('' = the key's "
                                   "owner)."),
    "upload.creator_id": Setting(0, int, "The user or group ID uploads are made for."),
    "upload.asset_type": Setting("image", str, "Upload as image (ID works in scripts) or "
                                 "decal (Toolbox / Creator Store)."),
    "duplicates.threshold": Setting(DEFAULT_THRESHOLD, int,
                                    f"Bits (of 64) two pictures may differ by and still count "
                                    f"as copies, 0 to {MAX_THRESHOLD}; lower finds fewer, "
                                    f"surer copies."),
    "upload.privacy": Setting("default", str, "Asset privacy of new uploads: default, "
                              "restricted or open-use (open use can't be undone)."),
    "window.geometry": Setting("", str, "Main window geometry (base64, Qt's format)."),
    "window.state": Setting("", str, "Main window toolbars/docks state (base64)."),
    "window.page": Setting(0, int, "Index of the page shown last."),
    "window.details_visible": Setting(True, bool, "Whether the details panel is shown."),
}


def settings_path() -> Path:
    return paths.config_dir() / "settings.json"


class Settings:
    """Typed access to the settings file. Values of the wrong type read as the default."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or settings_path()
        self._values: dict[str, Any] = self._load()

    def _load(self) -> dict[str, Any]:
        try:
            text = safeio.read_text(self.path, encoding="utf-8")
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:  # unreadable, a FIFO, not UTF-8
            log.warning("Could not read settings %s: %s; using defaults", self.path, exc)
            return {}
        try:
            # Nested 100,000 deep, or just deeper than any setting: malformed, not a crash.
            data = jsonsafe.loads(text, max_depth=jsonsafe.CONFIG_DEPTH)
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
        except ValueError as exc:
            log.warning("Settings file %s is malformed (%s); kept aside, using defaults",
                        self.path, exc)
            with contextlib.suppress(OSError):
                os.replace(self.path, self.path.with_name(self.path.name + ".bad"))
            return {}
        return data

    def get(self, key: str) -> Any:
        spec = SETTINGS[key]
        value = self._values.get(key, spec.default)
        if spec.type is int and isinstance(value, bool):
            return spec.default
        if not isinstance(value, spec.type):
            return spec.default
        if spec.type is list and not all(isinstance(item, str) for item in cast(list[Any], value)):
            return spec.default  # every list setting holds text (folders)
        return value

    def set(self, key: str, value: Any) -> None:
        spec = SETTINGS[key]
        if not isinstance(value, spec.type):
            raise TypeError(f"setting {key} takes {spec.type.__name__}, got {value!r}")
        self._values[key] = value

    def save(self) -> None:
        try:
            write_text_atomic(self.path, json.dumps(self._values, indent=2, sort_keys=True))
        except OSError as exc:
            log.warning("Could not save settings to %s: %s", self.path, exc)


def largest_side(settings: Settings | None = None) -> int:
    """The chosen largest side (``images.max_side``); anything but 1024 / 2048 / 4096 in the
    file reads as the default."""
    value = (settings or Settings()).get("images.max_side")
    return value if value in LARGEST_SIDE_CHOICES else MAX_TEXTURE_SIDE


def duplicate_threshold(settings: Settings | None = None) -> int:
    """The chosen near-copy threshold (``duplicates.threshold``); a value out of range in the
    file reads as the default."""
    value = (settings or Settings()).get("duplicates.threshold")
    return value if 0 <= value <= MAX_THRESHOLD else DEFAULT_THRESHOLD
