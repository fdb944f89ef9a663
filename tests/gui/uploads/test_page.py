"""The Uploads page against the fake Roblox: a batch from the Library's selection into the
catalogue, moderation and its tray message, an item that "may have been uploaded", and
core's error sentences shown as they are."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from robloxassets.core.catalog.model import Status
from robloxassets.core.catalog.store import Catalog
from robloxassets.core.cloud.assets import AssetsApi, AssetType, Creator, Privacy
from robloxassets.core.upload.model import MAY_HAVE_BEEN_UPLOADED, State
from robloxassets.core.upload.runner import OFFLINE_WAITING
from robloxassets.core.upload.store import NewUpload, UploadStore
from robloxassets.gui.catalog.page import CatalogPage
from robloxassets.gui.mainwindow import NARROW_WIDTH
from robloxassets.gui.uploads.model import Column, primary_action
from robloxassets.gui.uploads.page import UploadsPage
from tests.fakeroblox import FakeRoblox
from tests.gui.catalog.test_locked import GapMeter
from tests.gui.test_narrow import FONT_SLACK, resize_to
from tests.gui.uploads.helpers import aim, images, settle, states, uploads_page

#: A generous bound on the UI thread's own time at a stretch during a batch (the benchmark
#: measures the real figure, 200 items): CPU time of that thread, so a loaded machine's
#: other programs don't count.
MAX_BUSY = 0.100


def button(box: QMessageBox, text: str):  # type: ignore[no-untyped-def]
    found = [b for b in box.buttons() if b.text().startswith(text)]
    assert found, [b.text() for b in box.buttons()]
    return found[0]


def accept_dialog(qtbot, page: UploadsPage, creator: str = "4242"):  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.checked, timeout=10000)
    dialog = page.dialog
    assert dialog is not None
    if not dialog.form.creator_id.text():
        dialog.form.creator_id.setText(creator)
    qtbot.waitUntil(dialog.upload_button.isEnabled)
    dialog.accept()
    return dialog


def click_action(qtbot, page: UploadsPage, row: int) -> None:  # type: ignore[no-untyped-def]
    index = page.proxy.index(row, Column.ACTION)
    page.table.scrollTo(index)
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton,
                     pos=page.table.visualRect(index).center())


def test_a_batch_from_the_library_lands_in_the_catalogue(qtbot, fake_env: FakeRoblox,
                                                         main_window, tmp_path: Path) -> None:
    paths = images(tmp_path / "art", ["brick_wall", "grass-tile", "reject me", "sky"])
    broken = tmp_path / "art" / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    page = uploads_page(main_window)
    aim(page, fake_env)
    library = main_window.page("library")
    library.open_paths([str(tmp_path / "art")])
    qtbot.waitUntil(lambda: len(library.model.rows) == 5
                    and all(r.info for r in library.model.rows), timeout=20000)
    library.view.selectAll()
    assert library.act_upload.isEnabled()
    meter = GapMeter()
    meter.start()
    library.upload_selection()  # "Upload…": the broken file is not even offered
    qtbot.waitUntil(lambda: main_window.current_page is page)
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.checked, timeout=10000)
    dialog = page.dialog
    assert sorted(Path(p).name for p in dialog.paths) == sorted(Path(p).name for p in paths)
    # Names come from the file names, editable, at most 50 characters.
    names = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    assert "Brick wall" in names and "Grass tile" in names
    dialog.table.item(names.index("Sky"), 0).setText("Evening sky " + "x" * 80)
    dialog.description.setPlainText("Made for the obby")
    # No creator chosen yet: the key's owner (the key comes from ROBLOXASSETS_API_KEY).
    qtbot.waitUntil(lambda: dialog.form.creator_id.text() == "4242", timeout=10000)
    dialog.form.asset_type.setCurrentIndex(dialog.form.asset_type.findData(AssetType.IMAGE))
    assert "scripts" in dialog.form.type_help.text()
    dialog.form.privacy.setCurrentIndex(dialog.form.privacy.findData(Privacy.OPEN_USE))
    assert dialog.form.privacy_warning.isVisibleTo(dialog)
    assert "can't be undone" in dialog.form.privacy_warning.text()
    dialog.form.privacy.setCurrentIndex(dialog.form.privacy.findData(Privacy.DEFAULT))
    assert not dialog.form.privacy_warning.isVisibleTo(dialog)
    assert "texture streaming" in dialog.form.side_help.text()
    dialog.accept()

    qtbot.waitUntil(lambda: len(page.model.items) == 4
                    and all(s is State.IN_REVIEW for s in states(page)), timeout=20000)
    settle(qtbot, page)
    meter.stop()
    assert len(fake_env.creates) == 4
    sent = {c.request["displayName"]: c.request for c in fake_env.creates}
    assert "Brick wall" in sent and all(len(n) <= 50 for n in sent)
    assert sent["Brick wall"]["description"] == "Made for the obby"
    assert sent["Brick wall"]["creationContext"]["creator"] == {"userId": "4242"}
    assert "4 in review" in page.header.text()
    assert main_window.summary_label.text() == page.summary()
    assert all(primary_action(i) == "copy" for i in page.model.items)
    assert page.moderation_timer.isActive()  # something is in review
    assert page.last_batch.startswith("Last batch: 4 in review")
    with Catalog() as catalog:
        entries = catalog.search()
    assert len(entries) == 4 and all(e.status is Status.IN_REVIEW for e in entries)
    assert {e.file_path for e in entries} == set(paths)

    # Moderation: the refresh records the results, the tray message says so, and the
    # Catalogue page shows them without being asked.
    catalogue = main_window.page("catalog")
    assert isinstance(catalogue, CatalogPage)
    page.refresh()  # F5
    qtbot.waitUntil(lambda: not page.service.refreshing and all(
        s in (State.APPROVED, State.REJECTED) for s in states(page)), timeout=10000)
    assert sorted(s.value for s in states(page)) == ["approved"] * 3 + ["rejected"]
    title, text = page.notifier.sent[-1]
    assert title == "Moderation finished" and "3 approved" in text and "1 rejected" in text
    assert "Moderation: 3 approved, 1 rejected." in main_window.statusBar().currentMessage()
    assert not page.moderation_timer.isActive()  # nothing left in review
    main_window.show_page("catalog")
    qtbot.waitUntil(lambda: catalogue.model is not None and catalogue.model.rowCount() == 4
                    and catalogue.summary().startswith("4 entries")
                    and "in review" not in catalogue.summary(), timeout=10000)
    # A long summary wraps: the window still fits beside Studio.
    main_window.show_page("uploads")
    resize_to(qtbot, main_window, NARROW_WIDTH)
    assert main_window.minimumSizeHint().width() <= NARROW_WIDTH - FONT_SLACK
    print(f"\nlongest UI-thread stretch during the batch: {meter.longest_busy * 1000:.1f} ms "
          f"(wall clock {meter.longest * 1000:.1f} ms, {meter.ticks} ticks)")
    assert meter.ticks > 10
    assert meter.longest_busy < MAX_BUSY


def test_dropped_files_and_content_already_catalogued_asks_first(
        qtbot, fake_env: FakeRoblox, main_window, tmp_path: Path) -> None:
    paths = images(tmp_path, ["crate", "barrel"])
    (tmp_path / "torn.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 40)
    page = uploads_page(main_window)
    aim(page, fake_env)
    main_window.show_page("uploads")
    assert page.open_paths([str(tmp_path)])  # a dropped folder: its images
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.checked, timeout=10000)
    # What can't be converted is refused with the reason, and left out.
    [refused] = page.dialog.refused()
    assert Path(refused.path).name == "torn.png" and refused.text.startswith("Can't be read")
    row = page.dialog.paths.index(refused.path)
    assert page.dialog.table.item(row, 2).text() == refused.text
    assert refused.path not in page.dialog.chosen_paths()
    assert "1 can't be uploaded" in page.dialog.intro.text()
    accept_dialog(qtbot, page)
    assert "left out; torn.png: Can't be read" in main_window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: states(page) == [State.IN_REVIEW] * 2, timeout=15000)
    settle(qtbot, page)
    page.open_paths(paths[:1])
    accept_dialog(qtbot, page)
    qtbot.waitUntil(lambda: page.question is not None, timeout=10000)
    assert "already catalogued" in page.question.text()
    button(page.question, "Upload again").click()
    qtbot.waitUntil(lambda: len(page.model.items) == 3 and states(page)[0] is State.IN_REVIEW,
                    timeout=15000)
    settle(qtbot, page)
    assert len(fake_env.creates) == 3


def seed_cut_off(path: str) -> int:
    """A queue item that was being sent when the app stopped (its answer never recorded)."""
    with Catalog() as catalog:
        store = UploadStore(catalog)
        [item_id] = store.add([NewUpload(path, None, "Crate", "", AssetType.IMAGE,
                                         Creator("user", 4242), Privacy.DEFAULT, 1024)])
        store.move(item_id, State.SENDING, from_=(State.QUEUED,))
        assert store.recover().flagged == (item_id,)
    return item_id


def test_an_item_that_may_have_been_uploaded_waits_for_a_decision(
        qtbot, fake_env: FakeRoblox, qapp, tmp_path: Path) -> None:
    from robloxassets.gui.app import create_window

    [path] = images(tmp_path, ["crate"])
    item_id = seed_cut_off(path)
    qapp.setProperty("robloxassets.testing", True)
    window = create_window()
    qtbot.addWidget(window)
    window.show()
    page = uploads_page(window)
    aim(page, fake_env)
    window.show_page("uploads")
    qtbot.waitUntil(lambda: states(page) == [State.NEEDS_DECISION])
    settle(qtbot, page)
    assert fake_env.creates == []  # never re-sent by itself
    assert "1 needs a decision" in page.header.text()
    item = page.model.get(item_id)
    assert item is not None and primary_action(item) == "decide"
    assert page.proxy.index(0, Column.ACTION).data() == "Decide…"
    click_action(qtbot, page, 0)
    qtbot.waitUntil(lambda: page.question is not None)
    assert page.question.text() == MAY_HAVE_BEEN_UPLOADED.format(name="Crate")
    assert "Creator Dashboard" in page.details.headline.text()
    button(page.question, "Send it again").click()
    qtbot.waitUntil(lambda: states(page) == [State.IN_REVIEW], timeout=15000)
    settle(qtbot, page)
    assert len(fake_env.creates) == 1
    window.close()


def test_on_roblox_decision_records_the_id_in_the_catalogue(
        qtbot, fake_env: FakeRoblox, qapp, tmp_path: Path) -> None:
    from robloxassets.gui.app import create_window

    [path] = images(tmp_path, ["crate"])
    seed_cut_off(path)
    qapp.setProperty("robloxassets.testing", True)
    window = create_window()
    qtbot.addWidget(window)
    window.show()
    page = uploads_page(window)
    window.show_page("uploads")
    qtbot.waitUntil(lambda: states(page) == [State.NEEDS_DECISION])
    page.select_item(page.model.items[0].id)
    page.decide_selected()
    qtbot.waitUntil(lambda: page.question is not None)
    button(page.question, "It's on Roblox").click()
    catalogue = window.page("catalog")
    assert isinstance(catalogue, CatalogPage)
    qtbot.waitUntil(lambda: catalogue.form is not None and not page.model.items)
    assert catalogue.form.name_edit.text() == "Crate"
    settle(qtbot, page)
    assert fake_env.creates == []
    window.close()


def test_errors_are_core_sentences_and_a_moderated_name_is_renamed(
        qtbot, fake_env: FakeRoblox, main_window, tmp_path: Path) -> None:
    paths = images(tmp_path, ["moderated name", "fine"])
    page = uploads_page(main_window)
    aim(page, fake_env)
    main_window.show_page("uploads")
    page.open_paths(paths)
    accept_dialog(qtbot, page)
    qtbot.waitUntil(lambda: sorted(s.value for s in states(page)) == ["failed", "in-review"],
                    timeout=15000)
    settle(qtbot, page)
    failed = next(i for i in page.model.items if i.state is State.FAILED)
    assert failed.error.startswith("Roblox's moderation refused the name")
    row = page.proxy.mapFromSource(page.model.index(page.model.row_of(failed.id), 0)).row()
    assert page.proxy.index(row, Column.ACTION).data() == "Rename…"
    assert page.proxy.index(row, Column.STATE).data(Qt.ItemDataRole.ToolTipRole) == failed.error
    page.select_item(failed.id)
    assert failed.error in page.details.headline.text().replace("&#x27;", "'")
    click_action(qtbot, page, row)
    qtbot.waitUntil(lambda: page.rename_box is not None)
    assert failed.error in page.rename_box.labelText()
    page.rename_box.setTextValue("Plain crate")
    page.rename_box.accept()
    qtbot.waitUntil(lambda: states(page) == [State.IN_REVIEW] * 2, timeout=15000)
    settle(qtbot, page)
    assert fake_env.creates[-1].request["displayName"] == "Plain crate"


def test_a_moderated_account_stops_the_batch(qtbot, fake_env: FakeRoblox, main_window,
                                             tmp_path: Path) -> None:
    paths = images(tmp_path, ["a moderated account", "b", "c"])
    page = uploads_page(main_window)
    aim(page, fake_env)
    page.service.config = type(page.service.config)(
        poll=page.service.config.poll, send_workers=1)
    main_window.show_page("uploads")
    page.open_paths(paths)
    accept_dialog(qtbot, page)
    qtbot.waitUntil(lambda: page.banner.isVisible() and "under moderation"
                    in page.banner.label.text(), timeout=15000)
    settle(qtbot, page)
    assert page.banner.label.text().startswith("Roblox says the key's account is under "
                                               "moderation")
    assert State.FAILED in states(page) and State.IN_REVIEW not in states(page)
    assert len(fake_env.creates) == 1  # nothing more was sent


def test_offline_the_queue_waits_and_goes_on_by_itself(qtbot, fake_env: FakeRoblox,
                                                       main_window, tmp_path: Path) -> None:
    paths = images(tmp_path, ["crate"])
    later = FakeRoblox().start()
    port = later.port = int(later.url.rsplit(":", 1)[1])
    later.stop()  # nothing listens there now: "offline"
    page = uploads_page(main_window)
    aim(page, f"http://127.0.0.1:{port}")
    main_window.show_page("uploads")
    page.open_paths(paths)
    accept_dialog(qtbot, page)
    qtbot.waitUntil(lambda: page.banner.isVisible()
                    and page.banner.label.text() == OFFLINE_WAITING, timeout=15000)
    assert page.service.running  # waiting, not given up
    later.start()  # the connection is back
    try:
        qtbot.waitUntil(lambda: states(page) == [State.IN_REVIEW], timeout=20000)
        qtbot.waitUntil(lambda: not page.banner.isVisible())
        settle(qtbot, page)
    finally:
        later.stop()
    assert len(later.creates) == 1


def test_no_key_says_what_to_do(qtbot, main_window, tmp_path: Path) -> None:
    page = uploads_page(main_window)
    main_window.show_page("uploads")
    page.open_paths(images(tmp_path, ["crate"]))
    accept_dialog(qtbot, page)
    qtbot.waitUntil(lambda: page.banner.isVisible(), timeout=10000)
    assert page.banner.label.text().startswith("1 upload(s) wait for an Open Cloud key")
    assert states(page) == [State.QUEUED]


def test_catalogue_entries_without_a_file_show_roblox_pictures(
        qtbot, fake_env: FakeRoblox, tmp_path: Path, qapp) -> None:
    from robloxassets.core.catalog.model import Entry
    from robloxassets.gui.app import create_window
    from robloxassets.gui.catalog.model import Column as CatalogColumn
    from tests.cloudfixtures import make_client
    from tests.core.cloud.test_client import create

    with make_client(fake_env) as client:
        ids = []
        for _ in range(2):
            op = create(client)
            while not op.done:
                op = AssetsApi(client).operation(op.path)
            ids.append(op.asset.asset_id)
    approved, pending = ids
    fake_env.moderate(approved, "Approved")
    fake_env.reviews_to_settle = 1000  # the refresh at start finds it still in review
    with Catalog() as catalog:
        catalog.add(Entry(name="Approved decal", decal_id=approved, status=Status.APPROVED))
        catalog.add(Entry(name="Pending decal", decal_id=pending, status=Status.IN_REVIEW))
    qapp.setProperty("robloxassets.testing", True)
    window = create_window()
    qtbot.addWidget(window)
    window.show()
    window.show_page("catalog")
    catalogue = window.page("catalog")
    assert isinstance(catalogue, CatalogPage)
    qtbot.waitUntil(lambda: catalogue.model is not None and catalogue.model.rowCount() == 2)
    model = catalogue.model

    def picture(name: str):  # type: ignore[no-untyped-def]
        row = next(r for r in range(model.rowCount()) if model.entry(r).name == name)
        return model.data(model.index(row, CatalogColumn.THUMB),
                          Qt.ItemDataRole.DecorationRole)

    qtbot.waitUntil(lambda: picture("Approved decal") is not None, timeout=10000)
    qtbot.waitUntil(lambda: not catalogue.remote_thumbnails.busy)
    assert picture("Pending decal") is None  # in review: asked again later
    qtbot.waitUntil(lambda: fake_env.count("asset") == 1)  # moderation checked at start
    assert fake_env.count("thumbnails") == 1  # both in one request
    # The details panel shows Roblox's picture too, bigger.
    row = next(r for r in range(model.rowCount()) if model.entry(r).name == "Approved decal")
    catalogue.select_ids([model.entry_id(row)])
    qtbot.waitUntil(lambda: catalogue.details.preview.has_image(), timeout=10000)
    assert not any(r["has_key"] for r in fake_env.requests if r["route"] in ("thumbnails",
                                                                             "cdn"))
    window.close()


def test_another_sender_is_followed_not_fought(qtbot, fake_env: FakeRoblox, main_window,
                                               tmp_path: Path) -> None:
    from robloxassets.core.upload.lock import RunnerLock

    other = RunnerLock()  # as a second window or 'robloxassets upload' holds it
    assert other.acquire()
    page = uploads_page(main_window)
    page.busy_retry = 0.2
    try:
        aim(page, fake_env)
        main_window.show_page("uploads")
        page.open_paths(images(tmp_path, ["crate"]))
        accept_dialog(qtbot, page)
        qtbot.waitUntil(lambda: page.banner.isVisible() and "Another Roblox Assets window"
                        in page.banner.label.text(), timeout=10000)
        assert states(page) == [State.QUEUED] and fake_env.creates == []
    finally:
        other.release()
    # The other sender stopped with the item still queued: this window takes it over.
    qtbot.waitUntil(lambda: states(page) == [State.IN_REVIEW], timeout=15000)
    settle(qtbot, page)


def test_items_left_sending_are_never_on_their_way_for_ever(qtbot, main_window,
                                                            tmp_path: Path) -> None:
    page = uploads_page(main_window)
    main_window.show_page("uploads")
    files = images(tmp_path, ["cut", "polled"])
    with Catalog() as catalog:
        store = UploadStore(catalog)
        cut, polled = store.add([NewUpload(f, None, Path(f).stem, "", AssetType.IMAGE,
                                           Creator("user", 4242), Privacy.DEFAULT, 1024)
                                 for f in files])
        store.move(cut, State.SENDING, from_=(State.QUEUED,))
        store.move(polled, State.SENDING, from_=(State.QUEUED,),
                   operation_path="operations/left")
    settle(qtbot, page)
    page.start()  # no key: no run, but what a stopped run left is put right
    qtbot.waitUntil(lambda: page.model.get(cut) is not None
                    and page.model.get(cut).state is State.NEEDS_DECISION, timeout=10000)
    settle(qtbot, page)
    # Accepted by Roblox, nobody polls it: the user may still drop it.
    assert page.model.get(polled).state is State.SENDING
    page.select_item(polled)
    assert page.act_cancel.isEnabled()
    page.cancel_selected()
    qtbot.waitUntil(lambda: page.model.get(polled) is None, timeout=10000)
    settle(qtbot, page)
    with Catalog() as catalog:
        assert UploadStore(catalog).get(polled) is None
