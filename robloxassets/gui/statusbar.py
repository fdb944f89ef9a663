"""The window's status bar, readable at 800 px (beside Studio).

Qt draws a status message from the left edge up to the first permanent widget and cuts it
there mid-letter, under the progress count; the summary on the right takes its full text's
width whatever the window's. Here the message ends in "…" where its room ends (its full text
in a tooltip, and ``currentMessage()`` unchanged), the summary is elided to at most a third
of the bar (a quarter in a narrow window; full text in its tooltip), and the progress bar
is narrower in a narrow window.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QLabel,
    QProgressBar,
    QStatusBar,
    QStyle,
    QStyleOption,
    QToolTip,
    QWidget,
)

#: Below this window width the progress bar takes less room.
NARROW_BAR_BELOW = 1000
BAR_WIDTH = 180
NARROW_BAR_WIDTH = 100
#: The summary's share of the status bar at most (in a narrow window: a quarter; on the
#: Uploads page it repeats the page's header, the message is news).
SUMMARY_SHARE = 3
NARROW_SUMMARY_SHARE = 4


class ElidedLabel(QLabel):
    """A one-line label that can shrink: what does not fit ends in "…", and the full text
    (``text()`` unchanged) is its tooltip then."""

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), self.fontMetrics().horizontalAdvance("…") * 4),
                     hint.height())

    def elided(self) -> bool:
        return self.fontMetrics().horizontalAdvance(self.text()) > self.contentsRect().width()

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.elided():
            super().paintEvent(event)
            return
        painter = QPainter(self)
        rect = self.contentsRect()
        shown = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight,
                                              rect.width())
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
                                   | Qt.TextFlag.TextSingleLine), shown)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and not self.toolTip():
            if self.elided():
                QToolTip.showText(event.globalPos(), self.text(), self)  # type: ignore[attr-defined]
            else:
                QToolTip.hideText()
            return True
        return super().event(event)


class StatusBar(QStatusBar):
    """``QStatusBar`` whose message is elided at its room (see the module docstring)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._permanent: list[QWidget] = []
        self.summary: ElidedLabel | None = None
        self.messageChanged.connect(lambda _text: self.update())

    def addPermanentWidget(self, widget: QWidget, stretch: int | None = 0) -> None:
        self._permanent.append(widget)
        if isinstance(widget, ElidedLabel):
            self.summary = widget
        super().addPermanentWidget(widget, stretch or 0)
        self._fit()

    def message_rect(self) -> QRect:
        """Where the message is drawn: from the left to the first permanent widget shown."""
        right = self.width() - 12
        shown = [w.x() for w in self._permanent if w.isVisible()]
        if shown:
            right = min(right, min(shown) - 8)
        return QRect(6, 0, max(0, right - 6), self.height())

    def shown_message(self) -> str:
        """The message as drawn (elided where its room ends)."""
        rect = self.message_rect()
        return self.fontMetrics().elidedText(self.currentMessage(), Qt.TextElideMode.ElideRight,
                                             rect.width())

    def paintEvent(self, event: QPaintEvent) -> None:
        text = self.currentMessage()
        if not text:
            super().paintEvent(event)
            return
        painter = QPainter(self)
        option = QStyleOption()
        option.initFrom(self)
        self.style().drawPrimitive(QStyle.PrimitiveElement.PE_PanelStatusBar, option, painter,
                                   self)
        painter.setPen(self.palette().windowText().color())
        painter.drawText(self.message_rect(), int(Qt.AlignmentFlag.AlignLeading
                                                  | Qt.AlignmentFlag.AlignVCenter
                                                  | Qt.TextFlag.TextSingleLine),
                         self.shown_message())

    def tooltip_at(self, pos: QPoint) -> str:
        """The full message where it is shown elided, else nothing."""
        text = self.currentMessage()
        if text and self.message_rect().contains(pos) and self.shown_message() != text:
            return text
        return ""

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            text = self.tooltip_at(event.pos())  # type: ignore[attr-defined]
            if text:
                QToolTip.showText(event.globalPos(), text, self)  # type: ignore[attr-defined]
                return True
        return super().event(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """The summary gets at most a third of the bar, the progress bar less room when the
        window is narrow."""
        narrow = self.width() < NARROW_BAR_BELOW
        if self.summary is not None:
            share = NARROW_SUMMARY_SHARE if narrow else SUMMARY_SHARE
            self.summary.setMaximumWidth(max(80, self.width() // share))
        width = NARROW_BAR_WIDTH if narrow else BAR_WIDTH
        for bar in self.findChildren(QProgressBar):
            bar.setMaximumWidth(width)
