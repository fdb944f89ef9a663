"""A 64-bit DCT perceptual hash (pHash) of a small picture, hand-written on Pillow.

The picture is flattened onto a fixed background (alpha straight to grey put an RGBA PNG and
its JPEG re-encode 30-50 bits apart), shrunk to 32 x 32 grey, and the 8 x 8 lowest
frequencies of its 2-D DCT-II (without the DC term's influence on the threshold) are compared
with their median: one bit each. Resizing, re-compressing, a small colour shift, a crop of a
few percent and a small overlay leave those coarse frequencies nearly as they were.

The mirror image's hash comes from the same coefficients (a horizontal flip multiplies the
coefficient of horizontal frequency u by (-1)^u), so checking for mirrored copies costs no
second transform. Why not ``imagehash``: see benchmarks/duplicates_bench.py and the README
(the same bits, but it needs numpy, scipy and PyWavelets, ~100 MB, for a 0.2 ms job).
"""

from __future__ import annotations

import math
from array import array
from operator import mul
from typing import NamedTuple

from PIL import Image, ImageMath

from robloxassets.core.duplicates.colour import signature

HASH_BITS = 64
_SIDE = 32  # the grey picture the DCT runs on
_LOW = 8    # the 8 x 8 lowest frequencies make the 64 bits
BACKGROUND = (255, 255, 255)
"""What transparent pixels are flattened onto: white, as editors flatten for a JPEG export,
so a transparent PNG and its flattened copy hash alike."""

# The DCT runs as Pillow image arithmetic on float images, not as Python loops (0.08 ms
# against 0.27 ms for the same sums in Python, per picture, inside every scan worker).
# Pass 1: the 32 x 32 picture tiled 8 times side by side, times the basis row of horizontal
# frequency u in tile u, averaged per tile by a box resize = each row's 8 coefficients.
# Pass 2: the same down the columns of that result. Scale factors are left out: each bit
# compares coefficients with their median, and the DC term is left out of the median.
def _basis(tiles: int, height: int) -> Image.Image:
    """Tile t, column x holds cos((2x + 1) t pi / 64), on every one of ``height`` rows."""
    row = [math.cos((2 * x + 1) * t * math.pi / (2 * _SIDE))
           for t in range(tiles) for x in range(_SIDE)]
    return Image.frombytes("F", (_SIDE * tiles, height),
                           array("f", row * height).tobytes())


_ROWS_BASIS = _basis(_LOW, _SIDE)
_COLUMNS_BASIS = _basis(_LOW, _LOW)
# Which of the 64 coefficients change sign when the picture is mirrored left-right (odd
# horizontal frequency u; index = v * 8 + u).
_MIRROR_SIGN = tuple(-1.0 if (i % _LOW) % 2 else 1.0 for i in range(_LOW * _LOW))


def flatten(im: Image.Image) -> Image.Image:
    """``im`` as RGB, transparent parts composited onto ``BACKGROUND``."""
    if im.mode == "RGB":
        return im
    if im.mode not in ("RGBA", "LA", "PA", "P", "RGBa", "La"):
        return im.convert("RGB")
    rgba = im.convert("RGBA")
    flat = Image.new("RGB", rgba.size, BACKGROUND)
    flat.paste(rgba, mask=rgba.getchannel("A"))
    return flat


def _times(a: Image.Image, b: Image.Image) -> Image.Image:
    product = ImageMath.lambda_eval(lambda v: v["a"] * v["b"], a=a, b=b)
    assert isinstance(product, Image.Image)
    return product


def _tiled_dct(picture: Image.Image, basis: Image.Image) -> Image.Image:
    """For every row of ``picture`` (32 wide, F), its 8 lowest DCT terms (/ 32): 8 wide."""
    wide = Image.new("F", basis.size)
    for tile in range(_LOW):
        wide.paste(picture, (tile * _SIDE, 0))
    return _times(wide, basis).resize((_LOW, picture.height), Image.Resampling.BOX)


def _grey(flat: Image.Image) -> Image.Image:
    return flat.convert("L").resize((_SIDE, _SIDE), Image.Resampling.BILINEAR,
                                    reducing_gap=2.0)


def _coefficients(im: Image.Image, grey: Image.Image | None = None) -> list[float]:
    """The 64 low-frequency DCT coefficients of ``im`` (any mode, any size), in the order
    v * 8 + u (v vertical, u horizontal frequency), up to one common scale."""
    if grey is None:
        grey = _grey(flatten(im))
    rows = _tiled_dct(grey.convert("F"), _ROWS_BASIS)           # (u, y)
    both = _tiled_dct(rows.transpose(Image.Transpose.TRANSPOSE), _COLUMNS_BASIS)  # (v, u)
    values = array("f", both.tobytes())                          # index u * 8 + v
    return [values[u * _LOW + v] for v in range(_LOW) for u in range(_LOW)]


def _bits(coefficients: list[float]) -> int:
    # The median of the 63 AC terms: the DC term (mean brightness) would sit far above it.
    ordered = sorted(coefficients[1:])
    median = ordered[len(ordered) // 2]
    value = 0
    for c in coefficients:
        value = (value << 1) | (c > median)
    return value


def phash_pair(im: Image.Image) -> tuple[int, int]:
    """(hash, hash of the mirror image) of ``im``, each a 64-bit unsigned int."""
    coefficients = _coefficients(im)
    mirrored = list(map(mul, coefficients, _MIRROR_SIGN))
    return _bits(coefficients), _bits(mirrored)


class Fingerprint(NamedTuple):
    """What a picture is compared by: its pHash, its mirror image's, its colour signature
    (``core.duplicates.colour``; None where not known, e.g. from an older cache)."""

    phash: int
    mirror: int | None = None
    colour: bytes | None = None


def fingerprint(im: Image.Image) -> Fingerprint:
    """(hash, mirror hash, colour signature) of ``im``: what the scanner keeps. The colour
    signature (``core.duplicates.colour``) comes from the same flattened picture."""
    flat = flatten(im)
    coefficients = _coefficients(flat, _grey(flat))
    mirrored = list(map(mul, coefficients, _MIRROR_SIGN))
    return Fingerprint(_bits(coefficients), _bits(mirrored),
                       signature(flat, structure(coefficients)))


def structure(coefficients: list[float]) -> float:
    """How much the picture varies at the 63 frequencies the pHash compares: the standard
    deviation of the grey picture's low-pass part (Parseval), 0 for a solid colour. The DCT
    here leaves out its scale factors; the factors below put it back on the 0-255 scale."""
    energy = 0.0
    for i in range(1, _LOW * _LOW):
        u, v = i % _LOW, i // _LOW
        # Orthonormal DCT-II: coefficient * sqrt(2) per non-zero frequency, mean-of-products
        # form here, so the 32 x 32 standard deviation is sqrt(sum(4 c^2)) for u, v > 0.
        weight = (2.0 if u else 1.0) * (2.0 if v else 1.0)
        energy += weight * coefficients[i] * coefficients[i]
    return math.sqrt(energy)


def phash(im: Image.Image) -> int:
    """The 64-bit pHash of ``im``."""
    return _bits(_coefficients(im))


def distance(a: int, b: int) -> int:
    """Hamming distance: how many of the 64 bits differ."""
    return (a ^ b).bit_count()
