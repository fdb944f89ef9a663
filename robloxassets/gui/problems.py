"""Errors at the edge of the GUI: what the user reads when something fails.

A ``UserError`` (a problem the user can act on: a file that can't be read, a busy catalogue)
shows its own sentence. Anything else is a bug: its traceback goes to the log, and the user
reads a short apology with "Copy details" (version and traceback, for a bug report), never
the exception's text.

Pages report failures of their background work with ``Page.problem``; the window shows them
in the status bar (``MainWindow.show_problem``). Unhandled errors in slots reach the same
apology through ``app._excepthook``.
"""

from __future__ import annotations

import logging
import traceback

from robloxassets import __version__
from robloxassets.core.errors import UserError

log = logging.getLogger(__name__)

APOLOGY = "Something went wrong inside the app. Your files and catalogue are safe."


def is_bug(exc: BaseException) -> bool:
    return not isinstance(exc, UserError)


def describe(exc: BaseException) -> str:
    """One sentence for the user: a ``UserError``'s message, else the apology."""
    if isinstance(exc, UserError):
        return exc.message
    return APOLOGY


def sentence(doing: str, exc: BaseException) -> str:
    """What the status bar says when ``doing`` (e.g. "Checking images") failed with ``exc``:
    one line (a long ``UserError``, e.g. a list of bad rows, is said by its first line)."""
    if isinstance(exc, UserError):
        return exc.message.splitlines()[0] if exc.message else doing + " failed."
    return f"{doing} stopped: something went wrong inside the app. Your files and catalogue " \
           "are safe."


def log_bug(doing: str, exc: BaseException) -> None:
    """Log a bug with its traceback (a ``UserError`` is logged as information only)."""
    if isinstance(exc, UserError):
        log.info("%s: %s", doing, exc.message)
    else:
        log.error("%s failed", doing, exc_info=(type(exc), exc, exc.__traceback__))


def details(exc: BaseException) -> str:
    """What "Copy details" puts on the clipboard: the version and the traceback."""
    trace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return f"robloxassets {__version__}\n{trace}"
