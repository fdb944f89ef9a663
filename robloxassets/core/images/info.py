"""What an image file is and what Roblox will make of it: the verdict and a plain sentence.

``inspect_image`` reads only the header (fast, nothing decoded). The scanner
(``robloxassets.core.images.scan.analyse``) also decodes the image for its thumbnail, which is
how truncated and damaged files are caught; both end in ``evaluate`` so the words are the same.
"""

from __future__ import annotations

import builtins
import enum
import os
from dataclasses import dataclass
from typing import Any

from robloxassets.core import safeio
from robloxassets.core.images import decode
from robloxassets.core.images.rules import (
    MAX_TEXTURE_SIDE,
    MAX_UPLOAD_BYTES,
    MAX_UPLOAD_SIDE,
    UPLOAD_FORMATS,
    format_name,
)


class Verdict(str, enum.Enum):
    """Roblox's verdict on a file, most serious first: CORRUPT > TOO_LARGE_FILE >
    TOO_MANY_PIXELS > UNSUPPORTED > DOWNSCALE > OK."""

    OK = "ok"
    DOWNSCALE = "downscale"
    UNSUPPORTED = "unsupported"
    TOO_LARGE_FILE = "too-large-file"
    TOO_MANY_PIXELS = "too-many-pixels"
    CORRUPT = "corrupt"

    @property
    def needs_work(self) -> bool:
        return self is not Verdict.OK

    @property
    def label(self) -> str:
        """Short badge text."""
        return _LABELS[self]


_LABELS = {
    Verdict.OK: "OK",
    Verdict.DOWNSCALE: "Will be downscaled",
    Verdict.UNSUPPORTED: "Convert format",
    Verdict.TOO_LARGE_FILE: "File too big",
    Verdict.TOO_MANY_PIXELS: "Too many pixels",
    Verdict.CORRUPT: "Corrupt",
}


@dataclass(frozen=True, slots=True)
class ImageInfo:
    """Facts about one image file and Roblox's verdict on it.

    ``width``/``height`` are as the image is shown (EXIF orientation applied), the same as the
    thumbnail and the upload-ready copy. ``target_size`` is the size of the upload-ready copy,
    None when no copy can be made. ``sha256`` is the file's content hash when it is known (the
    scan cache keeps the digests ``core.catalog.links.file_hashes`` worked out); scans and the
    header-only ``inspect_image`` leave it None. ``phash`` and ``phash_mirror`` are the
    perceptual hashes of the picture and of its mirror image (``core.duplicates.phash``),
    computed by the scanner from the thumbnail; None when it could not be decoded. ``colour``
    is the colour signature computed with them (``core.duplicates.colour``).
    """

    path: str
    format: str | None
    width: int | None
    height: int | None
    mode: str | None
    has_alpha: bool
    bytes: int
    mtime_ns: int
    verdict: Verdict
    message: str
    animated: bool = False
    frames: int = 1
    target_size: tuple[int, int] | None = None
    sha256: str | None = None
    phash: int | None = None
    phash_mirror: int | None = None
    colour: builtins.bytes | None = None  # the field ``bytes`` hides the type here

    def to_json(self) -> dict[str, Any]:
        target = self.target_size
        return {
            "path": self.path,
            "format": self.format,
            "width": self.width,
            "height": self.height,
            "mode": self.mode,
            "has_alpha": self.has_alpha,
            "bytes": self.bytes,
            "verdict": self.verdict.value,
            "message": self.message,
            "animated": self.animated,
            "frames": self.frames,
            "target_width": target[0] if target else None,
            "target_height": target[1] if target else None,
        }


@dataclass(frozen=True, slots=True)
class ImageFacts:
    """What was read from a file, before any rule is applied (what the scan cache stores).

    ``error`` is the reason the file cannot be read (the verdict is then CORRUPT); ``refused``
    means the header asks for too many pixels to decode safely. ``settled`` means the facts
    hold for as long as the file's size and mtime do (the content was read, or found not to
    be an image), so the scan cache may keep them; "no permission" or "gone" are not settled.
    ``phash``/``phash_mirror`` as in ``ImageInfo``.
    """

    path: str
    bytes: int = 0
    mtime_ns: int = 0
    format: str | None = None
    width: int | None = None
    height: int | None = None
    mode: str | None = None
    has_alpha: bool = False
    animated: bool = False
    frames: int = 1
    sha256: str | None = None
    error: str | None = None
    refused: bool = False
    settled: bool = False
    phash: int | None = None
    phash_mirror: int | None = None
    colour: builtins.bytes | None = None  # the field ``bytes`` hides the type here


def fit_size(width: int, height: int, max_side: int) -> tuple[int, int]:
    """The size that fits inside ``max_side`` x ``max_side`` with the aspect ratio kept.

    Never upscales; a side never rounds down to 0.
    """
    longest = max(width, height)
    if longest <= max_side:
        return width, height
    scale = max_side / longest
    if width >= height:
        return max_side, max(1, round(height * scale))
    return max(1, round(width * scale)), max_side


# The format each extension promises, to notice e.g. a JPEG saved with a .png name.
_EXTENSION_FORMATS = {
    ".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".jpe": "JPEG", ".jfif": "JPEG",
    ".bmp": "BMP", ".tga": "TGA", ".gif": "GIF", ".webp": "WEBP",
}

_ERROR_ADVICE = {
    "the app has no permission to read it": "Check the file's permissions, then refresh.",
    "the file no longer exists": "Refresh the folder.",
    decode.BROKEN_LINK: "Fix or remove the link.",
}


def evaluate(facts: ImageFacts, max_side: int = MAX_TEXTURE_SIDE) -> ImageInfo:
    """Apply Roblox's rules to what was read from a file."""
    common = dict(path=facts.path, format=facts.format, width=facts.width,
                  height=facts.height, mode=facts.mode, has_alpha=facts.has_alpha,
                  bytes=facts.bytes, mtime_ns=facts.mtime_ns, animated=facts.animated,
                  frames=facts.frames, sha256=facts.sha256, phash=facts.phash,
                  phash_mirror=facts.phash_mirror, colour=facts.colour)
    if facts.error or facts.width is None or facts.height is None:
        reason = facts.error or "its size could not be read"
        advice = _ERROR_ADVICE.get(reason, "Remove it, or put the image file there instead."
                                   if reason.endswith("(the app doesn't open those)")
                                   else "Replace it with a good copy.")
        return ImageInfo(**common, verdict=Verdict.CORRUPT,  # type: ignore[arg-type]
                         message=f"Can't be read: {reason}. {advice}")

    width, height = facts.width, facts.height
    name = format_name(facts.format)
    target = None if facts.refused else fit_size(width, height, max_side)
    too_big_file = facts.bytes > MAX_UPLOAD_BYTES
    too_many = max(width, height) >= MAX_UPLOAD_SIDE
    unsupported = facts.format not in UPLOAD_FORMATS
    downscale = max(width, height) > max_side

    clauses: list[str] = []
    if too_big_file:
        clauses.append(f"at {facts.bytes / 1048576:.1f} MB the file is over Roblox's "
                       f"{MAX_UPLOAD_BYTES // 1048576} MB limit")
    if too_many:
        clauses.append(f"Roblox refuses images with a side of {MAX_UPLOAD_SIDE} pixels or more")
    if unsupported:
        clauses.append(f"Roblox doesn't take {name} files (only PNG, JPEG, BMP and TGA)")
    # Only a file Roblox takes is scaled by Roblox; one it refuses (too big, wrong format)
    # is refused, whatever its size, and the action below says what the copy will be.
    if downscale and not (too_many or too_big_file or unsupported):
        clauses.append(f"Roblox will scale this to {target[0]} x {target[1]}"
                       if target else "Roblox will scale this down")
    elif downscale and not too_many:
        clauses.append(f"it is also over {max_side} px on its longest side")
    if facts.animated and facts.frames == 0:
        clauses.append("it is animated, though its frame count is damaged (it claims more "
                       "frames than the file can hold), and only the first frame will be used")
    elif facts.animated:
        clauses.append(f"it is animated ({facts.frames:,} frames) and only the first frame "
                       "will be used")
    expected = _EXTENSION_FORMATS.get(os.path.splitext(facts.path)[1].lower())
    canonical = "JPEG" if facts.format == "MPO" else facts.format
    if expected and canonical and expected != canonical:
        clauses.append(f"it is really a {name} file with a "
                       f"{os.path.splitext(facts.path)[1].lower()} name")

    if too_big_file:
        verdict = Verdict.TOO_LARGE_FILE
    elif too_many:
        verdict = Verdict.TOO_MANY_PIXELS
    elif unsupported:
        verdict = Verdict.UNSUPPORTED
    elif downscale:
        verdict = Verdict.DOWNSCALE
    else:
        verdict = Verdict.OK

    if facts.refused:
        megapixels = width * height / 1_000_000
        action = (f"At {megapixels:,.0f} megapixels it is too big for the app to open safely, "
                  "so it was not decoded: make a smaller copy in an image editor.")
    elif verdict is Verdict.OK:
        action = "Ready to upload as it is." if not clauses else "It can be uploaded as it is."
    elif verdict is Verdict.DOWNSCALE:
        action = "Prepare it now to control the result."
    else:
        assert target is not None
        action = f"Prepare for upload to write a {target[0]} x {target[1]} PNG that Roblox takes."

    head = f"{width} x {height} {name}"
    message = f"{head}: {'; '.join(clauses)}. {action}" if clauses else f"{head}: {action}"
    return ImageInfo(**common, verdict=verdict, message=message,  # type: ignore[arg-type]
                     target_size=target)


def read_header_facts(im: Any, path: str, size: int, mtime_ns: int, too_big: bool
                      ) -> ImageFacts:
    """Facts from an opened (not decoded) Pillow image."""
    fmt = "JPEG" if im.format == "MPO" else im.format
    orient = decode.orientation(im) if not too_big else 1
    width, height = decode.oriented_size(im.size, orient)
    animated, frames = decode.frame_count(im, size) if not too_big else (False, 1)
    return ImageFacts(
        path=path, bytes=size, mtime_ns=mtime_ns, format=fmt, width=width, height=height,
        mode=decode.describe_mode(im), has_alpha=decode.has_alpha(im), animated=animated,
        frames=frames, refused=decode.is_refused(im, too_big))


def missing_facts(path: str) -> ImageFacts:
    """Facts for a path that cannot be stat'ed: gone, or a link to nothing."""
    reason = decode.BROKEN_LINK if os.path.islink(path) else "the file no longer exists"
    return ImageFacts(path=path, error=reason)


def inspect_image(path: str | os.PathLike[str], *, max_side: int = MAX_TEXTURE_SIDE
                  ) -> ImageInfo:
    """Header facts and the verdict of one file. Never raises; nothing is decoded.

    Damage further into the file (e.g. truncation) is only found by decoding: use
    ``robloxassets.core.images.scan.analyse`` for that.
    """
    name = os.fspath(path)
    try:
        st = os.stat(name)
    except OSError as exc:
        facts = missing_facts(name) if isinstance(exc, FileNotFoundError) else ImageFacts(
            path=name, error=decode.describe_error(exc))
        return evaluate(facts, max_side)
    try:
        safeio.check_regular(name, st)  # a FIFO or device is never opened
    except OSError as exc:
        return evaluate(ImageFacts(path=name, error=decode.describe_error(exc)), max_side)
    if st.st_size == 0:
        return evaluate(ImageFacts(path=name, mtime_ns=st.st_mtime_ns, error=decode.EMPTY),
                        max_side)
    try:
        with safeio.open_regular(name) as handle:
            im, too_big = decode.open_image(handle)
            facts = read_header_facts(im, name, st.st_size, st.st_mtime_ns, too_big)
    except Exception as exc:  # never raises: any failure is the file's verdict
        facts = ImageFacts(path=name, bytes=st.st_size, mtime_ns=st.st_mtime_ns,
                           error=decode.describe_error(exc))
    return evaluate(facts, max_side)
