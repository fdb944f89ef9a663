"""The one way the GUI makes a ``QAction``: text, slot, icon, shortcut and tooltip.

Actions belong to a widget (a page, or the window). A shortcut is a window shortcut, and Qt
only matches actions of visible widgets, so a page's shortcuts work while that page is shown
and never clash with another page's.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from robloxassets.gui import icons

Shortcut = QKeySequence | QKeySequence.StandardKey | str


def make_action(owner: QWidget, text: str, slot: Callable[[], object], *,
                icon: str | None = None, shortcut: Shortcut | None = None,
                tip: str | None = None) -> QAction:
    """A ``QAction`` added to ``owner``; ``slot`` is called without the ``checked`` flag.

    The tooltip defaults to the text without its mnemonic and ellipsis.
    """
    action = QAction(text, owner)
    if icon:
        action.setIcon(icons.icon(icon))
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.setToolTip(tip or text.replace("&", "").rstrip("…"))
    action.triggered.connect(lambda _checked=False: slot())
    owner.addAction(action)
    return action
