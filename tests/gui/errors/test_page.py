"""The Error codes page with pytest-qt: live search, detail, links, copy, status, clipboard."""

from __future__ import annotations

import json
import socket

from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QApplication, QPushButton

from robloxassets.core.errorcodes.kb import override_path
from robloxassets.gui.errors.delegate import Role
from robloxassets.gui.errors.page import ErrorCodesPage
from robloxassets.gui.mainwindow import MainWindow
from robloxassets.gui.page import Page
from tests.gui.errors.statusio import statusio


def ids(page: ErrorCodesPage) -> list[str]:
    return [page.results.item(i).data(Role.ID) for i in range(page.results.count())]


def test_registered_third_in_the_window(main_window) -> None:
    from robloxassets.gui.pages import page_classes

    assert page_classes()[2] is ErrorCodesPage
    page = main_window.page("errors")
    assert isinstance(page, ErrorCodesPage) and main_window.pages[2] is page


def test_activate_with_a_query_runs_it(page: ErrorCodesPage) -> None:
    window = page.window()
    assert isinstance(window, MainWindow)
    window.show_page("errors", "(Error Code: 279)")
    assert page.current is not None and page.current.id == "279"
    assert page.search.text() == "(Error Code: 279)"
    assert window.summary_label.text() == page.kb.summary()
    assert window.details_dock.isHidden()  # the page has its own detail view


def test_empty_state_lists_common_codes(page: ErrorCodesPage) -> None:
    assert page.detail_stack.currentWidget() is page.intro
    assert page.list_heading.text() == "Often looked up"
    assert ids(page)[:2] == ["267", "279"]
    assert not page.act_copy_steps.isEnabled()


def test_live_search_as_you_type(page: ErrorCodesPage, qtbot) -> None:
    qtbot.keyClicks(page.search, "server is full")
    assert ids(page)[0] == "772"
    assert page.results.currentRow() == 0
    assert page.detail_stack.currentWidget() is page.browser
    html = page.browser.toHtml()
    assert "Teleport failed: server is full." in html and "Fix it" in html
    assert page.list_heading.text().endswith("matches")
    assert page.results.item(0).data(Role.REASON).startswith("topic words")
    page.results.grab()  # the delegate paints every row without error


def test_choosing_another_result_shows_it(page: ErrorCodesPage) -> None:
    page.activate("kicked")
    second = ids(page)[1]
    page.results.setCurrentRow(1)
    assert page.current is not None and page.current.id == second


def test_no_match_shows_suggestions_not_an_empty_screen(page: ErrorCodesPage) -> None:
    page.activate("Error Code: 283")
    assert page.detail_stack.currentWidget() is page.no_match
    assert "283" in page.no_match.heading()
    assert ids(page)[:2] == ["282", "284"]
    assert page.list_heading.text() == "Closest entries"
    assert page.current is None and not page.act_copy_steps.isEnabled()


def test_category_filter(page: ErrorCodesPage) -> None:
    page.category.setCurrentIndex(page.category.findData("teleport"))
    listed = [page.kb.get(i) for i in ids(page)]
    assert listed and all(e is not None and e.category == "teleport" for e in listed)
    page.search.setText("279")
    # Not a teleport code: say so and show it anyway rather than an empty list.
    assert ids(page) == ["279"]
    assert "none in Teleport" in page.list_heading.text()


def test_related_links_open_the_entry_and_back_returns(page: ErrorCodesPage) -> None:
    page.activate("772")
    assert 'href="entry:518"' in page.browser.toHtml()
    page._link_clicked(QUrl("entry:518"))
    # Opened directly: the lookup and its list stay, the entry changes, Back can undo it.
    assert page.current is not None and page.current.id == "518"
    assert page.search.text() == "772" and ids(page) == ["772"]
    assert page.results.selectedItems() == []
    assert page.act_back.isEnabled() and not page.act_forward.isEnabled()
    assert page.go_back()
    assert page.current is not None and page.current.id == "772"
    assert page.results.currentRow() == 0 and page.search.text() == "772"
    assert page.act_forward.isEnabled()
    assert page.go_forward()
    assert page.current is not None and page.current.id == "518"
    page.activate("decal-blurry")
    page._link_clicked(QUrl("entry:decal-pending"))
    assert page.current is not None and page.current.id == "decal-pending"
    assert page.go_back() and page.current.id == "decal-blurry"  # type: ignore[union-attr]
    assert page.go_back() and page.current.id == "518"  # type: ignore[union-attr]
    assert page.search.text() == "772"


def test_copy_steps_and_ctrl_c(page: ErrorCodesPage, qtbot) -> None:
    page.activate("279")
    with qtbot.waitSignal(page.message) as signal:
        assert page.copy_selection()
    text = QApplication.clipboard().text()
    assert text == page.kb.get(279).steps_text()  # type: ignore[union-attr]
    assert "1. " in text and "`" not in text
    assert "copied" in signal.args[0]


def test_status_check_runs_in_the_pool_and_shows_the_answer(
        page: ErrorCodesPage, qtbot, status_server) -> None:
    page.status_url = status_server(statusio())
    page.act_status.trigger()
    assert not page.act_status.isEnabled()  # the click returned at once; the check runs
    qtbot.waitUntil(lambda: page.act_status.isEnabled(), timeout=5000)
    assert "Roblox reports no problems" in page.status_label.text()
    assert page.status_label.property("level") == "ok"


def test_status_check_offline(page: ErrorCodesPage, qtbot) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        page.status_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    page.check_status()
    qtbot.waitUntil(lambda: page.act_status.isEnabled(), timeout=8000)
    assert "Could not reach the Roblox status page" in page.status_label.text()
    assert page.status_label.property("level") == "unknown"


def test_clipboard_offer_on_focus(page: ErrorCodesPage, qtbot, qapp) -> None:
    dialog = "Disconnected\nPlease check your internet connection and try again.\n" \
             "(Error Code: 277)\nReconnect\nLeave"
    QApplication.clipboard().setText(dialog)
    qapp.applicationStateChanged.emit(Qt.ApplicationState.ApplicationActive)
    assert not page.banner.isHidden()
    assert page.banner.label.text() == "Look up error 277 from the clipboard?"
    assert page.search.text() == ""  # only offered, nothing run by itself
    page.banner.findChildren(QPushButton)[0].click()
    assert page.current is not None and page.current.id == "277"
    assert page.banner.isHidden()
    # The same code is not offered twice.
    qapp.applicationStateChanged.emit(Qt.ApplicationState.ApplicationActive)
    assert page.banner.isHidden()


class OtherPage(Page):
    page_id = "other"
    title = "Other"
    icon_name = "library"


def test_clipboard_offer_while_another_page_is_shown(qtbot, qapp) -> None:
    window = MainWindow([OtherPage, ErrorCodesPage])
    qtbot.addWidget(window)
    window.show()
    page = window.page("errors")
    assert isinstance(page, ErrorCodesPage) and window.current_page is window.page("other")
    QApplication.clipboard().setText("Error Code: 529")
    qapp.applicationStateChanged.emit(Qt.ApplicationState.ApplicationActive)
    assert window.current_page is window.page("other")  # no page switch
    assert "Error 529 is on the clipboard" in window.statusBar().currentMessage()
    assert page.banner.label.text() == "Look up error 529 from the clipboard?"
    window.close()


def test_focus_search(page: ErrorCodesPage, qtbot) -> None:
    page.window().activateWindow()
    assert page.focus_search()
    qtbot.waitUntil(lambda: page.search.hasFocus(), timeout=2000)


def test_broken_override_shows_a_banner_and_refresh_reloads(qtbot) -> None:
    override_path().write_text("[{", encoding="utf-8")
    window = MainWindow([ErrorCodesPage])
    qtbot.addWidget(window)
    page = window.page("errors")
    assert isinstance(page, ErrorCodesPage)
    assert "errorcodes.json is not valid JSON" in page.banner.label.text()
    assert page.kb.get(279) is not None
    override_path().write_text(json.dumps([{
        "id": "283", "category": "connection", "summary": "Our own code.", "causes": ["x"],
        "steps": ["Rejoin."], "sources": ["us"], "verified": False, "note": "ours"}]),
        encoding="utf-8")
    page.refresh()
    assert page.banner.isHidden()
    page.activate("283")
    assert page.current is not None and page.current.id == "283"
    window.close()


def test_result_list_model_passes_qt_model_checks(page: ErrorCodesPage, qtbot,
                                                  qtmodeltester) -> None:
    # The list is a QListWidget (Qt's own item model); the tester stays attached while the
    # page clears and refills it on every keystroke and category change.
    qtmodeltester.check(page.results.model())
    qtbot.keyClicks(page.search, "teleport")
    page.category.setCurrentIndex(page.category.findData("teleport"))
    page.search.clear()
    assert page.results.count() > 0
    qtmodeltester.check(page.results.model())
