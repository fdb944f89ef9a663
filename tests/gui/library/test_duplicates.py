"""The Library's duplicates: the badge, the "Has duplicates" filter, the details' near-copies
and the warning before preparing a near-copy of a catalogued asset."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PIL import ImageOps
from PySide6.QtWidgets import QMessageBox

from robloxassets.core.catalog.model import Entry, Status
from robloxassets.core.catalog.store import Catalog
from robloxassets.gui.library.model import FILTERS, Role
from tests import dupset
from tests.images import sha256_of


@pytest.fixture
def library(main_window):
    main_window.show_page("library")
    return main_window.page("library")


def open_and_wait(qtbot, library, folder: Path) -> None:
    library.open_paths([str(folder)])
    qtbot.waitUntil(lambda: not library._scans and bool(library.model.rows)
                    and all(r.info for r in library.model.rows), timeout=20000)
    qtbot.waitUntil(lambda: library.near_copies.worker is None
                    and any(r.near for r in library.model.rows), timeout=20000)


def test_badge_filter_and_details(qtbot, library, tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    lib.mkdir()
    dupset.source_image(2).save(lib / "gem.png")
    ImageOps.mirror(dupset.source_image(2)).save(lib / "gem-flipped.png")
    shutil.copy(lib / "gem.png", lib / "gem copy.png")
    dupset.source_image(5).save(lib / "alone.png")
    open_and_wait(qtbot, library, lib)
    model = library.model
    gem = model.index(model.row_for_path(str(lib / "gem.png")))
    alone = model.index(model.row_for_path(str(lib / "alone.png")))
    assert gem.data(Role.DUPLICATES) == 2 and alone.data(Role.DUPLICATES) == 0
    assert not library.view.grab().isNull()  # the badge paints
    library.filter_combo.setCurrentIndex(list(FILTERS).index("duplicates"))
    assert library.proxy.rowCount() == 3
    library.filter_combo.setCurrentIndex(0)
    library.view.setCurrentIndex(library.proxy.mapFromSource(gem))
    value = library.details.facts.value("Near-copies") or ""
    # Without a known SHA-256 an identical file is "the same picture".
    assert "gem copy.png — same picture" in value or "gem copy.png — exact copy" in value
    assert "gem-flipped.png — mirrored copy" in value


def test_preparing_a_near_copy_of_a_rejected_asset_warns(qtbot, library, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    lib = tmp_path / "lib"
    lib.mkdir()
    uploaded = tmp_path / "uploaded.png"
    dupset.source_image(5).save(uploaded)
    dupset.source_image(5).resize((120, 120)).save(lib / "alone-small.png")
    ImageOps.mirror(dupset.source_image(2)).save(lib / "gem-flipped.png")
    dupset.source_image(2).save(lib / "gem.png")
    with Catalog() as catalog:
        catalog.add(Entry(name="Alone", image_id=55, file_path=str(uploaded),
                          sha256=sha256_of(uploaded), status=Status.REJECTED))
    open_and_wait(qtbot, library, lib)
    qtbot.waitUntil(lambda: bool(library.model.row(str(lib / "alone-small.png"))
                                 .catalogued_copies), timeout=20000)
    infos = [r.info for r in library.model.rows if r.info]
    warnings = library.preparer.near_copy_warnings(infos)
    assert list(warnings) == [str(lib / "alone-small.png")]
    match = warnings[str(lib / "alone-small.png")]
    assert (match.asset_id, match.status) == (55, Status.REJECTED)
    shown: list[str] = []

    def fake_exec(box: QMessageBox) -> int:
        shown.append(box.text())
        return 0  # closed: no button, the same as Cancel

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    assert library.preparer._confirm_near_copies(infos) is None
    assert "rbxassetid://55" in shown[0] and "rejected" in shown[0]
    small = library.model.index(library.model.row_for_path(str(lib / "alone-small.png")))
    library.view.setCurrentIndex(library.proxy.mapFromSource(small))
    assert "rbxassetid://55" in (library.details.facts.value("Looks like") or "")
