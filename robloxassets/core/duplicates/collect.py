"""Candidates from folders: what the CLI and the Duplicates page group.

Files are scanned (the scan cache answers for unchanged ones, hashes included) and hashed
with SHA-256 for exact copies (``core.catalog.links.file_hashes``: the digests are kept in
the scan cache too). Files that can't be read as images are handed back apart, for the
caller to name.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from robloxassets.core.catalog.links import LibraryFile, file_hashes
from robloxassets.core.catalog.model import Entry
from robloxassets.core.duplicates.catalogued import candidate_of
from robloxassets.core.duplicates.groups import Candidate
from robloxassets.core.images.cache import ScanCache
from robloxassets.core.images.info import ImageInfo, Verdict
from robloxassets.core.images.scan import FolderProblem, Scanner


@dataclass(slots=True)
class Collected:
    candidates: list[Candidate] = field(default_factory=list)
    unreadable: list[ImageInfo] = field(default_factory=list)
    problems: list[FolderProblem] = field(default_factory=list)


def candidates_from_infos(infos: Sequence[ImageInfo], cache: ScanCache | None = None,
                          cancel: threading.Event | None = None,
                          entries: dict[str, Entry] | None = None) -> list[Candidate]:
    """Candidates for scanned files that could be read, their SHA-256 worked out (or taken
    from the cache). ``entries`` links files to catalogue entries by path."""
    readable = [i for i in infos if i.verdict is not Verdict.CORRUPT]
    digests = file_hashes([LibraryFile(i.path, i.bytes, i.mtime_ns, i.sha256) for i in readable],
                          cache, cancel)
    links = entries or {}
    return [candidate_of(i, digests.get(i.path), links.get(i.path)) for i in readable]


def scan_candidates(paths: Iterable[str | os.PathLike[str]], cache: ScanCache | None = None,
                    cancel: threading.Event | None = None) -> Collected:
    """Scan ``paths`` and make candidates of every readable image."""
    result = Collected()
    infos: list[ImageInfo] = []
    scan = Scanner(cache).scan(paths, cancel, problems=result.problems)
    try:
        for item in scan:
            if item.info.verdict is Verdict.CORRUPT:
                result.unreadable.append(item.info)
            else:
                infos.append(item.info)
    finally:
        scan.close()
    infos.sort(key=lambda i: (i.path.casefold(), i.path))
    result.candidates = candidates_from_infos(infos, cache, cancel)
    result.unreadable.sort(key=lambda i: (i.path.casefold(), i.path))
    return result


def merge(library: Sequence[Candidate], catalogued: Sequence[Candidate]) -> list[Candidate]:
    """The library's candidates and the catalogue's, each file once: a catalogued file that
    is also in the library is taken from the catalogue (it carries the entry; of several
    entries naming one file, the first)."""
    by_path: dict[str, Candidate] = {}
    for c in catalogued:
        by_path.setdefault(c.path, c)
    out = [by_path.pop(c.path, c) for c in library]
    out.extend(by_path.values())
    return out
