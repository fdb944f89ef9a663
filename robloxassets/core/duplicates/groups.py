"""Groups of copies: exact copies (same SHA-256) and near-copies (perceptual hashes within
the threshold), joined transitively with union-find.

A group lists its members best first (the one to keep by default: catalogued, then the most
pixels, then lossless before JPEG/WebP, then the biggest file, then by path), each with its
distance to that first member: 0 for the same picture, up to about the threshold for
near-copies (a chain of near-copies can end a little further away).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from robloxassets.core.duplicates.colour import colour_distance, is_flat, mirror
from robloxassets.core.duplicates.index import near_pairs
from robloxassets.core.duplicates.phash import Fingerprint, distance
from robloxassets.core.duplicates.rules import (
    COLOUR_THRESHOLD,
    DEFAULT_THRESHOLD,
    FLAT_COLOUR_THRESHOLD,
    MAX_THRESHOLD,
)

__all__ = ["DEFAULT_THRESHOLD", "MAX_THRESHOLD", "Candidate", "Group", "Match", "Member",
           "compare", "find_groups", "near_copies", "pair_match"]


@dataclass(frozen=True, slots=True)
class Candidate:
    """One file taking part: where it is, its hashes, and what the Duplicates view shows.

    ``entry_id``/``asset_id``/``status`` are set for catalogued files (the entry's row, asset
    ID and moderation status value).
    """

    path: str
    sha256: str | None = None
    phash: int | None = None
    phash_mirror: int | None = None
    colour: bytes | None = None
    bytes: int = 0
    mtime_ns: int = 0
    width: int | None = None
    height: int | None = None
    format: str | None = None
    entry_id: int | None = None
    asset_id: int | None = None
    status: str | None = None
    entry_name: str = ""

    @property
    def catalogued(self) -> bool:
        return self.entry_id is not None

    @property
    def pixels(self) -> int:
        return (self.width or 0) * (self.height or 0)

    @property
    def fingerprint(self) -> Fingerprint | None:
        if self.phash is None:
            return None
        return Fingerprint(self.phash, self.phash_mirror, self.colour)


@dataclass(frozen=True, slots=True)
class Member:
    candidate: Candidate
    distance: int
    exact: bool  # same SHA-256 as the first member
    mirrored: bool = False  # a mirror image of the first member

    def to_json(self) -> dict[str, object]:
        return {"path": self.candidate.path, "sha256": self.candidate.sha256,
                "distance": self.distance, "mirrored": self.mirrored}


@dataclass(frozen=True, slots=True)
class Group:
    members: tuple[Member, ...] = field(default=())

    @property
    def keeper(self) -> Candidate:
        return self.members[0].candidate

    @property
    def all_exact(self) -> bool:
        return all(m.exact for m in self.members)

    def to_json(self) -> list[dict[str, object]]:
        return [m.to_json() for m in self.members]


@dataclass(frozen=True, slots=True)
class Match:
    """How two pictures compare: bits apart, and whether that is as mirror images."""

    distance: int
    mirrored: bool = False


def compare(a: Fingerprint, b: Fingerprint, mirrored: bool = True) -> Match:
    """The closer of the plain and (with ``mirrored``) the mirror comparison; plain when they
    tie (a symmetric picture is not called mirrored)."""
    best = Match(distance(a.phash, b.phash))
    if mirrored and best.distance:
        for one, other in ((a.mirror, b.phash), (b.mirror, a.phash)):
            if one is not None:
                d = distance(one, other)
                if d < best.distance:
                    best = Match(d, True)
    return best


def _colours_close(a: bytes | None, b: bytes | None, mirrored: bool, limit: float) -> bool:
    if a is None or b is None:
        return True  # not known (an entry without its file): the pHash decides alone
    return colour_distance(mirror(a) if mirrored else a, b) <= limit


def pair_match(a: Fingerprint, b: Fingerprint, threshold: int = DEFAULT_THRESHOLD,
               mirrored: bool = True, colour_threshold: float = COLOUR_THRESHOLD
               ) -> Match | None:
    """The match if ``a`` and ``b`` are copies: pHashes at most ``threshold`` bits apart
    (plain, or as mirror images) and the colours alike. A picture with almost no structure
    (solid or near-blank) is a copy only of another such picture of the same colour."""
    flat_a = a.colour is not None and is_flat(a.colour)
    flat_b = b.colour is not None and is_flat(b.colour)
    if flat_a or flat_b:
        if not (flat_a and flat_b) or not _colours_close(a.colour, b.colour, False,
                                                          FLAT_COLOUR_THRESHOLD):
            return None
        return Match(distance(a.phash, b.phash))
    plain = distance(a.phash, b.phash)
    found: Match | None = None
    if plain <= threshold and _colours_close(a.colour, b.colour, False, colour_threshold):
        found = Match(plain)
    if mirrored and (found is None or found.distance):
        for one, other, flipped_colour, other_colour in (
                (a.mirror, b.phash, a.colour, b.colour), (b.mirror, a.phash, b.colour, a.colour)):
            if one is None:
                continue
            d = distance(one, other)
            if d <= threshold and (found is None or d < found.distance) and \
                    _colours_close(flipped_colour, other_colour, True, colour_threshold):
                found = Match(d, True)
    return found


class _UnionFind:
    def __init__(self, count: int) -> None:
        self.parent = list(range(count))

    def find(self, i: int) -> int:
        parent = self.parent
        root = i
        while parent[root] != root:
            root = parent[root]
        while parent[i] != root:  # path compression
            parent[i], i = root, parent[i]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


_LOSSY = frozenset({"JPEG", "MPO", "WEBP"})


def _rank(c: Candidate) -> tuple[bool, int, bool, int, str]:
    # Keep the catalogued one, then the most pixels, then a lossless file over a
    # re-compressed one, then the biggest file.
    return (not c.catalogued, -c.pixels, c.format in _LOSSY, -c.bytes, c.path)


def find_groups(candidates: Sequence[Candidate], threshold: int = DEFAULT_THRESHOLD, *,
                mirrored: bool = True, colour_threshold: float = COLOUR_THRESHOLD
                ) -> list[Group]:
    """Groups of two or more candidates that are copies of each other, biggest first.

    Exact copies (same SHA-256) group whatever their hashes; the rest group when
    ``pair_match`` says so: perceptual hashes at most ``threshold`` bits apart (mirror images
    too, with ``mirrored``) and colours alike. Each distinct SHA-256 is looked up in the index
    once; pictures with almost no structure are matched by colour alone (``_flat_pairs``).
    """
    links = _UnionFind(len(candidates))
    first_of_digest: dict[str, int] = {}
    indexed: list[int] = []  # candidates in the index: one per content
    flats: list[int] = []  # solid or near-blank: compared by colour only
    for i, c in enumerate(candidates):
        if c.sha256 is not None:
            first = first_of_digest.setdefault(c.sha256, i)
            if first != i:
                links.union(first, i)
                continue
        if c.phash is not None:
            if c.colour is not None and is_flat(c.colour):
                flats.append(i)
            else:
                indexed.append(i)
    hashes = [candidates[i].phash or 0 for i in indexed]
    mirrors = [candidates[i].phash_mirror for i in indexed] if mirrored else None
    prints = [c.fingerprint for c in candidates]
    for a, b, _d in near_pairs(hashes, threshold, mirrors):
        one, other = prints[indexed[a]], prints[indexed[b]]
        assert one is not None and other is not None
        if pair_match(one, other, threshold, mirrored, colour_threshold) is not None:
            links.union(indexed[a], indexed[b])
    for a, b in _flat_pairs([candidates[i].colour or b"" for i in flats]):
        links.union(flats[a], flats[b])
    clusters: dict[int, list[int]] = {}
    for i in range(len(candidates)):
        clusters.setdefault(links.find(i), []).append(i)
    groups = [_group([candidates[i] for i in members], mirrored)
              for members in clusters.values() if len(members) > 1]
    groups.sort(key=lambda g: (-len(g.members), g.keeper.path))
    return groups


def _flat_pairs(colours: Sequence[bytes]) -> Iterator[tuple[int, int]]:
    """Pairs of flat pictures of the same colour (``FLAT_COLOUR_THRESHOLD``), without
    comparing all pairs: each is filed under its mean colour rounded to a grid as coarse as
    the threshold, and compared only with the pictures in its own and the 26 neighbouring
    cells (two colours that close have means at most one cell apart in each channel)."""
    step = max(1.0, FLAT_COLOUR_THRESHOLD)
    cells: dict[tuple[int, int, int], list[int]] = {}
    for j, sig in enumerate(colours):
        n = len(sig) // 3
        key = tuple(int(sum(sig[k:3 * n:3]) / n // step) for k in range(3))
        for dy in (-1, 0, 1):
            for db in (-1, 0, 1):
                for dr in (-1, 0, 1):
                    for i in cells.get((key[0] + dy, key[1] + db, key[2] + dr), ()):
                        if colour_distance(colours[i], sig) <= FLAT_COLOUR_THRESHOLD:
                            yield i, j
        cells.setdefault((key[0], key[1], key[2]), []).append(j)


def _group(members: list[Candidate], mirrored: bool) -> Group:
    members.sort(key=_rank)
    keeper = members[0]
    out = [Member(keeper, 0, True)]
    keeper_print = keeper.fingerprint
    for c in members[1:]:
        exact = c.sha256 is not None and c.sha256 == keeper.sha256
        other = c.fingerprint
        if exact or other is None or keeper_print is None:
            out.append(Member(c, 0, exact))
        else:
            how = compare(keeper_print, other, mirrored)
            out.append(Member(c, how.distance, exact, how.mirrored))
    return Group(tuple(out))


@dataclass(frozen=True, slots=True)
class NearCopy:
    """A candidate that is a copy of the picture asked about, and how far from it."""

    candidate: Candidate
    distance: int
    exact: bool
    mirrored: bool = False


def near_copies(hashes: Fingerprint, candidates: Iterable[Candidate],
                threshold: int = DEFAULT_THRESHOLD, *, sha256: str | None = None,
                mirrored: bool = True, exclude: str | None = None) -> list[NearCopy]:
    """The candidates that are copies of one picture (its hash pair, and its SHA-256 when
    known), closest first. A plain pass: one picture against a catalogue of thousands takes
    milliseconds. ``exclude`` leaves out the picture's own path."""
    found: list[NearCopy] = []
    for c in candidates:
        if exclude is not None and c.path == exclude:
            continue
        if sha256 is not None and c.sha256 == sha256:
            found.append(NearCopy(c, 0, True))
            continue
        other = c.fingerprint
        if other is None:
            continue
        match = pair_match(hashes, other, threshold, mirrored)
        if match is not None:
            found.append(NearCopy(c, match.distance, False, match.mirrored))
    found.sort(key=lambda n: (not n.exact, n.distance, n.candidate.path))
    return found
