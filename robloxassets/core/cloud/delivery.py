"""Finding the image ID inside a decal: best effort through Open Cloud's asset delivery.

A decal (asset type 13) wraps an image (type 1); scripts need the image's ID and the two are
not related by arithmetic. ``GET /asset-delivery-api/v1/assetId/{id}`` (scope
``legacy-asset:manage``) answers with a ``location`` whose XML names the image as
``...?id=<imageId>``. Roblox has answered without a location at times, so every way this can
fail ends in a ``CloudError`` that says so plainly; uploading as Image avoids the question.
"""

from __future__ import annotations

import re
from typing import Any

import requests

from robloxassets.core.cloud import errors
from robloxassets.core.cloud.client import Client
from robloxassets.core.cloud.errors import CloudError, Kind

_MAX_XML = 1024 * 1024
# <url>http://www.roblox.com/asset/?id=2676631400</url>, or rbxassetid://N in newer files.
_IMAGE_REF = re.compile(
    r"<url>\s*(?:[^<]*?[?&]id=|rbxassetid://)(\d{1,19})\s*</url>", re.IGNORECASE)


def _no_image(decal_id: int, why: str) -> CloudError:
    return CloudError(Kind.NOT_FOUND,
                      f"The image ID of decal {decal_id} could not be looked up ({why}); paste "
                      "the decal ID into a Decal's Texture in Studio once to see it.",
                      detail=why)


def image_id_of_decal(client: Client, decal_id: int, **call: Any) -> int:
    """The image ID a decal shows. Raises ``CloudError`` with a clear sentence when it can't
    be found: the key lacks the scope, no location, an unreadable file."""
    what = f"decal {int(decal_id)}"

    def parse(response: requests.Response) -> str:
        data = client.json(response, what)
        location = data.get("location") if isinstance(data, dict) else None
        return location if isinstance(location, str) else ""

    try:
        location = client.call("GET", client.endpoints.asset_delivery(decal_id),
                               bucket="delivery", what=what, scope="legacy-asset:manage",
                               parse=parse, **call)
    except CloudError as exc:
        if exc.kind in (Kind.MISSING_SCOPE, Kind.FORBIDDEN):
            raise _no_image(decal_id, "the key lacks legacy-asset:manage") from None
        raise
    if not location.startswith(("https://", "http://")):
        raise _no_image(decal_id, "Roblox gave no file location")
    # The location is a CDN address: fetched without the key.
    try:
        xml = client.call("GET", location, bucket="download", what=what, auth=False,
                          parse=lambda r: r.content, max_bytes=_MAX_XML, **call)
    except CloudError as exc:
        if exc.kind is Kind.CANCELLED:
            raise
        raise _no_image(decal_id, "its file could not be downloaded") from None
    match = _IMAGE_REF.search(xml.decode("utf-8", "replace"))
    if match is None:
        raise _no_image(decal_id, "its file names no image")
    image_id = int(match.group(1))
    if not 0 < image_id < 2**63 or image_id == decal_id:
        raise errors.bad_answer(what, "an image ID out of range")
    return image_id
