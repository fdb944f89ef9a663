"""The Error codes page's result list: the items' data roles and how a row is drawn."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from robloxassets.core.errorcodes.model import CATEGORY_LABELS


class Role(IntEnum):
    """Data roles of the result list's items."""

    ID = Qt.ItemDataRole.UserRole + 1
    LABEL = Qt.ItemDataRole.UserRole + 2
    HEADLINE = Qt.ItemDataRole.UserRole + 3
    REASON = Qt.ItemDataRole.UserRole + 4
    CATEGORY = Qt.ItemDataRole.UserRole + 5
    VERIFIED = Qt.ItemDataRole.UserRole + 6



class ResultDelegate(QStyledItemDelegate):
    """Draws a result as three lines: label and category, the first message, why it matched."""

    PADDING = 6

    @classmethod
    def row_height(cls, metrics: QFontMetrics) -> int:
        return 3 * metrics.height() + 2 * cls.PADDING + 4

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        return QSize(240, self.row_height(QFontMetrics(option.font)))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget: QWidget | None = opt.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        palette = opt.palette
        text_color = palette.color(QPalette.ColorRole.HighlightedText if selected
                                   else QPalette.ColorRole.Text)
        muted = QColor(text_color) if selected else palette.color(
            QPalette.ColorRole.PlaceholderText)
        rect = opt.rect.adjusted(self.PADDING + 2, self.PADDING, -self.PADDING, -self.PADDING)
        line = QFontMetrics(opt.font).height()

        painter.save()
        bold = QFont(opt.font)
        bold.setBold(True)
        label = str(index.data(Role.LABEL) or "")
        category = CATEGORY_LABELS.get(str(index.data(Role.CATEGORY) or ""), "")
        painter.setFont(bold)
        painter.setPen(text_color)
        first = QRect(rect.left(), rect.top(), rect.width(), line)
        painter.drawText(first, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         label)
        label_width = QFontMetrics(bold).horizontalAdvance(label + "  ")
        painter.setFont(opt.font)
        right = category
        if not index.data(Role.VERIFIED):
            right = f"unconfirmed · {category}"
        painter.setPen(muted)
        metrics = QFontMetrics(opt.font)
        painter.drawText(first.adjusted(label_width, 0, 0, 0),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                         metrics.elidedText(right, Qt.TextElideMode.ElideRight,
                                            max(0, first.width() - label_width)))
        painter.setPen(text_color)
        second = first.translated(0, line + 2)
        painter.drawText(second, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         metrics.elidedText(str(index.data(Role.HEADLINE) or ""),
                                            Qt.TextElideMode.ElideRight, second.width()))
        painter.setPen(muted)
        third = second.translated(0, line)
        painter.drawText(third, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         metrics.elidedText(str(index.data(Role.REASON) or ""),
                                            Qt.TextElideMode.ElideRight, third.width()))
        painter.restore()
