"""Errors the user can act on, kept apart from bugs.

Raise ``UserError`` with a message that names the file or value and says what to do. The CLI
prints it (no traceback) and the GUI shows it in the status bar or a banner. Anything else
that escapes is a bug: it is logged with its traceback and shown as a short apology.
"""

from __future__ import annotations


class UserError(Exception):
    """A problem caused by input or environment, with a message fit to show as it is."""

    def __init__(self, message: str, *, exit_code: int = 2) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code

    def __str__(self) -> str:
        return self.message
