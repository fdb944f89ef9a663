"""The Error codes page's detail view: one entry as rich text for a QTextBrowser."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtGui import QPalette

from robloxassets.core.errorcodes.model import (
    CATEGORY_LABELS,
    LANGUAGE_LABELS,
    PLATFORM_LABELS,
    Entry,
    Wording,
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
               related: list[Entry] | None = None,
               label_of: Callable[[str], str] | None = None,
               status_link: bool = False, back_to: str = "") -> str:
    """The entry as HTML for a QTextBrowser: heading, summary, what the player sees (other
    languages apart, unconfirmed translations marked), what the dialog does, causes,
    numbered steps, platform notes, related entries as ``entry:<id>`` links, when it was
    last checked, sources.

    ``label_of`` names another entry for the "also shown for" links of a shared wording;
    ``status_link`` adds a ``action:status`` link (the fix starts with Roblox's status);
    ``back_to`` names what Back returns to, as an ``action:back`` link (an entry opened from
    another one's link).
    """
    muted = palette.color(QPalette.ColorRole.PlaceholderText).name()
    code_bg = palette.color(QPalette.ColorRole.AlternateBase).name()
    code_style = f"font-family: monospace; background-color: {code_bg};"
    name_of = label_of or (lambda entry_id: entry_id)

    def rich(text: str) -> str:
        return _rich(text, code_style)

    def quiet(text: str) -> str:
        return f'<span style="color: {muted};">{text}</span>'

    parts: list[str] = []
    if back_to:
        parts.append(f'<p style="margin-bottom: 0;"><a href="action:back">\u2190 Back to '
                     f"{html.escape(back_to)}</a> {quiet('(Alt+Left)')}</p>")
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
        parts.append(f"<p>{_unconfirmed('Unconfirmed')} — {html.escape(entry.note)}</p>")
    if reasons:
        parts.append(f'<p style="color: {muted};">Why this match: '
                     f"{html.escape('; '.join(reasons))}</p>")
    parts.append(f"<p>{rich(entry.summary)}</p>")
    if status_link:
        parts.append('<p><a href="action:status">Check Roblox status now</a> '
                     + quiet("(the fix starts there)") + "</p>")
    seen = [w for w in entry.wordings if w.lang == "en" or w.verified]
    other = [w for w in entry.wordings if w not in seen]
    if seen:
        parts.append("<h3>What the player sees</h3><ul>")
        parts += [f"<li>{_wording(w, name_of, quiet)}</li>" for w in seen]
        parts.append("</ul>")
    if other:
        parts.append("<h3>In other languages</h3><ul>")
        parts += [f"<li>{_wording(w, name_of, quiet)}</li>" for w in other]
        parts.append("</ul>")
    parts.append(_dialog(entry, quiet))
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
    if entry.checked_on:
        against = "; ".join(entry.checked_against)
        parts.append(f'<p style="color: {muted};"><small>Last checked {entry.checked_on} '
                     f"against: {html.escape(against)}</small></p>")
    parts.append(f'<p style="color: {muted};"><small>Sources: '
                 f"{html.escape('; '.join(entry.sources))}</small></p>")
    return "\n".join(parts)


def _unconfirmed(text: str) -> str:
    return (f'<span style="color: {UNCONFIRMED.name()}; font-weight: bold;">'
            f"{html.escape(text)}</span>")


def _wording(wording: Wording, name_of: Callable[[str], str],
             quiet: Callable[[str], str]) -> str:
    """One wording: the text, its language if not English, whether a source gives it, the
    other entries that show it too (as links) and its note."""
    text = f"<i>\u201c{html.escape(wording.text)}\u201d</i>"
    marks: list[str] = []
    language = LANGUAGE_LABELS.get(wording.lang, wording.lang)
    if wording.lang != "en":
        marks.append(html.escape(language))
    if not wording.verified:
        marks.append(_unconfirmed("unconfirmed translation" if wording.lang != "en"
                                  else "no source gives this exact text"))
    if wording.shared:
        links = [f'<a href="entry:{html.escape(i)}">{html.escape(name_of(i))}</a>'
                 for i in wording.shared]
        marks.append("also shown for " + and_list(links))
    if wording.note:
        marks.append(html.escape(wording.note))
    return text + (f"<br>{quiet(' · '.join(marks))}" if marks else "")


def _dialog(entry: Entry, quiet: Callable[[str], str]) -> str:
    """What the client does with the code, as a fact list: buttons, reconnecting by itself,
    the fast flag or condition, and which client script says so."""
    client = entry.client
    if client is None:
        if entry.reconnect is False and entry.category in ("connection", "kick/ban", "client"):
            return ("<p>The dialog offers no Reconnect button: join again from the "
                    "experience's page.</p>")
        return ""
    rows = [("Buttons", " · ".join(f"<b>{html.escape(b)}</b>" for b in client.buttons))]
    if client.auto_reconnect:
        rows.append(("Reconnects by itself",
                     f"Yes, {html.escape(client.condition)}" if client.condition else "Yes"))
    else:
        rows.append(("Reconnects by itself", "No"))
        if client.condition:
            rows.append(("Depends on", html.escape(_capital(client.condition))))
    if client.seen_in:
        rows.append(("Client", html.escape(client.seen_in)))
    cells = "".join(f'<tr><td align="right" style="padding-right: 8px;">'
                    f"{quiet(label + ':')}</td><td>{value}</td></tr>" for label, value in rows)
    return f"<h3>The dialog</h3><table cellspacing='0' cellpadding='1'>{cells}</table>"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def and_list(items: list[str]) -> str:
    """Join as "a", "a and b" or "a, b and c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _clip(text: str, length: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


