"""One runner at a time: an OS file lock beside the catalogue.

Recovering after a crash marks items that were being sent as "may have been uploaded"; that
is only right when no other process is sending them right now. The lock is held by the
process running the queue (the app's window or ``robloxassets upload``) and released by the
OS when that process ends, however it ends (a kill -9 included), so a stale lock never blocks
the next run.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import IO

from robloxassets.core import paths
from robloxassets.core.errors import UserError

LOCK_NAME = "upload-queue.lock"
#: sysexits' EX_TEMPFAIL, as for a busy catalogue: try again later.
BUSY_EXIT_CODE = 75


class QueueBusy(UserError):
    def __init__(self) -> None:
        super().__init__("Another Roblox Assets window or command is sending the upload queue "
                         "right now; your files were added to it and it will send them. Wait "
                         "for it to finish, or close it and run this again.",
                         exit_code=BUSY_EXIT_CODE)


class RunnerLock:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or paths.data_dir() / LOCK_NAME
        self._handle: IO[bytes] | None = None

    @property
    def held(self) -> bool:
        return self._handle is not None

    def acquire(self) -> bool:
        """Take the lock without waiting; False when another process holds it."""
        if self._handle is not None:
            return True
        handle = open(self.path, "a+b")  # noqa: SIM115 - kept open while the lock is held
        try:
            if sys.platform == "win32":
                import msvcrt

                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        with contextlib.suppress(OSError):
            handle.seek(0)
            handle.truncate()
            handle.write(str(os.getpid()).encode())
            handle.flush()
        self._handle = handle
        return True

    def release(self) -> None:
        handle, self._handle = self._handle, None
        if handle is None:
            return
        with contextlib.suppress(OSError):
            if sys.platform == "win32":
                import msvcrt

                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
            else:
                import fcntl

                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        handle.close()

    def __enter__(self) -> RunnerLock:
        if not self.acquire():
            raise QueueBusy()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
