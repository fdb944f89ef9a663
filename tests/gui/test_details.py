"""The shared details panel: one style, its parts, and both orientations."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QImage
from PySide6.QtWidgets import QWidget

from robloxassets.gui.details import DetailsPanel, Fact


def test_facts_buttons_and_placeholder(qtbot) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    panel = DetailsPanel("Select something.")
    qtbot.addWidget(panel)
    actions = [QAction(text, owner) for text in ("One", "Two", "Three")]
    for action in actions:
        panel.buttons.add_action(action)
    assert panel.showing_placeholder() and panel.placeholder.text() == "Select something."
    panel.show_details()
    panel.title.setText("<b>not markup</b>")
    assert panel.title.textFormat() == Qt.TextFormat.PlainText
    panel.facts.show_facts([Fact("Size", "10 × 10 px"), Fact("Name", "a & b", "tip")])
    assert panel.facts.value("Size") == "10 × 10 px" and panel.facts.value("Gone") is None
    label = panel.facts.value_label("Name")
    assert label is not None and label.toolTip() == "tip"
    assert label.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    panel.facts.show_facts([Fact("Only", "one")])  # rows are reused; the rest are hidden
    assert [f.label for f in panel.facts.facts()] == ["Only"]
    # The buttons are the actions: disabling one disables its button.
    actions[1].setEnabled(False)
    assert not panel.buttons.button_for(actions[1]).isEnabled()
    # Buttons live outside the scroll area, so a long text never pushes them away.
    assert not panel.scroll_area.isAncestorOf(panel.buttons)
    image = QImage(20, 10, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    panel.preview.set_image(image)
    assert panel.preview.has_image() and panel.preview.text() == ""
    panel.preview.set_image(None, "No file")
    assert not panel.preview.has_image() and panel.preview.text() == "No file"


def test_orientation_changes_even_while_hidden(qtbot) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    panel = DetailsPanel("Nothing yet.")
    qtbot.addWidget(panel)
    for text in ("A fairly long action", "Another long action", "A third one here"):
        panel.buttons.add_action(QAction(text, owner))
    vertical = panel.minimumSizeHint().width()
    panel.set_orientation(Qt.Orientation.Horizontal)
    assert panel.buttons.columns == 3
    assert panel.minimumSizeHint().width() > vertical
    panel.set_orientation(Qt.Orientation.Vertical)
    # Never shown, and still the width it needs beside a page (not the width below it).
    assert panel.minimumSizeHint().width() == vertical
    assert panel.buttons.columns == 2
