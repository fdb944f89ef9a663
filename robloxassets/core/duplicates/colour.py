"""A small colour signature of a picture, checked beside the pHash.

The pHash sees only grey: a red, a green and a blue copy of one star hash alike, and so do
all solid colours. The signature is the mean colour of each cell of a 4 x 4 grid in YCbCr
(brightness and two colour-difference channels: Pillow converts to it in C), plus one byte
for how much structure the grey picture has at the pHash's frequencies, 49 bytes in all. Two
pictures count as copies only if their colours are close too (``colour_distance``); a picture
with almost no structure (solid or near-blank: its pHash says nothing) is a copy only of one
with the same colour (``FLAT_CONTRAST``).

It is computed from the same small picture as the pHash, in the scan workers, and kept in the
scan cache beside it.
"""

from __future__ import annotations

from PIL import Image

GRID = 4
SIGNATURE_BYTES = GRID * GRID * 3 + 1
FLAT_CONTRAST = 4
"""Structure (``phash.structure``: the grey picture's standard deviation at the 63
frequencies the pHash compares, 0-255 scale) below which a picture has too little structure
for its pHash to mean anything: solid, or blank but for a dot or a hairline."""
_LUMA_WEIGHT = 0.5
"""Brightness counts half as much as colour: a copy made 10 % brighter moves Y by up to 25
levels but Cb/Cr by a few; a recoloured copy moves Cb/Cr by 50-150."""


def signature(flat_rgb: Image.Image, structure: float) -> bytes:
    """The signature of a picture already flattened to RGB (any size); ``structure`` is how
    much the grey picture varies at the pHash's frequencies (``phash.structure``)."""
    # Averaged first (a box resize: exact area means), converted after: the conversion is
    # affine, so converting 16 averages equals averaging, at a fraction of the cost
    # (0.09 ms for a 256 px thumbnail). A whole-factor reduce first was 3x faster but moved
    # the cell borders by 1-2 % between sizes (or between a picture and its mirror), enough
    # to move the colour of a cell with a sharp edge by 10 levels.
    cells = flat_rgb.resize((GRID, GRID), Image.Resampling.BOX).convert("YCbCr")
    return cells.tobytes() + bytes((min(255, round(structure)),))


def mirror(sig: bytes) -> bytes:
    """The signature of the mirror image: each row of cells reversed."""
    out = bytearray(sig)
    for row in range(GRID):
        for col in range(GRID):
            src = (row * GRID + col) * 3
            dst = (row * GRID + GRID - 1 - col) * 3
            out[dst:dst + 3] = sig[src:src + 3]
    return bytes(out)


def contrast(sig: bytes) -> int:
    return sig[-1]


def is_flat(sig: bytes) -> bool:
    """Almost no structure: solid, or nearly blank."""
    return sig[-1] < FLAT_CONTRAST


def colour_distance(a: bytes, b: bytes) -> float:
    """How far apart two pictures' colours are: the largest cell difference (Cb/Cr, and half
    of Y), on the 0-255 scale. The largest, not the mean: a recoloured button or star changes
    a few cells a lot and leaves the background alone."""
    worst = 0.0
    for i in range(0, GRID * GRID * 3, 3):
        dy = (a[i] - b[i]) * _LUMA_WEIGHT
        dcb = a[i + 1] - b[i + 1]
        dcr = a[i + 2] - b[i + 2]
        d = (dy * dy + dcb * dcb + dcr * dcr) ** 0.5
        if d > worst:
            worst = d
    return worst
