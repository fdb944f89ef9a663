"""Where Roblox's web APIs live; environment variables move them (tests, proxies)."""

from __future__ import annotations

import os
from dataclasses import dataclass

OPEN_CLOUD_ENV = "ROBLOXASSETS_OPEN_CLOUD_URL"
THUMBNAILS_ENV = "ROBLOXASSETS_THUMBNAILS_URL"

OPEN_CLOUD_URL = "https://apis.roblox.com"
THUMBNAILS_URL = "https://thumbnails.roblox.com"


@dataclass(frozen=True)
class Endpoints:
    """Base URLs without a trailing slash: Open Cloud (assets, operations, API keys, asset
    delivery) and the public thumbnails API."""

    open_cloud: str = OPEN_CLOUD_URL
    thumbnails: str = THUMBNAILS_URL

    @classmethod
    def from_environment(cls) -> Endpoints:
        return cls(open_cloud=_clean(os.environ.get(OPEN_CLOUD_ENV), OPEN_CLOUD_URL),
                   thumbnails=_clean(os.environ.get(THUMBNAILS_ENV), THUMBNAILS_URL))

    @property
    def assets(self) -> str:
        """The Assets API v1 root; an operation's ``path`` is relative to it."""
        return f"{self.open_cloud}/assets/v1"

    @property
    def introspect(self) -> str:
        return f"{self.open_cloud}/api-keys/v1/introspect"

    def asset_delivery(self, asset_id: int) -> str:
        return f"{self.open_cloud}/asset-delivery-api/v1/assetId/{int(asset_id)}"

    def is_open_cloud(self, url: str) -> bool:
        """Whether ``url`` is under the Open Cloud base: only those requests carry the key."""
        return url == self.open_cloud or url.startswith(self.open_cloud + "/")


def _clean(value: str | None, default: str) -> str:
    text = (value or "").strip().rstrip("/")
    return text or default
