"""Thumbnails as plain bytes (no Qt): made from an opened image, packed for the disk cache.

A ``Thumbnail`` holds raw RGBA8888 rows with straight alpha, which the GUI wraps in a
``QImage(..., Format_RGBA8888)``. Only detached bytes are kept, never Pillow image objects: an
open image can hold its whole decoder (tens of MB for WebP).
"""

from __future__ import annotations

import io
import logging
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image

from robloxassets.core.images import decode
from robloxassets.core.images.info import fit_size

log = logging.getLogger(__name__)

THUMB_SIZE = 256
"""The size the GUI asks for and caches (longest side, in pixels)."""

# The first step shrinks by whole factors (box filter), the last step resamples by at most
# this much, as Image.thumbnail does: near-identical to a full resample, much faster.
_REDUCING_GAP = 2.0


@dataclass(frozen=True, slots=True)
class Thumbnail:
    """A small picture of an image: raw RGBA8888 rows, straight (not premultiplied) alpha.

    ``len(rgba) == width * height * 4``; the longest side is at most the requested size.
    """

    width: int
    height: int
    rgba: bytes


class _LazyThumbnail(Thumbnail):
    """A thumbnail whose pixels are produced by ``loader`` the first time ``rgba`` is used.

    If the loader finds nothing (or the wrong amount), ``rgba`` is a transparent picture of
    the right size.
    """

    __slots__ = ("_data", "_loader")
    _data: bytes | None
    _loader: Callable[[], bytes | None] | None

    def __init__(self, width: int, height: int, loader: Callable[[], bytes | None]) -> None:
        object.__setattr__(self, "width", width)
        object.__setattr__(self, "height", height)
        object.__setattr__(self, "_loader", loader)
        object.__setattr__(self, "_data", None)

    @property
    def rgba(self) -> bytes:
        data = self._data
        if data is None:
            loader = self._loader
            assert loader is not None  # kept until the pixels are read
            data = loader()
            if data is None or len(data) != self.width * self.height * 4:
                log.info("Thumbnail pixels missing or damaged; showing a blank one")
                data = bytes(self.width * self.height * 4)
            object.__setattr__(self, "_data", data)
            object.__setattr__(self, "_loader", None)
        return data

    def __repr__(self) -> str:
        return f"{type(self).__name__}(width={self.width}, height={self.height})"


class CachedThumbnail(_LazyThumbnail):
    """A thumbnail known to be in the disk cache, read from it the first time ``rgba`` is used.

    The scanner hands these out for cache hits so that reopening 10,000 images reads no pixel
    data until the grid shows them. If the cache lost the entry meanwhile, ``rgba`` is a
    transparent picture of the right size (the next scan makes a new one).
    """

    __slots__ = ()


class PackedThumbnail(_LazyThumbnail):
    """A fresh thumbnail still packed as the disk cache stores it (``pack``), unpacked the
    first time ``rgba`` is used.

    The scanner's worker processes send these: about 10 KB instead of 256 KB of pixels to pass
    between processes, and the grid unpacks only the thumbnails it shows.
    """

    __slots__ = ("packed",)

    def __init__(self, width: int, height: int, packed: tuple[int, bytes]) -> None:
        kind, data = packed
        super().__init__(width, height, lambda: unpack(kind, data, width, height))
        object.__setattr__(self, "packed", packed)


def make_thumbnail(im: Image.Image, size: int, orient: int = 1) -> Thumbnail:
    """Decode ``im`` (an opened, not yet loaded image) into a thumbnail of at most ``size``.

    JPEGs decode at reduced size (draft); palette, 16-bit and the like are converted properly;
    alpha is resampled premultiplied (Pillow does this for RGBA and LA), so edges keep their
    colour. Raises what decoding raises (e.g. OSError for a truncated file) and
    ``decode.Bomb`` for images too big to decode.
    """
    return thumbnail_from_image(thumbnail_image(im, size, orient))


def thumbnail_from_image(work: Image.Image) -> Thumbnail:
    """The ``Thumbnail`` of a picture ``thumbnail_image`` made."""
    if work.mode != "RGBA":
        work = work.convert("RGBA")
    return Thumbnail(work.width, work.height, work.tobytes())


def make_packed_thumbnail(im: Image.Image, size: int, orient: int = 1
                          ) -> tuple[int, int, tuple[int, bytes]]:
    """Like ``make_thumbnail``, straight to the packed form (width, height, ``pack`` result)
    without making the raw RGBA bytes first: what worker processes send back."""
    return packed_from_image(thumbnail_image(im, size, orient))


def packed_from_image(work: Image.Image) -> tuple[int, int, tuple[int, bytes]]:
    """(width, height, ``pack`` result) of a picture ``thumbnail_image`` made."""
    return work.width, work.height, _pack_image(work)


def thumbnail_image(im: Image.Image, size: int, orient: int = 1) -> Image.Image:
    """The thumbnail as a small, upright RGB or RGBA Pillow image (what the scanner also
    computes the perceptual hash from). Raises as ``make_thumbnail`` does."""
    target = fit_size(im.width, im.height, size)
    coefficients = decode.coefficient_bytes(im)  # before the draft changes im.size
    box = decode.safe_draft(im, target)
    with decode.DECODE_BUDGET.hold(decode.decode_cost(im, coefficients)):
        im.load()  # explicit: resize() is skipped for small images; truncation must surface
        work = decode.prepare_for_resize(_shrink_indexed(im, target))
        if work.size != target or box is not None:
            work = decode.resize(work, target, Image.Resampling.BICUBIC, box=box,
                                 reducing_gap=_REDUCING_GAP)
        if work is not im:
            im.close()  # the full-size pixels go now, not when the caller lets go of im
    return decode.apply_orientation(decode.to_rgb_or_rgba(work), orient)


# Palette and 1-bit pictures are converted to RGB(A) before resampling (resampling palette
# indexes makes nonsense). At full size that conversion cost a big palette PNG more than its
# decode (about 20 ms for 2048 px). Like a JPEG's draft decode, the first step here picks every
# n-th pixel down to twice the thumbnail size; the filter then works from there, so a thumbnail
# hardly differs while the conversion handles a quarter of a megapixel.
_INDEXED_MODES = ("P", "PA", "1")


def _shrink_indexed(im: Image.Image, target: tuple[int, int]) -> Image.Image:
    between = (min(im.width, target[0] * 2), min(im.height, target[1] * 2))
    if im.mode not in _INDEXED_MODES or 2 * between[0] * between[1] > im.width * im.height:
        return im
    return im.resize(between, Image.Resampling.NEAREST)  # keeps the palette and transparency


# Packing for the disk cache (measured in benchmarks/library_bench.py on 500 thumbnails of the
# corpus): JPEG quality 90 without chroma subsampling for the colour, plus the alpha plane
# (when there is one) as zlib level 1. 5x smaller than zlib level 1 of the raw pixels and 4x
# faster to write, read back as fast; lossy, but not visibly at thumbnail size. Packing runs
# on the scanner's worker threads, so every millisecond here is a millisecond of scan time.
_PACK_RGBA = 0        # zlib of raw RGBA (read only, for older entries)
_PACK_RGB = 1         # zlib of raw RGB (read only, for older entries)
_PACK_JPEG = 2        # JPEG of an opaque thumbnail
_PACK_JPEG_ALPHA = 3  # 4-byte length, JPEG of the colour, zlib of the alpha plane
_JPEG_QUALITY = 90


def pack(thumb: Thumbnail) -> tuple[int, bytes]:
    """(kind, bytes) of a thumbnail, for ``unpack``."""
    # Read as RGBX, the JPEG encoder skips the alpha byte itself: no RGB copy to make.
    im = Image.frombuffer("RGBX", (thumb.width, thumb.height), thumb.rgba, "raw", "RGBX", 0, 1)
    alpha = thumb.rgba[3::4]
    return _pack_colour(im, None if alpha.count(255) == len(alpha) else alpha)


def _pack_image(im: Image.Image) -> tuple[int, bytes]:
    """``pack`` of an RGB or RGBA Pillow image."""
    if im.mode == "RGB":
        return _pack_colour(im, None)
    alpha = im.getchannel("A")
    if alpha.getextrema() == (255, 255):
        return _pack_colour(im.convert("RGB"), None)
    return _pack_colour(im.convert("RGB"), alpha.tobytes())


def _pack_colour(im: Image.Image, alpha: bytes | None) -> tuple[int, bytes]:
    buffer = io.BytesIO()
    im.save(buffer, "JPEG", quality=_JPEG_QUALITY, subsampling=0)
    colour = buffer.getvalue()
    if alpha is None:
        return _PACK_JPEG, colour
    return _PACK_JPEG_ALPHA, struct.pack(">I", len(colour)) + colour + zlib.compress(alpha, 1)


def unpack(kind: int, data: bytes, width: int, height: int) -> bytes | None:
    """The raw RGBA bytes of a packed thumbnail, or None when the data is damaged."""
    try:
        if kind in (_PACK_JPEG, _PACK_JPEG_ALPHA):
            return _unpack_jpeg(kind, data, width, height)
        raw = zlib.decompress(data)
    except (OSError, ValueError, zlib.error, struct.error, SyntaxError):
        return None
    if kind == _PACK_RGB:
        if len(raw) != width * height * 3:
            return None
        return Image.frombuffer("RGB", (width, height), raw, "raw", "RGB", 0, 1) \
            .convert("RGBA").tobytes()
    return raw if kind == _PACK_RGBA and len(raw) == width * height * 4 else None


def _unpack_jpeg(kind: int, data: bytes, width: int, height: int) -> bytes | None:
    alpha = None
    if kind == _PACK_JPEG_ALPHA:
        length = int(struct.unpack(">I", data[:4])[0])
        alpha_bytes = zlib.decompress(data[4 + length:])
        if len(alpha_bytes) != width * height:
            return None
        alpha = Image.frombuffer("L", (width, height), alpha_bytes, "raw", "L", 0, 1)
        data = data[4:4 + length]
    with Image.open(io.BytesIO(data), formats=("JPEG",)) as im:
        if im.size != (width, height):
            return None
        colour: Image.Image = im.convert("RGB")
    if alpha is None:
        return colour.convert("RGBA").tobytes()
    colour.putalpha(alpha)
    return colour.tobytes()
