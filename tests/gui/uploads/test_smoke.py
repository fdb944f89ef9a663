from __future__ import annotations

from robloxassets.core.upload.model import State
from tests.gui.uploads.helpers import aim, images, settle, states, uploads_page


def test_smoke(qtbot, fake_env, main_window, tmp_path) -> None:
    page = uploads_page(main_window)
    aim(page, fake_env)
    main_window.show_page("uploads")
    paths = images(tmp_path / "art", ["brick wall", "grass"])
    page.ask_upload(paths)
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.checked)
    dialog = page.dialog
    dialog.form.creator_id.setText("4242")
    assert dialog.upload_button.isEnabled()
    dialog.accept()
    qtbot.waitUntil(lambda: len(page.model.items) == 2 and all(
        s is State.IN_REVIEW for s in states(page)), timeout=15000)
    settle(qtbot, page)
    print(page.header.text())
