"""Introspection: owner, scopes, expiry warnings."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from robloxassets.core.cloud.apikey import ApiKey
from robloxassets.core.cloud.client import Client
from robloxassets.core.cloud.errors import CloudError, Kind
from robloxassets.core.cloud.keyinfo import introspect, parse_key_info
from tests.fakeroblox import FakeRoblox, KeyRecord


def test_a_good_key(fake: FakeRoblox, client: Client) -> None:
    info = introspect(client)
    assert info.owner_id == 4242 and info.name == "uploads"
    assert {"asset:read", "asset:write", "legacy-asset:manage"} <= info.scopes
    assert info.problems() == [] and info.may_upload_for("group", 9) is True
    report = "\n".join(info.report())
    assert "user 4242" in report and "60 days" in report
    assert fake.violations == []  # the key went in the body, not a header


def test_missing_scopes_and_expiry(fake: FakeRoblox, client: Client) -> None:
    soon = (datetime.now(timezone.utc) + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    fake.keys["read-key-0123456789"] = KeyRecord(scopes=("asset:read",), expires=soon)
    info = introspect(client, ApiKey("read-key-0123456789", "entered"))
    assert info.missing_for_upload == ["asset:write"]
    assert any("asset:write" in p for p in info.problems())
    assert any("in 2 days" in line or "in 3 days" in line for line in info.report())


def test_expired_and_disabled_keys() -> None:
    expired = parse_key_info({"expired": True, "enabled": True, "scopes": []})
    assert "expired" in expired.problems()[0]
    disabled = parse_key_info({"enabled": False, "scopes": [
        {"name": "asset", "operations": ["read", "write"], "groupIds": ["12"]}]})
    assert "disabled" in disabled.problems()[0]
    assert disabled.may_upload_for("group", 12) and not disabled.may_upload_for("group", 13)
    assert disabled.may_upload_for("user", 1) is None


def test_an_unknown_key_is_invalid(fake: FakeRoblox, client: Client) -> None:
    with pytest.raises(CloudError) as caught:
        introspect(client, ApiKey("unknown-key-0123456789", "entered"))
    assert caught.value.kind is Kind.INVALID_KEY
