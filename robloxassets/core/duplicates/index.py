"""Finding every pair of 64-bit hashes within a Hamming distance, without comparing all pairs.

Multi-index hashing: the 64 bits are cut into ``m`` blocks. Two hashes at most ``t`` bits
apart differ in at most ``t // m`` bits of some block (pigeonhole), so a hash only needs
comparing with the hashes whose block ``k`` is within ``t // m`` bits of its own block ``k``,
for some ``k``: a few dictionary lookups per block instead of a pass over everything. ``m``
is chosen per run from the count and the threshold by a cost estimate (lookups against
candidates to verify); see ``plan``.

Hashes are added one at a time and each is looked up before it is added, so every pair is
found once, by its later member. Pure Python; no Qt.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from robloxassets.core.duplicates.phash import HASH_BITS


@dataclass(frozen=True, slots=True)
class Plan:
    """How the 64 bits are cut: ``blocks`` (shift, width) and the ``radius`` searched in each."""

    blocks: tuple[tuple[int, int], ...]
    radius: int
    masks: dict[int, tuple[int, ...]]  # width -> XOR masks of at most ``radius`` bits


def _ball(width: int, radius: int) -> int:
    return sum(math.comb(width, k) for k in range(radius + 1))


def _masks(width: int, radius: int) -> tuple[int, ...]:
    return tuple(sum(1 << b for b in bits) for k in range(radius + 1)
                 for bits in itertools.combinations(range(width), k))


def plan(count: int, threshold: int) -> Plan:
    """The cut with the least estimated work for ``count`` uniformly spread hashes.

    Per query and block: ``ball(width, radius)`` lookups, each finding on average
    ``count / 2 * 2 ** -width`` hashes to verify (half: each hash meets only earlier ones).
    A verification (XOR, popcount, compare) costs about as much as a lookup.
    """
    threshold = max(0, min(threshold, HASH_BITS - 1))
    best: tuple[float, int, int] | None = None
    for m in range(1, threshold + 2):
        radius = threshold // m
        width = math.ceil(HASH_BITS / m)
        if radius > 3 and m < threshold + 1:
            continue  # too many masks to enumerate
        ball = _ball(width, radius)
        cost = m * ball * (1.0 + count / 2 / 2 ** width)
        if best is None or cost < best[0]:
            best = (cost, m, radius)
    assert best is not None
    _cost, m, radius = best
    blocks = []
    start = 0
    for k in range(m):
        width = HASH_BITS // m + (1 if k < HASH_BITS % m else 0)
        blocks.append((start, width))
        start += width
    widths = {w for _s, w in blocks}
    return Plan(tuple(blocks), radius, {w: _masks(w, radius) for w in widths})


def near_pairs(hashes: Sequence[int], threshold: int,
               mirrors: Sequence[int | None] | None = None) -> Iterator[tuple[int, int, int]]:
    """Every pair (i, j, distance) with i < j whose hashes are at most ``threshold`` bits
    apart. With ``mirrors`` (each hash's mirror-image hash, or None), a pair also counts when
    the mirror of the later one is that close to the earlier one; the distance is the
    smaller of the two."""
    table_plan = plan(len(hashes), threshold)
    # Buckets hold hash values, not positions: the candidates of a query are then filtered
    # in C (XOR, popcount, bytes, translate, find) instead of a Python loop per candidate,
    # which made 100,000 hashes 2-3x faster. ``where`` maps a value back to its positions.
    tables: list[dict[int, list[int]]] = [{} for _ in table_plan.blocks]
    layout = [(shift, (1 << width) - 1, table_plan.masks[width], table)
              for (shift, width), table in zip(table_plan.blocks, tables, strict=True)]
    where: dict[int, list[int]] = {}
    near = bytes.maketrans(bytes(range(HASH_BITS + 1)),
                           bytes(1 if d <= threshold else 0 for d in range(HASH_BITS + 1)))
    for j, h in enumerate(hashes):
        queries = [h]
        if mirrors is not None:
            mirror = mirrors[j]
            if mirror is not None and mirror != h:
                queries.append(mirror)
        found: dict[int, int] = {}
        for query in queries:
            candidates: list[int] = []
            for shift, width_mask, masks, table in layout:
                key = (query >> shift) & width_mask
                for bucket in filter(None, map(table.get, map(key.__xor__, masks))):
                    candidates += bucket
            flags = bytes(map(int.bit_count, map(query.__xor__, candidates))).translate(near)
            at = flags.find(1)
            while at >= 0:
                value = candidates[at]
                d = (query ^ value).bit_count()
                for i in where[value]:
                    if d < found.get(i, threshold + 1):
                        found[i] = d
                at = flags.find(1, at + 1)
        if found:
            for i, d in sorted(found.items()):
                yield i, j, d
        known = where.get(h)
        if known is not None:
            known.append(j)
            continue  # the same value is in the tables already
        where[h] = [j]
        for shift, width_mask, _unused, table in layout:
            key = (h >> shift) & width_mask
            slot = table.get(key)
            if slot is None:
                table[key] = [h]
            else:
                slot.append(h)


def brute_pairs(hashes: Sequence[int], threshold: int,
                mirrors: Sequence[int | None] | None = None) -> Iterator[tuple[int, int, int]]:
    """What ``near_pairs`` finds, by comparing every pair: the baseline for tests and
    benchmarks."""
    for j, h in enumerate(hashes):
        mirror = mirrors[j] if mirrors is not None else None
        for i in range(j):
            d = (h ^ hashes[i]).bit_count()
            if mirror is not None:
                d = min(d, (mirror ^ hashes[i]).bit_count())
            if d <= threshold:
                yield i, j, d
