"""Read data files shipped in ``resources/`` (packaged as ``robloxassets.resources``)."""

from __future__ import annotations

from importlib import resources
from importlib.abc import Traversable

_PACKAGE = "robloxassets.resources"


def resource(*parts: str) -> Traversable:
    """A packaged data file or folder, e.g. ``resource("icons", "library.svg")``."""
    node = resources.files(_PACKAGE)
    for part in parts:
        node = node / part
    return node


def read_bytes(*parts: str) -> bytes:
    return resource(*parts).read_bytes()


def read_text(*parts: str) -> str:
    return resource(*parts).read_text(encoding="utf-8")
