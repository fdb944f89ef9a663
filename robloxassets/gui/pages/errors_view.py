"""How the Error codes page draws things: the entry as rich text and the result list rows."""

from __future__ import annotations

import html
from enum import IntEnum

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from robloxassets.core.errorcodes.model import (
    CATEGORY_LABELS,
    PLATFORM_LABELS,
    Entry,
    split_commands,
)
from robloxassets.gui.verdict_style import AMBER

#: Colour of the "Unconfirmed" marker, readable on light and dark backgrounds.
UNCONFIRMED = AMBER


class Role(IntEnum):
    """Data roles of the result list's items."""

    ID = Qt.ItemDataRole.UserRole + 1
    LABEL = Qt.ItemDataRole.UserRole + 2
    HEADLINE = Qt.ItemDataRole.UserRole + 3
    REASON = Qt.ItemDataRole.UserRole + 4
    CATEGORY = Qt.ItemDataRole.UserRole + 5
    VERIFIED = Qt.ItemDataRole.UserRole + 6


def _rich(text: str, code_style: str) -> str:
    """Escape ``text`` and show its `commands` in monospace."""
    return "".join(f'<code style="{code_style}">{html.escape(piece)}</code>' if is_command
                   else html.escape(piece) for piece, is_command in split_commands(text))


def entry_html(entry: Entry, palette: QPalette, reasons: tuple[str, ...] = (),
               related: list[Entry] | None = None) -> str:
    """The entry as HTML for a QTextBrowser: heading, summary, messages, causes, numbered
    steps, platform notes, related entries as ``entry:<id>`` links, sources."""
    muted = palette.color(QPalette.ColorRole.PlaceholderText).name()
    code_bg = palette.color(QPalette.ColorRole.AlternateBase).name()
    code_style = f"font-family: monospace; background-color: {code_bg};"

    def rich(text: str) -> str:
        return _rich(text, code_style)

    parts: list[str] = []
    title = html.escape(entry.label)
    if entry.is_code and entry.title:
        title += f' <span style="font-weight: normal;">· {html.escape(entry.title)}</span>'
    parts.append(f"<h2 style='margin-bottom: 2px;'>{title}</h2>")
    meta = [CATEGORY_LABELS[entry.category]]
    if entry.engine:
        meta.append(" / ".join(f"<code>{html.escape(name)}</code>" for name in entry.engine))
    elif entry.name:
        meta.append(f"<code>{html.escape(entry.name)}</code>")
    parts.append(f'<p style="color: {muted}; margin-top: 0;">{" · ".join(meta)}</p>')
    if not entry.verified:
        parts.append(f'<p><span style="color: {UNCONFIRMED.name()}; font-weight: bold;">'
                     f"Unconfirmed</span> — {html.escape(entry.note)}</p>")
    if reasons:
        parts.append(f'<p style="color: {muted};">Why this match: '
                     f"{html.escape('; '.join(reasons))}</p>")
    parts.append(f"<p>{rich(entry.summary)}</p>")
    if entry.messages:
        parts.append("<h3>What the player sees</h3><ul>")
        parts += [f"<li><i>“{html.escape(m)}”</i></li>" for m in entry.messages]
        parts.append("</ul>")
    if entry.reconnect is False and entry.category in ("connection", "kick/ban", "client"):
        parts.append("<p>The dialog offers no Reconnect button: join again from the "
                     "experience's page.</p>")
    parts.append("<h3>Causes</h3><ul>")
    parts += [f"<li>{rich(c)}</li>" for c in entry.causes]
    parts.append("</ul><h3>Fix it</h3><ol>")
    parts += [f"<li style='margin-bottom: 4px;'>{rich(s)}</li>" for s in entry.steps]
    parts.append("</ol>")
    if entry.platforms:
        parts.append("<h3>Platform notes</h3>")
        parts += [f"<p><b>{PLATFORM_LABELS[k]}:</b> {rich(v)}</p>" for k, v in entry.platforms]
    if related:
        links = [f'<a href="entry:{html.escape(r.id)}">{html.escape(r.label)}</a> '
                 f'<span style="color: {muted};">{html.escape(_clip(r.headline, 70))}</span>'
                 for r in related]
        parts.append("<h3>Related</h3><p>" + "<br>".join(links) + "</p>")
    if entry.verified and entry.note:
        parts.append(f'<p style="color: {muted};">Note: {html.escape(entry.note)}</p>')
    parts.append(f'<p style="color: {muted};"><small>Sources: '
                 f"{html.escape('; '.join(entry.sources))}</small></p>")
    return "\n".join(parts)


def _clip(text: str, length: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


class ResultDelegate(QStyledItemDelegate):
    """Draws a result as three lines: label and category, the first message, why it matched."""

    PADDING = 6

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        height = QFontMetrics(option.font).height()
        return QSize(240, 3 * height + 2 * self.PADDING + 4)

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
