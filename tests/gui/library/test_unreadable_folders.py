"""Folders the Library can't look into (issue 10 follow-up): a subfolder without read
permission is named in a note with what to do, and counted in the status bar summary,
instead of being skipped with only a log line (before, the grid looked complete).

As root no permission stops a read, so the folder's listing is refused the way the system
refuses it for everyone else (a PermissionError from ``os.scandir``).
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from PIL import Image

from robloxassets.core.images.scan_types import FolderProblem
from robloxassets.gui.library.folder_notes import note_text


@pytest.fixture
def locked_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    root = tmp_path / "decals"
    private = root / "private stuff"
    private.mkdir(parents=True)
    Image.new("RGB", (64, 64), (20, 120, 40)).save(root / "grass.png")
    Image.new("RGB", (64, 64), (20, 20, 140)).save(private / "secret.png")
    locked = {"now": True}
    if os.geteuid() != 0:
        private.chmod(0)
    else:
        real = os.scandir

        def scandir(path=".", *args, **kwargs):
            if locked["now"] and not isinstance(path, int) and os.fspath(path) == str(private):
                raise PermissionError(errno.EACCES, "Permission denied", str(private))
            return real(path, *args, **kwargs)

        monkeypatch.setattr(os, "scandir", scandir)

    def unlock() -> None:
        locked["now"] = False
        private.chmod(0o755)

    yield root, private, unlock
    unlock()


def wait_idle(qtbot, page) -> None:
    qtbot.waitUntil(lambda: not page._scans and page.model.rows
                    and all(r.info for r in page.model.rows), timeout=20000)


def test_an_unreadable_subfolder_is_named_with_what_to_do(qtbot, main_window,
                                                          locked_folder) -> None:
    root, private, unlock = locked_folder
    library = main_window.page("library")
    main_window.show_page("library")
    library.open_paths([str(root)])
    wait_idle(qtbot, library)
    assert [Path(r.path).name for r in library.model.rows] == ["grass.png"]
    note = library.folder_note
    qtbot.waitUntil(note.isVisible, timeout=5000)
    text = note.label.text()
    assert str(private) in text
    assert "permission denied" in text and "were not checked" in text
    assert "give your user permission to read that folder" in text
    assert "1 folder not read" in library.summary()

    # Readable again: Check again finds its images and the note goes.
    unlock()
    library.refresh()
    qtbot.waitUntil(lambda: len(library.model.rows) == 2 and not library._scans,
                    timeout=20000)
    assert not note.isVisible()
    assert "not read" not in library.summary()


def test_several_folders_are_counted() -> None:
    problems = [FolderProblem(f"/art/f{n}", "could not be read (permission denied)",
                              "give your user permission to read that folder")
                for n in range(5)]
    text = note_text(problems)
    assert text.startswith("5 folders could not be read")
    assert "/art/f0 (permission denied)" in text and "and 2 more" in text
