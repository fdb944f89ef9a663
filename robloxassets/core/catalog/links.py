"""Links between Library files and catalogue entries.

A file is linked to an entry by content: its SHA-256 equals the entry's file hash or the hash
of the entry's upload-ready copy, so renaming or moving a file keeps the link. An upload-ready
PNG also carries the asset ID in a text chunk (see ``pngtag``); a scanned file with such a
chunk that no entry knows by hash is offered for linking.

Scans don't hash files; ``link_library`` hashes the Library's files only when the catalogue
holds any hash to match, on two threads, and keeps the digests in the scan cache so each file
version is hashed once.
"""

from __future__ import annotations

import concurrent.futures as cf
import logging
import os
import threading
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath

from robloxassets.core.catalog.hashing import sha256_file, sha256_stream
from robloxassets.core.catalog.model import Entry, Status, name_from_file, utc_now
from robloxassets.core.catalog.pngtag import KEYWORD, PngAssetTag, parse_tag_text
from robloxassets.core.catalog.store import Catalog
from robloxassets.core.errors import UserError
from robloxassets.core.images.cache import ScanCache
from robloxassets.core.images.fit import read_png_text
from robloxassets.core.safeio import open_regular

log = logging.getLogger(__name__)

TAG_KEY = KEYWORD.decode("ascii")


def entries_by_hash(catalog: Catalog, hashes: Iterable[str]) -> dict[str, Entry]:
    """The entry each catalogued hash belongs to (the oldest, if several share it)."""
    return {digest: entries[0] for digest, entries in catalog.find_by_sha256(hashes).items()}


def tag_for(entry: Entry) -> PngAssetTag:
    return PngAssetTag(entry.decal_id, entry.image_id)


def png_text_for(entry: Entry) -> dict[str, str]:
    """The text chunk an upload-ready copy of ``entry``'s image carries."""
    return {TAG_KEY: tag_for(entry).text()}


def tag_in_file(path: str | os.PathLike[str]) -> PngAssetTag | None:
    """The asset IDs a PNG carries, read from its chunk list only; None for other files."""
    text = read_png_text(path).get(TAG_KEY)
    return parse_tag_text(text) if text else None


@dataclass(frozen=True, slots=True)
class TaggedFile:
    """A file that carries asset IDs but is not linked to an entry by its content."""

    path: str
    sha256: str
    tag: PngAssetTag
    entry: Entry | None  # the entry with one of those IDs, if the catalogue has one

    @property
    def asset_id(self) -> int:
        value = self.tag.image_id if self.tag.image_id is not None else self.tag.decal_id
        assert value is not None
        return value


def find_tagged(catalog: Catalog, paths: Iterable[str],
                known: Mapping[str, str] | None = None) -> list[TaggedFile]:
    """Among files not linked by hash, the PNGs that carry asset IDs.

    ``known`` holds digests already worked out, by path; the others are hashed here (only
    tagged files need one). A file that can't be read is left out.
    """
    found: list[TaggedFile] = []
    for path in paths:
        if PurePath(path).suffix.lower() != ".png":
            continue
        tag = tag_in_file(path)
        if tag is None:
            continue
        digest = (known or {}).get(path)
        if digest is None:
            try:
                digest = sha256_file(path)
            except UserError as exc:
                log.info("Tagged file not hashed: %s", exc)
                continue
        entry = None
        for asset_id in (tag.decal_id, tag.image_id):
            if asset_id is not None and entry is None:
                entry = catalog.find_by_asset_id(asset_id)
        found.append(TaggedFile(path, digest, tag, entry))
    return found


def link_tagged(catalog: Catalog, tagged: Iterable[TaggedFile]) -> tuple[int, int]:
    """Link tagged files: known IDs get the file as their upload-ready copy; unknown IDs
    become new draft entries named after the file. Returns (linked, added)."""
    linked = added = 0
    for item in tagged:
        entry = item.entry or catalog.find_by_asset_id(item.asset_id)
        if entry is not None:
            if item.sha256 not in (entry.sha256, entry.prepared_sha256):
                catalog.update(entry.with_changes(prepared_sha256=item.sha256))
                linked += 1
            continue
        catalog.add(Entry(name=name_from_file(item.path) or "Untitled",
                          decal_id=item.tag.decal_id, image_id=item.tag.image_id,
                          file_path=item.path, sha256=item.sha256, status=Status.DRAFT,
                          notes=f"Linked from the asset ID in {item.path} on {utc_now()[:10]}."))
        added += 1
    return linked, added


def record_prepared(catalog: Catalog, outputs: Iterable[tuple[int, str]]) -> int:
    """After "Prepare for upload": remember each copy's hash on its entry (by entry ID)."""
    count = 0
    for entry_id, output in outputs:
        entry = catalog.get(entry_id)
        if entry is None:
            continue
        try:
            digest = sha256_file(output)
        except UserError as exc:
            log.warning("Could not hash the upload-ready copy %s: %s", output, exc)
            continue
        if digest != entry.prepared_sha256:
            catalog.update(entry.with_changes(prepared_sha256=digest))
            count += 1
    return count


def catalogued_sources(catalog: Catalog, paths: Iterable[str]) -> dict[str, Entry]:
    """The sources of a "Prepare for upload" batch that are already catalogued, by path.

    Files that can't be read are left out here; preparing them reports why.
    """
    hashes: dict[str, str] = {}
    for path in paths:
        try:
            hashes[path] = sha256_file(path)
        except UserError:
            continue
    by_hash = entries_by_hash(catalog, hashes.values())
    return {path: by_hash[digest] for path, digest in hashes.items() if digest in by_hash}


@dataclass(frozen=True, slots=True)
class CatalogLink:
    """Which entry a file belongs to: what the Library shows (a badge, the details) and uses
    (Ctrl+C, tagging a prepared copy) for a catalogued image."""

    asset_id: int
    status: Status
    entry_id: int | None = None
    name: str = ""
    decal_id: int | None = None
    image_id: int | None = None

    @classmethod
    def of(cls, entry: Entry) -> CatalogLink | None:
        """The link to ``entry``; None while it has no asset ID."""
        if entry.asset_id is None:
            return None
        return cls(entry.asset_id, entry.status, entry.id, entry.name, entry.decal_id,
                   entry.image_id)

    @property
    def content_id(self) -> str:
        return f"rbxassetid://{self.asset_id}"

    @property
    def tag(self) -> PngAssetTag:
        """The text chunk a prepared copy of the file carries."""
        return PngAssetTag(self.decal_id, self.image_id)


# -- the Library's files --------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class LibraryFile:
    """A file as the Library last saw it; ``sha256`` when its digest is already known."""

    path: str
    bytes: int
    mtime_ns: int
    sha256: str | None = None

    @property
    def key(self) -> tuple[str, int, int]:
        return self.path, self.bytes, self.mtime_ns


@dataclass(slots=True)
class LibraryLinks:
    """What ``link_library`` found: entries by path, tagged files, and the digests known."""

    entries: dict[str, Entry] = field(default_factory=dict)
    tagged: list[TaggedFile] = field(default_factory=list)
    hashes: dict[str, str] = field(default_factory=dict)


_HASH_BATCH = 64  # files hashed between cancel checks and cache writes


def _hash_version(item: LibraryFile) -> str | None:
    """The digest of ``item`` if the file is still that version (same size and mtime)."""
    try:
        with open_regular(item.path) as handle:
            st = os.fstat(handle.fileno())
            if (st.st_size, st.st_mtime_ns) != (item.bytes, item.mtime_ns):
                return None  # changed since it was scanned: the next scan will see it
            return sha256_stream(handle)
    except OSError as exc:
        log.info("Not hashed: %s (%s)", item.path, exc)
        return None


def file_hashes(files: Sequence[LibraryFile], cache: ScanCache | None = None,
                cancel: threading.Event | None = None, workers: int = 2) -> dict[str, str]:
    """SHA-256 digests of ``files`` by path: known ones, then the scan cache's, then hashed
    here on ``workers`` threads (hashlib releases the GIL) and stored in the cache.

    Files that can't be read, or changed since they were listed, are left out. Stops early
    (returning what it has) when ``cancel`` is set.
    """
    found = {f.path: f.sha256 for f in files if f.sha256}
    missing = [f for f in files if not f.sha256]
    if cache is not None and missing:
        found.update(cache.hashes(f.key for f in missing))
        missing = [f for f in missing if f.path not in found]
    if not missing:
        return found
    with cf.ThreadPoolExecutor(max(1, workers), thread_name_prefix="hash") as pool:
        for start in range(0, len(missing), _HASH_BATCH):
            if cancel is not None and cancel.is_set():
                break
            batch = missing[start:start + _HASH_BATCH]
            fresh = [(f, digest) for f, digest in zip(batch, pool.map(_hash_version, batch),
                                                      strict=True) if digest is not None]
            found.update((f.path, digest) for f, digest in fresh)
            if cache is not None:
                cache.set_hashes((*f.key, digest) for f, digest in fresh)
    return found


def link_library(catalog: Catalog, files: Sequence[LibraryFile],
                 cache: ScanCache | None = None, skip_tags: Container[tuple[str, int, int]] = (),
                 cancel: threading.Event | None = None) -> LibraryLinks:
    """Catalogue entries of the Library's files, and its unlinked PNGs that carry asset IDs.

    Files are hashed only when the catalogue holds a hash to match. PNGs whose ``key`` is in
    ``skip_tags`` (already offered, or read before and untagged) are not read again.
    """
    result = LibraryLinks()
    if catalog.has_hashes():
        result.hashes = file_hashes(files, cache, cancel)
    else:
        result.hashes = {f.path: f.sha256 for f in files if f.sha256}
    if cancel is not None and cancel.is_set():
        return result
    by_hash = entries_by_hash(catalog, result.hashes.values())
    for f in files:
        digest = result.hashes.get(f.path)
        if digest in by_hash:
            result.entries[f.path] = by_hash[digest]
    unlinked = [f.path for f in files if f.path not in result.entries and f.key not in skip_tags]
    result.tagged = find_tagged(catalog, unlinked, result.hashes)
    return result
