"""Small widgets shared by pages: the empty-state panel and the non-modal banner."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from robloxassets.gui import icons


class EmptyState(QWidget):
    """A friendly panel shown instead of an empty view: icon, heading, a line, buttons."""

    def __init__(self, icon_name: str, heading: str, text: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.addStretch(2)
        self.icon_label = QLabel()
        self.icon_label.setPixmap(icons.icon(icon_name).pixmap(QSize(64, 64)))
        self.icon_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.heading = QLabel(heading)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text = QLabel(text)
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # A fixed width lets the wrapped label compute its real height (no clipped lines).
        self.text.setFixedWidth(480)
        self.text.setMinimumHeight(self.text.heightForWidth(480))
        self.text.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.buttons = QHBoxLayout()
        self.buttons.addStretch(1)
        self._trailing_stretch_added = False
        for widget in (self.icon_label, self.heading):
            outer.addWidget(widget)
        outer.addWidget(self.text, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addSpacing(12)
        outer.addLayout(self.buttons)
        outer.addStretch(3)

    def add_button(self, text: str, slot: Callable[[], None], icon_name: str | None = None,
                   primary: bool = False) -> QPushButton:
        button = QPushButton(text)
        if icon_name:
            button.setIcon(icons.icon(icon_name))
        button.setDefault(primary)
        button.setMinimumHeight(32)
        button.clicked.connect(slot)
        if self._trailing_stretch_added:
            self.buttons.takeAt(self.buttons.count() - 1)
        self.buttons.addWidget(button)
        self.buttons.addStretch(1)
        self._trailing_stretch_added = True
        return button


class Banner(QFrame):
    """A non-modal message strip at the top of a page, with optional action buttons.

    Signals: ``closed()`` when the user dismisses it.
    """

    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window,
                         palette.color(QPalette.ColorRole.AlternateBase))
        self.setPalette(palette)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        layout.addWidget(self.label, 1)
        self._action_layout = QHBoxLayout()
        layout.addLayout(self._action_layout)
        close = QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip("Dismiss")
        close.clicked.connect(self.dismiss)
        layout.addWidget(close)
        self.hide()

    def show_message(self, text: str, actions: list[tuple[str, Callable[[], None]]] = (),
                     accent: QColor | None = None) -> None:
        self.label.setText(text)
        while self._action_layout.count():
            item = self._action_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        for label, slot in actions:
            button = QPushButton(label)
            button.clicked.connect(slot)
            self._action_layout.addWidget(button)
        if accent is not None:
            self.setStyleSheet(f"Banner {{ border-left: 4px solid {accent.name()}; }}")
        else:
            self.setStyleSheet("")
        self.show()

    def dismiss(self) -> None:
        self.hide()
        self.closed.emit()
