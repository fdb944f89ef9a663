"""Links between Library files and catalogue entries.

A file is linked to an entry by content: its SHA-256 equals the entry's file hash or the hash
of the entry's upload-ready copy, so renaming or moving a file keeps the link. An upload-ready
PNG also carries the asset ID in a text chunk (see ``pngtag``); a scanned file with such a
chunk that no entry knows by hash is offered for linking.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath

from robloxassets.core.catalog.hashing import sha256_file
from robloxassets.core.catalog.model import Entry, Status, utc_now
from robloxassets.core.catalog.pngtag import KEYWORD, PngAssetTag, parse_tag_text
from robloxassets.core.catalog.store import Catalog
from robloxassets.core.errors import UserError
from robloxassets.core.images.fit import read_png_text

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


def find_tagged(catalog: Catalog, files: Iterable[tuple[str, str]]) -> list[TaggedFile]:
    """Among (path, sha256) pairs not linked by hash, the PNGs that carry asset IDs."""
    found: list[TaggedFile] = []
    for path, digest in files:
        if PurePath(path).suffix.lower() != ".png":
            continue
        tag = tag_in_file(path)
        if tag is None:
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
        stem = " ".join(PurePath(item.path).stem.replace("_", " ").split()) or "Untitled"
        catalog.add(Entry(name=stem, decal_id=item.tag.decal_id, image_id=item.tag.image_id,
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
