"""What the Error codes page shows for the second edition's data: the dialog's behaviour, the
last check, translations, ambiguity and several codes, the no-match advice, the status.io
answer, Back/Forward from keys and mouse, and the page at 800 px."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication

from robloxassets.gui.errors.delegate import Role
from robloxassets.gui.errors.page import STACKED_MIN_WIDTH, WIDE_PAGE, ErrorCodesPage
from robloxassets.gui.mainwindow import MainWindow
from tests.gui.errors.statusio import statusio


def ids(page: ErrorCodesPage) -> list[str]:
    return [page.results.item(i).data(Role.ID) for i in range(page.results.count())]


def detail_text(page: ErrorCodesPage) -> str:
    return page.browser.toPlainText()


def note_text(page: ErrorCodesPage) -> str:
    document = QTextDocument()
    document.setHtml(page.result_note.text())
    return document.toPlainText()


# --- the detail view ----------------------------------------------------------------------
def test_detail_shows_the_dialogs_buttons_and_reconnecting(page: ErrorCodesPage) -> None:
    page.activate("279")
    entry = page.kb.get("279")
    assert entry is not None and entry.client is not None and entry.client.auto_reconnect
    text = detail_text(page)
    assert "The dialog" in text
    assert "Buttons:" in text and "Reconnect · Leave" in text
    assert "Reconnects by itself:" in text and "FFlagConnectionEnableAutoReconnect" in text
    assert f"Client:\t{entry.client.seen_in}" in text or entry.client.seen_in in text
    # A Leave-only code whose buttons depend on a flag says so.
    flagged = next(e for e in page.kb if e.client is not None and not e.client.auto_reconnect
                   and e.client.condition.startswith("Leave only where"))
    page.open_entry(flagged.id)
    text = detail_text(page)
    assert "Reconnects by itself:\tNo" in text or "Reconnects by itself: No" in text \
        or "Reconnects by itself:\nNo" in text
    assert "Depends on:" in text and flagged.client is not None
    assert flagged.client.condition[1:] in text


def test_detail_says_when_the_entry_was_checked_and_against_what(page: ErrorCodesPage) -> None:
    page.activate("772")
    entry = page.kb.get("772")
    assert entry is not None and entry.checked_on
    text = " ".join(detail_text(page).split())
    assert f"Last checked {entry.checked_on} against: {entry.checked_against[0]}" in text


def test_translations_are_apart_and_marked_unconfirmed(page: ErrorCodesPage) -> None:
    page.activate("No se pudo conectar a la experiencia. No hay respuesta del servidor. "
                  "Inténtalo de nuevo. (Código de error: 279)")
    assert page.current is not None and page.current.id == "279"
    text = detail_text(page)
    seen, _, other = text.partition("What the player sees")[2].partition("In other languages")
    assert "Failed to connect to the Game." in seen and "No se pudo conectar" not in seen
    assert "No se pudo conectar a la experiencia." in other
    assert "Spanish · unconfirmed translation" in other
    assert "Portuguese · unconfirmed translation" in other
    # An English text no source gives is marked too (287 shows 288's text, inferred).
    page.open_entry("287")
    assert "no source gives this exact text" in detail_text(page)


def test_a_shared_wording_links_the_other_codes(page: ErrorCodesPage) -> None:
    page.activate("279")
    html = page.browser.toHtml()
    assert 'href="entry:277"' in html and 'href="entry:282"' in html
    assert "also shown for Error 277 and Error 282" in detail_text(page)


# --- the note line above the results ------------------------------------------------------
def test_a_shared_wording_says_so_above_the_list(page: ErrorCodesPage) -> None:
    page.activate("Disconnected from game, please reconnect")
    assert page.result is not None and page.result.ambiguous == ("277", "279", "282")
    assert not page.result_note.isHidden()
    assert note_text(page).startswith("This wording is shared by Error 277, Error 279 and "
                                      "Error 282: the most common is listed first (Error 277).")
    assert ids(page)[:3] == ["277", "279", "282"] and page.current.id == "277"  # type: ignore[union-attr]
    # Its codes are links: one opens that entry, selected in the list, and Back returns.
    page.result_note.link_activated.emit("entry:282")
    assert page.current is not None and page.current.id == "282"
    assert page.results.currentItem().data(Role.ID) == "282"
    assert page.go_back() and page.current.id == "277"  # type: ignore[union-attr]


def test_one_code_with_two_meanings(page: ErrorCodesPage) -> None:
    page.activate("403")
    assert note_text(page).startswith("This code has 2 meanings: HTTP 403 and Error 403; the "
                                      "one you typed is listed first (HTTP 403).")


def test_several_codes_say_which_came_first(page: ErrorCodesPage) -> None:
    page.activate("first I got error 277, then 769 and later 529 when I tried again")
    assert ids(page)[:3] == ["277", "769", "529"]
    assert note_text(page) == ("The text names 3 codes: 277 came first, then 769 and 529. "
                               "They are listed in that order.")
    assert 'href="entry:769"' in page.result_note.text()


def test_a_plain_lookup_has_no_note_line(page: ErrorCodesPage) -> None:
    page.activate("Disconnected from game, please reconnect")
    assert not page.result_note.isHidden()
    page.activate("279")
    assert page.result_note.isHidden() and page.result_note.text() == ""
    assert page.list_heading.text() == "1 match"


def test_an_unknown_code_beside_a_known_one_is_noted(page: ErrorCodesPage) -> None:
    page.activate("Error Code: 283 and later Error Code: 279")
    assert "Error 283 is not in the knowledge base" in note_text(page)


# --- no match ------------------------------------------------------------------------------
def test_no_match_gives_the_cores_advice_and_the_status_button(
        page: ErrorCodesPage, qtbot, status_server) -> None:
    page.activate("my cat walked on the keyboard")
    assert page.detail_stack.currentWidget() is page.no_match
    assert page.result is not None
    document = QTextDocument()
    document.setHtml(page.no_match.text())
    for tip in page.result.advice():
        assert tip in " ".join(document.toPlainText().split())
    assert page.result.status_hint and not page.no_match_status.isHidden()
    page.status_url = status_server(statusio(400, "Partial Service Disruption", [
        {"name": "Games", "status_code": 400,
         "containers": [{"name": "Game joins", "status_code": 400}]}],
        incidents=[{"name": "Some players cannot join"}]))
    page.no_match_status.click()
    qtbot.waitUntil(lambda: page._status_worker is None, timeout=8000)
    label = page.status_label.text()
    assert page.status_label.property("level") == "minor"
    assert "Games (Game joins): partial service disruption" in label
    assert "Incident: Some players cannot join" in label


def test_binary_data_offers_no_status_check(page: ErrorCodesPage) -> None:
    page.activate("\ufffd" * 40 + "\x01\x02" * 20)
    assert page.detail_stack.currentWidget() is page.no_match
    assert page.result is not None and page.result.binary and not page.result.status_hint
    assert page.no_match_status.isHidden()
    assert "binary data" in page.no_match.heading()


def test_a_match_whose_fix_starts_with_the_status_links_the_check(
        page: ErrorCodesPage, qtbot, status_server) -> None:
    page.activate("We're sorry, Roblox is temporarily unavailable.")
    assert page.current is not None and page.current.id == "roblox-unavailable"
    assert 'href="action:status"' in page.browser.toHtml()
    page.status_url = status_server(statusio())
    page._link_clicked(QUrl("action:status"))
    qtbot.waitUntil(lambda: page.act_status.isEnabled(), timeout=8000)
    assert page.status_label.property("level") == "ok"
    page.activate("279")
    assert 'href="action:status"' not in page.browser.toHtml()


def test_status_shows_when_roblox_updated_its_page(page: ErrorCodesPage, qtbot,
                                                   status_server) -> None:
    page.status_url = status_server(statusio())
    page.check_status()
    qtbot.waitUntil(lambda: page.act_status.isEnabled(), timeout=8000)
    label = page.status_label.text()
    assert "Roblox reports no problems (Operational)" in label
    assert "Roblox updated its page at " in label and "; checked at " in label
    assert "Open the status page" in label


# --- Back and Forward ------------------------------------------------------------------------
@pytest.fixture
def active(page: ErrorCodesPage, qtbot) -> ErrorCodesPage:
    window = page.window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    return page


def test_typing_is_one_step_and_a_link_another(active: ErrorCodesPage, qtbot) -> None:
    page = active
    qtbot.keyClicks(page.search, "279")
    assert page.current is not None and page.current.id == "279"
    assert not page.act_back.isEnabled()  # the letters typed are one view
    page._link_clicked(QUrl("entry:277"))
    assert page.act_back.isEnabled() and page.current.id == "277"
    page.search.setFocus()
    qtbot.keyClick(page.search, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert page.current.id == "279" and page.act_forward.isEnabled()
    # Typing after Back is a new step: the forward view is dropped.
    page.search.clear()
    qtbot.keyClicks(page.search, "529")
    assert page.current.id == "529" and not page.act_forward.isEnabled()
    assert page.go_back() and page.current.id == "279" and page.search.text() == "279"


@pytest.mark.parametrize("where", ["browser", "results", "search"])
def test_alt_left_and_alt_right_wherever_the_focus_is(active: ErrorCodesPage, qtbot,
                                                      where: str) -> None:
    page = active
    page.activate("772")
    page._link_clicked(QUrl("entry:518"))
    widget = {"browser": page.browser, "results": page.results, "search": page.search}[where]
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus, timeout=2000)
    qtbot.keyClick(widget, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert page.current is not None and page.current.id == "772"
    qtbot.keyClick(widget, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert page.current.id == "518"


def test_an_entry_opened_by_a_link_says_where_back_goes(page: ErrorCodesPage) -> None:
    page.activate("772")
    assert "Back to" not in detail_text(page)
    page._link_clicked(QUrl("entry:518"))
    assert detail_text(page).startswith("\u2190 Back to Error 772 (Alt+Left)")
    page._link_clicked(QUrl("action:back"))
    assert page.current is not None and page.current.id == "772"
    assert "Back to" not in detail_text(page)


def test_the_mouse_back_and_forward_buttons(page: ErrorCodesPage, qtbot) -> None:
    page.activate("772")
    page._link_clicked(QUrl("entry:518"))
    viewport = page.browser.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.BackButton, pos=QPoint(20, 20))
    assert page.current is not None and page.current.id == "772"
    qtbot.mouseClick(page.results.viewport(), Qt.MouseButton.ForwardButton, pos=QPoint(5, 5))
    assert page.current.id == "518"


def test_back_and_forward_are_in_the_toolbar_and_the_view_menu(page: ErrorCodesPage) -> None:
    window = page.window()
    assert isinstance(window, MainWindow)
    toolbar = window.toolbar.actions()
    assert toolbar[:2] == [page.act_back, page.act_forward]
    assert page.act_back in window.menus["View"].actions()
    assert "Alt+Left" in [s.toString() for s in page.act_back.shortcuts()]
    assert "Alt+Right" in [s.toString() for s in page.act_forward.shortcuts()]


def test_back_restores_the_category_too(page: ErrorCodesPage) -> None:
    page.activate("teleport")
    page.category.setCurrentIndex(page.category.findData("teleport"))
    in_teleport = page.current.id  # type: ignore[union-attr]
    page._link_clicked(QUrl("entry:279"))
    page.activate("kicked")
    page.category.setCurrentIndex(0)
    assert page.go_back() and page.search.text() == "kicked"
    assert page.category.currentData() == "teleport"
    assert page.go_back() and page.current.id == "279"  # type: ignore[union-attr]
    assert page.category.currentData() == "teleport" and page.search.text() == "teleport"
    assert page.go_back() and page.current.id == in_teleport  # type: ignore[union-attr]
    assert page.go_back() and page.category.currentData() == ""
    assert page.search.text() == "teleport"


def test_focusing_the_list_keeps_an_entry_opened_by_a_link(active: ErrorCodesPage,
                                                           qtbot) -> None:
    page = active
    page.activate("772")
    page._link_clicked(QUrl("entry:518"))
    page.results.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(page.results.hasFocus, timeout=2000)
    assert page.current is not None and page.current.id == "518"
    qtbot.keyClick(page.results, Qt.Key.Key_Space)  # selecting the row shows it
    assert page.current.id == "772"


# --- width ----------------------------------------------------------------------------------
def test_the_page_fits_an_800_px_window(page: ErrorCodesPage, qtbot) -> None:
    window = page.window()
    assert page.minimumSizeHint().width() <= 560
    assert window.minimumSizeHint().width() <= 800
    for query in ("279", "my cat walked on the keyboard", ""):
        page.activate(query)
        window.resize(800, 700)
        qtbot.waitUntil(lambda: window.width() == 800, timeout=2000)
        assert page.width() < WIDE_PAGE
        assert page.splitter.orientation() == Qt.Orientation.Vertical
        # Nothing is squeezed below what it needs (the stacked minimum holds).
        for widget in (page.detail_stack, page.results, page.search):
            assert widget.width() >= widget.minimumSizeHint().width(), widget
        assert page.detail_stack.minimumSizeHint().width() <= STACKED_MIN_WIDTH
        assert page.results.height() > 0 and page.detail_stack.height() > 200
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: page.width() >= WIDE_PAGE, timeout=2000)
    assert page.splitter.orientation() == Qt.Orientation.Horizontal
    assert page.results.width() >= 240 and page.detail_stack.width() > 500


def test_stacked_the_list_is_as_tall_as_its_rows(page: ErrorCodesPage, qtbot) -> None:
    window = page.window()
    window.resize(800, 760)
    qtbot.waitUntil(lambda: page.splitter.orientation() == Qt.Orientation.Vertical,
                    timeout=2000)
    page.activate("279")
    one = page.splitter.sizes()[0]
    page.activate("kicked")
    assert page.results.count() > 4
    assert page.splitter.sizes()[0] > one
    QApplication.processEvents()
    assert page.detail_stack.height() > page.results.height()
