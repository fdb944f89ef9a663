"""Imports and exports of the window against hostile files (issue 10, from the GUI): JSON
nested 100,000 deep, a FIFO named .json, a FIFO or device as the export target. Each ends
at once with a sentence naming the file; none blocks or crashes. Before, refusing a FIFO as
export target told the window's user to "give a file name (or - for standard output)",
the command line's option."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from robloxassets.core.catalog.model import Entry
from robloxassets.core.catalog.store import Catalog


@pytest.fixture
def page(qtbot, main_window):
    with Catalog() as catalog:
        catalog.add(Entry(name="Brick wall", decal_id=1001, image_id=2001))
    page = main_window.page("catalog")
    main_window.show_page("catalog")
    qtbot.waitUntil(lambda: page.model is not None and page.model.rowCount() == 1,
                    timeout=10000)
    return page


def said(qtbot, window, start) -> str:
    bar = window.statusBar()
    with qtbot.waitSignal(bar.messageChanged, timeout=10000,
                          check_params_cb=lambda text: bool(text)):
        start()
    return bar.currentMessage()


def test_imports_of_deep_json_and_fifos_end_with_a_sentence(qtbot, main_window, page,
                                                            tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    text = said(qtbot, main_window, lambda: page.transfers.import_from(str(deep)))
    assert "deep.json is not valid JSON" in text and "nested too deeply" in text
    qtbot.waitUntil(lambda: not page.transfers.busy, timeout=5000)
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    text = said(qtbot, main_window, lambda: page.transfers.import_from(str(fifo)))
    assert "named pipe (FIFO), not a file" in text
    qtbot.waitUntil(lambda: not page.transfers.busy, timeout=5000)
    with Catalog() as catalog:
        assert catalog.total() == 1


def test_exports_onto_a_fifo_or_device_are_refused_in_the_windows_words(
        qtbot, main_window, page, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    for target, kind in ((str(fifo), "named pipe"), ("/dev/full", "character device")):
        text = said(qtbot, main_window, lambda t=target: page.transfers.export_to(t, "csv"))
        assert kind in text and "exports are written to files only" in text
        assert "standard output" not in text
    assert os.path.exists("/dev/full") and not os.path.isfile("/dev/full")
