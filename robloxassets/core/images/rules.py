"""Roblox's rules for decal and image uploads, and which files the Library treats as images.

The limits come from Roblox's creator documentation: texture maps are at most 1024 x 1024
(larger images are scaled down on upload); Open Cloud takes PNG, JPEG, BMP and TGA files of at
most 20 MB and under 8000 pixels on a side.
"""

from __future__ import annotations

import os

MAX_TEXTURE_SIDE = 1024
"""Roblox scales larger images down to fit this, so the app offers to do it first."""

LARGEST_SIDE_CHOICES = (1024, 2048, 4096)
"""The largest sides a user may choose for checks, copies and uploads (the setting
``images.max_side``; MAX_TEXTURE_SIDE is the default)."""

LARGEST_SIDE_HELP = (
    "1024 (the default) is the classic limit and what a part face shows on 8 x 8 studs: "
    "small files, quick uploads, sharp on most parts. 2048 and 4096 keep more detail for "
    "large surfaces and close-ups, which Roblox now supports with texture streaming, but "
    "files grow up to 16 times, uploads take longer, players' devices need more memory, and "
    "Roblox may still show less when many textures are on screen.")
"""Why one would choose each largest side, shown where the setting is chosen."""

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
"""Files above this size are refused."""

MAX_UPLOAD_SIDE = 8000
"""A side of this many pixels or more is refused."""

UPLOAD_FORMATS: frozenset[str] = frozenset({"PNG", "JPEG", "BMP", "TGA"})
"""Pillow format names of the files Roblox takes as they are."""

UPLOAD_EXTENSIONS: tuple[str, ...] = (".png", ".jpg", ".jpeg", ".bmp", ".tga")
"""The extensions of the formats Roblox takes, in the order messages name them."""

CONVERTED_EXAMPLES: tuple[str, ...] = (".gif", ".webp", ".tif", ".psd", ".heic")
"""Extensions of files creators often have that Roblox refuses and the app converts."""

IMAGE_EXTENSIONS: frozenset[str] = frozenset({
    ".png", ".apng", ".jpg", ".jpeg", ".jpe", ".jfif", ".pjpeg", ".pjp", ".bmp", ".dib",
    ".tga", ".gif", ".webp", ".tif", ".tiff", ".ico", ".cur", ".psd", ".avif", ".heic",
    ".heif", ".jp2", ".j2k", ".dds", ".pcx", ".ppm", ".pgm", ".pbm", ".pnm", ".qoi", ".xbm",
    ".icns", ".sgi", ".rgb", ".rgba",
})
"""Lower-case extensions (with the dot) of files the Library lists; the rest are ignored.

Formats Pillow cannot read (e.g. .heic without a plugin) are still listed so the user learns
why they are not usable instead of wondering where they went.
"""

# Display names of Pillow's format names where they differ from what creators call them.
FORMAT_NAMES: dict[str, str] = {
    "WEBP": "WebP",
    "JPEG2000": "JPEG 2000",
    "MPO": "JPEG",
    "ICNS": "ICNS",
}


def listed_extensions() -> list[str]:
    """Every extension the Library lists, Roblox's own formats first (then A to Z)."""
    return [*UPLOAD_EXTENSIONS, *sorted(IMAGE_EXTENSIONS - set(UPLOAD_EXTENSIONS))]


def is_image_path(path: str | os.PathLike[str]) -> bool:
    """True when the file name ends with an image extension (the content is not looked at)."""
    return os.path.splitext(os.fspath(path))[1].lower() in IMAGE_EXTENSIONS


def format_name(pillow_format: str | None) -> str:
    """A format as creators know it ("WebP", "JPEG"), or "unknown format"."""
    if not pillow_format:
        return "unknown format"
    return FORMAT_NAMES.get(pillow_format, pillow_format)
