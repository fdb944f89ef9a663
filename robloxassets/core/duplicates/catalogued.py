"""Copies among catalogued files: the candidates a library is compared with, and the check
"is this picture a near-copy of something already catalogued (or uploaded)?".

``catalogued_near_copies`` is what a warning before preparing or uploading calls: it answers
with each matching entry's asset ID and moderation status (a rejected near-copy is likely to
be rejected again). Catalogued files are hashed through the scanner, so the scan cache keeps
their hashes; an entry whose file is gone still matches exact copies by its SHA-256.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from robloxassets.core.catalog.hashing import sha256_file
from robloxassets.core.catalog.model import Entry, Status
from robloxassets.core.catalog.store import Catalog, Query
from robloxassets.core.duplicates.groups import (
    DEFAULT_THRESHOLD,
    Candidate,
    near_copies,
)
from robloxassets.core.duplicates.hashing import hash_file
from robloxassets.core.duplicates.phash import Fingerprint
from robloxassets.core.duplicates.wording import copy_kind
from robloxassets.core.errors import UserError
from robloxassets.core.images.cache import ScanCache
from robloxassets.core.images.info import ImageInfo, Verdict
from robloxassets.core.images.scan import Scanner

log = logging.getLogger(__name__)


def candidate_of(info: ImageInfo, sha256: str | None = None,
                 entry: Entry | None = None) -> Candidate:
    """A candidate from what a scan found about a file (and its entry, if catalogued)."""
    readable = info.verdict is not Verdict.CORRUPT
    return Candidate(
        path=info.path, sha256=sha256 or info.sha256 or (entry.sha256 if entry else None),
        phash=info.phash if readable else None,
        phash_mirror=info.phash_mirror if readable else None,
        colour=info.colour if readable else None, bytes=info.bytes,
        mtime_ns=info.mtime_ns, width=info.width, height=info.height, format=info.format,
        entry_id=entry.id if entry else None, asset_id=entry.asset_id if entry else None,
        status=entry.status.value if entry else None, entry_name=entry.name if entry else "")


def _entry_only(entry: Entry) -> Candidate:
    return Candidate(path=entry.file_path, sha256=entry.sha256, width=entry.width,
                     height=entry.height, entry_id=entry.id, asset_id=entry.asset_id,
                     status=entry.status.value, entry_name=entry.name)


def catalogue_candidates(entries: Sequence[Entry], cache: ScanCache | None = None,
                         cancel: threading.Event | None = None,
                         processes: bool = True) -> list[Candidate]:
    """One candidate per entry with a file or a hash: its file scanned (from the scan cache
    when unchanged) for the perceptual hash; an entry whose file can't be read keeps only its
    SHA-256 (exact copies still match)."""
    with_files: dict[str, list[Entry]] = {}
    out: list[Candidate] = []
    for entry in entries:
        if entry.file_path and os.path.isabs(entry.file_path):
            with_files.setdefault(entry.file_path, []).append(entry)
        elif entry.sha256:
            out.append(_entry_only(entry))
    scanned: dict[str, ImageInfo] = {}
    if with_files:
        scan = Scanner(cache, processes=processes).scan(list(with_files), cancel)
        try:
            for item in scan:
                scanned[item.info.path] = item.info
        finally:
            scan.close()
    for path, group in with_files.items():
        info = scanned.get(os.path.abspath(path))
        for entry in group:
            if info is None or info.phash is None:
                if entry.sha256:
                    out.append(_entry_only(entry))
                continue
            out.append(candidate_of(info, entry=entry))
    return out


def load_catalogue(catalog: Catalog) -> list[Entry]:
    """Every entry that can take part (has a file or a hash)."""
    return [e for e in catalog.search(Query()) if e.file_path or e.sha256]


@dataclass(frozen=True, slots=True)
class CatalogMatch:
    """A catalogued asset the picture asked about is a copy of."""

    entry_id: int | None
    asset_id: int | None
    status: Status
    name: str
    path: str
    distance: int
    exact: bool
    mirrored: bool = False

    @property
    def content_id(self) -> str:
        return f"rbxassetid://{self.asset_id}" if self.asset_id is not None else ""

    def to_json(self) -> dict[str, object]:
        """The CLI's ``near_copies`` object: the asset it looks like and its state."""
        return {"asset_id": self.asset_id, "name": self.name,
                "moderation_state": self.status.value, "distance": self.distance,
                "file": self.path or None}

    def describe(self) -> str:
        """One plain sentence for a warning."""
        # "a near-copy of 'Coin' (rbxassetid://1, rejected; 2 of 64 bits differ)": the
        # amount goes in the brackets, where it doesn't split "near-copy" from "of".
        kind, _, amount = copy_kind(self.exact, self.distance, self.mirrored).partition(", ")
        what = ("the " if kind == "same picture" else "an " if kind[0] == "e" else "a ") + kind
        ident = self.content_id or "no asset ID yet"
        state = self.status.label.lower() + (f"; {amount}" if amount else "")
        text = f"This image is {what} of '{self.name}' ({ident}, {state})."
        if self.status is Status.REJECTED:
            text += (" Roblox rejected that one: a near-copy is likely to be rejected again. "
                     "Change the image and make it your own.")
        elif self.asset_id is not None:
            text += " Use that ID instead of uploading it again."
        return text


def matches_for(hashes: Fingerprint | None, sha256: str | None,
                candidates: Iterable[Candidate], threshold: int = DEFAULT_THRESHOLD,
                exclude: str | None = None) -> list[CatalogMatch]:
    """The catalogued candidates that are copies of one picture, closest first."""
    if hashes is None and sha256 is None:
        return []
    pool = [c for c in candidates if c.catalogued]
    if hashes is None:
        found = [c for c in pool if c.sha256 == sha256 and c.path != exclude]
        return [_match(c, 0, True) for c in found]
    return [_match(n.candidate, n.distance, n.exact, n.mirrored)
            for n in near_copies(hashes, pool, threshold, sha256=sha256, exclude=exclude)]


def _match(c: Candidate, distance: int, exact: bool, mirrored: bool = False) -> CatalogMatch:
    return CatalogMatch(c.entry_id, c.asset_id, Status.parse(c.status or "draft"),
                        c.entry_name, c.path, distance, exact, mirrored)


def catalogued_near_copies(path: str | os.PathLike[str], catalog: Catalog, *,
                           cache: ScanCache | None = None,
                           threshold: int = DEFAULT_THRESHOLD,
                           candidates: Sequence[Candidate] | None = None
                           ) -> list[CatalogMatch]:
    """The catalogued (or uploaded) assets that ``path`` is a copy or near-copy of, closest
    first, each with its asset ID and moderation status: the check before preparing or
    uploading. ``candidates`` (from ``catalogue_candidates``) saves hashing the catalogue
    again for a batch. The file's own entry (same path) is left out. Never raises for a bad
    file: one that can't be read has no matches.
    """
    name = os.fspath(path)
    try:
        digest: str | None = sha256_file(name)
    except UserError as exc:
        log.info("Not checked for copies: %s", exc)
        return []
    hashes = hash_file(name)
    if candidates is None:
        candidates = catalogue_candidates(load_catalogue(catalog), cache, processes=False)
    return matches_for(hashes, digest, candidates, threshold,
                       exclude=os.path.abspath(name))


def upload_near_copies(paths: Iterable[str], entries: Sequence[Entry], *,
                       cache: ScanCache | None = None, threshold: int = DEFAULT_THRESHOLD,
                       cancel: threading.Event | None = None, processes: bool = False
                       ) -> dict[str, list[CatalogMatch]]:
    """The check before uploading a batch: each file's catalogued near-copies, closest first,
    by the file's absolute path (files without any are left out). The catalogue is hashed
    once for the batch (``entries`` from ``load_catalogue``, read before so no connection is
    held while hashing). Exact copies are not warned about here: the queue skips catalogued
    content and asks first (``UploadQueue.add``), so a file with an exact copy has no entry.
    """
    files = [os.path.abspath(p) for p in paths]
    if not files or not entries:
        return {}
    catalogued = {e.sha256 for e in entries if e.sha256}
    candidates = catalogue_candidates(entries, cache, cancel, processes=processes)
    found: dict[str, list[CatalogMatch]] = {}
    for path in files:
        if cancel is not None and cancel.is_set():
            break
        try:
            digest = sha256_file(path)
        except UserError as exc:
            log.info("Not checked for copies: %s", exc)
            continue
        if digest in catalogued:
            continue  # exact catalogued content (its own entry too): the queue asks
        matches = matches_for(hash_file(path), digest, candidates, threshold, exclude=path)
        if matches and not any(m.exact for m in matches):
            found[path] = matches
    return found
