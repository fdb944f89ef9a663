"""The Catalogue page: table, search and filters, form, undo, bulk changes, copy, moderation
age, thumbnails, import/export, outside changes and damaged files."""

from __future__ import annotations

import csv
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QModelIndex, Qt, QUrl
from PySide6.QtGui import QColor, QDesktopServices, QPixmap
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from shiboken6 import Shiboken

from robloxassets.core.catalog import db
from robloxassets.core.catalog.hashing import file_facts
from robloxassets.core.catalog.model import Entry, Status, format_time
from robloxassets.core.catalog.store import Catalog
from robloxassets.gui.catalog.model import (
    CatalogModel,
    Column,
    Role,
)
from robloxassets.gui.catalog.page import CatalogPage
from robloxassets.gui.catalog.thumbnails import ThumbnailLoader
from robloxassets.gui.catalog_access import CatalogAccess
from robloxassets.gui.mainwindow import MainWindow


def seed(*entries: Entry) -> list[Entry]:
    with Catalog() as catalog:
        return [catalog.add(entry) for entry in entries]


def ago(**delta: float) -> str:
    return format_time(datetime.now(timezone.utc) - timedelta(**delta))


def make_png(path: Path, size: tuple[int, int] = (64, 64), color: str = "red") -> Path:
    Image.new("RGBA", size, color).save(path)
    return path


@pytest.fixture
def open_window(qtbot, qapp):
    """Opens the window with the Catalogue page, after a test has seeded the catalogue."""
    qapp.setProperty("robloxassets.testing", True)
    opened: list[MainWindow] = []

    def open_() -> MainWindow:
        win = MainWindow([CatalogPage])
        qtbot.addWidget(win)
        win.show()
        qtbot.waitExposed(win)
        opened.append(win)
        return win

    yield open_
    for win in opened:
        win.close()


def page_of(window: MainWindow, qtbot=None) -> CatalogPage:
    """The window's Catalogue page; with ``qtbot``, once its first rows are in."""
    page = window.page("catalog")
    assert isinstance(page, CatalogPage)
    if qtbot is not None:
        settle(qtbot, page)
    return page


def settle(qtbot, page: CatalogPage) -> None:
    """Wait until every catalogue read and write the page asked for has answered."""
    qtbot.waitUntil(lambda: page.model is not None and page.model.settled
                    and not page.context.catalog.busy, timeout=10000)


def names(page: CatalogPage) -> list[str]:
    model = page.model
    return [entry.name if (entry := model.entry(row)) else "?" for row in range(model.rowCount())]


def closed(form) -> bool:
    """The form was closed (after that it is deleted, so Qt may have freed it already)."""
    return not Shiboken.isValid(form) or not form.isVisible()


def wait_names(qtbot, page: CatalogPage, expected: list[str]) -> None:
    qtbot.waitUntil(lambda: page.model.settled and names(page) == expected, timeout=10000)


BASIC = (
    Entry(name="Red brick wall", decal_id=46059313, image_id=46059300, tags=("walls",)),
    Entry(name="Blue sky", image_id=2676631400, tags=("sky",), status=Status.APPROVED),
    Entry(name="Neon sign", decal_id=777, tags=("signs", "walls"), notes="for the shop"),
)


def test_empty_catalogue_shows_a_friendly_empty_state(open_window, qtbot) -> None:
    window = open_window()
    page = page_of(window, qtbot)
    assert page.stack.currentWidget() is page.empty
    assert page.summary() == "0 entries"
    assert page.named_actions["add"].isEnabled() and not page.named_actions["edit"].isEnabled()


def test_table_search_filters_and_sorting(open_window, qtbot) -> None:
    seed(*BASIC)
    window = open_window()
    page = page_of(window, qtbot)
    assert page.stack.currentWidget() is page.table_holder
    assert names(page) == ["Blue sky", "Neon sign", "Red brick wall"]
    assert page.summary() == "3 entries"

    page.table.sortByColumn(Column.DECAL, Qt.SortOrder.DescendingOrder)
    wait_names(qtbot, page, ["Red brick wall", "Neon sign", "Blue sky"])
    page.table.sortByColumn(Column.NAME, Qt.SortOrder.AscendingOrder)

    qtbot.keyClicks(page.search, "wal")
    wait_names(qtbot, page, ["Neon sign", "Red brick wall"])  # tag "walls" and the name
    assert page.summary() == "2 of 3 entries match"
    page.search.clear()
    qtbot.keyClicks(page.search, "rbxassetid://2676631400")
    wait_names(qtbot, page, ["Blue sky"])
    page.search.clear()

    page.status_filter.setCurrentIndex(page.status_filter.findData(Status.APPROVED))
    wait_names(qtbot, page, ["Blue sky"])
    page.status_filter.setCurrentIndex(0)
    page.tag_filter.setCurrentIndex(page.tag_filter.findData("signs"))
    assert page.tag_filter.currentText() == "signs (1)"
    wait_names(qtbot, page, ["Neon sign"])

    qtbot.keyClicks(page.search, "zebra")
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.no_match)
    page.clear_filters()
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.table_holder)
    wait_names(qtbot, page, ["Blue sky", "Neon sign", "Red brick wall"])


def test_model_passes_qt_model_checks_and_pages(qtmodeltester, qtbot, qapp,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    seed(*(Entry(name=f"Icon {n:02d}", decal_id=n, tags=("ui",)) for n in range(1, 13)))
    monkeypatch.setattr(CatalogModel, "PAGE", 5)
    monkeypatch.setattr(CatalogModel, "BLOCK", 3)  # later rows are read as they are painted
    access = CatalogAccess()
    model = CatalogModel(access)
    try:
        qtbot.waitUntil(lambda: model.rowCount() == 5)
        assert model.canFetchMore()
        assert model.match_count is None  # counted a moment later
        qtbot.waitUntil(lambda: model.match_count == 12)
        # Qt's model tester stays attached and checks every later change too, including the
        # resets and inserts that answers from the reader thread make. (It calls fetchMore
        # itself, so what follows waits for the rows rather than for one signal.)
        qtmodeltester.check(model)
        model.fetchMore()
        qtbot.waitUntil(lambda: model.rowCount() == 12 and model.settled)
        assert not model.canFetchMore()
        if model.entry(11) is None:  # not read yet: asked for now, and shown when in
            qtbot.waitUntil(lambda: model.entry(11) is not None)
        assert model.entry(11).name == "Icon 12"
        model.set_search("icon 0")
        qtbot.waitUntil(lambda: model.settled and model.query.text == "icon 0"
                        and model.match_count == 9)
        assert model.rowCount() in (5, 9)  # the tester may have fetched the rest already
        model.fetchMore()
        qtbot.waitUntil(lambda: model.rowCount() == 9 and model.settled)
        model.set_search("icon 1")
        model.sort(Column.DECAL, Qt.SortOrder.DescendingOrder)
        # "1" also finds decal ID 1 (Icon 01): IDs are searched too.
        qtbot.waitUntil(lambda: model.settled and model.rowCount() == 4 and all(
            model.entry(r) for r in range(model.rowCount())))
        assert [model.entry(r).decal_id for r in range(model.rowCount())] == [12, 11, 10, 1]
    finally:
        model.stop()
        access.shutdown()


def test_add_form_validates_as_you_type(open_window, qtbot) -> None:
    seed(BASIC[0])
    window = open_window()
    page = page_of(window, qtbot)
    form = page.add_entry()
    save = form.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert not save.isEnabled()
    qtbot.keyClicks(form.decal_field.line, "https://create.roblox.com/store/asset/555/Lamp")
    assert form.decal_field.hint.text() == ("Asset ID 555, read from a Creator Store "
                                            "address.")
    assert "Give the entry a name" in form.problem_label.text()
    qtbot.keyClicks(form.name_edit, "Lamp")
    assert save.isEnabled()
    form.image_field.line.setText("46059313")  # the brick's decal ID
    qtbot.waitUntil(lambda: "already recorded as <b>Red brick wall</b>"
                    in form.problem_label.text())
    assert not save.isEnabled()
    form.image_field.line.setText("abc")
    assert "can't be read" in form.problem_label.text()
    assert "no asset ID" in form.image_field.hint.text()
    form.image_field.line.setText("rbxassetid://556")
    form.status_combo.setCurrentIndex(form.status_combo.findData(Status.IN_REVIEW))
    form.tags_edit.setText("Lights, shop")
    assert save.isEnabled()
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: closed(form))
    with Catalog() as catalog:
        stored = catalog.find_by_asset_id(556)
    assert (stored.decal_id, stored.name, stored.tags, stored.status) == (
        555, "Lamp", ("lights", "shop"), Status.IN_REVIEW)
    qtbot.waitUntil(lambda: page.selected_ids() == [stored.id])
    assert page.undo()

    def unrecorded() -> bool:
        with Catalog() as catalog:
            return catalog.find_by_asset_id(556) is None

    qtbot.waitUntil(unrecorded)


def test_duplicate_link_shows_the_existing_entry(open_window, qtbot) -> None:
    brick = seed(*BASIC)[0]
    window = open_window()
    page = page_of(window, qtbot)
    qtbot.keyClicks(page.search, "sky")
    wait_names(qtbot, page, ["Blue sky"])
    form = page.add_entry()
    form.decal_field.line.setText("46059313")
    qtbot.waitUntil(lambda: f"entry:{brick.id}" in form.problem_label.text())
    form.problem_label.linkActivated.emit(f"entry:{brick.id}")
    assert not form.isVisible()
    assert page.search.text() == ""
    qtbot.waitUntil(lambda: page.selected_ids() == [brick.id])


def test_edit_and_undo_the_edit(open_window, qtbot) -> None:
    brick = seed(*BASIC)[0]
    window = open_window()
    page = page_of(window, qtbot)
    page.select_ids([brick.id])
    assert page.details.title.text() == "Red brick wall"
    form = page.edit_selected()
    assert form.decal_field.text() == "46059313"
    form.name_edit.setText("Old brick wall")
    form.status_combo.setCurrentIndex(form.status_combo.findData(Status.REJECTED))
    form.accept()
    qtbot.waitUntil(lambda: closed(form))
    with Catalog() as catalog:
        edited = catalog.get(brick.id)
    assert edited.name == "Old brick wall" and len(edited.history) == 2
    qtbot.waitUntil(lambda: page.details.title.text() == "Old brick wall")
    assert page.undo()
    settle(qtbot, page)
    with Catalog() as catalog:
        back = catalog.get(brick.id)
    assert back.name == "Red brick wall" and back.status is Status.DRAFT
    assert len(back.history) == 1
    assert not page.undo()


def test_delete_with_undo_through_the_window_shortcuts(open_window, qtbot) -> None:
    entries = seed(*BASIC)
    window = open_window()
    page = page_of(window, qtbot)
    page.select_ids([entries[0].id, entries[2].id])
    window.act_delete.trigger()
    wait_names(qtbot, page, ["Blue sky"])
    settle(qtbot, page)
    window.act_undo.trigger()
    wait_names(qtbot, page, ["Blue sky", "Neon sign", "Red brick wall"])
    qtbot.waitUntil(lambda: sorted(page.selected_ids()) == sorted([entries[0].id,
                                                                   entries[2].id]))
    settle(qtbot, page)
    window.act_undo.trigger()
    assert "Nothing to undo" in window.statusBar().currentMessage()


def test_bulk_status_and_tags_with_undo(open_window, qtbot) -> None:
    entries = seed(*BASIC)
    window = open_window()
    page = page_of(window, qtbot)
    ids = [e.id for e in entries]
    page.select_ids(ids)
    assert page.details.placeholder.text().startswith("3 entries selected")
    page.set_status(Status.IN_REVIEW)
    qtbot.waitUntil(lambda: "3 entries now in review" in window.statusBar().currentMessage())
    with Catalog() as catalog:
        assert catalog.status_counts()[Status.IN_REVIEW] == 3
    settle(qtbot, page)
    assert sorted(page.selected_ids()) == ids  # kept across the refresh (table order)
    page.change_tags(add=["Batch 1"], remove=["walls"])
    qtbot.waitUntil(lambda: "Changed the tags of 3 entries" in window.statusBar().currentMessage())
    with Catalog() as catalog:
        assert [catalog.get(i).tags for i in ids] == [("batch 1",), ("batch 1", "sky"),
                                                      ("batch 1", "signs")]
    settle(qtbot, page)
    assert page.tag_filter.findData("batch 1") > 0
    page.undo()
    settle(qtbot, page)
    page.undo()
    settle(qtbot, page)
    with Catalog() as catalog:
        assert [catalog.get(i).tags for i in ids] == [e.tags for e in entries]
        assert [catalog.get(i).status for i in ids] == [e.status for e in entries]


def test_copy_id_snippet_and_links(open_window, qtbot, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    png = make_png(tmp_path / "brick.png")
    brick, sky, _ = seed(BASIC[0].with_changes(file_path=str(png)), *BASIC[1:])
    window = open_window()
    page = page_of(window, qtbot)
    clipboard = QApplication.clipboard()
    page.select_ids([brick.id])
    window.act_copy.trigger()  # Ctrl+C
    assert clipboard.text() == "rbxassetid://46059300"
    page.select_ids([brick.id, sky.id])
    assert page.copy_selection()
    assert clipboard.text() == "rbxassetid://2676631400\nrbxassetid://46059300"  # table order
    page.select_ids([brick.id])
    page.details.face_combo.setCurrentText("Top")
    page.details.snippet_requested.emit(page.details.face_combo.currentText())
    assert "decal.Face = Enum.NormalId.Top" in clipboard.text()
    assert 'decal.ColorMapContent = Content.fromUri("rbxassetid://46059300")' in clipboard.text()

    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    page.named_actions["page"].trigger()
    page.named_actions["folder"].trigger()
    assert [u.toString() for u in opened] == [
        "https://create.roblox.com/store/asset/46059313",
        QUrl.fromLocalFile(str(tmp_path)).toString()]
    png.unlink()
    page.show_file()
    assert "no longer there" in window.statusBar().currentMessage()


def test_moderation_age_highlight_and_advice(open_window, qtbot, tmp_path: Path) -> None:
    png = make_png(tmp_path / "stuck.png")
    fresh, slow, stuck = seed(
        Entry(name="Fresh", decal_id=1, status=Status.IN_REVIEW, status_changed=ago(minutes=5)),
        Entry(name="Slow", decal_id=2, status=Status.IN_REVIEW, status_changed=ago(days=2)),
        Entry(name="Stuck", decal_id=3, status=Status.IN_REVIEW, status_changed=ago(days=9),
              file_path=str(png)))
    window = open_window()
    page = page_of(window, qtbot)
    model = page.model
    rows = {model.entry(r).name: r for r in range(model.rowCount())}
    review = {name: model.index(row, Column.REVIEW) for name, row in rows.items()}
    assert review["Fresh"].data() == "5 min"
    assert review["Slow"].data() == "2 days"
    assert review["Stuck"].data() == "9 days"
    assert review["Fresh"].data(Role.REVIEW_STAGE) == ""
    assert review["Slow"].data(Role.REVIEW_STAGE) == "slow"
    assert review["Stuck"].data(Role.REVIEW_STAGE) == "contact-support"
    assert review["Fresh"].data(Qt.ItemDataRole.BackgroundRole) is None
    assert isinstance(review["Slow"].data(Qt.ItemDataRole.BackgroundRole), QColor)
    page.select_ids([slow.id])
    assert "longer than usual" in page.details.advice.text()
    page.select_ids([stuck.id])
    advice = page.details.advice.text()
    assert "contact Roblox support" in advice and "https://www.roblox.com/support" in advice
    assert QUrl.fromLocalFile(str(png)).toString() in advice
    assert not page.details.advice.isHidden()
    page.select_ids([fresh.id])
    assert page.details.advice.isHidden()
    assert page.summary() == "3 entries · 3 in review · 2 waiting over a day (1 over a week)"


def test_thumbnails_load_in_background_into_a_bounded_cache(open_window, qtbot,
                                                            tmp_path: Path) -> None:
    files = [make_png(tmp_path / f"{n}.png", (300, 150), c)
             for n, c in enumerate(("red", "green", "blue", "white"))]
    entries = seed(*(Entry(name=f"Image {n}", decal_id=n + 1, file_path=str(f))
                     for n, f in enumerate(files)),
                   Entry(name="Missing file", decal_id=99, file_path=str(tmp_path / "no.png")))
    window = open_window()
    page = page_of(window, qtbot)
    model = page.model
    first = model.index(0, Column.THUMB)
    model.data(first, Qt.ItemDataRole.DecorationRole)
    qtbot.waitUntil(lambda: isinstance(model.data(first, Qt.ItemDataRole.DecorationRole),
                                       QPixmap))
    pixmap = model.data(first, Qt.ItemDataRole.DecorationRole)
    assert (pixmap.width(), pixmap.height()) == (40, 20)  # scaled, aspect kept
    missing = model.index(4, Column.THUMB)
    assert model.entry(4).name == "Missing file"
    model.data(missing, Qt.ItemDataRole.DecorationRole)
    qtbot.waitUntil(lambda: page.thumbnails.failed(str(tmp_path / "no.png")))
    assert "not found" in model.data(missing, Qt.ItemDataRole.ToolTipRole)
    page.select_ids([entries[1].id])
    qtbot.waitUntil(lambda: page.details.preview.has_image())

    small = ThumbnailLoader(window.tasks, side=16, capacity=2)
    for path in files:
        small.get(str(path))
    qtbot.waitUntil(lambda: not small._running and not small._queued)
    assert small.cached == 2


def test_record_file_prefills_and_warns_about_the_same_image(open_window, qtbot,
                                                             tmp_path: Path) -> None:
    png = make_png(tmp_path / "coin_icon-v2.png", (128, 64))
    facts = file_facts(png)
    window = open_window()
    page = page_of(window, qtbot)
    form = page.record_file(str(png), None, None, None)
    assert form.name_edit.text() == "Coin icon v2"
    qtbot.waitUntil(lambda: "SHA-256" in form.file_hint.text())
    assert form.file_hint.text().startswith("128 x 64")
    form.decal_field.line.setText("900")
    form.accept()
    qtbot.waitUntil(lambda: closed(form))
    with Catalog() as catalog:
        stored = catalog.find_by_asset_id(900)
    assert (stored.sha256, stored.width, stored.height) == (facts.sha256, 128, 64)
    assert stored.file_path == str(png.resolve())

    settle(qtbot, page)
    again = page.record_file(facts.path, facts.sha256, 128, 64, name="Coin again")
    qtbot.waitUntil(lambda: "already catalogued as <b>Coin icon v2</b>"
                    in again.problem_label.text())
    again.reject()


def test_export_and_import_in_the_background(open_window, qtbot,
                                             tmp_path: Path) -> None:
    seed(*BASIC)
    window = open_window()
    page = page_of(window, qtbot)
    out = tmp_path / "assets.luau"
    page.transfers.export_to(str(out), "luau")
    qtbot.waitUntil(lambda: "Exported 3 entries" in window.statusBar().currentMessage())
    assert 'BlueSky = "rbxassetid://2676631400",' in out.read_text(encoding="utf-8")

    sheet = tmp_path / "more.csv"
    with open(sheet, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "decal_id", "tags"])
        writer.writerows([["Lamp", "5000", "lights"], ["Bad", "nope", ""],
                          ["Again", "777", ""]])
    page.transfers.import_from(str(sheet), ask=False)
    qtbot.waitUntil(lambda: "Imported 1 entry" in window.statusBar().currentMessage())
    assert "skipped 2 bad rows" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: page.model.settled and "Lamp" in names(page))
    settle(qtbot, page)
    assert page.tag_filter.findData("lights") > 0
    assert not window.progress.active


def test_export_format_follows_the_typed_extension(open_window, qtbot, tmp_path: Path,
                                                  monkeypatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    from robloxassets.gui.catalog.transfers import EXPORT_FORMATS

    seed(*BASIC)
    window = open_window()
    page = page_of(window, qtbot)
    transfers = page.transfers
    luau = next(f.label for f in EXPORT_FORMATS if f.key == "luau")
    asked: list[tuple[str, str]] = []
    answers: list[str | None] = []

    def ask(path: str, named: str, chosen: str) -> str | None:
        asked.append((named, chosen))
        return answers.pop(0)

    monkeypatch.setattr(transfers, "ask_format", ask)

    def export(name: str, label: str = luau) -> Path:
        target = tmp_path / name
        monkeypatch.setattr(QFileDialog, "getSaveFileName",
                            lambda *args, **kwargs: (str(target), label))
        transfers.choose_export()
        return target

    # Luau chosen, "assets.csv" typed: the name says CSV, so the window asks; by name: CSV.
    answers.append("csv")
    out = export("assets.csv")
    assert asked == [("csv", "luau")]
    qtbot.waitUntil(lambda: "assets.csv" in window.statusBar().currentMessage())
    assert out.read_text(encoding="utf-8-sig").startswith("decal_id,")
    # Kept as chosen when the user says so; nothing at all when they cancel.
    answers.append("luau")
    out = export("kept.csv")
    qtbot.waitUntil(lambda: "kept.csv" in window.statusBar().currentMessage())
    assert out.read_text(encoding="utf-8").startswith("--!strict")
    answers.append(None)
    assert not export("cancelled.csv").exists()
    # Names that agree, or say nothing, ask nothing; no extension gets the chosen one's.
    asked.clear()
    assert transfers.decide_format(str(tmp_path / "a.luau"), "luau") == (
        str(tmp_path / "a.luau"), "luau")
    assert transfers.decide_format(str(tmp_path / "a.json"), "json-map")[1] == "json-map"
    assert transfers.decide_format(str(tmp_path / "a.d.ts"), "ts")[1] == "ts"
    assert transfers.decide_format(str(tmp_path / "a"), "ts") == (str(tmp_path / "a.d.ts"),
                                                                   "ts")
    assert transfers.decide_format(str(tmp_path / "a.txt"), "csv")[1] == "csv"
    assert asked == []


def test_cancelled_import_adds_nothing(open_window, qtbot, tmp_path: Path) -> None:
    window = open_window()
    page = page_of(window, qtbot)
    sheet = tmp_path / "big.csv"
    with open(sheet, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "decal_id"])
        writer.writerows([f"Decal {n}", n] for n in range(1, 3001))
    with Catalog() as catalog:
        from robloxassets.core.catalog import transfer

        plan = transfer.plan_import(catalog, sheet)
    gate = threading.Event()
    real = page.transfers._import_job

    def slow_job(*args, **kwargs):
        gate.wait(5)  # cancel arrives before the first row is written
        return real(*args, **kwargs)

    page.transfers._import_job = slow_job
    handle = page.transfers.apply(plan)
    window.progress.cancel()
    gate.set()
    qtbot.waitUntil(lambda: not page.transfers.busy)
    assert handle.cancelled
    assert "cancelled" in window.statusBar().currentMessage()
    with Catalog() as catalog:
        assert catalog.total() == 0


def test_changes_from_another_process_appear(open_window, qtbot) -> None:
    window = open_window()
    page = page_of(window, qtbot)
    seed(Entry(name="From the command line", decal_id=42))
    page._check_outside_changes()  # what the poll timer does every 2 s
    wait_names(qtbot, page, ["From the command line"])
    assert page.stack.currentWidget() is page.table_holder


def test_a_write_waits_for_a_locked_catalogue_and_can_be_cancelled(open_window,
                                                                   qtbot) -> None:
    brick = seed(*BASIC)[0]
    window = open_window()
    page = page_of(window, qtbot)
    release, holding = threading.Event(), threading.Event()

    def hold() -> None:
        import sqlite3

        conn = sqlite3.connect(db.default_path(), isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        holding.set()
        release.wait(10)
        conn.execute("ROLLBACK")
        conn.close()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert holding.wait(5)
        page.select_ids([brick.id])
        page.set_status(Status.APPROVED)
        qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith(
            "Another program is writing to the catalogue"))
        assert window.progress.active and window.progress.text == "Waiting for the catalogue"
        window.progress.cancel()
        qtbot.waitUntil(lambda: "nothing was changed" in window.statusBar().currentMessage())
        assert not window.progress.active
    finally:
        release.set()
        holder.join()
    assert not page.editor.steps  # nothing happened, nothing to undo
    with Catalog() as catalog:
        assert catalog.get(brick.id).status is Status.DRAFT


def test_damaged_catalogue_is_set_aside_with_a_banner(qtbot, qapp) -> None:
    db.default_path().write_bytes(b"definitely not sqlite" * 20)
    qapp.setProperty("robloxassets.testing", True)
    win = MainWindow([CatalogPage])
    qtbot.addWidget(win)
    win.show()
    page = page_of(win)
    qtbot.waitUntil(page.banner.isVisible)
    assert "kept as catalogue.sqlite3.corrupt-" in page.banner.label.text()
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.empty)
    win.close()


def test_newer_catalogue_shows_why_it_cant_open(qtbot, qapp) -> None:
    with Catalog() as catalog:
        catalog.conn.execute("PRAGMA user_version = 99")
    win = MainWindow([CatalogPage])
    qtbot.addWidget(win)
    page = page_of(win)
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.failed)
    assert not page.opened
    assert "newer version" in page.failed.text()
    assert not page.named_actions["add"].isEnabled()
    assert page.record_file("/x.png", None, None, None) is None
    win.close()


def test_entry_role_and_activate_by_asset_id(open_window, qtbot) -> None:
    seed(*BASIC)
    window = open_window()
    page = page_of(window, qtbot)
    page.activate("https://www.roblox.com/library/777/Neon")
    qtbot.waitUntil(lambda: [e.name for e in page.selected_entries()] == ["Neon sign"])
    index = page.model.index(page.model.row_of(page.selected_ids()[0]), Column.NAME)
    assert index.data(Role.ENTRY).decal_id == 777
    assert page.model.index(0, 0).parent() == QModelIndex()
    page.activate(123456)
    qtbot.waitUntil(lambda: "not in the catalogue" in window.statusBar().currentMessage())


def test_registered_as_the_second_page(main_window) -> None:
    assert [page.page_id for page in main_window.pages][:2] == ["library", "catalog"]
    main_window.page_actions[1].trigger()  # Ctrl+2
    page = main_window.current_page
    assert isinstance(page, CatalogPage)
    assert main_window.details_stack.currentWidget() is page.details
    toolbar = [a.text() for a in main_window.toolbar.actions()]
    assert "Record asset ID…" in toolbar and "Export…" in toolbar
    assert page.focus_search() and page.search.hasFocus()
