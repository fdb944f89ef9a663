"""Prepared copies among the Library's files, and the originals they were made from.

A copy carries its original's SHA-256 and size (``provenance``), so the link is by content:
renaming or moving either file keeps it. ``link_copies`` reads the provenance chunk of the
Library's PNGs (only the chunks before the image data), and hashes only the originals whose
size matches a copy's original, keeping the digests in the scan cache.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from robloxassets.core.catalog.links import LibraryFile, file_hashes
from robloxassets.core.images.cache import ScanCache
from robloxassets.core.images.fit import read_png_text
from robloxassets.core.images.provenance import Provenance

FileKey = tuple[str, int, int]  # path, bytes, mtime_ns: one version of a file


def read_provenance(path: str | os.PathLike[str]) -> Provenance | None:
    """What a prepared copy says about its original; None for any other file."""
    return Provenance.from_chunks(read_png_text(path, before_image=True))


@dataclass(slots=True)
class CopyLinks:
    """Copies and originals found among a set of files.

    ``provenance``: copy path -> what it carries; ``source_of``: copy path -> the path of its
    original, when that is among the files; ``copies_of``: original path -> its copies;
    ``hashes``: digests worked out (path -> SHA-256); ``read``: the provenance read from each
    PNG version this time (None: not a copy), so a caller can skip them next time.
    """

    provenance: dict[str, Provenance] = field(default_factory=dict)
    source_of: dict[str, str] = field(default_factory=dict)
    copies_of: dict[str, list[str]] = field(default_factory=dict)
    hashes: dict[str, str] = field(default_factory=dict)
    read: dict[FileKey, Provenance | None] = field(default_factory=dict)


def link_copies(files: Sequence[LibraryFile],
                known: Mapping[FileKey, Provenance | None] | None = None,
                cache: ScanCache | None = None, cancel: threading.Event | None = None
                ) -> CopyLinks:
    """Which of ``files`` are prepared copies, and which of them are their originals.

    ``known`` holds provenance already read, by file version. Several originals with the
    same content (duplicates) all count as the original of their copies.
    """
    result = CopyLinks()
    known = known or {}
    for item in files:
        if not item.path.lower().endswith(".png"):
            continue
        if cancel is not None and cancel.is_set():
            return result
        provenance = known[item.key] if item.key in known else read_provenance(item.path)
        result.read[item.key] = provenance
        if provenance is not None:
            result.provenance[item.path] = provenance
    if not result.provenance:
        return result
    sizes = {p.source_bytes for p in result.provenance.values()}
    # An original is hashed only if a copy's original had its size.
    result.hashes = file_hashes([f for f in files if f.bytes in sizes], cache, cancel)
    by_hash: dict[str, list[str]] = {}
    for path, digest in sorted(result.hashes.items()):
        by_hash.setdefault(digest, []).append(path)
    for copy, provenance in sorted(result.provenance.items()):
        originals = [p for p in by_hash.get(provenance.source_sha256, []) if p != copy]
        if originals:
            result.source_of[copy] = originals[0]
        for original in originals:
            result.copies_of.setdefault(original, []).append(copy)
    return result
