"""How verdicts and catalogue statuses look: accent colours readable on light and dark."""

from __future__ import annotations

from PySide6.QtGui import QColor

from robloxassets.core.images.info import Verdict

GREEN = QColor("#2e9d4f")
AMBER = QColor("#d98e04")
RED = QColor("#d1242f")
GREY = QColor("#8a8f98")
BLUE = QColor("#1f6feb")

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

STATUS_COLORS: dict[str, QColor] = {
    "draft": GREY,
    "in-review": AMBER,
    "approved": GREEN,
    "rejected": RED,
    "archived": GREY,
}


def verdict_color(verdict: Verdict | None) -> QColor:
    return VERDICT_COLORS.get(verdict, GREY) if verdict is not None else GREY


def status_color(status: str) -> QColor:
    return STATUS_COLORS.get(status.replace(" ", "-").lower(), BLUE)
