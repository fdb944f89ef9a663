"""Import and export from the Catalogue page, in the background with progress and cancel.

Exports and the check of an import file run on the task pool, each on a connection of its
own from the window's opener (``CatalogAccess.open_catalog``); the import itself is a write
(``CatalogAccess.write``), so it waits for another program's write lock like any other. The
page refreshes when a job ends.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from robloxassets.core.catalog import codegen, exportformat, transfer
from robloxassets.core.catalog.store import Catalog, ImportCancelled
from robloxassets.gui.catalog_access import WriteCancelled, WriteHandle
from robloxassets.gui.page import PageContext

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExportFormat:
    key: str
    label: str
    suffix: str


EXPORT_FORMATS = (
    ExportFormat("luau", "Luau ModuleScript (*.luau)", ".luau"),
    ExportFormat("ts", "TypeScript declaration for roblox-ts (*.d.ts)", ".d.ts"),
    ExportFormat("json-map", "JSON map of names to IDs (*.json)", ".json"),
    ExportFormat("csv", "CSV spreadsheet, whole catalogue (*.csv)", ".csv"),
    ExportFormat("json", "JSON, whole catalogue (*.json)", ".json"),
)
_SUFFIXES = {f.key: f.suffix for f in EXPORT_FORMATS}
IMPORT_FILTER = "Catalogue files (*.csv *.json);;CSV (*.csv);;JSON (*.json)"


def export_catalog(path: str, fmt: str, open_catalog: Callable[[], Catalog]) -> int:
    """Write an export (runs in a pool thread); returns how many entries it holds."""
    with open_catalog() as catalog:
        if fmt in ("csv", "json"):
            entries = catalog.iter_all()
            text = transfer.csv_text(entries) if fmt == "csv" else transfer.json_text(entries)
            count = len(entries)
        else:
            sources = catalog.code_sources()
            text = codegen.generate(fmt, sources)
            count = len(codegen.code_assets(sources))
    transfer.write_export(path, text, bom=fmt == "csv")
    return count


def plan_file(path: str, open_catalog: Callable[[], Catalog]) -> transfer.ImportPlan:
    with open_catalog() as catalog:
        return transfer.plan_import(catalog, path)


class _Progress(QObject):
    """Carries progress from the worker thread to the UI thread (queued signal)."""

    moved = Signal(int, int)


class CatalogTransfers(QObject):
    """Runs imports and exports for the page.

    Signals: ``message(str, int)`` for the status bar; ``problem(str, object)`` when a job
    failed (``Page.problem``); ``finished()`` after a job changed or wrote something (the
    page refreshes).
    """

    message = Signal(str, int)
    problem = Signal(str, object)
    finished = Signal()

    def __init__(self, context: PageContext, parent: QWidget) -> None:
        super().__init__(parent)
        self.tasks = context.tasks
        self.progress = context.progress
        self.catalog = context.catalog
        self.widget = parent
        self.busy = False
        self._relay = _Progress(self)
        self._relay.moved.connect(self._moved)

    # --- export ----------------------------------------------------------------------------
    def choose_export(self) -> None:
        filters = ";;".join(f.label for f in EXPORT_FORMATS)
        path, chosen = QFileDialog.getSaveFileName(
            self.widget, "Export the catalogue", str(Path.home() / "assets.luau"), filters)
        if not path:
            return
        fmt = next((f for f in EXPORT_FORMATS if f.label == chosen), EXPORT_FORMATS[0])
        decided = self.decide_format(path, fmt.key)
        if decided is not None:
            self.export_to(*decided)

    def decide_format(self, path: str, chosen: str) -> tuple[str, str] | None:
        """The file and format to export, from the name typed and the type chosen in the
        dialog: the typed extension decides (``core.catalog.exportformat``); no extension
        gets the chosen type's; an extension that names another format than the one chosen
        asks which was meant (None: cancelled)."""
        if not exportformat.suffix_of(path) and not Path(path).suffix:
            return path + _SUFFIXES[chosen], chosen
        named = exportformat.mismatch(path, chosen)
        if named is None:
            return path, chosen
        answer = self.ask_format(path, named, chosen)
        return (path, answer) if answer is not None else None

    def ask_format(self, path: str, named: str, chosen: str) -> str | None:
        """Ask whether to write what the name says or what was chosen; None: neither."""
        labels = exportformat.LABELS
        box = QMessageBox(QMessageBox.Icon.Question, "Which format?",
                          f"{Path(path).name} is named like {labels[named]}, but "
                          f"{labels[chosen]} is chosen.", parent=self.widget)
        by_name = box.addButton(f"Export {labels[named]}", QMessageBox.ButtonRole.AcceptRole)
        as_chosen = box.addButton(f"Export {labels[chosen]}", QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(by_name)
        box.exec()
        if box.clickedButton() is by_name:
            return named
        if box.clickedButton() is as_chosen:
            return chosen
        return None

    def export_to(self, path: str, fmt: str) -> None:
        self.progress.start(f"Exporting to {Path(path).name}", 0)
        self.tasks.run_task(export_catalog, path, fmt, self.catalog.open_catalog,
                            on_done=lambda count: self._exported(path, count),
                            on_error=self._failed)

    def _exported(self, path: str, count: int) -> None:
        self.progress.finish()
        noun = "entry" if count == 1 else "entries"
        self.message.emit(f"Exported {count:,} {noun} to {path}.", 8000)

    # --- import ----------------------------------------------------------------------------
    def choose_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.widget, "Import into the catalogue",
                                              str(Path.home()), IMPORT_FILTER)
        if path:
            self.import_from(path)

    def import_from(self, path: str, ask: bool = True) -> None:
        """Check the file in the background, ask about bad rows, then import."""
        if self.busy:
            self.message.emit("An import is already running; wait for it to finish.", 5000)
            return
        self.busy = True
        self.progress.start(f"Checking {Path(path).name}", 0)
        self.tasks.run_task(plan_file, path, self.catalog.open_catalog,
                            on_done=lambda plan: self._planned(plan, ask),
                            on_error=self._failed)

    def _planned(self, plan: transfer.ImportPlan, ask: bool) -> None:
        self.progress.finish()
        if not plan.entries:
            self.busy = False
            reason = f" {plan.problems[0]}" if plan.problems else ""
            self.message.emit(f"Nothing to import from {plan.path.name}.{reason}", 10000)
            return
        if plan.problems and ask and not self._confirm_skip(plan):
            self.busy = False
            self.message.emit("Import cancelled; nothing was added.", 5000)
            return
        self.apply(plan)

    def _confirm_skip(self, plan: transfer.ImportPlan) -> bool:
        listed = "\n".join(f"• {p}" for p in plan.problems[:12])
        more = len(plan.problems) - 12
        if more > 0:
            listed += f"\n… and {more:,} more"
        box = QMessageBox(QMessageBox.Icon.Warning, "Some rows have problems",
                          f"{len(plan.problems):,} of {plan.rows:,} rows in {plan.path.name} "
                          "can't be imported:", parent=self.widget)
        box.setInformativeText(listed)
        skip = box.addButton(f"Skip them, import {len(plan.entries):,}",
                             QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Import nothing", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(skip)
        box.exec()
        return box.clickedButton() is skip

    def apply(self, plan: transfer.ImportPlan) -> WriteHandle:
        """Import the plan's good rows in one transaction (Cancel rolls it back)."""
        self.busy = True
        handle = self.catalog.write(lambda catalog, cancel: self._import_job(plan, catalog,
                                                                             cancel),
                                    on_done=lambda report: self._imported(plan, report),
                                    on_error=self._failed, pass_cancel=True)
        self.progress.start(f"Importing {plan.path.name}", len(plan.entries), handle.cancel)
        return handle

    def _import_job(self, plan: transfer.ImportPlan, catalog: Catalog,
                    cancel: threading.Event) -> transfer.ImportReport:
        # One transaction: safe to start again if the catalogue was busy.
        return transfer.apply_import(catalog, plan, skip_bad=True, cancel=cancel,
                                     progress=self._relay.moved.emit)

    def _moved(self, done: int, total: int) -> None:
        if self.progress.active:
            self.progress.update(done, total)

    def _imported(self, plan: transfer.ImportPlan, report: transfer.ImportReport) -> None:
        self.busy = False
        self.progress.finish()
        noun = "entry" if report.added == 1 else "entries"
        skipped = (f"; skipped {transfer.plural(len(report.skipped), 'bad row')}"
                   if report.skipped else "")
        self.message.emit(f"Imported {report.added:,} {noun} from {plan.path.name}{skipped}.",
                          10000)
        self.finished.emit()

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        self.progress.finish()
        if isinstance(exc, WriteCancelled):
            exc = ImportCancelled()  # cancelled before it began: the import's own words
        self.problem.emit("Importing or exporting", exc)
        self.finished.emit()
