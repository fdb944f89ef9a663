"""The Library's note about folders it could not look into (no permission, a path too
long): their images are missing from the grid, so the user is told which folders and what to
do, instead of a grid that looks complete."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable

from PySide6.QtWidgets import QWidget

from robloxassets.core.images.scan_types import FolderProblem
from robloxassets.gui.style import WARNING_COLOR
from robloxassets.gui.widgets import Banner

#: Folders named in the note; the rest are counted.
NAMED = 3


def is_under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def note_text(problems: list[FolderProblem]) -> str:
    """One paragraph: which folders, why, and what to do."""
    if len(problems) == 1:
        problem = problems[0]
        head = (f"The folder {problem.path} {problem.reason}, so the images in it were not "
                "checked.")
    else:
        named = "; ".join(f"{p.path} ({p.reason.removeprefix('could not be read ').strip('()')})"
                          for p in problems[:NAMED])
        more = f" and {len(problems) - NAMED:,} more" if len(problems) > NAMED else ""
        head = (f"{len(problems):,} folders could not be read, so the images in them were "
                f"not checked: {named}{more}.")
    advice = next((p.advice for p in problems if p.advice), "check the folder")
    return f"{head} To include them, {advice}, then press Check again (F5)."


class FolderNote(Banner):
    """A banner of the folders the last scans could not read, kept per folder: a new scan
    of an open folder replaces what is known under it. ``count`` is for the summary."""

    def __init__(self, check_again: Callable[[], object],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._check_again = check_again
        self.problems: dict[str, FolderProblem] = {}

    @property
    def count(self) -> int:
        return len(self.problems)

    def scanning(self, roots: Iterable[str]) -> None:
        """A scan of ``roots`` starts: what it finds replaces what was known under them."""
        roots = list(roots)
        self.problems = {path: problem for path, problem in self.problems.items()
                         if not any(is_under(path, root) for root in roots)}
        self._show()

    def add(self, problems: Iterable[FolderProblem]) -> None:
        for problem in problems:
            self.problems[problem.path] = problem
        self._show()

    def clear(self) -> None:
        self.problems = {}
        self._show()

    def _show(self) -> None:
        if not self.problems:
            self.hide()
            return
        self.show_message(note_text(sorted(self.problems.values(), key=lambda p: p.path)),
                          [("Check again", self._check_again)], accent=WARNING_COLOR)
