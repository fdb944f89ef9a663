"""The Open Cloud Assets API v1: create an image or decal, follow its operation, read its
moderation state.

Roblox's answers are read leniently, as its peers learned to: moderation states and asset
types come in two spellings (``Approved`` and ``MODERATION_STATE_APPROVED``, ``Decal`` and
``ASSET_TYPE_DECAL``), an operation without ``done`` is not done, and an operation may end
with ``error`` instead of ``response``.
"""

from __future__ import annotations

import enum
import json
import re
from dataclasses import dataclass
from typing import Any

import requests

from robloxassets.core.cloud import errors
from robloxassets.core.cloud.client import Client
from robloxassets.core.cloud.errors import CloudError, Kind

#: Roblox stops at 50 characters (undocumented; peers trim to it) and documents 1000 for the
#: description.
MAX_DISPLAY_NAME = 50
MAX_DESCRIPTION = 1000

CONTENT_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "BMP": "image/bmp",
                 "TGA": "image/tga"}

_OPERATION_PATH = re.compile(r"^operations/[A-Za-z0-9._~-]{1,200}$")


class AssetType(str, enum.Enum):
    """What an upload becomes. IMAGE: its ID works in scripts and decals directly. DECAL: a
    Toolbox / Creator Store item that wraps an image (scripts need the image's ID)."""

    IMAGE = "image"
    DECAL = "decal"

    @property
    def api_name(self) -> str:
        return "Image" if self is AssetType.IMAGE else "Decal"

    @classmethod
    def parse(cls, value: Any) -> AssetType | None:
        text = _simple(value, "ASSET_TYPE_")
        return {"image": cls.IMAGE, "decal": cls.DECAL}.get(text)


class Moderation(str, enum.Enum):
    REVIEWING = "in-review"
    APPROVED = "approved"
    REJECTED = "rejected"

    @classmethod
    def parse(cls, value: Any) -> Moderation | None:
        text = _simple(value, "MODERATION_STATE_")
        return {"reviewing": cls.REVIEWING, "approved": cls.APPROVED,
                "rejected": cls.REJECTED}.get(text)


class Privacy(str, enum.Enum):
    """``creationContext.assetPrivacy``. OPEN_USE can't be undone once set."""

    DEFAULT = "default"
    RESTRICTED = "restricted"
    OPEN_USE = "open-use"

    @property
    def api_name(self) -> str:
        return {"default": "default", "restricted": "restricted",
                "open-use": "openUse"}[self.value]


def _simple(value: Any, prefix: str) -> str:
    """``"MODERATION_STATE_APPROVED"`` / ``"Approved"`` -> ``"approved"``."""
    if not isinstance(value, str):
        return ""
    text = value.strip()
    if text.upper().startswith(prefix):
        text = text[len(prefix):]
    return text.replace("_", "").lower()


@dataclass(frozen=True)
class Creator:
    """Who owns the upload: a user or a group, by ID."""

    kind: str  # "user" | "group"
    id: int

    def __post_init__(self) -> None:
        if self.kind not in ("user", "group"):
            raise ValueError(f"creator kind {self.kind!r}")
        if isinstance(self.id, bool) or not 0 < int(self.id) < 2**63:
            raise ValueError(f"creator id {self.id!r}")

    def api(self) -> dict[str, str]:
        # int64 in the schema, but every peer sends a string; so does Roblox's own example.
        return {"userId": str(self.id)} if self.kind == "user" else {"groupId": str(self.id)}

    def __str__(self) -> str:
        return f"{self.kind} {self.id}"


@dataclass(frozen=True)
class CreateRequest:
    display_name: str
    description: str
    asset_type: AssetType
    creator: Creator
    privacy: Privacy | None = None

    def api(self) -> dict[str, Any]:
        context: dict[str, Any] = {"creator": self.creator.api(), "expectedPrice": 0}
        if self.privacy is not None and self.privacy is not Privacy.DEFAULT:
            context["assetPrivacy"] = self.privacy.api_name
        return {"assetType": self.asset_type.api_name,
                "displayName": self.display_name[:MAX_DISPLAY_NAME],
                "description": self.description[:MAX_DESCRIPTION],
                "creationContext": context}


@dataclass(frozen=True)
class Asset:
    asset_id: int
    asset_type: AssetType | None = None
    moderation: Moderation | None = None
    state: str = ""  # "Active" | "Archived" | ""
    display_name: str = ""


@dataclass(frozen=True)
class Operation:
    """A create's progress. ``path`` is where to poll it (relative to the Assets API root)."""

    path: str
    done: bool = False
    asset: Asset | None = None
    error: str = ""

    @property
    def operation_id(self) -> str:
        return self.path.rsplit("/", 1)[-1]


def parse_asset(data: Any, what: str) -> Asset:
    if not isinstance(data, dict):
        raise errors.bad_answer(what, "no asset object")
    raw_id = data.get("assetId")
    if raw_id is None and isinstance(data.get("path"), str):
        raw_id = data["path"].rsplit("/", 1)[-1]
    try:
        asset_id = int(str(raw_id))
    except ValueError:
        raise errors.bad_answer(what, "no asset ID") from None
    if not 0 < asset_id < 2**63:
        raise errors.bad_answer(what, "an asset ID out of range")
    result = data.get("moderationResult")
    moderation = Moderation.parse(result.get("moderationState")) if isinstance(
        result, dict) else None
    name = data.get("displayName")
    state = data.get("state")
    return Asset(asset_id=asset_id, asset_type=AssetType.parse(data.get("assetType")),
                 moderation=moderation, state=state if isinstance(state, str) else "",
                 display_name=name if isinstance(name, str) else "")


def parse_operation(data: Any, what: str) -> Operation:
    """An operation answer; lenient about ``done`` (missing: not done) and the error's shape."""
    if not isinstance(data, dict):
        raise errors.bad_answer(what, "no operation object")
    path = data.get("path")
    if not isinstance(path, str) or not path:
        op_id = data.get("operationId")
        path = f"operations/{op_id}" if isinstance(op_id, str) and op_id else ""
    if not _OPERATION_PATH.match(path):
        # Never build a URL from whatever the server said: the key goes with the poll.
        raise errors.bad_answer(what, "no usable operation path")
    done = data.get("done") is True
    error = data.get("error")
    message = ""
    if error not in (None, {}, ""):
        message = errors.error_detail(json.dumps(error)) or "unknown error"
        done = True
    asset = None
    response = data.get("response")
    if isinstance(response, dict) and not message:
        asset = parse_asset(response, what)
        done = True
    if done and asset is None and not message:
        message = "the operation finished without an asset"
    return Operation(path=path, done=done, asset=asset, error=message)


def _label(name: str) -> str:
    return f"the upload of {name!r}"


class AssetsApi:
    """The calls the upload queue and moderation refresh make."""

    def __init__(self, client: Client) -> None:
        self.client = client

    @property
    def root(self) -> str:
        return self.client.endpoints.assets

    def create(self, request: CreateRequest, data: bytes, content_type: str,
               filename: str, *, pace: bool = False) -> Operation:
        """Send one create (never repeated here: the queue decides). Raises ``CloudError``."""
        what = _label(request.display_name)
        files = {
            "request": (None, json.dumps(request.api(), ensure_ascii=False)),
            "fileContent": (filename, data, content_type),
        }
        response = self.client.send("POST", f"{self.root}/assets", bucket="create",
                                    what=what, scope="asset:write", files=files, pace=pace,
                                    read_timeout=self.client.timeouts.upload)
        return parse_operation(self.client.json(response, what), what)

    def operation(self, path: str, name: str = "", **call: Any) -> Operation:
        """Poll an operation by the ``path`` its create returned (retries included;
        ``call`` passes ``cancel`` / ``notify`` on to ``Client.call``)."""
        if not _OPERATION_PATH.match(path):
            raise ValueError(f"not an operation path: {path!r}")
        what = _label(name) if name else "an upload"

        def parse(response: requests.Response) -> Operation:
            return parse_operation(self.client.json(response, what), what)

        return self.client.call("GET", f"{self.root}/{path}", bucket="operation", what=what,
                                scope="asset:read", parse=parse, **call)

    def get(self, asset_id: int, **call: Any) -> Asset:
        """An asset with its moderation state (``GET /v1/assets/{id}``; no read mask: a mask
        naming moderationResult is refused)."""
        what = f"asset {int(asset_id)}"

        def parse(response: requests.Response) -> Asset:
            return parse_asset(self.client.json(response, what), what)

        return self.client.call("GET", f"{self.root}/assets/{int(asset_id)}",
                                bucket="asset", what=what, scope="asset:read", parse=parse,
                                **call)


def operation_failed(name: str, message: str) -> CloudError:
    """The error of an operation that ended in ``error``: a known refusal (invalid image,
    moderated name...) gets its own sentence, anything else Roblox's words."""
    known = errors.from_response(400, message.encode("utf-8"), what=_label(name),
                                 scope="asset:write")
    if known.kind is not Kind.BAD_REQUEST:
        known.status = None
        return known
    return CloudError(Kind.OPERATION_FAILED,
                      f"Roblox could not finish the upload of {name!r}: "
                      f"{message.rstrip('. ')}.",
                      detail=message)
