"""Issue 15 in the Upload dialog: a near-copy of a catalogued asset says which ID it looks
like and that asset's moderation state before anything is sent (a rejected one in red), and
Upload asks first; the comparison runs off the UI thread."""

from __future__ import annotations

import threading
from pathlib import Path

from PIL import ImageOps

from robloxassets.core.catalog.model import Entry, Status
from robloxassets.core.catalog.store import Catalog
from robloxassets.gui.style import ERROR_COLOR, WARNING_COLOR
from robloxassets.gui.uploads import dialog as dialog_module
from robloxassets.gui.uploads.dialog import CHECK
from tests import dupset
from tests.fakeroblox import FakeRoblox
from tests.gui.uploads.helpers import aim, settle, states, uploads_page
from tests.gui.uploads.test_page import button
from tests.images import sha256_of


def _catalogue(tmp_path: Path) -> dict[str, Path]:
    """Two catalogued pictures (one rejected, one approved) and files to upload: a mirrored
    copy of the rejected one, a smaller copy of the approved one, and a picture of its own."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    files = {}
    for name, number in (("coin", 2), ("gem", 5), ("new", 9)):
        files[name] = tmp_path / f"{name}.png"
        dupset.source_image(number).save(files[name])
    with Catalog() as catalog:
        catalog.add(Entry(name="Coin", image_id=123, file_path=str(files["coin"]),
                          sha256=sha256_of(files["coin"]), status=Status.REJECTED))
        catalog.add(Entry(name="Gem", image_id=456, file_path=str(files["gem"]),
                          sha256=sha256_of(files["gem"]), status=Status.APPROVED))
    upload = tmp_path / "upload"
    upload.mkdir()
    files["coin copy"] = upload / "coin-flipped.jpg"
    ImageOps.mirror(dupset.source_image(2)).save(files["coin copy"], quality=80)
    files["gem copy"] = upload / "gem-small.png"
    dupset.source_image(5).resize((128, 128)).save(files["gem copy"])
    files["own"] = upload / "own.png"
    files["own"].write_bytes(files["new"].read_bytes())
    return files


def test_near_copies_name_the_id_and_state_and_upload_asks_first(
        qtbot, fake_env: FakeRoblox, main_window, tmp_path: Path, monkeypatch) -> None:
    files = _catalogue(tmp_path / "art")
    threads: list[bool] = []
    compare = dialog_module.upload_near_copies

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread() is threading.main_thread())
        return compare(*args, **kwargs)

    monkeypatch.setattr(dialog_module, "upload_near_copies", spy)
    page = uploads_page(main_window)
    aim(page, fake_env)
    main_window.show_page("uploads")
    chosen = [str(files[k]) for k in ("coin copy", "gem copy", "own")]
    page.open_paths(chosen)
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.checked, timeout=20000)
    dialog = page.dialog
    assert threads == [False]  # compared in the pool, never on the UI thread

    def cell(key: str):  # type: ignore[no-untyped-def]
        return dialog.table.item(dialog.paths.index(str(files[key])), CHECK)

    coin = cell("coin copy")
    assert "Looks like 'Coin' (rbxassetid://123, rejected)" in coin.text()
    assert coin.text().startswith("Sent as")  # how it is sent, still
    assert coin.foreground().color() == ERROR_COLOR  # a rejected one stands out
    assert "likely to be rejected again" in coin.toolTip()
    gem = cell("gem copy")
    assert "Looks like 'Gem' (rbxassetid://456, approved)" in gem.text()
    assert gem.foreground().color() == WARNING_COLOR
    assert "Looks like" not in cell("own").text()
    intro = dialog.intro.text()
    assert "2 look like catalogued assets" in intro and "1 like one Roblox rejected" in intro

    dialog.form.creator_id.setText("4242")
    qtbot.waitUntil(dialog.upload_button.isEnabled)
    dialog.accept()  # asks first: nothing is queued yet
    qtbot.waitUntil(lambda: dialog.question is not None)
    text = dialog.question.text()
    assert "coin-flipped.jpg" in text and "rbxassetid://123" in text and "rejected" in text
    assert "rbxassetid://456" in text
    assert page.model.items == [] and fake_env.creates == []
    button(dialog.question, "Leave them out").click()
    qtbot.waitUntil(lambda: len(page.model.items) == 1
                    and states(page)[0].accepted, timeout=15000)
    settle(qtbot, page)
    assert [Path(i.source_path).name for i in page.model.items] == ["own.png"]
    assert len(fake_env.creates) == 1

    # Asked again for another batch; "Upload anyway" sends the near-copy.
    page.open_paths([str(files["coin copy"])])
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog is not dialog
                    and page.dialog.checked, timeout=20000)
    again = page.dialog
    qtbot.waitUntil(again.upload_button.isEnabled)
    again.accept()
    qtbot.waitUntil(lambda: again.question is not None)
    assert not button(again.question, "Leave them out").isEnabled()  # nothing would be left
    button(again.question, "Upload anyway").click()
    qtbot.waitUntil(lambda: len(page.model.items) == 2
                    and all(s.accepted for s in states(page)), timeout=15000)
    settle(qtbot, page)
    assert len(fake_env.creates) == 2


def test_cancel_goes_back_to_the_dialog_and_a_busy_catalogue_does_not_block(
        qtbot, fake_env: FakeRoblox, main_window, tmp_path: Path, monkeypatch) -> None:
    files = _catalogue(tmp_path / "art")
    page = uploads_page(main_window)
    aim(page, fake_env)
    page.open_paths([str(files["coin copy"])])
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.checked, timeout=20000)
    dialog = page.dialog
    dialog.form.creator_id.setText("4242")
    qtbot.waitUntil(dialog.upload_button.isEnabled)
    dialog.accept()
    qtbot.waitUntil(lambda: dialog.question is not None)
    dialog.question.reject()  # Cancel: back in the dialog, nothing queued
    qtbot.waitUntil(lambda: dialog.question is None)
    assert dialog.isVisible() and page.model.items == []
    dialog.reject()

    from robloxassets.core.errors import UserError

    def busy() -> Catalog:
        raise UserError("The catalogue is busy.")

    monkeypatch.setattr(page.context.catalog, "open_catalog", busy)
    page.open_paths([str(files["coin copy"])])
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog is not dialog
                    and page.dialog.checked, timeout=20000)
    other = page.dialog
    assert "Not compared with the catalogue: The catalogue is busy." in other.intro.text()
    assert "Looks like" not in other.table.item(0, CHECK).text()
    other.form.creator_id.setText("4242")
    qtbot.waitUntil(other.upload_button.isEnabled)
    other.reject()
