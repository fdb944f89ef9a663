"""The Uploads page's details panel (the shared ``DetailsPanel``): the selected upload's
preview, its state in one sentence (core's error sentence as it is), its facts, and the
page's actions as buttons."""

from __future__ import annotations

import html
from datetime import datetime, timezone

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from robloxassets.core.catalog.model import format_wait
from robloxassets.core.cloud.assets import AssetType, Privacy
from robloxassets.core.upload.model import State, UploadItem
from robloxassets.gui.catalog.model import short_time
from robloxassets.gui.catalog.thumbnails import ThumbnailLoader
from robloxassets.gui.details import DetailsPanel, Fact
from robloxassets.gui.style import upload_state_color
from robloxassets.gui.uploads.model import asset_text

PRIVACY_WORDS = {Privacy.DEFAULT: "Default", Privacy.RESTRICTED: "Restricted",
                 Privacy.OPEN_USE: "Open use"}

STATE_SENTENCES = {
    State.QUEUED: "Waiting its turn.",
    State.PREPARING: "Being checked and converted to an upload-ready copy.",
    State.SENDING: "On its way to Roblox.",
    State.IN_REVIEW: "Uploaded; Roblox's moderation is reviewing it (usually under 20 "
                     "minutes, sometimes hours). Players don't see it until it is approved.",
    State.APPROVED: "Approved: it works in your experiences.",
    State.REJECTED: "Rejected by Roblox's moderation: it won't show in experiences.",
    State.FAILED: "Not uploaded.",
    State.NEEDS_DECISION: "Needs your decision.",
}


def headline(item: UploadItem) -> str:
    """The state in a sentence, with core's own sentence for what went wrong."""
    color = upload_state_color(item.state).name()
    text = f"<span style='color:{color}; font-weight:600'>{item.state.label}</span> — "
    sentence = item.error if item.error and item.state in (State.FAILED, State.NEEDS_DECISION,
                                                          State.QUEUED) else ""
    text += html.escape(sentence or STATE_SENTENCES[item.state])
    if item.error and not sentence:  # e.g. a decal whose image ID was not found
        text += "<br>" + html.escape(item.error)
    return text


class UploadDetails(DetailsPanel):
    def __init__(self, previews: ThumbnailLoader, actions: list[QAction],
                 parent: QWidget | None = None) -> None:
        super().__init__("Select an upload to see its details.", parent)
        self.previews = previews
        self.item: UploadItem | None = None
        previews.loaded.connect(self._preview_loaded)
        for action in actions:
            self.buttons.add_action(action)

    def show_item(self, item: UploadItem | None, selected: int = 0) -> None:
        self.item = item
        if item is None:
            self.show_placeholder(f"{selected:,} uploads selected." if selected > 1
                                  else "Select an upload to see its details.")
            return
        self.show_details()
        self.title.setText(item.name)
        self.headline.setText(headline(item))
        self.preview.set_image(self.previews.get(item.source_path),
                               "Loading…" if not self.previews.failed(item.source_path)
                               else "The file can't be shown (moved or unreadable).")
        self.caption.setText(item.source_path)
        facts = [Fact("File", item.source_path),
                 Fact("Upload as", "Image" if item.asset_type is AssetType.IMAGE else "Decal"),
                 Fact("Creator", str(item.creator)),
                 Fact("Privacy", PRIVACY_WORDS.get(item.privacy, item.privacy.value)),
                 Fact("Largest side", f"{item.max_side} px")]
        if item.description:
            facts.append(Fact("Description", item.description))
        if item.width and item.height:
            facts.append(Fact("Sent at", f"{item.width} × {item.height} px"))
        if item.sent_name and item.sent_name != item.name:
            facts.append(Fact("Name sent", item.sent_name))
        if item.asset_id is not None:
            facts.append(Fact("Asset ID", asset_text(item)))
        wait = item.review_wait(datetime.now(timezone.utc))
        if wait is not None:
            facts.append(Fact("In review for", format_wait(wait)))
        if item.accepted:
            facts.append(Fact("Accepted", short_time(item.accepted)))
        elif item.sent:
            facts.append(Fact("Sent", short_time(item.sent)))
        if item.attempts > 1:
            facts.append(Fact("Attempts", str(item.attempts)))
        self.facts.show_facts(facts)

    def _preview_loaded(self, path: str) -> None:
        if self.item is not None and self.item.source_path == path:
            self.show_item(self.item)
