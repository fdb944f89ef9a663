"""Groups of copies: exact copies (same SHA-256) and near-copies (perceptual hashes within
the threshold), joined transitively with union-find.

A group lists its members best first (the one to keep by default: catalogued, then the most
pixels, then lossless before JPEG/WebP, then the biggest file, then by path), each with its
distance to that first member: 0 for the same picture, up to about the threshold for
near-copies (a chain of near-copies can end a little further away).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from robloxassets.core.duplicates.index import near_pairs
from robloxassets.core.duplicates.phash import distance
from robloxassets.core.duplicates.rules import DEFAULT_THRESHOLD, MAX_THRESHOLD

__all__ = ["DEFAULT_THRESHOLD", "MAX_THRESHOLD", "Candidate", "Group", "Member", "find_groups",
           "near_copies", "pair_distance"]


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


@dataclass(frozen=True, slots=True)
class Member:
    candidate: Candidate
    distance: int
    exact: bool  # same SHA-256 as the first member

    def to_json(self) -> dict[str, object]:
        return {"path": self.candidate.path, "sha256": self.candidate.sha256,
                "distance": self.distance}


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


def pair_distance(a: tuple[int, int | None], b: tuple[int, int | None],
                  mirrored: bool = True) -> int:
    """Bits between two (hash, mirror hash) pairs; with ``mirrored`` a mirror image counts as
    the same picture."""
    d = distance(a[0], b[0])
    if mirrored:
        for one, other in ((a[1], b[0]), (b[1], a[0])):
            if one is not None:
                d = min(d, distance(one, other))
    return d


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
                mirrored: bool = True) -> list[Group]:
    """Groups of two or more candidates that are copies of each other, biggest first.

    Exact copies (same SHA-256) group whatever their hashes; the rest group when their
    perceptual hashes are at most ``threshold`` bits apart (mirror images too, with
    ``mirrored``). Each distinct SHA-256 is looked up in the index once.
    """
    links = _UnionFind(len(candidates))
    first_of_digest: dict[str, int] = {}
    indexed: list[int] = []  # candidates in the index: one per content
    for i, c in enumerate(candidates):
        if c.sha256 is not None:
            first = first_of_digest.setdefault(c.sha256, i)
            if first != i:
                links.union(first, i)
                continue
        if c.phash is not None:
            indexed.append(i)
    hashes = [candidates[i].phash or 0 for i in indexed]
    mirrors = [candidates[i].phash_mirror for i in indexed] if mirrored else None
    for a, b, _d in near_pairs(hashes, threshold, mirrors):
        links.union(indexed[a], indexed[b])
    clusters: dict[int, list[int]] = {}
    for i in range(len(candidates)):
        clusters.setdefault(links.find(i), []).append(i)
    groups = [_group([candidates[i] for i in members], mirrored)
              for members in clusters.values() if len(members) > 1]
    groups.sort(key=lambda g: (-len(g.members), g.keeper.path))
    return groups


def _group(members: list[Candidate], mirrored: bool) -> Group:
    members.sort(key=_rank)
    keeper = members[0]
    out = [Member(keeper, 0, True)]
    for c in members[1:]:
        exact = c.sha256 is not None and c.sha256 == keeper.sha256
        if exact or c.phash is None or keeper.phash is None:
            d = 0
        else:
            d = pair_distance((keeper.phash, keeper.phash_mirror), (c.phash, c.phash_mirror),
                              mirrored)
        out.append(Member(c, d, exact))
    return Group(tuple(out))


@dataclass(frozen=True, slots=True)
class NearCopy:
    """A candidate that is a copy of the picture asked about, and how far from it."""

    candidate: Candidate
    distance: int
    exact: bool


def near_copies(hashes: tuple[int, int | None], candidates: Iterable[Candidate],
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
        if c.phash is None:
            continue
        d = pair_distance(hashes, (c.phash, c.phash_mirror), mirrored)
        if d <= threshold:
            found.append(NearCopy(c, d, False))
    found.sort(key=lambda n: (not n.exact, n.distance, n.candidate.path))
    return found
