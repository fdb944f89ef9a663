"""The near-copy threshold's default and range, apart from the hashing code: the settings
module imports these at start-up without pulling in Pillow."""

from __future__ import annotations

DEFAULT_THRESHOLD = 8
"""Bits (of 64) two pictures may differ by and still count as copies. Measured on 300 sources
with 9 kinds of copies (benchmarks/duplicates_bench.py quality): precision 0.992 and recall
0.989 at 8; 10 finds a few more crops (recall 0.999) but matches more look-alikes and groups
100,000 hashes 2x slower."""
MAX_THRESHOLD = 24
"""Beyond this, unrelated pictures match (random 64-bit hashes are ~32 bits apart)."""
COLOUR_THRESHOLD = 26.0
"""How far apart two pictures' colours may be (``core.duplicates.colour.colour_distance``,
the largest of the 16 cells' differences on a 0-255 scale) and still count as copies."""
FLAT_COLOUR_THRESHOLD = 6.0
"""The same, for pictures with almost no structure (solid or near-blank): the same colour."""
