"""Background-work progress shown in the status bar: a bar, a count and a Cancel button."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QWidget,
)


class ProgressHub(QObject):
    """One running job at a time is shown; pages report through ``start/update/finish``.

    Signals: ``changed()`` whenever the shown job or its numbers change.
    """

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.text = ""
        self.done = 0
        self.total = 0
        self.active = False
        self._cancel: Callable[[], None] | None = None

    def start(self, text: str, total: int, cancel: Callable[[], None] | None = None) -> None:
        self.text, self.done, self.total, self.active = text, 0, total, True
        self._cancel = cancel
        self.changed.emit()

    def update(self, done: int, total: int | None = None, text: str | None = None) -> None:
        self.done = done
        if total is not None:
            self.total = total
        if text is not None:
            self.text = text
        self.changed.emit()

    def finish(self) -> None:
        self.active = False
        self._cancel = None
        self.changed.emit()

    def cancel(self) -> None:
        if self._cancel is not None:
            self._cancel()


class ProgressWidget(QWidget):
    """Status-bar widget bound to a ``ProgressHub``; hidden while nothing runs."""

    def __init__(self, hub: ProgressHub, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hub = hub
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        # Its own size, no more: the room left is the status message's.
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setMaximumWidth(180)  # less in a narrow window (gui/statusbar.py)
        self.bar.setMinimumWidth(60)
        self.bar.setTextVisible(False)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(hub.cancel)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        hub.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        hub = self.hub
        self.setVisible(hub.active)
        if not hub.active:
            return
        self.bar.setRange(0, max(hub.total, 0))
        self.bar.setValue(min(hub.done, hub.total) if hub.total else 0)
        count = f"{hub.done:,} / {hub.total:,}" if hub.total else ""
        self.label.setText(f"{hub.text} {count}".strip())
