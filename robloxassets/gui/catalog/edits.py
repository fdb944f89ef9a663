"""Changes to the catalogue made from the Catalogue page, each with a step that undoes it.

``CatalogEditor`` is a helper the page owns: it runs every change as a write through
``CatalogAccess`` (off the UI thread; it waits when another program holds the lock) and keeps
the session's undo stack. The page hands it entry IDs and refreshes when it says so.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from PySide6.QtCore import QObject, Signal

from robloxassets.core.catalog.model import Entry, Status
from robloxassets.core.catalog.store import Catalog
from robloxassets.gui.catalog_access import CatalogAccess, WriteHandle

T = TypeVar("T")
#: A write that undoes a change; it returns the entries to select afterwards.
UndoStep = Callable[[Catalog], list[int]]
UNDO_DEPTH = 100


def restore_step(entries: list[Entry]) -> UndoStep:
    """Undo by putting ``entries`` back as they were (same IDs, times and history)."""

    def step(catalog: Catalog) -> list[int]:
        catalog.restore(entries)
        return [e.id for e in entries if e.id is not None]

    return step


def remove_step(entry: Entry) -> UndoStep:
    """Undo recording ``entry``."""

    def step(catalog: Catalog) -> list[int]:
        catalog.remove([entry.id] if entry.id is not None else [])
        return []

    return step


def _plural(count: int) -> str:
    return f"{count:,} {'entry' if count == 1 else 'entries'}"


class CatalogEditor(QObject):
    """Removes, saves, sets status and tags, and undoes, for the page.

    Signals: ``message(str, int)`` and ``problem(str, object)``, as ``Page``'s;
    ``changed(object)`` after a change is written, with the entry IDs to select then (a list,
    or None to keep the selection).
    """

    message = Signal(str, int)
    problem = Signal(str, object)
    changed = Signal(object)

    def __init__(self, access: CatalogAccess, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.access = access
        self.steps: list[tuple[str, UndoStep]] = []  # the undo stack, newest last

    def _write(self, doing: str, fn: Callable[[Catalog], T],
               on_done: Callable[[T], None]) -> WriteHandle:
        return self.access.write(fn, on_done=on_done,
                                 on_error=lambda exc: self.problem.emit(doing, exc))

    def _push(self, label: str, step: UndoStep) -> None:
        self.steps.append((label, step))
        del self.steps[:-UNDO_DEPTH]

    def remove(self, ids: list[int]) -> WriteHandle:
        def removed(entries: list[Entry]) -> None:
            if not entries:
                return
            label = f"'{entries[0].name}'" if len(entries) == 1 else _plural(len(entries))
            self._push(f"removing {label}", restore_step(entries))
            self.changed.emit([])
            self.message.emit(f"Removed {label}. Ctrl+Z brings it back.", 8000)

        return self._write("Removing entries", lambda catalog: catalog.remove(ids), removed)

    def undo(self) -> bool:
        """Undo the last change; False when there is none."""
        if not self.steps:
            return False
        if self.access.writing:
            # The step to undo may be the change still on its way.
            self.message.emit("Wait a moment: the last change is still being saved.", 4000)
            return True
        label, step = self.steps.pop()

        def undone(ids: list[int]) -> None:
            self.changed.emit(ids or None)
            self.message.emit(f"Undid {label}.", 5000)

        def failed(exc: BaseException) -> None:
            self.steps.append((label, step))
            self.problem.emit("Undoing", exc)

        self.access.write(step, on_done=undone, on_error=failed)
        return True

    def save(self, entry: Entry, on_saved: Callable[[Entry], None],
             on_failed: Callable[[BaseException], None]) -> WriteHandle:
        """Add a new entry or store an edited one; ``on_saved`` gets it as stored."""

        def job(catalog: Catalog) -> tuple[Entry, list[Entry]]:
            if entry.id is None:
                return catalog.add(entry), []
            before = catalog.snapshot([entry.id])
            return catalog.update(entry), before

        def saved(result: tuple[Entry, list[Entry]]) -> None:
            stored, before = result
            if before:
                self._push(f"the edit of '{stored.name}'", restore_step(before))
            else:
                self._push(f"recording '{stored.name}'", remove_step(stored))
            on_saved(stored)
            self.changed.emit([stored.id] if stored.id is not None else [])
            self.message.emit(f"Saved '{stored.name}' ({stored.ids_text}).", 5000)

        return self.access.write(job, on_done=saved, on_error=on_failed)

    def set_status(self, ids: list[int], status: Status) -> WriteHandle:
        word = status.label.lower()
        return self._change_many(
            "Setting the status", ids, lambda catalog: catalog.set_status(ids, status),
            lambda count: f"setting {count:,} to {word}",
            lambda count: f"{_plural(count)} now {word}.")

    def change_tags(self, ids: list[int], add: Sequence[str] = (),
                    remove: Sequence[str] = ()) -> WriteHandle:
        return self._change_many(
            "Changing tags", ids, lambda catalog: catalog.change_tags(ids, add, remove),
            lambda count: f"the tag change of {count:,} entries",
            lambda count: f"Changed the tags of {_plural(count)}.")

    def _change_many(self, doing: str, ids: list[int], change: Callable[[Catalog], int],
                     undo_label: Callable[[int], str],
                     said: Callable[[int], str]) -> WriteHandle:
        """A change of many entries at once, undone by putting them back as they were."""

        def job(catalog: Catalog) -> tuple[list[Entry], int]:
            before = catalog.snapshot(ids)
            return before, change(catalog)

        def done(result: tuple[list[Entry], int]) -> None:
            before, count = result
            if not count:
                return
            self._push(undo_label(count), restore_step(before))
            self.changed.emit(None)
            self.message.emit(said(count), 5000)

        return self._write(doing, job, done)
