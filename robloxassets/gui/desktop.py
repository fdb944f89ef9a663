"""Opening files, folders and web pages with the desktop's own programs, and saying so when
nothing answers (no file manager, no browser, a bare window manager)."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication


def open_url(url: QUrl) -> bool:
    """Hand ``url`` to the desktop; False when no program took it."""
    return QDesktopServices.openUrl(url)


def open_local(path: str, what: str = "folder") -> str:
    """Open a local file or folder; "" when that worked, else a sentence for the status
    bar. The path then goes on the clipboard, so it can be pasted where it is wanted."""
    if open_url(QUrl.fromLocalFile(path)):
        return ""
    QApplication.clipboard().setText(path)
    program = "file manager" if what == "folder" else "program"
    return (f"No {program} opened the {what} {path}: its path is on the clipboard, to paste "
            "into one.")
