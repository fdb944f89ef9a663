"""What an upload is: its file, what it becomes on Roblox, and where it stands.

The state machine, written to the database before and after every step:

    queued -> preparing -> queued (prepared) -> sending -> in review -> approved / rejected
                       \\-> failed           \\-> failed / needs a decision

``sending`` without an operation means the request may be on its way; after a crash such an
item becomes ``needs a decision`` ("may have been uploaded") and is never sent again without
the user. ``sending`` with an operation means Roblox accepted it: it is polled, never re-sent.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from robloxassets.core.catalog import rules
from robloxassets.core.catalog.model import name_from_file, parse_time
from robloxassets.core.cloud.assets import (
    MAX_DESCRIPTION,
    MAX_DISPLAY_NAME,
    AssetType,
    Creator,
    Privacy,
)
from robloxassets.core.errors import UserError
from robloxassets.core.printable import printable


class State(str, enum.Enum):
    QUEUED = "queued"
    PREPARING = "preparing"
    SENDING = "sending"
    IN_REVIEW = "in-review"
    APPROVED = "approved"
    REJECTED = "rejected"
    FAILED = "failed"
    NEEDS_DECISION = "needs-decision"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def accepted(self) -> bool:
        """Roblox has the asset (whatever moderation says)."""
        return self in (State.IN_REVIEW, State.APPROVED, State.REJECTED)

    @property
    def waiting_for_user(self) -> bool:
        return self in (State.FAILED, State.NEEDS_DECISION)


_LABELS = {
    State.QUEUED: "Queued",
    State.PREPARING: "Preparing",
    State.SENDING: "Sending",
    State.IN_REVIEW: "In review",
    State.APPROVED: "Approved",
    State.REJECTED: "Rejected",
    State.FAILED: "Failed",
    State.NEEDS_DECISION: "Needs a decision",
}

#: States a runner works on (the rest wait for the user or for moderation).
ACTIVE_STATES = (State.QUEUED, State.PREPARING, State.SENDING)

#: The name Roblox gets when the user asks to retry a moderated name (the catalogue keeps the
#: real one): plain words that moderation has no reason to refuse.
NEUTRAL_NAME = "Image {number}"

MAY_HAVE_BEEN_UPLOADED = (
    "May have been uploaded: the app stopped while {name!r} was being sent, before Roblox's "
    "answer was recorded. Check the Creator Dashboard (Creations > Decals or Images): if it is "
    "there, record its ID in the catalogue and cancel this item; if not, send it again.")


# Control characters, bidi overrides and line separators: what a terminal or a file name can
# carry into a name but Roblox should never get (a name is one line of plain text).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
                      "\u2066-\u2069]")
# The same in a description, where a line break is allowed.
_DESCRIPTION_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f"
                                  "\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def clean_name(name: str) -> str:
    """A name as one line: control characters become spaces, runs of white space one."""
    return " ".join(_CONTROL.sub(" ", str(name)).split())


def _is_text(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_upload_name(name: str) -> str:
    """The name an upload is queued under: ``clean_name``, and a name the catalogue can
    record when Roblox accepts it (checked before anything is queued). ``UserError`` when
    empty, too long or not text."""
    text = clean_name(name)
    if not text:
        raise UserError("Give the upload a name.")
    if not _is_text(text):
        raise UserError(f"The name {printable(repr(text))} holds bytes that aren't valid UTF-8 "
                        "text (a terminal in another encoding?); type it again.")
    return rules.check_name(text)


def check_upload_description(description: str) -> str:
    """The description Roblox gets: control characters removed (line breaks stay), at most
    ``MAX_DESCRIPTION`` characters (refused, not cut, so nothing is lost unsaid)."""
    text = _DESCRIPTION_CONTROL.sub(" ", str(description)).strip()
    if len(text) > MAX_DESCRIPTION:
        raise UserError(f"The description is {len(text):,} characters long; Roblox takes at "
                        f"most {MAX_DESCRIPTION:,}. Shorten it.")
    if not _is_text(text):
        raise UserError("The description holds bytes that aren't valid UTF-8 text (a terminal "
                        "in another encoding?); type it again.")
    return text


def name_from_path(path: str, fallback: str = "Image") -> str:
    """A name from a file name, made to pass ``check_upload_name`` (cut at a word to the
    catalogue's limit; a file name can be 255 characters)."""
    text = clean_name(name_from_file(path)) or fallback
    if len(text) > rules.MAX_NAME_LENGTH:
        cut = text[:rules.MAX_NAME_LENGTH]
        text = (cut[:cut.rindex(" ")] if " " in cut[rules.MAX_NAME_LENGTH // 2:] else cut
                ).rstrip(" -_.,")
    return text


def name_for_upload(name: str) -> str:
    """A display name Roblox takes: one line, at most 50 characters (cut at a word)."""
    text = clean_name(name)
    if len(text) <= MAX_DISPLAY_NAME:
        return text
    cut = text[:MAX_DISPLAY_NAME]
    if " " in cut[MAX_DISPLAY_NAME // 2:]:
        cut = cut[:cut.rindex(" ")]
    return cut.rstrip(" -_.,")


@dataclass(frozen=True)
class UploadOptions:
    """What a batch becomes on Roblox; ``name`` None: each from its file name."""

    creator: Creator
    asset_type: AssetType = AssetType.IMAGE
    description: str = ""
    name: str | None = None
    privacy: Privacy = Privacy.DEFAULT
    max_side: int = 1024


@dataclass(frozen=True)
class UploadItem:
    id: int
    source_path: str
    source_sha256: str | None
    name: str
    description: str
    asset_type: AssetType
    creator: Creator
    privacy: Privacy
    max_side: int
    state: State
    prepared_path: str | None = None
    prepared_sha256: str | None = None
    content_type: str | None = None
    width: int | None = None
    height: int | None = None
    sent_name: str | None = None
    operation_path: str | None = None
    asset_id: int | None = None
    image_id: int | None = None
    entry_id: int | None = None
    error_kind: str = ""
    error: str = ""
    attempts: int = 0
    created: str = ""
    updated: str = ""
    sent: str | None = None
    accepted: str | None = None

    @property
    def prepared(self) -> bool:
        return self.prepared_path is not None

    @property
    def script_id(self) -> int | None:
        """The ID scripts use: the image's (for a decal, once found)."""
        if self.asset_type is AssetType.IMAGE:
            return self.asset_id
        return self.image_id

    def review_wait(self, now: datetime | None = None) -> timedelta | None:
        """How long it has been in review (from Roblox's acceptance); None if not in review."""
        if self.state is not State.IN_REVIEW or not self.accepted:
            return None
        try:
            since = parse_time(self.accepted)
        except ValueError:
            return None
        return max((now or datetime.now(timezone.utc)) - since, timedelta(0))

    def to_json(self) -> dict[str, Any]:
        """The CLI's ``--json`` object for one file."""
        return {
            "file": self.source_path,
            "item": self.id,
            "name": self.name,
            "state": self.state.value,
            "asset_id": self.asset_id,
            "asset_type": self.asset_type.value,
            "image_id": self.script_id,
            "operation_id": self.operation_path.rsplit("/", 1)[-1]
            if self.operation_path else None,
            "moderation_state": _moderation_state(self.state),
            "error": self.error or None,
        }


def _moderation_state(state: State) -> str | None:
    if state is State.IN_REVIEW:
        return "in-review"
    if state in (State.APPROVED, State.REJECTED):
        return str(state.value)
    return None
