"""The one asset ID parser: every accepted form, and clear refusals for everything else."""

from __future__ import annotations

import pytest

from robloxassets.core.assetid import (
    MAX_ASSET_ID,
    AssetIdError,
    content_id,
    parse_asset_id,
    try_parse_asset_id,
)

ACCEPTED = [
    ("46059313", "a number"),
    ("  46059313\n", "a number"),
    ("+46059313", "a number"),
    ("rbxassetid://46059313", "an rbxassetid:// content ID"),
    ("RBXASSETID://46059313", "an rbxassetid:// content ID"),
    ("rbxthumb://type=Asset&id=46059313&w=420&h=420", "an rbxthumb:// content ID"),
    ("https://www.roblox.com/library/46059313/Red-Brick", "a Roblox website address"),
    ("http://www.roblox.com/library/46059313", "a Roblox website address"),
    ("www.roblox.com/library/46059313/Red-Brick", "a Roblox website address"),
    ("roblox.com/catalog/46059313/Hat", "a Roblox website address"),
    ("https://www.roblox.com/de/catalog/46059313/Hat", "a Roblox website address"),
    ("https://www.roblox.com/asset/?id=46059313", "a Roblox asset address"),
    ("http://www.roblox.com/Asset/?ID=46059313", "a Roblox asset address"),
    ("https://create.roblox.com/store/asset/46059313/Red-Brick", "a Creator Store address"),
    ("create.roblox.com/marketplace/asset/46059313", "a Creator Store address"),
    ("https://create.roblox.com/dashboard/creations/store/46059313/configure",
     "a Creator Dashboard address"),
    ("https://assetdelivery.roblox.com/v1/asset/?id=46059313", "an asset delivery address"),
    ("https://assetdelivery.roblox.com/v1/assetId/46059313", "an asset delivery address"),
    ("https://apis.roblox.com/asset-delivery-api/v1/assetId/46059313",
     "an asset delivery address"),
    ("Here it is: https://www.roblox.com/library/46059313/Red-Brick thanks!",
     "a Roblox website address"),
    ("<https://create.roblox.com/store/asset/46059313>", "a Creator Store address"),
    ('Texture = "rbxassetid://46059313"', "an rbxassetid:// content ID"),
    ("Decal ID: 46059313", "a number in the text"),
]


@pytest.mark.parametrize(("text", "form"), ACCEPTED)
def test_accepted_forms(text: str, form: str) -> None:
    parsed = parse_asset_id(text)
    assert parsed.asset_id == 46059313
    assert parsed.form == form
    assert parsed.content_id == "rbxassetid://46059313"


@pytest.mark.parametrize(("text", "reason"), [
    ("", "empty"),
    ("   ", "empty"),
    ("0", "start at 1"),
    ("rbxassetid://0", "start at 1"),
    ("-46059313", "negative"),
    ("abc", "no asset ID"),
    ("12abc", "no asset ID"),
    ("4605.9313", "no asset ID"),
    ("99999999999999999999", "too large"),
    (str(MAX_ASSET_ID + 1), "too large"),
    ("rbxassetid://", "no number"),
    ("rbxassetid://abc", "no number"),
    ("rbxthumb://type=Asset&w=420", "no id="),
    ("https://example.com/library/46059313/x", "not a Roblox address"),
    ("https://www.roblox.com.evil.example/library/46059313", "not a Roblox address"),
    ("https://notroblox.com/library/46059313", "not a Roblox address"),
    ("ftp://www.roblox.com/library/46059313", "not a Roblox address"),
    ("https://www.roblox.com/games/920587237/Adopt-Me", "names no asset"),
    ("https://www.roblox.com/library/46059313abc", "names no asset"),
    ("1 and 2", "several numbers"),
])
def test_refused_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(AssetIdError) as info:
        parse_asset_id(text)
    message = str(info.value)
    assert reason in message
    assert "Expected an asset ID" in message
    assert info.value.exit_code == 1


def test_largest_64_bit_id_is_accepted() -> None:
    assert parse_asset_id(str(MAX_ASSET_ID)).asset_id == MAX_ASSET_ID


def test_try_parse_and_content_id() -> None:
    assert try_parse_asset_id("www.roblox.com/library/123/x") == 123
    assert try_parse_asset_id("nope") is None
    assert content_id(7) == "rbxassetid://7"
