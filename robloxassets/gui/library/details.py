"""The Library's details panel (the shared ``DetailsPanel``): a before/after preview, the
verdict, the facts and the page's actions; a summary when several images are selected."""

from __future__ import annotations

import html
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from PySide6.QtGui import QAction, QImage
from PySide6.QtWidgets import QButtonGroup, QToolButton, QWidget

from robloxassets.core.catalog.links import CatalogLink
from robloxassets.core.duplicates.catalogued import CatalogMatch
from robloxassets.core.duplicates.library import OpenCopy
from robloxassets.core.duplicates.wording import copy_kind
from robloxassets.core.errors import UserError
from robloxassets.core.images import decode
from robloxassets.core.images.fit import render_upload_ready
from robloxassets.core.images.info import ImageInfo, Verdict
from robloxassets.core.images.rules import format_name
from robloxassets.core.images.thumbnails import make_thumbnail
from robloxassets.core.printable import printable
from robloxassets.core.safeio import open_regular
from robloxassets.gui import problems
from robloxassets.gui.details import PREVIEW_SIZE, DetailsPanel, Fact
from robloxassets.gui.qimage import pil_qimage, rgba_qimage
from robloxassets.gui.style import GREEN, status_color, verdict_color
from robloxassets.gui.tasks import TaskRunner

TOO_BIG_TO_PREVIEW = "it has too many pixels to open safely, so it is not decoded"


def human_bytes(count: int) -> str:
    size = float(count)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{int(size)} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{count} bytes"


def frames_text(info: ImageInfo) -> str:
    """The Frames fact in a creator's words, also when the file's frame count is damaged."""
    if not info.animated:
        return "1"
    if not info.frames:
        return "damaged count (only the first is used)"
    return f"{info.frames:,} (only the first is used)"


def load_preview(path: str, max_side: int) -> tuple[QImage, QImage, tuple[int, int]]:
    """(original, upload-ready, upload-ready size), both scaled for display. Runs in the pool.

    The original goes through the scanner's thumbnail path: reduced decoding, colour modes
    converted, orientation applied after shrinking, and the shared decode budget, so selecting
    a huge image during a scan can't double the memory peak.
    """
    label = os.path.basename(path) or path
    try:
        # Regular files only: the file may have become a FIFO or a device since it was
        # checked, and a plain open() of one would block this worker for good.
        handle = open_regular(path)
    except OSError as exc:
        raise UserError(f"{label} can't be read: {decode.describe_open_error(path, exc)}.") \
            from None
    with handle:
        original, too_big = decode.open_image(handle)
        if decode.is_refused(original, too_big):
            raise UserError(TOO_BIG_TO_PREVIEW)
        try:
            before = make_thumbnail(original, PREVIEW_SIZE * 2, decode.orientation(original))
        except decode.Bomb:
            raise UserError(TOO_BIG_TO_PREVIEW) from None
    ready = render_upload_ready(path, max_side)
    ready_size = ready.size
    ready.thumbnail((PREVIEW_SIZE * 2, PREVIEW_SIZE * 2))
    return rgba_qimage(before.rgba, before.width, before.height), pil_qimage(ready), ready_size


@dataclass(frozen=True)
class Selection:
    """What a multi-selection holds, for its summary: counts per verdict (None: still being
    checked), how many still need work (prepared ones don't), are prepared or catalogued,
    and their total size in bytes."""

    count: int
    verdicts: dict[Verdict | None, int]
    needs_work: int = 0
    prepared: int = 0
    catalogued: int = 0
    total_bytes: int = 0


class LibraryDetails(DetailsPanel):
    """Details of the selected image: the before/after preview, the verdict, the facts, and
    the page's Prepare / Record / Show in folder actions as buttons (the same actions as the
    toolbar's, so both are always enabled alike). Several images selected: a summary."""

    def __init__(self, tasks: TaskRunner, actions: Sequence[QAction],
                 parent: QWidget | None = None) -> None:
        super().__init__("Select an image to see its details.", parent)
        self.tasks = tasks
        self.max_side = 1024
        self.info: ImageInfo | None = None
        self.link: CatalogLink | None = None
        self.relation: Fact | None = None
        self.near: tuple[OpenCopy, ...] = ()
        self.catalogued_copies: tuple[CatalogMatch, ...] = ()
        #: The catalogue can only be read: "Not recorded yet" says why Record is off.
        self.read_only = False
        self._prepared = False
        self._token = 0
        self._before: QImage | None = None
        self._after: QImage | None = None
        self._after_size: tuple[int, int] | None = None

        self.before_button = QToolButton()
        self.before_button.setText("Original")
        self.after_button = QToolButton()
        self.after_button.setText("Upload-ready")
        group = QButtonGroup(self)
        for toggle in (self.before_button, self.after_button):
            toggle.setCheckable(True)
            toggle.setAutoRaise(True)
            group.addButton(toggle)
            self.add_tool(toggle)
        self.add_tool_stretch()
        self.after_button.setChecked(True)
        group.buttonToggled.connect(self._show_preview)
        for action in actions:
            self.buttons.add_action(action)

    # --- one image ---------------------------------------------------------------------------
    def set_catalog(self, link: CatalogLink | None) -> None:
        """Show whether the shown image is catalogued (found by its content hash)."""
        self.link = link
        if self.info is not None:
            self._fill_facts(self.info)

    def set_duplicates(self, near: Sequence[OpenCopy], catalogued: Sequence[CatalogMatch],
                       own_entry: int | None = None) -> None:
        """The shown image's near-copies among the open images (with their distance) and
        the catalogued assets it looks like (other than its own entry)."""
        self.near = tuple(near)
        self.catalogued_copies = tuple(m for m in catalogued if m.entry_id != own_entry)
        if self.info is not None:
            self._fill_facts(self.info)

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        if self.info is not None:
            self._fill_facts(self.info)

    def set_relation(self, relation: Fact | None, prepared: bool = False) -> None:
        """The shown image's prepared copy ("Prepared copy: out/wall.png, 1024 × 1024") or,
        for a copy, its original ("Copy of: ..."); ``prepared``: it has an upload-ready
        copy, so the headline says so."""
        self.relation = relation
        self._prepared = prepared
        if self.info is not None:
            self._fill_headline(self.info)
            self._fill_facts(self.info)

    def show_info(self, info: ImageInfo | None, thumbnail: QImage | None = None,
                  link: CatalogLink | None = None, relation: Fact | None = None,
                  prepared: bool = False) -> None:
        self._token += 1
        self.info = info
        self.link = link
        self.relation = relation
        self._prepared = prepared
        self.near = ()
        self.catalogued_copies = ()
        self._before = self._after = None
        self._after_size = None
        if info is None:
            self.show_placeholder("Select an image to see its details.")
            return
        self.show_details()
        # Escaped as on the command line: bytes that aren't UTF-8, ESC and newlines show.
        self.title.setText(printable(os.path.basename(info.path)))
        self._fill_headline(info)
        self._fill_facts(info)
        self._before = thumbnail
        readable = info.verdict is not Verdict.CORRUPT
        # Refused (too many pixels): no target size, and nothing is ever decoded.
        refused = readable and info.target_size is None
        for toggle in (self.before_button, self.after_button):
            toggle.setVisible(readable and not refused)
        if not readable or refused:
            self.preview.set_image(None, "This file can't be read." if not readable
                                   else "Too big to preview safely.")
            self.caption.clear()
            return
        self._show_preview()
        self.tasks.run_task(load_preview, info.path, self.max_side,
                            on_done=partial(self._preview_loaded, self._token),
                            on_error=partial(self._preview_failed, self._token))

    def _fill_headline(self, info: ImageInfo) -> None:
        color = verdict_color(info.verdict).name()
        head = (f"<span style='color:{color}; font-weight:600'>"
                f"{html.escape(info.verdict.label)}</span>")
        if self._prepared:
            head += (f" · <span style='color:{GREEN.name()}; font-weight:600'>"
                     "prepared</span>")
        self.headline.setText(f"{head}<br>{html.escape(info.message)}")

    def _fill_facts(self, info: ImageInfo) -> None:
        facts = [self._catalog_fact()]
        if self.relation is not None:
            facts.append(self.relation)
        facts.append(Fact("Folder", printable(os.path.dirname(info.path))))
        if info.width is None:
            # Nothing could be read from the file (the headline says why): no made-up
            # "unknown" format or "1 frame", only what the folder listing knows.
            if info.bytes:
                facts.append(Fact("File size", human_bytes(info.bytes)))
            self.facts.show_facts(facts)
            return
        facts += [
            Fact("Format", format_name(info.format)),
            Fact("Size", f"{info.width} × {info.height} px"),
            Fact("Colour", info.mode or "not stated in the file"),
            Fact("Transparency", "yes" if info.has_alpha else "no"),
            Fact("File size", human_bytes(info.bytes)),
            Fact("Frames", frames_text(info)),
        ]
        if self.near:
            facts.append(Fact("Near-copies", "<br>".join(
                html.escape(f"{os.path.basename(n.path)} — "
                            + copy_kind(n.exact, n.distance, n.mirrored))
                for n in self.near[:8]) + (f"<br>… and {len(self.near) - 8} more"
                                           if len(self.near) > 8 else ""),
                "\n".join(n.path for n in self.near), rich=True))
        if self.catalogued_copies:
            match = self.catalogued_copies[0]
            color = status_color(match.status).name()
            facts.append(Fact("Looks like", (
                f"{html.escape(match.name)} ({html.escape(match.content_id or 'no ID')}, "
                f"<span style='color:{color}'>{html.escape(match.status.label.lower())}"
                f"</span>)" + ("" if match.exact else " — " + copy_kind(
                    False, match.distance, match.mirrored, short=True))),
                match.describe(), rich=True))
        self.facts.show_facts(facts)

    def _catalog_fact(self) -> Fact:
        link = self.link
        if link is None:
            return Fact("Catalogue", "Not recorded yet (the catalogue can only be read)"
                        if self.read_only else "Not recorded yet")
        color = status_color(link.status).name()
        return Fact("Catalogue", f"{html.escape(link.name)} · {link.content_id} · "
                    f"<span style='color:{color}'>{link.status.label.lower()}</span>",
                    rich=True)

    def _preview_loaded(self, token: int, result: tuple[QImage, QImage, tuple[int, int]]) -> None:
        if token != self._token:
            return
        self._before, self._after, self._after_size = result
        self._show_preview()

    def _preview_failed(self, token: int, exc: BaseException) -> None:
        if token != self._token:
            return
        self._after = None
        problems.log_bug("Making the upload-ready preview", exc)
        self.caption.setText(f"No upload-ready preview: {problems.describe(exc)}")

    def _show_preview(self, *_: object) -> None:
        info = self.info
        if info is None or info.verdict is Verdict.CORRUPT or info.target_size is None:
            return
        if self.after_button.isChecked():
            image = self._after
            size = self._after_size
            caption = (f"Upload-ready: {size[0]} × {size[1]} px, PNG" if size
                       else "Preparing preview…")
        else:
            image = self._before
            caption = f"Original: {info.width} × {info.height} px" if info.width else ""
        self.preview.set_image(image, "Loading…")
        self.caption.setText(caption)

    # --- several images ----------------------------------------------------------------------
    def show_selection(self, selection: Selection) -> None:
        """Several images selected: a summary (counts per verdict, total size); the actions
        still apply to all of them."""
        self._token += 1
        self.info = None
        self.link = None
        self.show_details(preview=False)
        self.title.setText(f"{selection.count:,} images selected")
        self.headline.clear()
        facts = [Fact("Total size", human_bytes(selection.total_bytes)),
                 Fact("Need work", f"{selection.needs_work:,}")]
        for verdict in Verdict:
            count = selection.verdicts.get(verdict, 0)
            if count:
                facts.append(Fact(verdict.label, f"{count:,}"))
        checking = selection.verdicts.get(None, 0)
        if checking:
            facts.append(Fact("Still checking", f"{checking:,}"))
        if selection.prepared:
            facts.append(Fact("Prepared", f"{selection.prepared:,} have an upload-ready copy"))
        if selection.catalogued:
            facts.append(Fact("Catalogued", f"{selection.catalogued:,}"))
        self.facts.show_facts(facts)
