"""Answers in status.io's shape (what status.roblox.com answers in) for the fake server."""

from __future__ import annotations

from typing import Any


def statusio(code: int = 100, status: str = "Operational", components: list[Any] | None = None,
             incidents: list[Any] | None = None) -> dict[str, Any]:
    """An answer in status.io's shape, what status.roblox.com answers in."""
    return {"result": {
        "status_overall": {"status": status, "status_code": code,
                           "updated": "2026-11-30T18:02:11.000Z"},
        "status": components if components is not None else [
            {"name": "Games", "status": "Operational", "status_code": 100, "containers": []}],
        "incidents": incidents or [], "maintenance": {"active": [], "upcoming": []}}}
