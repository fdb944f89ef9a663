"""The Error codes page's detail view: one entry as rich text for a QTextBrowser."""

from __future__ import annotations

import html

from PySide6.QtGui import QPalette

from robloxassets.core.errorcodes.model import (
    CATEGORY_LABELS,
    PLATFORM_LABELS,
    Entry,
    split_commands,
)
from robloxassets.gui.style import AMBER

#: Colour of the "Unconfirmed" marker, readable on light and dark backgrounds.
UNCONFIRMED = AMBER


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


