"""packaging/take_screenshots.py: two pictures of every page the window has, whatever the
pages are, including one added after the script was written."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel, QVBoxLayout

from robloxassets.gui.page import Page

SCRIPT = Path(__file__).resolve().parents[2] / "packaging" / "take_screenshots.py"


@pytest.fixture(scope="module")
def shots_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("take_screenshots", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["take_screenshots"] = module
    spec.loader.exec_module(module)
    return module


class LaterPage(Page):
    """A page the script has never heard of (as the Uploads page once was)."""

    page_id = "later"
    title = "Later page"
    icon_name = "search"

    def __init__(self, context, parent=None) -> None:
        super().__init__(context, parent)
        QVBoxLayout(self).addWidget(QLabel("Nothing here yet"))


def test_every_page_gets_a_full_size_and_an_800_px_picture(
        qtbot, qapp, tmp_path: Path, shots_module: ModuleType) -> None:
    from robloxassets.gui.mainwindow import MainWindow
    from robloxassets.gui.pages import page_classes

    qapp.setProperty("robloxassets.testing", True)
    shots_module.seed_catalogue()
    window = MainWindow([*page_classes(), LaterPage])
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    saved = shots_module.page_shots(shots_module.Shots(qapp, window, settle=0.05), tmp_path)
    names = [shots_module.slug(page.title) for page in window.pages]
    assert names[-1] == "later-page" and "error-codes" in names
    assert [p.name for p in saved] == [f"{n}{end}" for n in names
                                       for end in (".png", "-800.png")]
    for path in saved:
        width = QImage(str(path)).width()
        assert width == (800 if path.name.endswith("-800.png") else 1280), path.name
    about = shots_module.about_shot(shots_module.Shots(qapp, window, settle=0.05), tmp_path)
    assert not QImage(str(about)).isNull()
    window.close()


def test_slugs_are_file_names(shots_module: ModuleType) -> None:
    assert shots_module.slug("Error codes") == "error-codes"
    assert shots_module.slug("Catalogue") == "catalogue"
    assert shots_module.slug("Uploads / queue") == "uploads-queue"
