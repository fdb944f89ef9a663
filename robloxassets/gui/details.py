"""One details style for every page: the panel of the window's details dock.

A page's ``details_widget()`` returns a ``DetailsPanel`` and fills it; the panel looks the
same on every page (UX "One details style"):

- a row of preview tools (optional, e.g. the Library's Original / Upload-ready toggles);
- the preview frame (``PreviewFrame``): the image fitted into a frame, over a checkerboard
  where it is transparent, or a line of text instead;
- a caption under it, the item's title, a headline (the verdict or status in one sentence);
- the facts (``FactList``): labels right-aligned with colons, values selectable;
- sections the page adds (notes, history);
- the button row (``ButtonRow``), under the scroll area that holds everything else, so the
  actions stay visible however long the facts run.

With nothing to show, ``show_placeholder`` puts one centred line in place of it all. In a
narrow window the dock moves below the page and the window calls
``set_orientation(Horizontal)``: the preview goes to the left of the facts.

    panel = DetailsPanel("Select an image to see its details.")
    panel.buttons.add_action(prepare_action)
    panel.show_details()
    panel.title.setText("brick wall.png")
    panel.facts.show_facts([Fact("Size", "2048 × 2048 px"), Fact("Format", "PNG")])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QAction, QFont, QImage, QPainter, QPaintEvent, QPalette, QPixmap
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from robloxassets.gui.checker import checker_brush
from robloxassets.gui.wraplabel import WrapLabel

PREVIEW_SIZE = 300
#: The preview's side when the panel lies below the page (horizontal orientation).
SIDE_PREVIEW = 190


class PreviewFrame(QFrame):
    """A framed preview: a QImage or QPixmap fitted in (aspect kept, never blown up past 2x,
    which would misrepresent what Roblox shows), over a checkerboard where it is
    transparent; or a line of text when there is no image."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailsPreview")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumSize(QSize(150, 150))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._image: QImage | None = None
        self._text = ""

    def set_image(self, image: QImage | QPixmap | None, text: str = "") -> None:
        """Show ``image``; without one (or a null one), show ``text``."""
        if isinstance(image, QPixmap):
            image = image.toImage()
        self._image = image if image is not None and not image.isNull() else None
        self._text = text if self._image is None else ""
        self.update()

    def has_image(self) -> bool:
        return self._image is not None

    def image(self) -> QImage | None:
        return self._image

    def text(self) -> str:
        """The line shown instead of an image ("" while an image is shown)."""
        return self._text

    def sizeHint(self) -> QSize:
        return QSize(PREVIEW_SIZE, PREVIEW_SIZE)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        painter = QPainter(self)
        area = self.contentsRect().adjusted(4, 4, -4, -4)
        if self._image is None:
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                             self._text)
            painter.end()
            return
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        # Device-independent size: a high-DPI thumbnail is not drawn twice as large.
        natural = self._image.deviceIndependentSize().toSize()
        size = natural.scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
        if size.width() > natural.width() * 2:
            size = natural * 2
        target = QRect(area.x() + (area.width() - size.width()) // 2,
                       area.y() + (area.height() - size.height()) // 2,
                       size.width(), size.height())
        if self._image.hasAlphaChannel():
            painter.fillRect(target, checker_brush(self.palette(), 10))
        painter.drawImage(target, self._image)
        painter.end()


@dataclass(frozen=True)
class Fact:
    """One row of a ``FactList``: its label (without the colon), the value, an optional
    tooltip, and whether the value is rich text (escape anything the user wrote)."""

    label: str
    value: str
    tooltip: str = ""
    rich: bool = False


class FactList(QWidget):
    """Facts as a two-column list: labels right-aligned with colons, values selectable and
    wrapped (a long path wraps instead of widening the panel)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self._rows: list[tuple[QLabel, QLabel]] = []
        self._shown: list[Fact] = []

    def show_facts(self, facts: Sequence[Fact]) -> None:
        """Show these rows, in this order (rows are reused; extra ones are hidden)."""
        while len(self._rows) < len(facts):
            name = QLabel()
            field = WrapLabel()
            field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            field.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            self.form.addRow(name, field)
            self._rows.append((name, field))
        for row, (label, value) in enumerate(self._rows):
            visible = row < len(facts)
            self.form.setRowVisible(row, visible)
            if not visible:
                continue
            fact = facts[row]
            label.setText(f"{fact.label}:")
            value.setTextFormat(Qt.TextFormat.RichText if fact.rich
                                else Qt.TextFormat.PlainText)
            value.setText(fact.value)
            value.setToolTip(fact.tooltip)
        self._shown = list(facts)

    def facts(self) -> list[Fact]:
        return list(self._shown)

    def value(self, label: str) -> str | None:
        """The value shown for ``label`` (as given, rich text included), or None."""
        return next((f.value for f in self._shown if f.label == label), None)

    def value_label(self, label: str) -> QLabel | None:
        for fact, (_, value) in zip(self._shown, self._rows, strict=False):
            if fact.label == label:
                return value
        return None


class ButtonRow(QWidget):
    """The panel's actions as buttons, two to a row (three below the page, where it is
    wide). A button shows its ``QAction``: the same action the toolbar and menus show, so
    they are enabled together and never disagree."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(4)
        self.grid.setVerticalSpacing(4)
        self.columns = 2
        self._items: list[tuple[QWidget, int]] = []
        self.buttons: list[QToolButton] = []

    def add_action(self, action: QAction, span: int = 1) -> QToolButton:
        button = QToolButton()
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.buttons.append(button)
        self.add_widget(button, span)
        return button

    def add_widget(self, widget: QWidget, span: int = 1) -> QWidget:
        self._items.append((widget, span))
        self._place()
        return widget

    def set_columns(self, columns: int) -> None:
        if columns != self.columns:
            self.columns = columns
            self._place()

    def _place(self) -> None:
        for widget, _ in self._items:
            self.grid.removeWidget(widget)
        for column in range(4):
            self.grid.setColumnStretch(column, 1 if column < self.columns else 0)
        cell = 0
        for widget, span in self._items:
            span = max(1, min(span, self.columns))
            if cell % self.columns + span > self.columns:
                cell += self.columns - cell % self.columns  # start a new row
            row, column = divmod(cell, self.columns)
            self.grid.addWidget(widget, row, column, 1, span)
            cell += span

    def button_for(self, action: QAction) -> QToolButton | None:
        return next((b for b in self.buttons if b.defaultAction() is action), None)


class DetailsPanel(QWidget):
    """The details panel every page uses (see the module's docstring for its parts).

    ``preview``, ``caption``, ``title``, ``headline``, ``facts`` and ``buttons`` are public:
    pages fill them. ``add_tool`` adds a widget above the preview, ``add_section`` one under
    the facts.
    """

    def __init__(self, placeholder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailsPanel")
        self.setMinimumWidth(280)
        self.orientation = Qt.Orientation.Vertical
        self._with_preview = True
        self._with_buttons = True

        self.tools = QHBoxLayout()
        self.tools.setContentsMargins(0, 0, 0, 0)
        self.preview = PreviewFrame()
        self.caption = WrapLabel()
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        self.caption.setWordWrap(True)
        self.caption.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.preview_box = QWidget()
        preview_layout = QVBoxLayout(self.preview_box)
        preview_layout.setContentsMargins(0, 0, 0, 0)
        preview_layout.addLayout(self.tools)
        preview_layout.addWidget(self.preview, 1)
        preview_layout.addWidget(self.caption)

        self.title = WrapLabel()
        self.title.setObjectName("detailsTitle")
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # a name, never markup
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setWeight(QFont.Weight.DemiBold)
        self.title.setFont(font)
        self.headline = WrapLabel()
        self.headline.setObjectName("detailsHeadline")
        self.headline.setWordWrap(True)
        self.headline.setTextFormat(Qt.TextFormat.RichText)
        self.headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.headline.setOpenExternalLinks(True)
        self.facts = FactList()
        self.info_box = QWidget()
        self._info = QVBoxLayout(self.info_box)
        self._info.setContentsMargins(0, 0, 0, 0)
        for widget in (self.title, self.headline, self.facts):
            self._info.addWidget(widget)
        self._info.addStretch(1)

        self._inner = QWidget()
        self._inner_layout = QVBoxLayout(self._inner)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(self._inner)
        self.buttons = ButtonRow()

        self.content = QWidget()
        self._grid = QGridLayout(self.content)
        self._grid.setContentsMargins(0, 0, 6, 6)

        self.placeholder = WrapLabel(placeholder)
        self.placeholder.setObjectName("detailsPlaceholder")
        self.placeholder.setWordWrap(True)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        # A wrapped label can ask for the width it was last shown at (the whole window's,
        # below the page): never let the line set the panel's width.
        self.placeholder.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._stack = QStackedWidget()
        self._stack.addWidget(self.placeholder)
        self._stack.addWidget(self.content)
        self._outer = QVBoxLayout(self)
        self._outer.setContentsMargins(0, 0, 0, 0)
        self._outer.addWidget(self._stack)
        self._arrange()
        self.show_placeholder(placeholder)

    # --- what pages call -------------------------------------------------------------------
    def add_tool(self, widget: QWidget) -> None:
        self.tools.addWidget(widget)

    def add_tool_stretch(self) -> None:
        self.tools.addStretch(1)

    def add_section(self, widget: QWidget) -> None:
        """A widget under the facts, inside the scroll area (notes, history...)."""
        self._info.insertWidget(self._info.count() - 1, widget)

    def show_placeholder(self, text: str) -> None:
        """Nothing to show: one centred line instead of the preview, facts and buttons."""
        self.placeholder.setText(text)
        self._stack.setCurrentWidget(self.placeholder)

    def show_details(self, *, preview: bool = True, buttons: bool = True) -> None:
        """Show the details (the page fills them); ``preview``/``buttons``: whether the
        preview frame and the button row are part of it this time."""
        self._with_preview, self._with_buttons = preview, buttons
        self.preview_box.setVisible(preview)
        self.buttons.setVisible(buttons)
        self._stack.setCurrentWidget(self.content)

    def showing_placeholder(self) -> bool:
        return self._stack.currentWidget() is self.placeholder

    def set_orientation(self, orientation: Qt.Orientation) -> None:
        """Vertical in a dock beside the page; horizontal (preview on the left) below it."""
        if orientation != self.orientation:
            self.orientation = orientation
            self._arrange()

    # --- layout ------------------------------------------------------------------------------
    def _arrange(self) -> None:
        for widget in (self.preview_box, self.scroll_area, self.buttons, self.info_box):
            widget.setParent(None)
        if self.orientation == Qt.Orientation.Vertical:
            self.setMinimumWidth(280)
            self.preview_box.setMaximumWidth(16777215)
            self._inner_layout.addWidget(self.preview_box)
            self._inner_layout.addWidget(self.info_box, 1)
            self._grid.addWidget(self.scroll_area, 0, 0)
            self._grid.addWidget(self.buttons, 1, 0)
            self._grid.setColumnStretch(1, 0)
            self.buttons.set_columns(2)
        else:
            self.setMinimumWidth(0)
            self.preview_box.setMaximumWidth(SIDE_PREVIEW)
            self._inner_layout.addWidget(self.info_box, 1)
            self._grid.addWidget(self.preview_box, 0, 0, 2, 1)
            self._grid.addWidget(self.scroll_area, 0, 1)
            self._grid.addWidget(self.buttons, 1, 1)
            self._grid.setColumnStretch(1, 1)
            self.buttons.set_columns(3)
        self.scroll_area.show()
        self.info_box.show()
        self.preview_box.setVisible(self._with_preview)
        self.buttons.setVisible(self._with_buttons)
        # A hidden panel (another page's) keeps its old minimum otherwise, and the window's
        # details dock would stay as wide as the panel was below the page.
        for layout in (self.buttons.grid, self._inner_layout, self._grid, self._outer):
            layout.invalidate()
        for widget in (self.buttons, self.content, self._stack, self):
            widget.updateGeometry()
