"""Atomic file writes: a temporary file in the same folder, fsynced, then renamed over.

* Through links: writing to a symlink replaces the file it points to, never the link.
* Modes: a file that exists keeps its permission bits (and owner, where allowed); a new file
  gets what the umask gives any new file (``0o666 & ~umask``), not ``mkstemp``'s 0600.
* Only regular files are replaced: a FIFO, device (``/dev/full``) or socket at the target is
  refused with ``NotRegularFileError`` before anything is written.
* Temporary files are hidden (``.name.<pid>-<random>.tmp``); one left behind by a process
  that was killed is removed by the next write of the same file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from robloxassets.core.safeio import NotRegularFileError, kind_of

_TEMP_FLAGS = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
               | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0))


def resolve_target(path: str | os.PathLike[str]) -> tuple[Path, os.stat_result | None]:
    """The file a write to ``path`` must replace (symlinks followed) and its stat, or None
    when it does not exist yet. Raises ``NotRegularFileError`` / ``IsADirectoryError``."""
    target = Path(os.path.realpath(os.fspath(path)))
    try:
        st = os.stat(target)
    except FileNotFoundError:
        return target, None
    if stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(errno.EISDIR, "Is a directory", str(path))
    if not stat.S_ISREG(st.st_mode):
        raise NotRegularFileError(path, kind_of(st.st_mode))
    return target, st


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's process: leave its file alone
    return True


def _sweep(folder: Path, prefix: str, suffix: str) -> None:
    """Remove ``prefix<pid>-<random>suffix`` files of processes that no longer run."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if not (name.startswith(prefix) and name.endswith(suffix)):
            continue
        pid_text = name[len(prefix):-len(suffix)].partition("-")[0]
        if pid_text.isdigit() and not _alive(int(pid_text)):
            with contextlib.suppress(OSError):
                os.unlink(folder / name)


def create_temp(target: Path, existing: os.stat_result | None, *, suffix: str = ".tmp"
                ) -> tuple[int, str]:
    """A new hidden file beside ``target`` (fd, path), with the mode ``target`` has or, when
    it does not exist, the mode the umask gives new files."""
    prefix = f".{target.name}."
    _sweep(target.parent, prefix, suffix)
    mode = stat.S_IMODE(existing.st_mode) if existing is not None else 0o666
    while True:
        name = str(target.parent / f"{prefix}{os.getpid()}-{secrets.token_hex(4)}{suffix}")
        try:
            fd = os.open(name, _TEMP_FLAGS, mode)  # the kernel applies the umask
            break
        except FileExistsError:
            continue
    try:
        if existing is not None:
            if hasattr(os, "fchmod"):
                os.fchmod(fd, mode)  # exactly the old bits, whatever the umask
            if hasattr(os, "fchown") and (existing.st_uid, existing.st_gid) != (
                    os.geteuid(), os.getegid()):
                with contextlib.suppress(OSError):
                    os.fchown(fd, existing.st_uid, existing.st_gid)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise
    return fd, name


def sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (best effort; not possible on every system)."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str], mode: str = "w", *,
                 encoding: str | None = "utf-8", newline: str | None = None) -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path``; on success it replaces ``path`` in one step.

    If the block raises (a full disk, too), the temporary file is removed and ``path`` is
    left untouched, so a reader never sees a half-written export or settings file.
    """
    target, existing = resolve_target(path)
    binary = "b" in mode
    fd, tmp_name = create_temp(target, existing)
    try:
        with os.fdopen(fd, mode, encoding=None if binary else encoding,
                       newline=None if binary else newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    sync_folder(target.parent)


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    with atomic_write(path, "wb") as handle:
        handle.write(data)


def write_text_atomic(path: str | os.PathLike[str], text: str) -> None:
    with atomic_write(path, "w", newline="") as handle:
        handle.write(text)
