"""Perceptual hashes of files and opened images, the way the scanner computes them.

The scanner hashes the thumbnail it makes anyway (``core.images.scan``); these helpers do the
same for one file outside a scan (a file about to be uploaded, a catalogued file the scan
cache does not know), so both hashes of the same picture agree bit for bit.
"""

from __future__ import annotations

import os

from PIL import Image

from robloxassets.core.duplicates.phash import Fingerprint, fingerprint
from robloxassets.core.images import decode
from robloxassets.core.images.thumbnails import THUMB_SIZE, thumbnail_image
from robloxassets.core.safeio import open_regular


def hash_opened(im: Image.Image, size: int = THUMB_SIZE) -> Fingerprint:
    """(hash, mirror hash, colour signature) of an opened, not yet loaded image. Raises
    what decoding raises (OSError for a damaged file, ``decode.Bomb`` for one too big to decode)."""
    return fingerprint(thumbnail_image(im, size, decode.orientation(im)))


def hash_file(path: str | os.PathLike[str]) -> Fingerprint | None:
    """(hash, mirror hash, colour signature) of an image file, or None when it can't be
    read as an image (not a regular file, damaged, too big to decode safely). Never raises
    for a bad file."""
    try:
        with open_regular(os.fspath(path)) as handle:
            im, too_big = decode.open_image(handle)
            if decode.is_refused(im, too_big):
                return None
            return hash_opened(im)
    except (decode.Bomb, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None
