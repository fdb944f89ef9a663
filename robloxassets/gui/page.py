"""The contract between the main window and its pages (Library, Catalogue, Error codes, ...).

A page is a widget shown in the centre of the window. The window owns the navigation list,
menus, toolbar, details dock and status bar; a page fills them through the hooks below, so
every page gets the same shortcuts and looks like part of one product.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from robloxassets.core.settings import Settings
from robloxassets.gui.catalog_access import CatalogAccess
from robloxassets.gui.progress import ProgressHub
from robloxassets.gui.tasks import TaskRunner


class PageContext:
    """What the window hands every page: settings, the task runner, the progress hub and the
    catalogue (every catalogue read and write goes through ``catalog``, off the UI thread)."""

    def __init__(self, settings: Settings, tasks: TaskRunner, progress: ProgressHub,
                 catalog: CatalogAccess) -> None:
        self.settings = settings
        self.tasks = tasks
        self.progress = progress
        self.catalog = catalog


class Page(QWidget):
    """Base class of a page.

    Signals:
        message(str, int): a short note for the status bar (text, timeout in ms; 0 = sticky).
        summary_changed(str): the page's counts for the status bar ("1,204 images · 37 need
            work"); shown while the page is current.
        details_changed(): the details widget's content changed (the window re-shows it).
        navigate(str, object): ask the window to show another page (its ``page_id``) with an
            argument, e.g. ``navigate.emit("errors", "279")``.
        send(str, object): ask another page to do something where the user is, without
            showing it: a request from ``gui.requests`` (the window calls its ``receive``).
        problem(str, object): background work failed: what was being done ("Checking
            images") and the exception. The window shows a ``UserError``'s sentence, or for a
            bug an apology with "Copy details" (``gui.problems``).
    """

    message = Signal(str, int)
    problem = Signal(str, object)
    summary_changed = Signal(str)
    details_changed = Signal()
    navigate = Signal(str, object)
    send = Signal(str, object)

    #: Stable id used by ``navigate`` and in settings.
    page_id: str = ""
    #: Label in the navigation list.
    title: str = ""
    #: Icon name in resources/icons.
    icon_name: str = ""

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context

    # --- hooks the window calls; override what applies -------------------------------------
    def toolbar_actions(self) -> list[QAction | None]:
        """Actions for the main toolbar while this page is shown (None entries = separators)."""
        return []

    def menu_actions(self) -> dict[str, list[QAction | None]]:
        """Extra actions per menu ("File", "Edit", "View", "Tools"), shown while current."""
        return {}

    def window_actions(self) -> dict[str, list[QAction | None]]:
        """Actions per menu shown whichever page is current (e.g. Tools > Open Cloud key…):
        what the page offers the whole window."""
        return {}

    def details_widget(self) -> QWidget | None:
        """The right-hand details panel for this page, or None if it has none."""
        return None

    def summary(self) -> str:
        return ""

    def activate(self, argument: object = None) -> None:
        """Called when the page becomes current (``argument`` from ``navigate``)."""

    def receive(self, request: object) -> bool:
        """A request from another page (``send``). Return False if this page can't do it."""
        return False

    def focus_search(self) -> bool:
        """Ctrl+F: focus the page's search box. Return False if it has none."""
        return False

    def copy_selection(self) -> bool:
        """Ctrl+C outside text fields: copy the selection (e.g. ``rbxassetid://N``)."""
        return False

    def delete_selection(self) -> bool:
        """Delete: remove the selection (with undo). Return False if not applicable."""
        return False

    def undo(self) -> bool:
        """Ctrl+Z outside text fields."""
        return False

    def refresh(self) -> None:
        """F5."""

    def open_paths(self, paths: list[str]) -> bool:
        """Files or folders dropped on the window or chosen with Ctrl+O. False = not handled."""
        return False

    def save_state(self) -> None:
        """Write the page's settings (called when the window closes)."""

    def shutdown(self) -> None:
        """Stop background work before the window closes."""
