"""The main window: navigation, shared menus and shortcuts, state kept between runs."""

from __future__ import annotations

from robloxassets.core.settings import Settings


def test_every_page_can_be_shown_back_and_forth(qtbot, main_window) -> None:
    ids = [p.page_id for p in main_window.pages]
    assert ids[0] == "library"
    for _ in range(2):
        for index, action in enumerate(main_window.page_actions):
            action.trigger()
            assert main_window.current_page is main_window.pages[index]
            # The menus and toolbar were rebuilt for the page without errors.
            assert main_window.menus["View"].actions()
            assert main_window.act_details.isEnabled() == (
                main_window.pages[index].details_widget() is not None)


def test_page_shortcuts_are_ctrl_digits(main_window) -> None:
    shortcuts = [a.shortcut().toString() for a in main_window.page_actions]
    assert shortcuts == [f"Ctrl+{i + 1}" for i in range(len(main_window.pages))]


def test_details_panel_toggle(qtbot, main_window) -> None:
    main_window.show_page("library")
    main_window.act_details.trigger()
    assert not main_window.details_dock.isVisible()
    main_window.act_details.trigger()
    assert main_window.details_dock.isVisible()


def test_window_remembers_its_page(qtbot, main_window) -> None:
    last = len(main_window.pages) - 1
    main_window.page_actions[last].trigger()
    main_window.close()
    assert Settings().get("window.page") == last
    from robloxassets.gui.app import create_window

    again = create_window()
    qtbot.addWidget(again)
    assert again.current_page is again.pages[last]
    again.close()


def test_problems_show_a_sentence_or_an_apology_with_copy_details(qtbot, main_window,
                                                                    caplog) -> None:
    from PySide6.QtWidgets import QApplication

    from robloxassets.core.errors import UserError

    page = main_window.pages[0]
    page.problem.emit("Checking images", UserError("The folder /x can't be read."))
    assert main_window.statusBar().currentMessage() == "The folder /x can't be read."
    assert main_window.copy_details.isHidden()

    try:
        raise KeyError("secret internals")
    except KeyError as exc:
        bug = exc
    page.problem.emit("Checking images", bug)
    shown = main_window.statusBar().currentMessage()
    assert shown.startswith("Checking images stopped: something went wrong inside the app")
    assert "secret internals" not in shown and "KeyError" not in shown
    assert "KeyError" in caplog.text  # the traceback is in the log
    assert main_window.copy_details.isVisibleTo(main_window)
    main_window.copy_details.click()
    copied = QApplication.clipboard().text()
    assert copied.startswith("robloxassets ") and "Traceback" in copied
    assert "KeyError: 'secret internals'" in copied
    assert main_window.copy_details.isHidden()


def test_open_paths_goes_to_the_page_named_or_to_the_library(qtbot, main_window,
                                                             tmp_path) -> None:
    from PIL import Image

    Image.new("RGB", (32, 32), "red").save(tmp_path / "a.png")
    main_window.show_page("errors")
    assert main_window.open_paths([str(tmp_path)], "library")
    assert main_window.current_page is main_window.page("library")
    qtbot.waitUntil(lambda: main_window.page("library").summary().startswith("1 image"))
    # Dropped on a page that takes no files: the Library takes them and is shown.
    main_window.show_page("errors")
    assert main_window.open_paths([str(tmp_path / "a.png")])
    assert main_window.current_page is main_window.page("library")
    assert not main_window.open_paths([str(tmp_path / "nothing here")], "no such page")


def test_paths_left_out_are_named_in_one_message(qtbot, main_window, tmp_path) -> None:
    from PIL import Image

    folder = tmp_path / "art"
    folder.mkdir()
    Image.new("RGB", (32, 32), "red").save(folder / "a.png")
    Image.new("RGB", (32, 32), "blue").save(folder / "b.png")
    (tmp_path / "notes.txt").write_text("not an image")
    library = main_window.page("library")
    messages: list[str] = []
    library.message.connect(lambda text, _ms: messages.append(text))
    # A file with its folder, twice, a missing file and a text file.
    assert main_window.open_paths([str(folder / "a.png"), str(folder), str(folder / "a.png"),
                                   str(tmp_path / "gone.png"), str(tmp_path / "notes.txt")])
    qtbot.waitUntil(lambda: library.summary().startswith("2 images")
                    and "checking" not in library.summary(), timeout=20000)
    assert len(library.model.rows) == 2
    # Both kinds of path left out in one message (a second message replaced the first).
    said = [m for m in messages if "gone.png" in m or "notes.txt" in m]
    assert len(said) == 1 and "gone.png" in said[0] and "notes.txt" in said[0], messages
