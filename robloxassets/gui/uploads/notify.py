"""Telling the user about moderation when the window may be hidden: a tray message where the
desktop has a system tray, else nothing more than the status bar line the page shows anyway
(offscreen, a bare window manager)."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QSystemTrayIcon

from robloxassets.gui import icons

#: How long a tray message stays, in ms.
MESSAGE_MS = 8000


class Notifier(QObject):
    """``notify`` shows a tray message; ``sent`` keeps every (title, text) asked for, shown or
    not, so tests and the page can tell what was said."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.sent: list[tuple[str, str]] = []
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(icons.app_icon(), self)
            self.tray.setToolTip("Roblox Assets")

    @property
    def available(self) -> bool:
        return self.tray is not None and QSystemTrayIcon.supportsMessages()

    def notify(self, title: str, text: str, bad: bool = False) -> bool:
        """True when a tray message was shown."""
        self.sent.append((title, text))
        if self.tray is None or not self.available:
            return False
        # The icon appears for the message only: the app has no tray menu of its own.
        self.tray.show()
        icon = (QSystemTrayIcon.MessageIcon.Warning if bad
                else QSystemTrayIcon.MessageIcon.Information)
        self.tray.showMessage(title, text, icon, MESSAGE_MS)
        return True

    def close(self) -> None:
        if self.tray is not None:
            self.tray.hide()
