"""The Error codes page's Back/Forward rules, without a window."""

from __future__ import annotations

from robloxassets.gui.errors.history import History, View


def test_empty_history_goes_nowhere() -> None:
    history = History()
    assert history.current is None and not history.can_back and not history.can_forward
    assert history.back() is None and history.forward() is None
    history.update("279")  # nothing to update: no error
    assert len(history) == 0


def test_typing_replaces_its_own_view_and_a_step_adds_one() -> None:
    history = History()
    for text in ("2", "27", "279"):
        history.typed(View(text, entry_id=text if text == "279" else None))
    assert len(history) == 1 and history.current == View("279", entry_id="279", typed=True)
    history.visit(View("279", entry_id="277"))  # a related link
    history.typed(View("k"))
    history.typed(View("kicked", entry_id="267"))
    assert len(history) == 3 and history.previous == View("279", entry_id="277")
    assert history.back() == View("279", entry_id="277")
    assert history.back() == View("279", entry_id="279", typed=True)
    assert history.back() is None
    assert history.forward() == View("279", entry_id="277")


def test_typing_after_back_drops_the_forward_views() -> None:
    history = History()
    history.typed(View("279", entry_id="279"))
    history.visit(View("279", entry_id="277"))
    history.back()
    assert history.can_forward
    # The view went back to was made by typing, but typing there now is a new step, so
    # Back still leads to it.
    history.typed(View("529", entry_id="529"))
    assert not history.can_forward and len(history) == 2
    assert history.back() == View("279", entry_id="279", typed=True)


def test_choosing_another_row_is_remembered_in_place() -> None:
    history = History()
    history.visit(View("kicked", entry_id="267"))
    history.update("268")
    assert len(history) == 1 and history.current == View("kicked", entry_id="268")


def test_the_same_view_twice_is_one_step_and_old_views_are_dropped() -> None:
    history = History(limit=3)
    history.visit(View("a"))
    history.visit(View("a"))
    assert len(history) == 1
    for name in "bcde":
        history.visit(View(name))
    assert len(history) == 3 and history.current == View("e")
    assert history.back() == View("d") and history.back() == View("c")
    assert history.back() is None
