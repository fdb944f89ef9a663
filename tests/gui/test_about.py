"""Help > About: version, the MIT licence, Qt's LGPL notice, every bundled package's text."""

from __future__ import annotations

import pytest

from robloxassets import __version__
from robloxassets.core import licences
from robloxassets.gui import about


def open_about(qtbot, main_window) -> about.AboutDialog:
    assert main_window.act_about in main_window.menus["Help"].actions()
    main_window.act_about.trigger()
    dialog = main_window.findChild(about.AboutDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.loaded)
    return dialog


def test_about_shows_the_version_the_licence_and_qt_notice(qtbot, main_window) -> None:
    dialog = open_about(qtbot, main_window)
    assert __version__ in dialog.heading.text()
    assert "LGPL" in dialog.qt_notice.text()
    # The folders were found off the UI thread and shown.
    assert "Data:" in dialog.folders.text()
    # The project's own licence is selected first.
    assert dialog.list.currentRow() == 0
    assert dialog.list.item(0).text() == f"Roblox Assets {__version__}"
    assert dialog.licence_label.text().endswith(": MIT</b>")
    assert dialog.text.toPlainText().startswith("MIT License")


def test_every_component_is_listed_and_its_text_viewable(qtbot, main_window) -> None:
    dialog = open_about(qtbot, main_window)
    expected = licences.every_licence()
    assert [dialog.list.item(i).text() for i in range(dialog.list.count())] == [
        about.entry_label(licence) for licence in expected]
    for row, licence in enumerate(expected):
        dialog.list.setCurrentRow(row)
        assert dialog.text.toPlainText() == licence.text, licence.name
        assert licence.spdx in dialog.licence_label.text()
    assert dialog.select("PySide6_Essentials")
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in dialog.text.toPlainText()
    assert "replace them" in dialog.text.toPlainText()
    assert dialog.select("Native libraries")
    assert "OpenSSL" in dialog.text.toPlainText()
    assert not dialog.select("no such package")


def test_asking_again_raises_the_same_dialog(qtbot, main_window) -> None:
    first = open_about(qtbot, main_window)
    first.close()
    second = open_about(qtbot, main_window)
    assert second is first
    assert len(main_window.findChildren(about.AboutDialog)) == 1


def test_a_failure_to_read_the_licences_is_a_sentence_not_a_traceback(
        qtbot, main_window, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> about.AboutContents:
        raise OSError(5, "Input/output error", "/site-packages/PySide6/METADATA")

    monkeypatch.setattr(about, "read_contents", broken)
    main_window.act_about.trigger()
    dialog = main_window.findChild(about.AboutDialog)
    qtbot.waitUntil(lambda: dialog.text.toPlainText() != about.LOADING_TEXT)
    assert "Traceback" not in dialog.text.toPlainText()
    assert not dialog.loaded and dialog.list.count() == 0
