"""Content hashes and pixel sizes of local files, so a catalogue entry follows its image's
content rather than its name: renaming or moving a file keeps the link."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from robloxassets.core.errors import UserError, disk_error
from robloxassets.core.safeio import NotRegularFileError, open_regular

CHUNK = 1024 * 1024


def sha256_file(path: str | os.PathLike[str], chunk_size: int = CHUNK) -> str:
    """Hex SHA-256 of a file's content, read in chunks (large files never sit in memory)."""
    try:
        with open_regular(path) as handle:
            return sha256_stream(handle, chunk_size)
    except FileNotFoundError as exc:
        raise UserError(f"The file {path} does not exist; check the path.") from exc
    except IsADirectoryError as exc:
        raise UserError(f"{path} is a folder; give the image file itself.") from exc
    except NotRegularFileError as exc:
        raise UserError(f"{path} is {exc.kind}, not an image file; give the image file "
                        "itself.") from exc
    except OSError as exc:
        raise disk_error(exc, path, doing="read", after="") from exc


def sha256_stream(handle: BinaryIO, chunk_size: int = CHUNK) -> str:
    """Hex SHA-256 of what is left to read in an open binary file, read in chunks."""
    digest = hashlib.sha256()
    while block := handle.read(chunk_size):
        digest.update(block)
    return digest.hexdigest()


def image_size(path: str | os.PathLike[str]) -> tuple[int, int] | None:
    """Pixel size read from the image header, or None if it is not an image Pillow knows."""
    try:
        from PIL import Image, UnidentifiedImageError
    except ImportError:  # pragma: no cover - Pillow is a dependency
        return None
    try:
        with open_regular(path) as handle, Image.open(handle) as image:
            size: tuple[int, int] = image.size
            return size
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
        return None


@dataclass(frozen=True)
class FileFacts:
    """What the catalogue records about a local file."""

    path: str
    sha256: str
    width: int | None
    height: int | None


def check_path_text(path: str) -> None:
    """Raise ``UserError`` if ``path`` is not valid UTF-8 (a file name with undecodable
    bytes): the catalogue can't record it."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        raise UserError(f"The file name {path.encode('utf-8', 'backslashreplace').decode()} "
                        "is not valid UTF-8, so the catalogue can't record it (nor export it "
                        "to CSV or JSON): rename the file and try again.") from None


def file_facts(path: str | os.PathLike[str]) -> FileFacts:
    """Absolute path, content hash and pixel size of ``path``; raises ``UserError``."""
    absolute = Path(path).expanduser().resolve()
    check_path_text(str(absolute))
    digest = sha256_file(absolute)
    size = image_size(absolute)
    return FileFacts(str(absolute), digest, size[0] if size else None,
                     size[1] if size else None)
