"""What an API key may do, from ``POST /api-keys/v1/introspect``: its owner, its scopes,
whether it is enabled, and when it expires.

Used when a key is saved and by ``robloxassets key check``: the owner prefills the creator,
and a missing scope is named before the first upload fails on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

import requests

from robloxassets.core.cloud import errors
from robloxassets.core.cloud.apikey import ApiKey
from robloxassets.core.cloud.client import Client

#: What uploading needs, and what the decal -> image lookup needs on top.
UPLOAD_SCOPES = ("asset:read", "asset:write")
LOOKUP_SCOPE = "legacy-asset:manage"
#: Roblox disables keys that go unused this long, even without an expiration date.
UNUSED_EXPIRY = timedelta(days=60)
#: An expiration date this close is pointed out.
EXPIRY_WARNING = timedelta(days=14)


@dataclass(frozen=True)
class KeyInfo:
    name: str = ""
    owner_id: int | None = None
    scopes: frozenset[str] = frozenset()
    #: Creators the asset scopes name ("*" = all), by kind: {"user": {...}, "group": {...}}.
    asset_users: frozenset[str] = frozenset()
    asset_groups: frozenset[str] = frozenset()
    enabled: bool = True
    expired: bool = False
    expires: datetime | None = None
    warnings: tuple[str, ...] = field(default=())

    def has(self, scope: str) -> bool:
        return scope in self.scopes

    @property
    def missing_for_upload(self) -> list[str]:
        return [scope for scope in UPLOAD_SCOPES if scope not in self.scopes]

    def may_upload_for(self, kind: str, creator_id: int) -> bool | None:
        """Whether the asset scopes cover this creator; None when the answer did not say."""
        names = self.asset_users if kind == "user" else self.asset_groups
        if not names:
            return None
        return "*" in names or str(creator_id) in names

    def problems(self) -> list[str]:
        """Sentences for what stops uploads with this key."""
        found = []
        if self.expired:
            found.append("The key has expired; re-enable or regenerate it on the Creator "
                         "Dashboard.")
        elif not self.enabled:
            found.append("The key is disabled; enable it on the Creator Dashboard.")
        missing = self.missing_for_upload
        if missing:
            found.append(f"The key lacks {' and '.join(missing)}; edit it on the Creator "
                         "Dashboard and add the Assets API with read and write.")
        return found

    def owner_line(self) -> str:
        owner = f"user {self.owner_id}" if self.owner_id else "unknown"
        return (f"Key {self.name!r} belongs to {owner}." if self.name
                else f"The key belongs to {owner}.")

    def notes(self, now: datetime | None = None) -> list[str]:
        """What follows the scopes: problems, the expiry date, the 60-day rule."""
        now = now or datetime.now(timezone.utc)
        lines = list(self.problems())
        if self.expires is not None:
            left = self.expires - now
            when = self.expires.strftime("%Y-%m-%d")
            if left <= timedelta(0):
                lines.append(f"It expired on {when}.")
            elif left <= EXPIRY_WARNING:
                lines.append(f"It expires on {when}, in {max(left.days, 0)} days: set a later "
                             "date on the Creator Dashboard.")
            else:
                lines.append(f"It expires on {when}.")
        lines.append("Keys that go unused for 60 days expire by themselves; any upload or "
                     "check keeps this one alive.")
        return lines

    def report(self, now: datetime | None = None) -> list[str]:
        """The lines ``key check`` prints (the key dialog shows the same parts)."""
        lines = [self.owner_line()]
        for scope in (*UPLOAD_SCOPES, LOOKUP_SCOPE):
            mark = "yes" if self.has(scope) else "no"
            lines.append(f"  {scope:<20} {mark:<4} ({scope_need(scope)})")
        lines.extend(self.notes(now))
        return lines


def scope_need(scope: str) -> str:
    return ("needed to upload" if scope in UPLOAD_SCOPES
            else "optional: finds the image ID of a decal")


def _ids(scope: dict[str, Any], key: str) -> set[str]:
    values = scope.get(key)
    return {str(v) for v in values} if isinstance(values, list) else set()


def parse_key_info(data: Any) -> KeyInfo:
    if not isinstance(data, dict):
        raise errors.bad_answer("the API key", "no key object")
    scopes: set[str] = set()
    users: set[str] = set()
    groups: set[str] = set()
    for scope in data.get("scopes") or []:
        if not isinstance(scope, dict) or not isinstance(scope.get("name"), str):
            continue
        operations = scope.get("operations")
        for operation in operations if isinstance(operations, list) else []:
            if isinstance(operation, str):
                scopes.add(f"{scope['name']}:{operation}")
        if scope["name"] == "asset":
            users |= _ids(scope, "userIds")
            groups |= _ids(scope, "groupIds")
    owner = data.get("authorizedUserId")
    try:
        owner_id = int(str(owner)) if owner not in (None, "") else None
    except ValueError:
        owner_id = None
    expires = None
    text = data.get("expirationTimeUtc")
    if isinstance(text, str) and text:
        try:
            expires = datetime.fromisoformat(text.replace("Z", "+00:00"))
            if expires.tzinfo is None:
                expires = expires.replace(tzinfo=timezone.utc)
        except ValueError:
            expires = None
    name = data.get("name")
    return KeyInfo(name=name if isinstance(name, str) else "", owner_id=owner_id,
                   scopes=frozenset(scopes), asset_users=frozenset(users),
                   asset_groups=frozenset(groups), enabled=data.get("enabled") is not False,
                   expired=data.get("expired") is True, expires=expires)


def introspect(client: Client, key: ApiKey | None = None) -> KeyInfo:
    """Ask Roblox about ``key`` (default: the client's). The key travels in the body, as the
    endpoint wants, so no header carries it."""
    key = key or client.key

    def parse(response: requests.Response) -> KeyInfo:
        return parse_key_info(client.json(response, "the API key"))

    return client.call("POST", client.endpoints.introspect, bucket="introspect",
                       what="the API key check", auth=False,
                       json_body={"apiKey": key.reveal()}, parse=parse)
