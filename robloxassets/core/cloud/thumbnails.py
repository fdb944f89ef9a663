"""Pictures of catalogued assets that have no local file, from Roblox's thumbnails API.

``GET /v1/assets?assetIds=1,2&size=420x420&format=Png`` answers per ID with a state
(Completed, Pending, InReview, Blocked, Error, TemporarilyUnavailable) and, when completed,
an image URL. IDs go 50 to a request; completed pictures are kept in the cache folder and
reused for ``max_age``; anything not completed is asked again next time (a pending picture
becomes available once moderation finishes). No key is sent: the API is public.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import requests

from robloxassets.core import paths
from robloxassets.core.atomic import write_bytes_atomic
from robloxassets.core.cloud.client import Client
from robloxassets.core.cloud.errors import CloudError, Kind

log = logging.getLogger(__name__)

BATCH = 50
SIZE = "420x420"
MAX_AGE = 7 * 86400
_MAX_IMAGE = 10 * 1024 * 1024
_SIZE = re.compile(r"^\d{2,4}x\d{2,4}$")
STATES = ("Completed", "Pending", "InReview", "Blocked", "Error", "TemporarilyUnavailable")


@dataclass(frozen=True)
class Thumbnail:
    """``path`` is the cached PNG when ``state`` is "Completed" and it could be fetched."""

    asset_id: int
    state: str
    path: Path | None = None

    @property
    def pending(self) -> bool:
        return self.state in ("Pending", "InReview", "TemporarilyUnavailable")


def cache_folder() -> Path:
    return paths.cache_dir() / "roblox-thumbnails"


class ThumbnailCache:
    """Fetch and keep thumbnails; safe to call from one worker thread at a time."""

    def __init__(self, client: Client, folder: Path | None = None, size: str = SIZE,
                 max_age: float = MAX_AGE) -> None:
        if not _SIZE.match(size):
            raise ValueError(f"thumbnail size {size!r}")
        self.client = client
        self.folder = folder or cache_folder()
        self.size = size
        self.max_age = max_age

    def _file(self, asset_id: int) -> Path:
        return self.folder / f"{int(asset_id)}-{self.size}.png"

    def cached(self, asset_id: int) -> Path | None:
        path = self._file(asset_id)
        try:
            fresh = time.time() - path.stat().st_mtime < self.max_age
        except OSError:
            return None
        return path if fresh else None

    def get(self, asset_ids: Iterable[int], refresh: bool = False) -> dict[int, Thumbnail]:
        """Thumbnails by ID: cached ones at once, the rest asked for in batches of 50.

        A failed request leaves its IDs out (the caller shows a placeholder and asks later);
        ``refresh`` asks again even for cached pictures.
        """
        wanted = list(dict.fromkeys(int(a) for a in asset_ids))
        found: dict[int, Thumbnail] = {}
        missing = []
        for asset_id in wanted:
            path = None if refresh else self.cached(asset_id)
            if path is not None:
                found[asset_id] = Thumbnail(asset_id, "Completed", path)
            else:
                missing.append(asset_id)
        for start in range(0, len(missing), BATCH):
            batch = missing[start:start + BATCH]
            try:
                answers = self._states(batch)
            except CloudError as exc:
                if exc.kind is Kind.CANCELLED:
                    raise
                log.info("Thumbnails of %d assets not fetched: %s", len(batch), exc.kind.value)
                continue
            for asset_id, (state, url) in answers.items():
                path = self._download(asset_id, url) if state == "Completed" and url else None
                found[asset_id] = Thumbnail(asset_id, state if path or state != "Completed"
                                            else "Error", path)
        return found

    def _states(self, batch: list[int]) -> dict[int, tuple[str, str]]:
        url = f"{self.client.endpoints.thumbnails}/v1/assets"
        params = {"assetIds": ",".join(map(str, batch)), "size": self.size, "format": "Png",
                  "isCircular": "false"}

        def parse(response: requests.Response) -> dict[int, tuple[str, str]]:
            data = self.client.json(response, "thumbnails")
            rows = data.get("data") if isinstance(data, dict) else None
            result: dict[int, tuple[str, str]] = {}
            for row in rows if isinstance(rows, list) else []:
                if not isinstance(row, dict):
                    continue
                try:
                    target = int(str(row.get("targetId")))
                except ValueError:
                    continue
                state = row.get("state") if row.get("state") in STATES else "Error"
                image = row.get("imageUrl")
                result[target] = (str(state), image if isinstance(image, str) else "")
            return result

        return self.client.call("GET", url, bucket="thumbnails", what="thumbnails",
                                auth=False, params=params, parse=parse)

    def _download(self, asset_id: int, url: str) -> Path | None:
        if not url.startswith(("https://", "http://")):
            return None
        try:
            data = self.client.call("GET", url, bucket="download",
                                    what=f"the thumbnail of {asset_id}", auth=False,
                                    parse=lambda r: r.content, max_bytes=_MAX_IMAGE)
        except CloudError as exc:
            if exc.kind is Kind.CANCELLED:
                raise
            return None
        if not data.startswith(b"\x89PNG\r\n\x1a\n"):
            return None
        path = self._file(asset_id)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_bytes_atomic(path, data)
        except OSError as exc:
            log.warning("Thumbnail cache not written: %s", exc)
            return None
        return path

    def forget(self, asset_id: int) -> None:
        with contextlib.suppress(OSError):
            os.unlink(self._file(asset_id))
