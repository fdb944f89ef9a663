"""Errors the user can act on, kept apart from bugs.

Raise ``UserError`` with a message that names the file or value and says what to do. The CLI
prints it (no traceback) and the GUI shows it in the status bar or a banner. Anything else
that escapes is a bug: it is logged with its traceback and shown as a short apology.

Exit codes of the CLI: 2 is a usage error (bad value, bad input file); ``IO_EXIT_CODE`` (74,
sysexits' EX_IOERR) is the disk refusing: full, read-only, failing, no permission.
"""

from __future__ import annotations

import errno
import os

#: Exit code when the disk or file system refused a read or write (full, read-only, I/O).
IO_EXIT_CODE = 74


class UserError(Exception):
    """A problem caused by input or environment, with a message fit to show as it is."""

    def __init__(self, message: str, *, exit_code: int = 2) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code

    def __str__(self) -> str:
        return self.message


class DiskError(UserError):
    """The disk refused a read or write; the message names the file and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message, exit_code=IO_EXIT_CODE)


#: errno values that mean "the disk or file system refused", not "the input was bad".
DISK_ERRNOS = frozenset(
    code for code in (errno.ENOSPC, getattr(errno, "EDQUOT", None), errno.EROFS, errno.EIO,
                      errno.EACCES, errno.EPERM, errno.EFBIG, getattr(errno, "ENAMETOOLONG", None),
                      errno.EMFILE, errno.ENFILE, errno.EBUSY, errno.ETXTBSY)
    if code is not None)


def advice_for(exc: OSError) -> str:
    """What to do about an OSError, in a few words."""
    code = exc.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1), errno.EFBIG):
        return "free some space on that disk and try again"
    if code == errno.EROFS:
        return "the disk is mounted read-only: choose another place or remount it writable"
    if code in (errno.EACCES, errno.EPERM):
        return "check the permissions of the file and its folder"
    if code == errno.EIO:
        return "the disk may be failing: copy your files elsewhere and check it"
    if code == getattr(errno, "ENAMETOOLONG", -1):
        return "use a shorter name or folder path"
    return "check the disk and try again"


def describe_os_error(exc: OSError) -> str:
    """The system's reason in lower case: "no space left on device"."""
    return (exc.strerror or str(exc) or type(exc).__name__).lower()


def disk_error(exc: OSError, path: str | os.PathLike[str] | None = None, *,
               doing: str = "write", after: str = "Nothing was changed.") -> UserError:
    """A ``UserError`` for an OSError while reading or writing ``path``: names the file, the
    reason and what to do; exit code ``IO_EXIT_CODE`` for disk trouble, 2 otherwise."""
    where = os.fspath(path) if path is not None else (exc.filename or "a file")
    message = f"Could not {doing} {where} ({describe_os_error(exc)}): {advice_for(exc)}."
    if after:
        message += " " + after
    if exc.errno in DISK_ERRNOS:
        return DiskError(message)
    return UserError(message)
