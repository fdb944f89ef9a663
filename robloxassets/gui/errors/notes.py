"""The line above the Error codes page's results that says what a lookup could not decide:
a text several errors share (which one is listed first, and why), several codes in one paste
(which came first), a code the knowledge base lacks, binary data, a long paste.

The codes and entries it names are ``entry:<id>`` links; the page opens them.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QWidget

from robloxassets.core.errorcodes.model import Entry
from robloxassets.core.errorcodes.search import SearchResult
from robloxassets.gui.errors.details import and_list
from robloxassets.gui.style import BLUE

#: Sentences of ``SearchResult.note_parts`` this line shows as core words them; several codes
#: and ambiguity get sentences with links instead (built below), "no-match" is the no-match
#: panel's heading.
_AS_IS = ("binary", "unknown", "truncated")


def _link(entry_id: str, text: str) -> str:
    return f'<a href="entry:{html.escape(entry_id)}">{html.escape(text)}</a>'


def note_html(result: SearchResult, entry_of: Callable[[str | int], Entry | None]) -> str:
    """What to say about ``result`` above the list, as rich text ("" when nothing).

    ``entry_of`` finds an entry by id or code (``KnowledgeBase.get``).
    """
    def label(key: str | int) -> str:
        entry = entry_of(key)
        return entry.label if entry is not None else str(key)

    parts = result.note_parts()
    lines: list[str] = []
    if result.ambiguous:
        names = [_link(i, label(i)) for i in result.ambiguous]
        order = ("the one you typed is listed first" if result.ambiguous_order == "named"
                 else "the most common is listed first")
        first = html.escape(label(result.ambiguous[0]))
        codes = {e.code for e in map(entry_of, result.ambiguous) if e is not None}
        if len(codes) == 1 and None not in codes:
            # One code with two meanings (403: Open Cloud and sign-in).
            lines.append(f"<b>This code has {len(names)} meanings:</b> {and_list(names)}; "
                         f"{order} ({first}).")
        else:
            lines.append(f"<b>This wording is shared by {and_list(names)}:</b> {order} "
                         f"({first}). The code in the dialog tells them apart.")
    if len(result.codes) > 1:
        links = []
        for code in result.codes:
            entry = entry_of(code)
            links.append(_link(entry.id, str(code)) if entry is not None else str(code))
        lines.append(f"<b>The text names {len(links)} codes:</b> {links[0]} came first, then "
                     f"{and_list(links[1:])}. They are listed in that order.")
    lines += [html.escape(parts[key]) for key in _AS_IS if key in parts]
    return "<br>".join(lines)


class ResultNote(QFrame):
    """A strip with an accent on its left holding ``note_html``; hidden when it is empty.

    Signals: ``link_activated(str)`` with the href of a clicked link.
    """

    link_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultNote")
        # The whole border is given: a style sheet with only border-left draws no border.
        self.setStyleSheet(f"QFrame#resultNote {{ border: 1px solid palette(mid); "
                           f"border-left: 4px solid {BLUE.name()}; "
                           "background: palette(alternate-base); }")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 5, 6, 5)
        self.label = QLabel()
        self.label.setObjectName("resultNoteText")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.label.linkActivated.connect(self.link_activated)
        layout.addWidget(self.label, 1)
        self.hide()

    def set_html(self, text: str) -> None:
        self.label.setText(text)
        self.setVisible(bool(text))

    def text(self) -> str:
        return self.label.text()
