"""The Error codes page: look up a code or a pasted error dialog, read the cause and the fix."""

from __future__ import annotations

import contextlib
import logging
from functools import partial

from PySide6.QtCore import QEvent, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication
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
from robloxassets.gui.page import Page, PageContext
from robloxassets.gui.style import WARNING_COLOR, service_color
from robloxassets.gui.tasks import GeneratorWorker
from robloxassets.gui.widgets import Banner, Button, EmptyState, SearchBox

log = logging.getLogger(__name__)

EXAMPLES = ("279", "server is full", "blurry decal")


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
        self.results.currentItemChanged.connect(self._current_changed)
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
            [Button(f"Try \u201c{example}\u201d", partial(self.search.setText, example))
             for example in EXAMPLES])
        self.no_match = EmptyState("search", "No match", "Nothing matches this text.",
                                   [Button("Clear the search", self.search.clear)])
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
        layout.addWidget(splitter, 1)
        self.splitter = splitter

    # --- search ---------------------------------------------------------------------------
    def run_search(self) -> None:
        """Search for the box's text in the chosen category and show the ranked results."""
        query = self.search.text()
        category = self.category.currentData() or None
        self.results.blockSignals(True)
        self.results.clear()
        self.results.blockSignals(False)
        if not query.strip():
            self.result = None
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
            note = " · ".join(n for n in (outside, result.note()) if n)
            self.list_heading.setText(f"{heading} · {note}" if note else heading)
            self.list_heading.setToolTip(note)
            self._fill(result.matches)
            self.results.setCurrentRow(0)
            return
        self.list_heading.setText("Closest entries" if result.suggestions else "")
        self._fill(result.suggestions)
        self.current = None
        self.no_match.set_heading(result.note() or "No match")
        where = f" in {CATEGORY_LABELS[category]}" if category else ""
        self.no_match.set_text(
            f"Nothing{where} matches this text. Try the code alone (e.g. 279), fewer words, or "
            "another spelling. The closest entries are listed on the left.")
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

    def _current_changed(self, item: QListWidgetItem | None,
                         _previous: QListWidgetItem | None = None) -> None:
        if item is None:
            return
        entry = self.kb.get(str(item.data(Role.ID)))
        if entry is not None:
            reasons = tuple(r for r in str(item.data(Role.REASON)).split("; ") if r)
            self.show_entry(entry, reasons if self.result and self.result.matches else ())

    def show_entry(self, entry: Entry, reasons: tuple[str, ...] = ()) -> None:
        """Show one entry in the detail view."""
        self.current = entry
        related = [r for r in (self.kb.get(i) for i in entry.related) if r is not None]
        self.browser.setHtml(entry_html(entry, self.palette(), reasons, related))
        self.detail_stack.setCurrentWidget(self.detail_page)
        self._update_actions()

    def _link_clicked(self, url: QUrl) -> None:
        if url.scheme() == "entry":
            entry = self.kb.get(url.path())
            if entry is not None:
                # A fresh lookup keeps the list and the detail in step.
                self.search.setText(entry.id if entry.is_code else entry.title)
                return
        if url.scheme() in ("http", "https"):
            QDesktopServices.openUrl(url)

    def _update_actions(self) -> None:
        self.act_copy_steps.setEnabled(self.current is not None)

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
        when = report.checked_at.strftime("%H:%M")
        link = f' <a href="{report.url}">Open the status page</a>'
        self._set_status(report.level, f"{report.message} Checked at {when}.{link}")
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
        self.search.setText(text)

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
        self.search.setText(text.strip())

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
        return [self.act_copy_steps, self.act_status, self.act_clipboard]

    def menu_actions(self) -> dict[str, list[QAction | None]]:
        return {"Edit": [self.act_copy_steps],
                "Tools": [self.act_status, self.act_clipboard, self.act_overrides]}

    def summary(self) -> str:
        return self.kb.summary()

    def activate(self, argument: object = None) -> None:
        if isinstance(argument, str) and argument.strip():
            self.search.setText(argument.strip())
        elif isinstance(argument, int):
            self.search.setText(str(argument))
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

    # Keep the detail colours in step with a light/dark switch.
    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.current is not None:
            self.show_entry(self.current)
