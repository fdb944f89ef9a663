"""What a catalogue entry is: asset IDs, names, tags, the local file and moderation status.

Values here are plain data; ``store.Catalog`` reads and writes them. Spellings of statuses and
dictionary keys are part of the CSV/JSON formats and the CLI's ``--json`` output: keep them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from enum import Enum
from typing import Any

from robloxassets.core.catalog import rules

# Re-exported: the CLI and the transfer code import them from here.
from robloxassets.core.catalog.rules import CREATOR_TYPES as CREATOR_TYPES
from robloxassets.core.catalog.rules import MAX_NAME_LENGTH as MAX_NAME_LENGTH
from robloxassets.core.errors import UserError


class Status(str, Enum):
    """Moderation status of an entry; the value is the stable spelling used in files."""

    DRAFT = "draft"
    IN_REVIEW = "in-review"
    APPROVED = "approved"
    REJECTED = "rejected"
    ARCHIVED = "archived"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @classmethod
    def parse(cls, text: str) -> Status:
        """Accepts the stable spelling, the label, and ``in review``/``in_review``/``Reviewing``."""
        if isinstance(text, Status):
            return text
        fast = _BY_VALUE.get(text)
        if fast is not None:
            return fast
        key = re.sub(r"[\s_-]+", "-", str(text).strip().lower())
        key = _ALIASES.get(key, key)
        for status in cls:
            if status.value == key:
                return status
        choices = ", ".join(s.value for s in cls)
        raise UserError(f"{text!r} is not a status. Use one of: {choices}.")


_LABELS = {
    Status.DRAFT: "Draft",
    Status.IN_REVIEW: "In review",
    Status.APPROVED: "Approved",
    Status.REJECTED: "Rejected",
    Status.ARCHIVED: "Archived",
}
_BY_VALUE = {status.value: status for status in Status}
# Open Cloud's moderation states and a few natural spellings map onto ours.
_ALIASES = {
    "inreview": "in-review",
    "review": "in-review",
    "reviewing": "in-review",
    "pending": "in-review",
    "moderation-state-reviewing": "in-review",
    "moderation-state-approved": "approved",
    "moderation-state-rejected": "rejected",
}


#: After this long in review, an entry is highlighted.
SLOW_REVIEW = timedelta(days=1)
#: After this long in review, Roblox's advice is to contact support.
CONTACT_SUPPORT_AFTER = timedelta(days=7)
SUPPORT_URL = "https://www.roblox.com/support"

_TAG_SPACES = re.compile(r"\s+")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
MAX_TAG_LENGTH = 40


def utc_now() -> str:
    """Now as ISO 8601 UTC with seconds, the one format stored and exported."""
    return format_time(datetime.now(timezone.utc))


def format_time(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text: str) -> datetime:
    """Read an ISO 8601 time; one without a zone is taken as UTC. Raises ValueError."""
    value = str(text).strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def normalize_time(text: str) -> str:
    return format_time(parse_time(text))


def normalize_tag(tag: str) -> str:
    """Tags are compared without case and with single spaces; commas separate tags."""
    if tag.islower() and tag.isalnum():
        return tag
    return _TAG_SPACES.sub(" ", str(tag).replace(",", " ")).strip().lower()


def parse_tags(text: str | list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    """Tags from ``"a, b"`` or a list: normalized, without duplicates, sorted."""
    if text is None:
        return ()
    items = [part for item in ([text] if isinstance(text, str) else text)
             for part in str(item).split(",")]
    tags = {normalize_tag(item) for item in items}
    tags.discard("")
    for tag in tags:
        if len(tag) > MAX_TAG_LENGTH:
            raise UserError(f"The tag {tag[:20]!r}... is too long; keep tags under "
                            f"{MAX_TAG_LENGTH} characters.")
    return tuple(sorted(tags))


def check_sha256(value: str | None, what: str = "SHA-256") -> str | None:
    if value is None or value == "":
        return None
    text = str(value).strip().lower()
    if not _HEX64.match(text):
        raise UserError(f"{value!r} is not a {what} hash (64 hexadecimal digits).")
    return text


@dataclass(frozen=True)
class StatusChange:
    """One line of an entry's moderation history: the status it moved to, and when (UTC)."""

    status: Status
    at: str


@dataclass(frozen=True)
class Entry:
    """One catalogued asset. ``id`` is the database row (None before it is saved).

    At least one of ``decal_id`` (what the website and Toolbox show) and ``image_id`` (what
    scripts need) is set.
    """

    name: str
    decal_id: int | None = None
    image_id: int | None = None
    description: str = ""
    tags: tuple[str, ...] = ()
    notes: str = ""
    creator_type: str | None = None
    creator_id: int | None = None
    file_path: str = ""
    sha256: str | None = None
    prepared_sha256: str | None = None
    width: int | None = None
    height: int | None = None
    status: Status = Status.DRAFT
    status_changed: str = ""
    created: str = ""
    updated: str = ""
    history: tuple[StatusChange, ...] = field(default=(), compare=False)
    id: int | None = None

    @property
    def asset_id(self) -> int | None:
        """The ID a script should use: the image ID when known, else the decal ID."""
        return self.image_id if self.image_id is not None else self.decal_id

    @property
    def content_id(self) -> str:
        return f"rbxassetid://{self.asset_id}" if self.asset_id is not None else ""

    @property
    def ids_text(self) -> str:
        parts = []
        if self.decal_id is not None:
            parts.append(f"decal {self.decal_id}")
        if self.image_id is not None:
            parts.append(f"image {self.image_id}")
        return ", ".join(parts)

    def with_changes(self, **changes: Any) -> Entry:
        return replace(self, **changes)

    def review_wait(self, now: datetime | None = None) -> timedelta | None:
        """How long an entry in review has waited since it was sent; None if not in review."""
        if self.status is not Status.IN_REVIEW or not self.status_changed:
            return None
        try:
            since = parse_time(self.status_changed)
        except ValueError:
            return None
        now = now or datetime.now(timezone.utc)
        return max(now - since, timedelta(0))

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON shape (CLI ``--json`` and JSON export)."""
        return {
            "decal_id": self.decal_id,
            "image_id": self.image_id,
            "name": self.name,
            "description": self.description,
            "tags": list(self.tags),
            "notes": self.notes,
            "creator_type": self.creator_type,
            "creator_id": self.creator_id,
            "status": self.status.value,
            "status_changed": self.status_changed,
            "file": self.file_path,
            "sha256": self.sha256,
            "prepared_sha256": self.prepared_sha256,
            "width": self.width,
            "height": self.height,
            "created": self.created,
            "updated": self.updated,
            "history": [{"status": c.status.value, "at": c.at} for c in self.history],
        }


def review_stage(wait: timedelta | None) -> str:
    """``""`` (not in review or recent), ``"slow"`` (over a day), ``"contact-support"``."""
    if wait is None or wait < SLOW_REVIEW:
        return ""
    return "contact-support" if wait >= CONTACT_SUPPORT_AFTER else "slow"


def format_wait(wait: timedelta) -> str:
    """A short human duration: "12 min", "5 h", "3 days"."""
    seconds = int(wait.total_seconds())
    if seconds < 3600:
        return f"{max(seconds // 60, 1)} min"
    if seconds < 2 * 86400:
        return f"{seconds // 3600} h"
    return f"{seconds // 86400} days"


def _is_text(text: str) -> bool:
    """False for text with lone surrogates (undecodable bytes), which SQLite can't store."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def validate_entry(entry: Entry) -> Entry:
    """Check an entry's values; returns it with normalized text. Raises ``UserError``."""
    name = rules.check_name(entry.name)
    rules.check_ids(entry.decal_id, entry.image_id, name)
    rules.check_creator(entry.creator_type, entry.creator_id, name)
    for label, value in (("width", entry.width), ("height", entry.height)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                  or value <= 0):
            raise UserError(f"The {label} {value!r} of {name!r} is not a positive number.")
    for label, text in (("name", name), ("description", entry.description),
                        ("notes", entry.notes), ("file", entry.file_path),
                        ("tags", ",".join(entry.tags))):
        if not _is_text(text):
            shown = name.encode("utf-8", "backslashreplace").decode()
            raise UserError(f"The {label} of {shown!r} holds bytes that aren't valid UTF-8 "
                            "text (from a file name or a terminal in another encoding); type "
                            "it again.")
    tags = parse_tags(entry.tags)
    sha256 = check_sha256(entry.sha256)
    prepared = check_sha256(entry.prepared_sha256, "upload-ready copy SHA-256")
    status = Status.parse(entry.status)
    # Most entries are already normal (imports build them so); skip copying those.
    # ("draft" == Status.DRAFT, so the status is compared by identity.)
    if (entry.status is status and entry.name == name and entry.tags == tags
            and entry.sha256 == sha256 and entry.prepared_sha256 == prepared):
        return entry
    return replace(entry, name=name, tags=tags, sha256=sha256, prepared_sha256=prepared,
                   status=status)


def entry_from_file(path: str, sha256: str | None = None, width: int | None = None,
                    height: int | None = None, name: str | None = None) -> Entry:
    """An unsaved draft for a local image, named after the file unless ``name`` is given.

    It has no asset ID yet: the user fills that in (the form or ``Catalog.add`` refuses it
    without one).
    """
    return Entry(name=name if name is not None else name_from_file(path),
                 file_path=str(path or ""), sha256=check_sha256(sha256), width=width,
                 height=height)


def name_from_file(path: str) -> str:
    """An entry name from a file name: ``coin_icon-v2.png`` -> ``Coin icon v2``."""
    from pathlib import PurePath

    stem = PurePath(path).stem if path else ""
    pretty = " ".join(re.sub(r"[_\-.]+", " ", stem).split())
    return pretty[:1].upper() + pretty[1:]
