"""Small widgets shared by pages: the empty-state panel, the search box, elastic combo boxes
and the non-modal banner."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from robloxassets.core.images.rules import listed_extensions
from robloxassets.gui import icons
from robloxassets.gui.wraplabel import WrapLabel


def image_file_filter(all_files: bool = False) -> str:
    """The file dialog filter for images: every extension the Library lists."""
    patterns = " ".join(f"*{ext}" for ext in listed_extensions())
    return f"Images ({patterns})" + (";;All files (*)" if all_files else "")


@dataclass(frozen=True)
class Button:
    """A button of an ``EmptyState``: its text, what it does, an icon, whether it is the
    default (primary) one."""

    text: str
    slot: Callable[[], object]
    icon: str | None = None
    primary: bool = False


class EmptyState(QWidget):
    """A friendly panel shown instead of an empty view: icon, heading, a line, buttons.

    Pages change what it says with ``set_heading`` and ``set_text``; they never reach into
    its labels (the text's height is worked out again here when it changes).
    """

    TEXT_WIDTH = 480

    def __init__(self, icon_name: str, heading: str, text: str,
                 buttons: Sequence[Button] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.addStretch(2)
        icon_label = QLabel()
        icon_label.setPixmap(icons.icon(icon_name).pixmap(QSize(64, 64)))
        icon_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._heading = QLabel(heading)
        font = self._heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self._heading.setFont(font)
        self._heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._text = WrapLabel()
        self._text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # A fixed width lets the wrapped label compute its real height (no clipped lines).
        self._text.setFixedWidth(self.TEXT_WIDTH)
        self._text.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.set_text(text)
        # Buttons go between two stretches, so the row stays centred.
        self._buttons = QHBoxLayout()
        self._buttons.addStretch(1)
        self._buttons.addStretch(1)
        for widget in (icon_label, self._heading):
            outer.addWidget(widget)
        outer.addWidget(self._text, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addSpacing(12)
        outer.addLayout(self._buttons)
        outer.addStretch(3)
        for button in buttons:
            self.add_button(button)

    def heading(self) -> str:
        return self._heading.text()

    def text(self) -> str:
        return self._text.text()

    def set_heading(self, heading: str) -> None:
        self._heading.setText(heading)

    def set_text(self, text: str) -> None:
        self._text.setText(text)
        self._text.setMinimumHeight(self._text.heightForWidth(self.TEXT_WIDTH))

    def add_button(self, button: Button) -> QPushButton:
        widget = QPushButton(button.text)
        if button.icon:
            widget.setIcon(icons.icon(button.icon))
        widget.setDefault(button.primary)
        widget.setMinimumHeight(32)
        widget.clicked.connect(lambda _checked=False: button.slot())
        self._buttons.insertWidget(self._buttons.count() - 1, widget)
        return widget


class SearchBox(QLineEdit):
    """The search field of a page: a magnifier, a placeholder and a clear button.

    ``focus()`` is what Ctrl+F does on every page.
    """

    HINT_WIDTH = 220
    MINIMUM_WIDTH = 110

    def __init__(self, placeholder: str, object_name: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if object_name:
            self.setObjectName(object_name)
        self.setPlaceholderText(placeholder)
        self.setClearButtonEnabled(True)
        self.addAction(icons.icon("search"), QLineEdit.ActionPosition.LeadingPosition)

    def focus(self) -> bool:
        self.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.selectAll()
        return True

    def sizeHint(self) -> QSize:
        # Qt adds the clear button's room to the hint once there is text: typing the first
        # letter would widen the box and push the controls beside it. The hint is the same
        # with and without text; the layout decides the rest.
        hint = super().sizeHint()
        return QSize(self.HINT_WIDTH, hint.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(self.MINIMUM_WIDTH, super().minimumSizeHint().height())


def elastic_combo(combo: QComboBox, min_chars: int = 10) -> QComboBox:
    """Let ``combo`` shrink to ``min_chars`` characters in a narrow window (eliding its text)
    and grow back to its longest item's width when there is room; call ``refit_combo``
    after changing its items."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(min_chars)
    combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    refit_combo(combo)
    return combo


def refit_combo(combo: QComboBox) -> None:
    """Cap an elastic combo's width at what its longest item needs."""
    metrics = combo.fontMetrics()
    text = max((metrics.horizontalAdvance(combo.itemText(i)) for i in range(combo.count())),
               default=0)
    icon = combo.iconSize().width() + 4 if any(
        not combo.itemIcon(i).isNull() for i in range(combo.count())) else 0
    # Frame, padding and the drop-down arrow: what the style adds to the text.
    combo.setMaximumWidth(max(text + icon + 48, combo.minimumSizeHint().width()))


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
        self.label = WrapLabel()
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

    def show_message(self, text: str,
                     actions: Sequence[tuple[str, Callable[[], object]]] = (),
                     accent: QColor | None = None) -> None:
        self.label.setText(text)
        while self._action_layout.count():
            item = self._action_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
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
