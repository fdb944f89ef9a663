"""The Error codes page: look up a code or a pasted error dialog, read the cause and the fix."""

from __future__ import annotations

import contextlib
import html
import logging
from functools import partial

from PySide6.QtCore import QEvent, QObject, Qt, QUrl
from PySide6.QtGui import (
    QAction,
    QDesktopServices,
    QGuiApplication,
    QKeySequence,
    QMouseEvent,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from robloxassets.core.errorcodes import kb as knowledge
from robloxassets.core.errorcodes.kb import KnowledgeBase
from robloxassets.core.errorcodes.model import CATEGORIES, CATEGORY_LABELS, Entry
from robloxassets.core.errorcodes.search import Match, SearchResult, code_to_offer, search
from robloxassets.core.errorcodes.status import STATUS_PAGE, StatusReport, check_status
from robloxassets.gui.actions import make_action
from robloxassets.gui.errors.delegate import ResultDelegate, Role
from robloxassets.gui.errors.details import entry_html
from robloxassets.gui.errors.history import History, View
from robloxassets.gui.errors.notes import ResultNote, note_html
from robloxassets.gui.page import Page, PageContext
from robloxassets.gui.style import WARNING_COLOR, service_color
from robloxassets.gui.tasks import GeneratorWorker
from robloxassets.gui.widgets import Banner, Button, EmptyState, SearchBox

log = logging.getLogger(__name__)

EXAMPLES = ("279", "server is full", "blurry decal")
#: From this page width on, the list and the entry sit side by side; below it the list goes
#: above the entry, so the page works beside Roblox Studio (an 800 px window).
WIDE_PAGE = 800
#: The page's own minimum width for its results: the widest of the list and the entry's
#: panels when they are stacked (the side-by-side minimum would add them up).
STACKED_MIN_WIDTH = 520


class ErrorCodesPage(Page):
    """Owns the knowledge base, the live search and the Roblox status check.

    Emits ``message`` for copy confirmations and clipboard offers (the offer itself is a
    banner on this page), ``summary_changed`` with the entry counts.
    """

    page_id = "errors"
    title = "Error codes"
    icon_name = "errors"

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.kb: KnowledgeBase = knowledge.load()
        self.status_url = STATUS_PAGE
        self.result: SearchResult | None = None
        self.current: Entry | None = None
        self._status_worker: GeneratorWorker | None = None
        self._offered: set[str] = set()
        self.history = History()
        # Set while Back/Forward puts a view back (nothing new is remembered then), and for
        # the next lookup when it is a step of its own rather than typing.
        self._restoring = False
        self._step_next = False
        self._searching = False
        self._build_actions()
        self._build_ui()
        self._watching_app = False
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.applicationStateChanged.connect(self._application_state_changed)
            self._watching_app = True
        self._show_problems()
        self.run_search()

    # --- UI -------------------------------------------------------------------------------
    def _build_actions(self) -> None:
        self.act_copy_steps = make_action(self, "Copy &steps", self.copy_steps, icon="copy",
                                          shortcut="Ctrl+Shift+C",
                                          tip="Copy the numbered fix steps (Ctrl+Shift+C)")
        self.act_status = make_action(self, "Check Roblox &status", self.check_status,
                                      icon="status",
                                      tip="Ask status.roblox.com whether Roblox has an outage")
        self.act_clipboard = make_action(self, "&Look up the clipboard", self.lookup_clipboard,
                                         icon="search", shortcut="Ctrl+Shift+L",
                                         tip="Search for the text on the clipboard "
                                         "(Ctrl+Shift+L)")
        self.act_overrides = make_action(self, "Open error-code &overrides folder",
                                         self.open_overrides, icon="folder",
                                         tip="Where your own entries and corrections "
                                         "(errorcodes.json) go")
        self.act_back = make_action(self, "&Back", self.go_back, icon="back",
                                    shortcut=QKeySequence.StandardKey.Back,
                                    tip="Back to the previous lookup (Alt+Left)")
        self.act_forward = make_action(self, "&Forward", self.go_forward, icon="forward",
                                       shortcut=QKeySequence.StandardKey.Forward,
                                       tip="Forward again (Alt+Right)")
        for action, key in ((self.act_back, "Alt+Left"), (self.act_forward, "Alt+Right")):
            # Alt+Left is what UX promises everywhere; some platforms bind Back elsewhere.
            if QKeySequence(key) not in action.shortcuts():
                action.setShortcuts([*action.shortcuts(), QKeySequence(key)])
            # Icons only in the toolbar (as in a browser), so the toolbar fits 800 px.
            action.setPriority(QAction.Priority.LowPriority)
            action.setEnabled(False)

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 0)
        bar = QHBoxLayout()
        self.search = SearchBox("Error code, pasted error message or words like "
                                "\u201cfirewall\u201d", "errorSearch")
        self.search.textChanged.connect(self.run_search)
        self.category = QComboBox()
        self.category.addItem("All categories", "")
        for key in CATEGORIES:
            self.category.addItem(CATEGORY_LABELS[key], key)
        self.category.setToolTip("Show only this kind of error")
        self.category.currentIndexChanged.connect(self.run_search)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.category)
        layout.addLayout(bar)

        self.banner = Banner()
        layout.addWidget(self.banner)
        self.status_label = QLabel()
        self.status_label.setObjectName("robloxStatus")
        self.status_label.setWordWrap(True)
        self.status_label.setTextFormat(Qt.TextFormat.RichText)
        self.status_label.setOpenExternalLinks(True)
        self.status_label.hide()
        layout.addWidget(self.status_label)
        self.result_note = ResultNote()
        self.result_note.link_activated.connect(lambda href: self._link_clicked(QUrl(href)))
        layout.addWidget(self.result_note)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 4, 0, 0)
        self.list_heading = QLabel()
        font = self.list_heading.font()
        font.setBold(True)
        self.list_heading.setFont(font)
        self.list_heading.setWordWrap(True)
        self.results = QListWidget()
        self.results.setObjectName("errorResults")
        self.results.setItemDelegate(ResultDelegate(self.results))
        self.results.setUniformItemSizes(True)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # The detail follows the *selected* row: focusing the list makes its first row
        # current without selecting it, which must not replace an entry opened by a link.
        self.results.itemSelectionChanged.connect(self._selection_changed)
        left_layout.addWidget(self.list_heading)
        left_layout.addWidget(self.results, 1)
        left.setMinimumWidth(240)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 4, 0, 0)
        self.detail_stack = QStackedWidget()
        self.intro = EmptyState(
            "errors", "Look up a Roblox error",
            "Type the code from the error dialog, paste the whole dialog, or describe what "
            "happened. You get the cause and numbered steps to fix it, offline.",
            [Button(f"Try \u201c{example}\u201d", partial(self._look_up, example))
             for example in EXAMPLES])
        self.no_match = EmptyState("search", "No match", "Nothing matches this text.")
        self.no_match_status = self.no_match.add_button(
            Button("Check Roblox status", self.check_status, icon="status"))
        self.no_match.add_button(Button("Clear the search", self.search.clear))
        self.browser = QTextBrowser()
        self.browser.setObjectName("errorDetail")
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._link_clicked)
        for widget in (self.intro, self.no_match, self.browser):
            self.detail_stack.addWidget(widget)
        self.detail_page = self.browser
        right_layout.addWidget(self.detail_stack)

        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([320, 640])
        # Side by side the panels' minimums add up (about 760 px); stacked they don't. The
        # page switches to stacked below WIDE_PAGE (resizeEvent), so only the stacked
        # minimum may hold the window wide.
        splitter.setMinimumWidth(STACKED_MIN_WIDTH)
        layout.addWidget(splitter, 1)
        self.splitter = splitter
        watched: tuple[QWidget, ...] = (self, self.browser.viewport(),
                                        self.results.viewport(), self.intro, self.no_match)
        for target in watched:
            target.installEventFilter(self)

    # --- search ---------------------------------------------------------------------------
    def run_search(self) -> None:
        """Search for the box's text in the chosen category and show the ranked results."""
        # The first row is chosen for the new lookup, which is remembered as a whole at the
        # end: the choice must not be written into the view shown before it.
        self._searching = True
        try:
            self._search()
        finally:
            self._searching = False
        self._remember()

    def _search(self) -> None:
        query = self.search.text()
        category = self.category.currentData() or None
        self.results.blockSignals(True)
        self.results.clear()
        self.results.blockSignals(False)
        if not query.strip():
            self.result = None
            self.result_note.set_html("")
            self._list_browse(category)
            return
        self.result = search(query, self.kb, limit=25, category=category)
        result = self.result
        outside = ""
        if category and not result.matches:
            # Nothing in this category: show what the other categories have, and say so.
            wider = search(query, self.kb, limit=25)
            if wider.matches:
                self.result = result = wider
                outside = f"none in {CATEGORY_LABELS[category]}, showing all categories"
        if result.matches:
            count = len(result.matches)
            heading = f"{count} match{'es' if count != 1 else ''}"
            self.list_heading.setText(f"{heading} · {outside}" if outside else heading)
            self.list_heading.setToolTip(result.note())
            self.result_note.set_html(note_html(result, self.kb.get))
            self._fill(result.matches)
            self.results.setCurrentRow(0)
            return
        self.result_note.set_html("")
        self.list_heading.setText("Closest entries" if result.suggestions else "")
        self.list_heading.setToolTip("")
        self._fill(result.suggestions)
        self.current = None
        self.no_match.set_heading(result.note() or "No match")
        where = f"Nothing in {CATEGORY_LABELS[category]} matches. " if category else ""
        tips = "".join(f"<li>{html.escape(tip)}</li>" for tip in result.advice())
        closest = "<p>The list shows the closest entries.</p>" \
            if result.suggestions else ""
        self.no_match.set_text(f"{html.escape(where)}<ul style='text-align: left;'>{tips}</ul>"
                               f"{closest}")
        self.no_match_status.setVisible(result.status_hint)
        self.detail_stack.setCurrentWidget(self.no_match)
        self._update_actions()

    def _list_browse(self, category: str | None) -> None:
        """No query: list a category, or the codes players look up most."""
        if category:
            entries = self.kb.in_category(category)
            self.list_heading.setText(f"{CATEGORY_LABELS[category]} · {len(entries)} entries")
        else:
            entries = [e for e in self.kb if e.common]
            self.list_heading.setText("Often looked up")
        self.list_heading.setToolTip("")
        # Browsing has no "why": the third line names the engine's name for the code instead.
        self._fill([Match(e, 0.0, (e.name,) if e.name else ()) for e in entries])
        self.current = None
        self.detail_stack.setCurrentWidget(self.intro)
        self._update_actions()

    def _fill(self, matches: tuple[Match, ...] | list[Match]) -> None:
        self.results.blockSignals(True)
        for match in matches:
            entry = match.entry
            item = QListWidgetItem()
            item.setData(Role.ID, entry.id)
            item.setData(Role.LABEL, entry.label)
            item.setData(Role.HEADLINE, entry.headline)
            item.setData(Role.REASON, "; ".join(match.reasons))
            item.setData(Role.CATEGORY, entry.category)
            item.setData(Role.VERIFIED, entry.verified)
            item.setData(Qt.ItemDataRole.DisplayRole, f"{entry.label}: {entry.headline}")
            item.setToolTip(f"{entry.label}: {entry.headline}\nWhy: {'; '.join(match.reasons)}")
            self.results.addItem(item)
        self.results.blockSignals(False)
        self._fit_list()

    def _selection_changed(self) -> None:
        selected = self.results.selectedItems()
        if not selected:
            return
        item = selected[0]
        entry = self.kb.get(str(item.data(Role.ID)))
        if entry is not None:
            self.show_entry(entry, self._reasons(item))
            if not (self._restoring or self._searching):
                self.history.update(entry.id)

    def _reasons(self, item: QListWidgetItem) -> tuple[str, ...]:
        """Why the item's entry matched (none for browsing or suggestions)."""
        if not (self.result and self.result.matches):
            return ()
        return tuple(r for r in str(item.data(Role.REASON)).split("; ") if r)

    def show_entry(self, entry: Entry, reasons: tuple[str, ...] = (),
                   back_to: str = "") -> None:
        """Show one entry in the detail view (``back_to``: what Back returns to, named when
        the entry was opened from a link rather than chosen in the list)."""
        self.current = entry
        related = [r for r in (self.kb.get(i) for i in entry.related) if r is not None]
        result = self.result
        # The fix of the best match starts with Roblox's own state: offer the check there.
        status_link = bool(result and result.status_hint and result.best
                           and result.best.entry.id == entry.id)
        self.browser.setHtml(entry_html(entry, self.palette(), reasons, related,
                                        label_of=self._label_of, status_link=status_link,
                                        back_to=back_to))
        self.detail_stack.setCurrentWidget(self.detail_page)
        self._update_actions()

    def _label_of(self, entry_id: str) -> str:
        entry = self.kb.get(entry_id)
        return entry.label if entry is not None else entry_id

    def _link_clicked(self, url: QUrl) -> None:
        if url.scheme() == "entry":
            self.open_entry(url.path())
        elif url.scheme() == "action" and url.path() == "status":
            self.check_status()
        elif url.scheme() == "action" and url.path() == "back":
            self.go_back()
        elif url.scheme() in ("http", "https"):
            QDesktopServices.openUrl(url)

    def open_entry(self, entry_id: str) -> bool:
        """Show an entry directly (a related link, a code in the note) as a step Back can
        undo; the lookup and its list stay as they are."""
        entry = self.kb.get(entry_id)
        if entry is None:
            return False
        self.history.visit(View(self.search.text(), self._category(), entry.id))
        self._display(entry.id)
        self._update_actions()
        return True

    def _display(self, entry_id: str) -> None:
        """Show an entry, selected in the list when the list has it."""
        entry = self.kb.get(entry_id)
        if entry is None:
            return
        row = next((i for i in range(self.results.count())
                    if self.results.item(i).data(Role.ID) == entry.id), -1)
        self.results.blockSignals(True)
        if row >= 0:
            self.results.setCurrentRow(row)
        else:
            self.results.setCurrentRow(-1)
            self.results.clearSelection()
        self.results.blockSignals(False)
        if row >= 0:
            self.show_entry(entry, self._reasons(self.results.item(row)))
            return
        previous = self.history.previous
        back_to = ""
        if previous is not None:
            before = self.kb.get(previous.entry_id) if previous.entry_id else None
            back_to = before.label if before is not None else (
                f"\u201c{previous.query}\u201d" if previous.query else "the start")
        self.show_entry(entry, back_to=back_to)

    def _update_actions(self) -> None:
        self.act_copy_steps.setEnabled(self.current is not None)
        self.act_back.setEnabled(self.history.can_back)
        self.act_forward.setEnabled(self.history.can_forward)

    # --- history --------------------------------------------------------------------------
    def _category(self) -> str:
        return str(self.category.currentData() or "")

    def _look_up(self, text: str) -> None:
        """A lookup that is a step of its own (an example, the clipboard, another page)."""
        self._step_next = True
        if self.search.text() == text:
            self.run_search()
        else:
            self.search.setText(text)

    def _remember(self) -> None:
        """Note what a lookup now shows: typing replaces its own view, a step adds one."""
        step, self._step_next = self._step_next, False
        if not self._restoring:
            view = View(self.search.text(), self._category(),
                        self.current.id if self.current is not None else None)
            if step:
                self.history.visit(view)
            else:
                self.history.typed(view)
        self._update_actions()

    def go_back(self) -> bool:
        """Alt+Left, the Back button or the mouse's back button: the view before."""
        view = self.history.back()
        if view is not None:
            self._restore(view)
        return view is not None

    def go_forward(self) -> bool:
        view = self.history.forward()
        if view is not None:
            self._restore(view)
        return view is not None

    def _restore(self, view: View) -> None:
        self._restoring = True
        try:
            index = self.category.findData(view.category)
            if index >= 0 and index != self.category.currentIndex():
                self.category.setCurrentIndex(index)  # searches again
            if self.search.text() != view.query:
                self.search.setText(view.query)  # searches again
            if view.entry_id is not None:
                self._display(view.entry_id)
        finally:
            self._restoring = False
        self._update_actions()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The mouse's back and forward buttons, wherever the pointer is on the page.
        if event.type() == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            if event.button() == Qt.MouseButton.BackButton:
                self.go_back()
                return True
            if event.button() == Qt.MouseButton.ForwardButton:
                self.go_forward()
                return True
        return super().eventFilter(watched, event)

    # --- actions --------------------------------------------------------------------------
    def copy_steps(self) -> bool:
        if self.current is None:
            self.message.emit("Choose an error first, then copy its steps.", 3000)
            return False
        QApplication.clipboard().setText(self.current.steps_text())
        # What we put there ourselves is no error to offer back.
        self._offered.add(self.current.id)
        self.message.emit(f"Steps for {self.current.label} copied.", 3000)
        return True

    def check_status(self) -> None:
        """Ask the Roblox status page in the thread pool; the answer shows under the search."""
        if self._status_worker is not None:
            return
        self.act_status.setEnabled(False)
        self._set_status("unknown", "Checking the Roblox status page…")
        self._status_worker = self.context.tasks.run_task(
            check_status, base_url=self.status_url, on_done=self._status_done,
            on_error=self._status_failed)

    def _status_done(self, report: StatusReport) -> None:
        self._status_worker = None
        self.act_status.setEnabled(True)
        times = []
        updated = report.updated_at
        if updated is not None:
            shown = updated.strftime("%H:%M" if updated.date() == report.checked_at.date()
                                     else "%d %b %H:%M")
            times.append(f"Roblox updated its page at {shown}")
        times.append(f"checked at {report.checked_at.strftime('%H:%M')}")
        link = f'<a href="{html.escape(report.url)}">Open the status page</a>'
        said = "; ".join(times)
        self._set_status(report.level, f"{html.escape(report.message)}<br><small>"
                         f"{said[:1].upper()}{said[1:]}. {link}</small>")
        self.message.emit("Roblox status checked.", 3000)

    def _status_failed(self, exc: BaseException) -> None:
        # check_status reports failures itself; reaching this is a bug, logged by the task.
        self._status_worker = None
        self.act_status.setEnabled(True)
        self._set_status("unknown", "Could not check the Roblox status page (see the log).")

    def _set_status(self, level: str, text: str) -> None:
        color = service_color(level).name()
        self.status_label.setText(f'<span style="color: {color};">●</span> {text}')
        self.status_label.setProperty("level", level)
        self.status_label.show()

    def lookup_clipboard(self) -> None:
        text = QApplication.clipboard().text().strip()
        if not text:
            self.message.emit("The clipboard holds no text to look up.", 3000)
            return
        self.banner.hide()
        self._look_up(text)

    def open_overrides(self) -> None:
        folder = knowledge.override_path().parent
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    # --- clipboard offer ------------------------------------------------------------------
    def _application_state_changed(self, state: Qt.ApplicationState) -> None:
        if state == Qt.ApplicationState.ApplicationActive:
            self.offer_clipboard()

    def offer_clipboard(self) -> None:
        """If the clipboard names an error code not offered before, offer to look it up."""
        text = QApplication.clipboard().text()
        entry = code_to_offer(text, self.kb)
        if entry is None or entry.id in self._offered:
            return
        self._offered.add(entry.id)
        if self.current is not None and self.current.id == entry.id:
            return
        self.banner.show_message(
            f"Look up error {entry.code} from the clipboard?",
            [("Look up", lambda: self._accept_offer(text))])
        if not self.isVisible():
            self.message.emit(f"Error {entry.code} is on the clipboard: see the Error codes "
                              "page to look it up.", 8000)

    def _accept_offer(self, text: str) -> None:
        # The banner lives on this page, so the page is already shown when it is clicked.
        self.banner.hide()
        self._look_up(text.strip())

    def _show_problems(self) -> None:
        problems = self.kb.problems
        if not problems:
            return
        more = f" ({len(problems) - 1} more in the log)" if len(problems) > 1 else ""
        for problem in problems:
            log.warning("Error-code overrides: %s", problem)
        self.banner.show_message(f"Your error-code overrides have a problem: {problems[0]}"
                                 f"{more}", [("Open folder", self.open_overrides)],
                                 WARNING_COLOR)

    # --- page hooks -----------------------------------------------------------------------
    def toolbar_actions(self) -> list[QAction | None]:
        return [self.act_back, self.act_forward, None, self.act_copy_steps, self.act_status,
                self.act_clipboard]

    def menu_actions(self) -> dict[str, list[QAction | None]]:
        return {"Edit": [self.act_copy_steps],
                "View": [self.act_back, self.act_forward],
                "Tools": [self.act_status, self.act_clipboard, self.act_overrides]}

    def summary(self) -> str:
        return self.kb.summary()

    def activate(self, argument: object = None) -> None:
        if isinstance(argument, str) and argument.strip():
            self._look_up(argument.strip())
        elif isinstance(argument, int):
            self._look_up(str(argument))
        self.summary_changed.emit(self.summary())

    def focus_search(self) -> bool:
        return self.search.focus()

    def copy_selection(self) -> bool:
        return self.copy_steps() if self.current is not None else False

    def refresh(self) -> None:
        """F5: read the override file again (after editing it) and search again."""
        self.kb = knowledge.load()
        self.banner.hide()
        self._show_problems()
        self.run_search()
        self.summary_changed.emit(self.summary())
        self.message.emit(f"Error codes reloaded: {self.kb.summary()}.", 3000)

    def shutdown(self) -> None:
        if self._status_worker is not None:
            self._status_worker.abort()
        app = QGuiApplication.instance()
        if self._watching_app and isinstance(app, QGuiApplication):
            self._watching_app = False
            with contextlib.suppress(RuntimeError, TypeError):
                app.applicationStateChanged.disconnect(self._application_state_changed)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_width()

    def _fit_width(self) -> None:
        """Side by side from WIDE_PAGE on, the list above the entry below it."""
        stacked = self.width() < WIDE_PAGE
        wanted = Qt.Orientation.Vertical if stacked else Qt.Orientation.Horizontal
        if self.splitter.orientation() == wanted:
            return
        self.splitter.setOrientation(wanted)
        if stacked:
            self._fit_list()
        else:
            self.splitter.setSizes([320, max(self.splitter.width() - 320, 400)])

    def _fit_list(self) -> None:
        """Stacked: the list as tall as its rows, up to four of them (the handle moves the
        border), so one match leaves the room to its entry."""
        if self.splitter.orientation() != Qt.Orientation.Vertical:
            return
        total = max(self.splitter.height(), 400)
        rows = max(1, min(self.results.count(), 4))
        frame = 2 * self.results.frameWidth() + 4
        wanted = (self.list_heading.sizeHint().height() + 4 + frame
                  + rows * ResultDelegate.row_height(self.results.fontMetrics()))
        wanted = min(wanted, total * 2 // 5)
        self.splitter.setSizes([wanted, total - wanted])

    # Keep the detail colours in step with a light/dark switch.
    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.current is not None:
            self._display(self.current.id)
