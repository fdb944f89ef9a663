"""Whether a window can be opened here at all, asked before Qt is: without a desktop session
Qt aborts the process with a message about a missing platform plugin library, which sends
people hunting for a library that is not missing."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

NO_DESKTOP = "no desktop session found: the commands still work (robloxassets --help)"


def has_desktop_session(environ: Mapping[str, str] | None = None,
                        platform: str | None = None) -> bool:
    """False when the app can tell no window can open: on Linux and the BSDs, neither X11
    (``DISPLAY``) nor Wayland (``WAYLAND_DISPLAY``) is there. An explicit
    ``QT_QPA_PLATFORM`` (offscreen, vnc, eglfs...) is the user's choice and is trusted, as
    are Windows and macOS, which always have one for a logged-in user."""
    env = os.environ if environ is None else environ
    name = sys.platform if platform is None else platform
    if env.get("QT_QPA_PLATFORM"):
        return True
    if name.startswith(("win", "darwin", "cygwin")):
        return True
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))
