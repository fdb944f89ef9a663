"""Tools > Open Cloud key…: saving checks the key with the fake Roblox off the UI thread,
shows its owner and scopes, prefills the creator, and the key is nowhere afterwards (no
widget, log line, file or clipboard); without a keyring the dialog says what to do."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from robloxassets.core.cloud.apikey import ACCOUNT, ENV, SERVICE
from robloxassets.core.cloud.assets import Creator
from robloxassets.core.upload.defaults import saved_creator
from tests.cloudfixtures import MemoryKeyring, grep_tree
from tests.fakeroblox import GOOD_KEY, FakeRoblox, KeyRecord
from tests.gui.uploads.helpers import uploads_page


def texts(widget: QWidget) -> list[str]:
    """Every text a widget and its children show or hold."""
    found = [widget.windowTitle(), widget.toolTip()]
    for child in [widget, *widget.findChildren(QWidget)]:
        if isinstance(child, QLineEdit):
            found += [child.text(), child.placeholderText(), child.displayText()]
        elif isinstance(child, QLabel | QAbstractButton):
            found.append(child.text())
        elif isinstance(child, QPlainTextEdit):
            found.append(child.toPlainText())
        found.append(child.toolTip())
    return found


def open_from_tools_menu(window):  # type: ignore[no-untyped-def]
    tools = window.menus["Tools"]
    [action] = [a for a in tools.actions() if a.text().replace("&", "") == "Open Cloud key…"]
    action.trigger()
    page = uploads_page(window)
    assert page.key_dialog is not None
    return page.key_dialog


def test_saving_a_key_shows_what_it_may_do_and_leaves_it_nowhere(
        qtbot, monkeypatch, fake: FakeRoblox, memory_keyring: MemoryKeyring, main_window,
        app_home: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("ROBLOXASSETS_OPEN_CLOUD_URL", fake.url)
    fake.keys[GOOD_KEY] = KeyRecord(owner=4242, scopes=("asset:read", "asset:write"))
    QApplication.clipboard().setText("something else")
    dialog = open_from_tools_menu(main_window)
    qtbot.waitUntil(lambda: dialog.place is not None)
    assert "No key is saved yet" in dialog.where.text()
    assert not dialog.save_button.isEnabled()
    qtbot.keyClicks(dialog.key_edit, GOOD_KEY)
    assert dialog.key_edit.displayText() != GOOD_KEY  # echo: password dots
    assert dialog.save_button.isEnabled()
    dialog.save_button.click()
    assert dialog.key_edit.text() == ""  # out of the widget at once
    dialog.key_edit.undo()
    assert dialog.key_edit.text() == ""  # and no undo brings it back
    qtbot.waitUntil(lambda: "belongs to user 4242" in dialog.report_label.text(),
                    timeout=10000)
    report = dialog.report_label.text()
    assert "Saved the key in the system keyring" in report
    assert "asset:read</b> present" in report and "asset:write</b> present" in report
    assert "legacy-asset:manage</b> missing" in report
    assert "60 days" in report
    assert "Uploads go to user 4242" in report
    assert memory_keyring.store[(SERVICE, ACCOUNT)] == GOOD_KEY
    assert saved_creator(main_window.settings) == Creator("user", 4242)
    qtbot.waitUntil(lambda: "A key is saved" in dialog.where.text())

    # The key is nowhere: no widget of the window or the dialog, no log record, no file of
    # the app's (settings saved), not the clipboard.
    main_window.settings.save()
    for widget in (dialog, main_window):
        assert not [t for t in texts(widget) if GOOD_KEY in t]
    assert not [r for r in caplog.records if GOOD_KEY in r.getMessage()]
    assert grep_tree(app_home, GOOD_KEY) == []
    assert QApplication.clipboard().text() == "something else"

    # Checking the saved key asks Roblox again; forgetting removes it.
    dialog.check_button.click()
    qtbot.waitUntil(lambda: "works" in dialog.report_label.text(), timeout=10000)
    dialog.forget_button.click()
    qtbot.waitUntil(lambda: "Removed the key" in dialog.report_label.text())
    assert memory_keyring.store == {}
    dialog.close()


def test_a_key_roblox_refuses_is_not_saved(qtbot, monkeypatch, fake: FakeRoblox,
                                           memory_keyring: MemoryKeyring, main_window) -> None:
    monkeypatch.setenv("ROBLOXASSETS_OPEN_CLOUD_URL", fake.url)
    dialog = open_from_tools_menu(main_window)
    qtbot.waitUntil(lambda: dialog.place is not None)
    wrong = "not-the-key-" + "x" * 30
    dialog.key_edit.setText(wrong)
    dialog.save()
    qtbot.waitUntil(lambda: "does not accept this key" in dialog.report_label.text(),
                    timeout=10000)
    assert memory_keyring.store == {}
    assert not [t for t in texts(dialog) if wrong in t]
    dialog.close()


def test_without_a_keyring_it_explains_the_environment_variable(qtbot, main_window) -> None:
    dialog = open_from_tools_menu(main_window)
    qtbot.waitUntil(lambda: dialog.place is not None)
    assert "No system keyring is available" in dialog.where.text()
    assert ENV in dialog.where.text()
    assert not dialog.key_edit.isEnabled() and not dialog.save_button.isEnabled()
    dialog.close()


def test_upload_settings_are_remembered_for_the_next_upload(qtbot, main_window,
                                                            tmp_path: Path) -> None:
    from robloxassets.core.cloud.assets import AssetType, Privacy
    from robloxassets.core.settings import largest_side
    from robloxassets.core.upload.defaults import saved_asset_type, saved_privacy
    from robloxassets.gui.uploads.settings_form import UploadSettingsDialog
    from tests.gui.uploads.helpers import images

    tools = main_window.menus["Tools"]
    [action] = [a for a in tools.actions() if a.text().replace("&", "") == "Upload settings…"]
    action.trigger()
    [dialog] = [w for w in QApplication.topLevelWidgets()
                if isinstance(w, UploadSettingsDialog) and w.isVisible()]
    form = dialog.form
    form.creator_kind.setCurrentIndex(form.creator_kind.findData("group"))
    form.creator_id.setText("987654")
    form.asset_type.setCurrentIndex(form.asset_type.findData(AssetType.DECAL))
    assert "Toolbox" in form.type_help.text()
    form.privacy.setCurrentIndex(form.privacy.findData(Privacy.RESTRICTED))
    form.max_side.setCurrentIndex(form.max_side.findData(2048))
    dialog.accept()
    settings = main_window.settings
    assert saved_creator(settings) == Creator("group", 987654)
    assert saved_asset_type(settings) is AssetType.DECAL
    assert saved_privacy(settings) is Privacy.RESTRICTED
    assert largest_side(settings) == 2048
    page = uploads_page(main_window)
    page.open_paths(images(tmp_path, ["crate"]))
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.checked, timeout=10000)
    options = page.dialog.options()
    assert (options.creator, options.asset_type, options.privacy, options.max_side) == (
        Creator("group", 987654), AssetType.DECAL, Privacy.RESTRICTED, 2048)
    page.dialog.reject()


def test_a_key_from_the_environment_fills_in_the_creator_and_is_not_asked_for_again(
        qtbot, monkeypatch, main_window, fake: FakeRoblox, tmp_path: Path) -> None:
    from tests.gui.uploads.helpers import images

    monkeypatch.setenv("ROBLOXASSETS_OPEN_CLOUD_URL", fake.url)
    monkeypatch.setenv(ENV, GOOD_KEY)
    dialog = open_from_tools_menu(main_window)
    qtbot.waitUntil(lambda: dialog.place is not None)
    where = dialog.where.text()
    assert f"{ENV} is set" in where and "To upload anyway" not in where
    assert where.count(ENV) == 1
    dialog.close()
    assert saved_creator(main_window.settings) is None
    page = uploads_page(main_window)
    page.open_paths(images(tmp_path, ["crate"]))
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.checked, timeout=10000)
    upload = page.dialog
    qtbot.waitUntil(lambda: upload.form.creator_id.text() == "4242", timeout=10000)
    assert upload.upload_button.isEnabled() and not upload.problem_label.isVisible()
    assert upload.options().creator == Creator("user", 4242)
    upload.reject()
