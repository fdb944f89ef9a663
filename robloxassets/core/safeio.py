"""Opening files the user names without hanging or reading forever: regular files only.

A FIFO named ``x.png`` blocks ``open()`` until some other program writes to it; ``/dev/zero``
never ends; opening some devices has side effects. Every file the app reads on the user's
behalf (images, imports, settings, overrides) goes through ``open_regular``: the path is
looked at with ``os.stat`` before anything is opened, then opened with ``O_NONBLOCK`` (so a
FIFO swapped in meanwhile cannot block either) and checked again on the open descriptor.
"""

from __future__ import annotations

import errno
import os
import stat
from typing import BinaryIO

_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_FLAGS = (os.O_RDONLY | _NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
          | getattr(os, "O_CLOEXEC", 0))


class NotRegularFileError(OSError):
    """The path is a FIFO, device or socket: the app reads regular files only."""

    def __init__(self, path: str | os.PathLike[str], kind: str) -> None:
        super().__init__(errno.EINVAL, f"{kind}, not a regular file", os.fspath(path))
        self.kind = kind


def kind_of(mode: int) -> str:
    """What a non-regular file is, in words ("a named pipe (FIFO)")."""
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def check_regular(path: str | os.PathLike[str], st: os.stat_result) -> None:
    """Raise ``IsADirectoryError`` or ``NotRegularFileError`` unless ``st`` is a regular file."""
    if stat.S_ISREG(st.st_mode):
        return
    if stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(errno.EISDIR, "Is a directory", os.fspath(path))
    raise NotRegularFileError(path, kind_of(st.st_mode))


def open_regular(path: str | os.PathLike[str]) -> BinaryIO:
    """Open ``path`` for reading in binary mode, refusing anything but a regular file.

    Raises ``FileNotFoundError``, ``PermissionError``, ``IsADirectoryError``,
    ``NotRegularFileError`` and other ``OSError``s; never blocks on a FIFO or device.
    """
    name = os.fspath(path)
    check_regular(name, os.stat(name))  # never even open a device
    fd = os.open(name, _FLAGS)
    try:
        check_regular(name, os.fstat(fd))
        if _NONBLOCK:
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The whole content of a regular file."""
    with open_regular(path) as handle:
        return handle.read()


def read_text(path: str | os.PathLike[str], encoding: str = "utf-8") -> str:
    """The whole content of a regular file as text; raises ``UnicodeDecodeError`` too.

    Line endings are translated as ``Path.read_text`` does (universal newlines)."""
    data = read_bytes(path).decode(encoding)
    return data.replace("\r\n", "\n").replace("\r", "\n")
