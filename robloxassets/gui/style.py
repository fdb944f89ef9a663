"""The app's few colours, each defined once: verdict and status accents, readable on light and
dark backgrounds (UX: no hard-coded colours except these accents).

Every page takes its accents from here: the Library's verdict and catalogue badges, the
Catalogue's status dots, row tints and advice, the entry form's hints and the Error codes
page's Roblox status line.
"""

from __future__ import annotations

from PySide6.QtGui import QColor

from robloxassets.core.catalog.model import Status
from robloxassets.core.images.info import Verdict
from robloxassets.core.upload.model import State

GREEN = QColor("#2e9d4f")
AMBER = QColor("#d98e04")
RED = QColor("#d1242f")
GREY = QColor("#8a8f98")
SLATE = QColor("#6c7a89")
BLUE = QColor("#1f6feb")

#: Problems in a form (an unreadable or duplicate ID) and warnings worth a second look.
ERROR_COLOR = RED
WARNING_COLOR = AMBER

VERDICT_COLORS: dict[Verdict, QColor] = {
    Verdict.OK: GREEN,
    Verdict.DOWNSCALE: AMBER,
    Verdict.TOO_LARGE_FILE: AMBER,
    Verdict.TOO_MANY_PIXELS: AMBER,
    Verdict.UNSUPPORTED: GREY,
    Verdict.CORRUPT: RED,
}

# One glyph per verdict for the small corner badge; the tooltip and details say it in words.
VERDICT_GLYPHS: dict[Verdict, str] = {
    Verdict.OK: "✓",
    Verdict.DOWNSCALE: "↓",
    Verdict.TOO_LARGE_FILE: "!",
    Verdict.TOO_MANY_PIXELS: "!",
    Verdict.UNSUPPORTED: "⇄",
    Verdict.CORRUPT: "✕",
}

#: Moderation status of a catalogue entry.
STATUS_COLORS: dict[Status, QColor] = {
    Status.DRAFT: GREY,
    Status.IN_REVIEW: AMBER,
    Status.APPROVED: GREEN,
    Status.REJECTED: RED,
    Status.ARCHIVED: SLATE,
}

#: Where an upload stands (the Uploads page's state column and dots).
UPLOAD_STATE_COLORS: dict[State, QColor] = {
    State.QUEUED: GREY,
    State.PREPARING: BLUE,
    State.SENDING: BLUE,
    State.IN_REVIEW: AMBER,
    State.APPROVED: GREEN,
    State.REJECTED: RED,
    State.FAILED: RED,
    State.NEEDS_DECISION: AMBER,
}

#: Accents of an entry waiting in review for more than a day / more than a week
#: (``core.catalog.model.review_stage``).
REVIEW_COLORS: dict[str, QColor] = {"slow": AMBER, "contact-support": RED}
_TINT_ALPHA = 60

#: Roblox's own status page (``core.errorcodes.status`` levels).
SERVICE_COLORS: dict[str, QColor] = {"ok": GREEN, "minor": AMBER, "maintenance": AMBER,
                                     "major": RED, "unknown": GREY}


def verdict_color(verdict: Verdict | None) -> QColor:
    return VERDICT_COLORS.get(verdict, GREY) if verdict is not None else GREY


def status_color(status: Status) -> QColor:
    return STATUS_COLORS.get(status, BLUE)


def review_tint(stage: str) -> QColor | None:
    """A see-through row background for a review stage ("slow", "contact-support")."""
    color = REVIEW_COLORS.get(stage)
    if color is None:
        return None
    tint = QColor(color)
    tint.setAlpha(_TINT_ALPHA)
    return tint


def service_color(level: str) -> QColor:
    return SERVICE_COLORS.get(level, GREY)


def upload_state_color(state: State) -> QColor:
    return UPLOAD_STATE_COLORS.get(state, GREY)
