"""Refreshing moderation: ``GET /v1/assets/{id}`` for catalogued IDs, the catalogue and the
upload queue updated with what Roblox says.

The window refreshes at start and every ``REFRESH_INTERVAL`` while anything is in review;
``robloxassets moderation`` does it on demand and ``robloxassets upload --wait`` until
moderation settles.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from robloxassets.core.catalog.model import Entry, Status
from robloxassets.core.catalog.store import Catalog, Query
from robloxassets.core.cloud.assets import AssetsApi
from robloxassets.core.cloud.errors import CloudError, Kind
from robloxassets.core.upload.results import STATE_OF, status_of
from robloxassets.core.upload.store import UploadStore

#: Seconds between automatic refreshes while something is in review (reads count against
#: the 120-a-minute limit of asset reads; a few minutes is what moderation usually takes).
REFRESH_INTERVAL = 300.0


@dataclass(frozen=True)
class ModerationResult:
    entry: Entry
    asset_id: int
    before: Status
    after: Status | None  # None: could not be read (``error`` says why)
    error: str = ""

    @property
    def changed(self) -> bool:
        return self.after is not None and self.after is not self.before

    def to_json(self) -> dict[str, object]:
        return {"asset_id": self.asset_id, "name": self.entry.name,
                "before": self.before.value,
                "moderation_state": self.after.value if self.after else None,
                "changed": self.changed, "error": self.error or None}


def in_review(catalog: Catalog) -> list[Entry]:
    return catalog.search(Query(status=Status.IN_REVIEW, sort="review"))


def asset_to_check(entry: Entry, store: UploadStore | None = None) -> int | None:
    """The ID whose moderation matters: the uploaded one if the queue knows it, else the
    decal ID (what was uploaded when both are known), else the image ID."""
    if store is not None:
        for asset_id in (entry.decal_id, entry.image_id):
            if asset_id is not None and store.by_asset_id(asset_id) is not None:
                return asset_id
    return entry.decal_id if entry.decal_id is not None else entry.image_id


def refresh(catalog: Catalog, api: AssetsApi, entries: Iterable[Entry], *,
            cancel: threading.Event | None = None,
            on_result: Callable[[ModerationResult], None] | None = None
            ) -> list[ModerationResult]:
    """Ask Roblox about each entry and record changes. Stops early with the error when the
    key can't read assets at all (every other entry would fail the same way)."""
    store = UploadStore(catalog)
    results = []
    for entry in entries:
        if cancel is not None and cancel.is_set():
            break
        asset_id = asset_to_check(entry, store)
        if asset_id is None or entry.id is None:
            continue
        try:
            asset = api.get(asset_id, cancel=cancel)
        except CloudError as exc:
            if exc.kind.stops_batch or exc.kind is Kind.CANCELLED:
                raise
            result = ModerationResult(entry, asset_id, entry.status, None, exc.message)
        else:
            after = status_of(asset)
            if after is not entry.status:
                catalog.set_status([entry.id], after)
            item = store.by_asset_id(asset_id)
            state = STATE_OF.get(after)
            if item is not None and state is not None and item.state is not state:
                store.move(item.id, state, from_=(item.state,))
            result = ModerationResult(entry, asset_id, entry.status, after)
        results.append(result)
        if on_result is not None:
            on_result(result)
    return results
