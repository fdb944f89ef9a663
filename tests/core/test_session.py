"""Starting the window with no desktop session: one sentence and exit 2, not Qt's abort."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from robloxassets.core.session import NO_DESKTOP, has_desktop_session


def test_a_session_is_found_where_there_is_one() -> None:
    assert not has_desktop_session({}, "linux")
    assert not has_desktop_session({"DISPLAY": ""}, "freebsd13")
    assert has_desktop_session({"DISPLAY": ":0"}, "linux")
    assert has_desktop_session({"WAYLAND_DISPLAY": "wayland-0"}, "linux")
    # The user's own choice of platform is trusted (offscreen, vnc, eglfs...).
    assert has_desktop_session({"QT_QPA_PLATFORM": "offscreen"}, "linux")
    assert has_desktop_session({}, "win32") and has_desktop_session({}, "darwin")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11/Wayland only")
def test_no_display_says_so_and_exits_2(tmp_path) -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["ROBLOXASSETS_HOME"] = str(tmp_path)
    done = subprocess.run([sys.executable, "-m", "robloxassets"], env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip() == f"robloxassets: {NO_DESKTOP}"
    assert "plugin" not in done.stderr and "Aborted" not in done.stderr
    # The commands still work there.
    listed = subprocess.run([sys.executable, "-m", "robloxassets", "id", "46059313"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert (listed.returncode, listed.stdout) == (0, "46059313\n")
