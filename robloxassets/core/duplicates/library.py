"""What the Library shows about copies: each image's near-copies among the open images, and
the catalogued assets it is a copy of (with their IDs and moderation status).

One grouping pass over the Library's images and the catalogued files together (the index, not
a comparison of every image with every entry), read back per image.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from robloxassets.core.catalog.model import Status
from robloxassets.core.duplicates.catalogued import CatalogMatch, candidate_of
from robloxassets.core.duplicates.collect import merge
from robloxassets.core.duplicates.groups import (
    DEFAULT_THRESHOLD,
    Candidate,
    compare,
    find_groups,
)
from robloxassets.core.images.info import ImageInfo, Verdict


@dataclass(frozen=True, slots=True)
class OpenCopy:
    """Another open image that is the same picture, and how far from it."""

    path: str
    distance: int
    exact: bool
    mirrored: bool = False


@dataclass(slots=True)
class LibraryDuplicates:
    """``near``: by path, the other open images that are copies of it, closest first;
    ``catalogued``: by path, the catalogued assets it is a copy of, closest first."""

    near: dict[str, tuple[OpenCopy, ...]] = field(default_factory=dict)
    catalogued: dict[str, tuple[CatalogMatch, ...]] = field(default_factory=dict)


def _distance(a: Candidate, b: Candidate) -> tuple[int, bool, bool]:
    """(bits apart, exact copy, mirror image)."""
    if a.sha256 is not None and a.sha256 == b.sha256:
        return 0, True, False
    one, other = a.fingerprint, b.fingerprint
    if one is None or other is None:
        return 0, False, False  # grouped by content hash through a third copy
    how = compare(one, other)
    return how.distance, False, how.mirrored


def library_duplicates(infos: Sequence[ImageInfo], catalogued: Sequence[Candidate] = (),
                       threshold: int = DEFAULT_THRESHOLD) -> LibraryDuplicates:
    """Near-copies of every readable image in ``infos`` among the others and among the
    ``catalogued`` candidates (``catalogue_candidates``)."""
    library = [candidate_of(i) for i in infos if i.verdict is not Verdict.CORRUPT]
    open_paths = {c.path for c in library}
    result = LibraryDuplicates()
    for group in find_groups(merge(library, catalogued), threshold):
        members = [m.candidate for m in group.members]
        for c in members:
            if c.path not in open_paths:
                continue
            near = []
            matches = []
            for other in members:
                if other is c:
                    continue
                d, exact, flipped = _distance(c, other)
                if other.path in open_paths and other.path != c.path:
                    near.append(OpenCopy(other.path, d, exact, flipped))
                if other.catalogued:
                    matches.append(CatalogMatch(other.entry_id, other.asset_id,
                                                Status.parse(other.status or "draft"),
                                                other.entry_name, other.path, d, exact,
                                                flipped))
            if near:
                near.sort(key=lambda n: (n.distance, n.path))
                result.near[c.path] = tuple(near)
            if matches:
                matches.sort(key=lambda m: (not m.exact, m.distance, m.path))
                result.catalogued[c.path] = tuple(matches)
    return result
