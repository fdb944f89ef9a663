"""The main window: navigation on the left, the page in the centre, details on the right.

The window owns menus, toolbar, shortcuts, the details dock and the status bar; pages fill
them through the hooks of ``robloxassets.gui.page.Page``.

It fits beside Roblox Studio (UX: every page works at 800 px wide): only the current page's
minimum width counts, the details dock moves below the page when the window gets too narrow
to keep it beside (and back when there is room again), and the toolbar shows icons only when
its labels don't fit.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import partial

from PySide6.QtCore import QByteArray, QEvent, QSize, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDockWidget,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from robloxassets.core import paths
from robloxassets.core.settings import Settings
from robloxassets.gui import desktop, icons, problems
from robloxassets.gui.actions import make_action
from robloxassets.gui.catalog_access import CatalogAccess, CatalogOpener, default_opener
from robloxassets.gui.details import DetailsPanel
from robloxassets.gui.page import Page, PageContext
from robloxassets.gui.progress import ProgressHub, ProgressWidget
from robloxassets.gui.statusbar import ElidedLabel, StatusBar
from robloxassets.gui.tasks import TaskRunner
from robloxassets.gui.widgets import Banner

log = logging.getLogger(__name__)

MENU_NAMES = ("File", "Edit", "View", "Tools", "Help")
# Beside it the progress widget says "Waiting for the catalogue", with Cancel.
WAITING_TEXT = "Another program is writing to the catalogue; your change is saved after it."
#: The narrowest the window is meant to be usable at (half of a 1600 px screen).
NARROW_WIDTH = 800
#: Room the details dock needs beside the page (the panel's minimum plus the dock's frame).
SIDE_DOCK_WIDTH = 300
#: Extra room before the dock moves back beside the page, so it doesn't flip to and fro.
DOCK_SLACK = 40
#: The details dock's height below the page.
BELOW_DOCK_HEIGHT = 240


class CurrentSizeStack(QStackedWidget):
    """A stack as big as the panel it shows: QStackedWidget asks for the largest of all its
    panels, so one page's wide details would set the dock's (and the window's) minimum for
    every page, and while the dock moves beside the page a panel still laid out for below it
    made the window grow by itself."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.currentChanged.connect(lambda _index: self.updateGeometry())

    def sizeHint(self) -> QSize:
        current = self.currentWidget()
        return current.sizeHint() if current is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:
        current = self.currentWidget()
        return current.minimumSizeHint() if current is not None else super().minimumSizeHint()


class MainWindow(QMainWindow):
    """Hosts the pages. ``pages`` is in navigation order; ``page(page_id)`` finds one."""

    def __init__(self, page_classes: Sequence[type[Page]], settings: Settings | None = None,
                 parent: QWidget | None = None,
                 open_catalog: CatalogOpener = default_opener) -> None:
        super().__init__(parent)
        self.setObjectName("MainWindow")
        self.setWindowTitle("Roblox Assets")
        self.setWindowIcon(icons.app_icon())
        self.setAcceptDrops(True)
        self.settings = settings or Settings()
        self.tasks = TaskRunner(parent=self)
        self.progress = ProgressHub(self)
        self.catalog = CatalogAccess(open_catalog, self)
        self.catalog.waiting.connect(self._catalog_waiting)
        self._waiting_shown = False
        self.context = PageContext(self.settings, self.tasks, self.progress, self.catalog)

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setIconSize(QSize(22, 22))
        self.nav.setFixedWidth(150)
        self.nav.setFrameShape(QListWidget.Shape.NoFrame)
        self.nav.setSpacing(2)
        self.stack = QStackedWidget()
        self.details_stack = CurrentSizeStack()
        self._details_below = False  # the dock was moved below the page for a narrow window
        self._side_width = SIDE_DOCK_WIDTH  # the dock's width beside the page, to go back to
        self._toolbar_widths: dict[str, int] = {}  # each page's toolbar width with labels
        self._empty_details = QWidget()
        self.details_stack.addWidget(self._empty_details)

        self.pages: list[Page] = []
        for cls in page_classes:
            page = cls(self.context, self)
            self.pages.append(page)
            self.stack.addWidget(page)
            item = QListWidgetItem(icons.icon(page.icon_name), page.title)
            item.setSizeHint(QSize(140, 36))
            self.nav.addItem(item)
            details = page.details_widget()
            if details is not None:
                self.details_stack.addWidget(details)
            page.message.connect(self.show_message)
            page.problem.connect(self.show_problem)
            page.summary_changed.connect(self._on_summary)
            page.navigate.connect(self.show_page)
            page.send.connect(self.deliver)

        # A status message too long for the status bar is also shown here, wrapped, for as
        # long as the status bar shows it: nothing the user must read is cut off.
        self.notice = Banner()
        self._notice_text = ""
        page_area = QVBoxLayout()
        page_area.setContentsMargins(0, 0, 0, 0)
        page_area.setSpacing(0)
        page_area.addWidget(self.notice)
        page_area.addWidget(self.stack, 1)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addLayout(page_area, 1)
        self.setCentralWidget(central)

        self.details_dock = QDockWidget("Details", self)
        self.details_dock.setObjectName("details")
        self.details_dock.setWidget(self.details_stack)
        self.details_dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable
                                      | QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.details_dock)

        self.toolbar = QToolBar("Main toolbar")
        self.toolbar.setObjectName("toolbar")
        self.toolbar.setIconSize(QSize(20, 20))
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toolbar.setMovable(False)
        self.addToolBar(self.toolbar)

        # Readable at 800 px: the message and the summary end in "…" where their room ends.
        self.setStatusBar(StatusBar())
        self.summary_label = ElidedLabel()
        # Shown beside the apology for a bug, until the status bar's message changes.
        self.copy_details = QPushButton("Copy details")
        self.copy_details.setToolTip("Copy what went wrong, for a bug report")
        self.copy_details.clicked.connect(self._copy_details)
        self.copy_details.hide()
        self._details_text = ""
        self.statusBar().addPermanentWidget(self.copy_details)
        self._progress_widget = ProgressWidget(self.progress)
        self.statusBar().addPermanentWidget(self._progress_widget)
        self.statusBar().addPermanentWidget(self.summary_label)
        self.statusBar().messageChanged.connect(self._status_changed)

        self._build_actions()
        self._build_menus()
        self.nav.currentRowChanged.connect(self._on_page_changed)
        self._restore()

    # --- actions and menus -----------------------------------------------------------------
    def _build_actions(self) -> None:
        key = QKeySequence.StandardKey
        self.act_find = make_action(self, "&Find", self._find, shortcut=key.Find, icon="search")
        self.act_copy = make_action(self, "&Copy asset ID", self._copy, shortcut=key.Copy,
                                    icon="copy")
        self.act_undo = make_action(self, "&Undo", self._undo, shortcut=key.Undo)
        self.act_delete = make_action(self, "&Delete", self._delete, shortcut=key.Delete,
                                      icon="delete")
        self.act_refresh = make_action(self, "&Refresh", self._refresh, shortcut=key.Refresh,
                                       icon="refresh")
        if QKeySequence(key.Refresh) != QKeySequence("F5"):
            self.act_refresh.setShortcuts([QKeySequence(key.Refresh), QKeySequence("F5")])
        # Our own action rather than the dock's toggleViewAction(): menus are rebuilt with
        # clear() on every page switch, which invalidates PySide's handle on that one.
        self.act_details = make_action(self, "Show &details panel", self._toggle_details,
                                       shortcut="Ctrl+I", icon="details")
        self.act_details.setCheckable(True)
        self.act_quit = make_action(self, "&Quit", self.close, shortcut=key.Quit)
        self.act_about = make_action(self, "&About Roblox Assets", self._about)
        self._about_dialog: QDialog | None = None
        self.act_logs = make_action(self, "Open &log folder", self._open_logs)
        self.page_actions: list[QAction] = []
        for index, page in enumerate(self.pages):
            action = make_action(self, page.title, partial(self.nav.setCurrentRow, index),
                                 shortcut=f"Ctrl+{index + 1}" if index < 9 else None,
                                 icon=page.icon_name)
            self.page_actions.append(action)

    def _build_menus(self) -> None:
        self.menus: dict[str, QMenu] = {}
        for name in MENU_NAMES:
            self.menus[name] = self.menuBar().addMenu(f"&{name}")
        self._fixed: dict[str, list[QAction | None]] = {
            "File": [None, self.act_quit],
            "Edit": [self.act_copy, self.act_undo, self.act_delete, None, self.act_find],
            "View": [*self.page_actions, None, self.act_details, self.act_refresh],
            "Tools": [],
            "Help": [self.act_logs, None, self.act_about],
        }
        for page in self.pages:
            for name, actions in page.window_actions().items():
                fixed = self._fixed[name]
                self._fixed[name] = [*fixed, *([None] if fixed else []), *actions]

    def _fill_menus(self, page: Page) -> None:
        extra = page.menu_actions()
        for name, menu in self.menus.items():
            menu.clear()
            page_items = extra.get(name, [])
            fixed = self._fixed[name]
            if name == "File":
                items: list[QAction | None] = [*page_items, *fixed]
            else:
                items = [*fixed, *([None] if fixed and page_items else []), *page_items]
            for action in items:
                if action is None:
                    menu.addSeparator()
                else:
                    menu.addAction(action)
            menu.menuAction().setVisible(bool(items))

    def _fill_toolbar(self, page: Page) -> None:
        self.toolbar.clear()
        for action in page.toolbar_actions():
            if action is None:
                self.toolbar.addSeparator()
            else:
                self.toolbar.addAction(action)
        if page.page_id not in self._toolbar_widths:
            # Measured once per page, with labels, so a resize only compares numbers.
            self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            self._toolbar_widths[page.page_id] = self.toolbar.sizeHint().width()

    # --- narrow windows ---------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_width()

    def _fit_width(self) -> None:
        """Keep every control reachable at the window's width: labels or icons only in the
        toolbar, the details dock beside the page or below it."""
        page = self.current_page
        if page is None:
            return
        width = self.width()
        wanted = self._toolbar_widths.get(page.page_id, 0)
        style = (Qt.ToolButtonStyle.ToolButtonTextBesideIcon if wanted <= width
                 else Qt.ToolButtonStyle.ToolButtonIconOnly)
        if self.toolbar.toolButtonStyle() != style:
            self.toolbar.setToolButtonStyle(style)
        if self.details_dock.isFloating():
            return
        area = self.dockWidgetArea(self.details_dock)
        side = SIDE_DOCK_WIDTH
        if area in (Qt.DockWidgetArea.RightDockWidgetArea, Qt.DockWidgetArea.LeftDockWidgetArea):
            # A panel that needs more room beside the page than most (the Duplicates page's)
            # moves below as soon as the window can't give it that room.
            side = max(side, self.details_dock.minimumSizeHint().width())
        beside = self.nav.width() + page.minimumSizeHint().width() + side
        if not self._details_below and area in (Qt.DockWidgetArea.RightDockWidgetArea,
                                                Qt.DockWidgetArea.LeftDockWidgetArea):
            if width < beside + DOCK_SLACK:
                self._side_width = max(self.details_dock.width(), SIDE_DOCK_WIDTH)
                self._dock_at(Qt.DockWidgetArea.BottomDockWidgetArea)
                self._details_below = True
        elif self._details_below and width >= beside + 2 * DOCK_SLACK:
            self._dock_at(Qt.DockWidgetArea.RightDockWidgetArea)
            self._details_below = False

    def _dock_at(self, area: Qt.DockWidgetArea) -> None:
        below = area == Qt.DockWidgetArea.BottomDockWidgetArea
        orientation = Qt.Orientation.Horizontal if below else Qt.Orientation.Vertical
        for i in range(self.details_stack.count()):
            panel = self.details_stack.widget(i)
            if isinstance(panel, DetailsPanel):
                panel.set_orientation(orientation)
        # The layouts above the panels cache their size hints until told: without this the
        # dock beside the page still asked for the room it had below it.
        self.details_stack.updateGeometry()
        self.details_dock.updateGeometry()
        self.addDockWidget(area, self.details_dock)
        if below:
            self.resizeDocks([self.details_dock], [BELOW_DOCK_HEIGHT], Qt.Orientation.Vertical)
        else:  # back at the width it had beside the page, once the window has laid it out
            width = self._side_width
            self.resizeDocks([self.details_dock], [width], Qt.Orientation.Horizontal)
            QTimer.singleShot(0, self, lambda: self.resizeDocks([self.details_dock], [width],
                                                          Qt.Orientation.Horizontal))

    # --- pages ----------------------------------------------------------------------------
    @property
    def current_page(self) -> Page | None:
        widget = self.stack.currentWidget()
        return widget if isinstance(widget, Page) else None

    def page(self, page_id: str) -> Page | None:
        return next((p for p in self.pages if p.page_id == page_id), None)

    def show_page(self, page_id: str, argument: object = None) -> None:
        page = self.page(page_id)
        if page is None:
            return
        self.nav.setCurrentRow(self.pages.index(page))
        page.activate(argument)

    def deliver(self, page_id: str, request: object) -> None:
        """Hand a page's request (``Page.send``) to the page it is for."""
        page = self.page(page_id)
        if page is None or not page.receive(request):
            log.warning("No page %r took the request %r", page_id, request)
            self.show_message("That is not available in this window.", 5000)

    def _on_page_changed(self, row: int) -> None:
        if not 0 <= row < len(self.pages):
            return
        page = self.pages[row]
        # Only the page shown sets the window's minimum width: a page hidden in the stack
        # would otherwise keep every other page from fitting a narrow window.
        for other in self.pages:
            other.setSizePolicy(QSizePolicy.Policy.Preferred if other is page
                                else QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.stack.setCurrentWidget(page)
        self._fill_toolbar(page)
        self._fill_menus(page)
        details = page.details_widget()
        self.details_stack.setCurrentWidget(details if details is not None
                                            else self._empty_details)
        self.details_dock.setVisible(details is not None
                                     and self.settings.get("window.details_visible"))
        self.act_details.setEnabled(details is not None)
        self.act_details.setChecked(self.details_dock.isVisibleTo(self))
        self.summary_label.setText(page.summary())
        self._fit_width()
        page.activate(None)

    def _on_summary(self, text: str) -> None:
        if self.sender() is self.current_page:
            self.summary_label.setText(text)

    def show_message(self, text: str, timeout: int = 6000) -> None:
        bar = self.statusBar()
        self._notice_text = text if self._too_long(text) else ""
        bar.showMessage(text, timeout)
        if self._notice_text:
            self.notice.show_message(text)
        else:
            self.notice.hide()

    def _too_long(self, text: str) -> bool:
        """Whether ``text`` is wider than the status bar's room beside its permanent parts."""
        bar = self.statusBar()
        taken = sum(w.width() for w in (self.copy_details, self._progress_widget,
                                        self.summary_label) if w.isVisible())
        return bar.fontMetrics().horizontalAdvance(text) > bar.width() - taken - 24

    def show_problem(self, doing: str, exc: BaseException) -> None:
        """A failure at the UI edge: a ``UserError``'s sentence, or an apology for a bug with
        "Copy details" beside it (the traceback goes to the log, never on screen)."""
        problems.log_bug(doing, exc)
        self.show_message(problems.sentence(doing, exc), 12000)
        if problems.is_bug(exc):
            self._details_text = problems.details(exc)
            self.copy_details.show()

    def _catalog_waiting(self, waiting: bool) -> None:
        """Another program holds the catalogue's write lock: say so, with a Cancel, until it
        is free (the write then goes ahead by itself)."""
        if waiting:
            self.show_message(WAITING_TEXT, 0)
            if not self.progress.active:
                self.progress.start("Waiting for the catalogue", 0, self.catalog.cancel_writes)
                self._waiting_shown = True
            return
        if self._waiting_shown:
            self._waiting_shown = False
            self.progress.finish()
        if self.statusBar().currentMessage() == WAITING_TEXT:
            self.statusBar().clearMessage()

    def _status_changed(self, text: str) -> None:
        if not text:
            self.copy_details.hide()
        if text != self._notice_text:
            self._notice_text = ""
            self.notice.hide()

    def _copy_details(self) -> None:
        QApplication.clipboard().setText(self._details_text)
        self.copy_details.hide()
        self.show_message("Details copied: paste them into your bug report.", 4000)

    # --- shared shortcuts routed to the current page ---------------------------------------
    def _find(self) -> None:
        if self.current_page is not None:
            self.current_page.focus_search()

    def _copy(self) -> None:
        if self.current_page is not None and not self.current_page.copy_selection():
            self.show_message("Nothing selected to copy.", 3000)

    def _undo(self) -> None:
        if self.current_page is not None and not self.current_page.undo():
            self.show_message("Nothing to undo.", 3000)

    def _delete(self) -> None:
        if self.current_page is not None:
            self.current_page.delete_selection()

    def _refresh(self) -> None:
        if self.current_page is not None:
            self.current_page.refresh()

    def _about(self) -> None:
        from robloxassets.gui.about import AboutDialog

        if self._about_dialog is None:
            self._about_dialog = AboutDialog(self.tasks, self)
        if self._about_dialog.isVisible():  # behind the window: bring it forward
            self._about_dialog.raise_()
            self._about_dialog.activateWindow()
        else:
            self._about_dialog.show()

    def _open_logs(self) -> None:
        problem = desktop.open_local(str(paths.log_dir()))
        if problem:
            self.show_message(problem, 10000)

    # --- drag and drop ----------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        local = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if local and self.open_paths(local):
            event.acceptProposedAction()

    def open_paths(self, files: list[str], page_id: str | None = None) -> bool:
        """Open files or folders (dropped, or from the command line) on the page
        ``page_id``, or by default on the current page if it takes them and else in the
        Library; the page that took them is shown. False when none did (the page says why
        in the status bar)."""
        current = self.current_page
        if page_id is None:
            if current is not None and current.open_paths(files):
                return True
            library = self.page("library")
            if library is None or library is current or not library.open_paths(files):
                return False
            self.show_page("library")
            return True
        target = self.page(page_id)
        if target is None:
            return False
        self.show_page(page_id)
        return target.open_paths(files)

    # --- state ------------------------------------------------------------------------------
    def _restore(self) -> None:
        geometry = self.settings.get("window.geometry")
        if geometry:
            self.restoreGeometry(QByteArray.fromBase64(geometry.encode()))
        else:
            self.resize(1280, 800)
        state = self.settings.get("window.state")
        if state:
            self.restoreState(QByteArray.fromBase64(state.encode()))
        row = self.settings.get("window.page")
        self.nav.setCurrentRow(row if 0 <= row < len(self.pages) else 0)
        self.details_dock.visibilityChanged.connect(self._remember_details)

    def _toggle_details(self) -> None:
        self.details_dock.setVisible(self.act_details.isChecked())

    def _remember_details(self, visible: bool) -> None:
        self.act_details.setChecked(visible)
        # Only the user's own toggling counts, not hiding on pages without details.
        page = self.current_page
        if page is not None and page.details_widget() is not None and self.isVisible():
            self.settings.set("window.details_visible", visible)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            icons.clear_cache()
            for i, page in enumerate(self.pages):
                self.nav.item(i).setIcon(icons.icon(page.icon_name))
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._details_below:
            # Saved beside the page, where it goes in a wide window; a narrow start moves it.
            self._dock_at(Qt.DockWidgetArea.RightDockWidgetArea)
            self._details_below = False
        for page in self.pages:
            page.save_state()
            page.shutdown()
        self.tasks.abort_all()
        self.catalog.shutdown()
        self.settings.set("window.geometry", bytes(self.saveGeometry().toBase64().data()).decode())
        self.settings.set("window.state", bytes(self.saveState().toBase64().data()).decode())
        self.settings.set("window.page", max(self.nav.currentRow(), 0))
        self.settings.save()
        super().closeEvent(event)
