"""Painting the Uploads list: a coloured dot, the state and a thin progress bar in the state
column; the row's one obvious action drawn as a button (the view's click runs it)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionButton,
    QStyleOptionViewItem,
)

from robloxassets.core.upload.model import UploadItem
from robloxassets.gui.style import upload_state_color
from robloxassets.gui.uploads.model import ITEM_ROLE, PROGRESS_ROLE, Column

ModelIndex = QModelIndex | QPersistentModelIndex


class UploadsDelegate(QStyledItemDelegate):
    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: ModelIndex) -> None:
        column = index.column()
        if column == Column.STATE:
            self._paint_state(painter, option, index)
        elif column == Column.ACTION:
            self._paint_action(painter, option, index)
        else:
            super().paint(painter, option, index)

    def _background(self, painter: QPainter, option: QStyleOptionViewItem,
                    index: ModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)

    def _paint_state(self, painter: QPainter, option: QStyleOptionViewItem,
                     index: ModelIndex) -> None:
        self._background(painter, option, index)
        item: UploadItem | None = index.data(ITEM_ROLE)
        if item is None:
            return
        rect = option.rect.adjusted(6, 0, -6, 0)
        color = upload_state_color(item.state)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        dot = 9
        painter.drawEllipse(rect.x(), rect.center().y() - dot // 2, dot, dot)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.setPen(option.palette.color(QPalette.ColorRole.HighlightedText if selected
                                            else QPalette.ColorRole.Text))
        text_rect = rect.adjusted(dot + 6, 0, 0, 0)
        progress = index.data(PROGRESS_ROLE)
        if progress is not None:
            text_rect = text_rect.adjusted(0, 0, 0, -6)
        text = painter.fontMetrics().elidedText(item.state.label, Qt.TextElideMode.ElideRight,
                                                text_rect.width())
        painter.drawText(text_rect, int(Qt.AlignmentFlag.AlignVCenter), text)
        if progress is not None:
            bar = QRect(text_rect.x(), rect.bottom() - 7, max(text_rect.width(), 10), 3)
            groove = option.palette.color(QPalette.ColorRole.Mid)
            painter.setBrush(groove)
            painter.drawRoundedRect(bar, 1.5, 1.5)
            painter.setBrush(color)
            painter.drawRoundedRect(QRect(bar.x(), bar.y(), int(bar.width() * progress),
                                          bar.height()), 1.5, 1.5)
        painter.restore()

    def _paint_action(self, painter: QPainter, option: QStyleOptionViewItem,
                      index: ModelIndex) -> None:
        self._background(painter, option, index)
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if not text:
            return
        button = QStyleOptionButton()
        button.rect = option.rect.adjusted(4, 5, -4, -5)
        button.text = text
        button.state = QStyle.StateFlag.State_Enabled | QStyle.StateFlag.State_Raised
        button.palette = option.palette
        style = option.widget.style() if option.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_PushButton, button, painter, option.widget)

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(hint.width(), max(hint.height(), 44))
