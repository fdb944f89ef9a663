"""What one page may ask of another, through the window (``Page.send`` -> ``Page.receive``).

Pages never reach into each other's widgets; a request is plain data, and any page that
wants to ask for something imports its type from here, so every tie between pages shows in
an import.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RecordFile:
    """Open the Catalogue's form to record the asset ID of a local image (the Library's
    "Record asset ID…"). ``sha256`` and the size are filled in when already known; the form
    reads them itself otherwise."""

    path: str
    sha256: str | None = None
    width: int | None = None
    height: int | None = None
    name: str | None = None


@dataclass(frozen=True)
class UploadFiles:
    """Open the Upload dialog for these files (the Library's "Upload…"); the Uploads page
    shows itself and checks them."""

    paths: tuple[str, ...]
