"""Uploads into the catalogue: an entry as soon as Roblox accepts a file, its moderation
status as it changes, a decal's image ID once found.

Entries are matched by asset ID before one is added, so recording the same result twice (a
crash between writing the entry and the upload's row, then the operation polled again) links
the existing entry instead of failing or duplicating it.
"""

from __future__ import annotations

from robloxassets.core.catalog.model import Entry, Status, utc_now
from robloxassets.core.catalog.store import Catalog, DuplicateAssetError
from robloxassets.core.cloud.assets import Asset, AssetType, Moderation
from robloxassets.core.upload.model import State, UploadItem, name_for_upload

STATUS_OF = {Moderation.REVIEWING: Status.IN_REVIEW, Moderation.APPROVED: Status.APPROVED,
             Moderation.REJECTED: Status.REJECTED}
STATE_OF = {Status.IN_REVIEW: State.IN_REVIEW, Status.APPROVED: State.APPROVED,
            Status.REJECTED: State.REJECTED}


def status_of(asset: Asset) -> Status:
    """Catalogue status of an asset as Roblox reports it (archived wins: it no longer loads)."""
    if asset.state.lower() == "archived":
        return Status.ARCHIVED
    return STATUS_OF.get(asset.moderation, Status.IN_REVIEW) if asset.moderation \
        else Status.IN_REVIEW


def record_accepted(catalog: Catalog, item: UploadItem, asset: Asset) -> Entry:
    """The catalogue entry of an accepted upload: added, or the one already holding its ID."""
    status = status_of(asset)
    existing = catalog.find_by_asset_id(asset.asset_id)
    if existing is not None and existing.id is not None:
        if existing.status is not status:
            catalog.set_status([existing.id], status)
            existing = catalog.get(existing.id) or existing
        return existing
    kind = asset.asset_type or item.asset_type
    entry = Entry(
        name=item.name,
        image_id=asset.asset_id if kind is AssetType.IMAGE else None,
        decal_id=asset.asset_id if kind is AssetType.DECAL else None,
        description=item.description,
        creator_type=item.creator.kind,
        creator_id=item.creator.id,
        file_path=item.source_path,
        sha256=item.source_sha256,
        prepared_sha256=item.prepared_sha256,
        width=item.width,
        height=item.height,
        status=status,
        notes=f"Uploaded by Roblox Assets on {utc_now()[:10]}"
              + (f" as {item.sent_name!r} (moderation refused the name)."
                 if item.sent_name and item.sent_name != name_for_upload(item.name)
                 else "."),
    )
    try:
        return catalog.add(entry)
    except DuplicateAssetError as exc:  # another window recorded it meanwhile
        return exc.existing


def record_image_id(catalog: Catalog, entry_id: int | None, image_id: int) -> None:
    """Add a decal's image ID to its entry, unless another entry already holds that ID."""
    if entry_id is None:
        return
    entry = catalog.get(entry_id)
    if entry is None or entry.image_id == image_id:
        return
    if catalog.find_by_asset_id(image_id) is not None:
        return
    catalog.update(entry.with_changes(image_id=image_id))
