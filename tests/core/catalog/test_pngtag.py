"""Asset IDs in a PNG text chunk: written without touching the pixels, read back."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from robloxassets.core.catalog.pngtag import PngAssetTag, read_asset_tag, write_asset_tag
from robloxassets.core.errors import UserError


def test_write_and_read_back_keeping_pixels(tmp_path: Path) -> None:
    path = tmp_path / "ready.png"
    image = Image.new("RGBA", (32, 16), (10, 200, 30, 128))
    image.save(path, pnginfo=_info("Comment", "made by hand"))
    assert read_asset_tag(path) is None
    write_asset_tag(path, PngAssetTag(decal_id=46059313))
    write_asset_tag(path, PngAssetTag(decal_id=46059313, image_id=46059300))  # replaces
    assert read_asset_tag(path) == PngAssetTag(46059313, 46059300)
    with Image.open(path) as again:
        assert again.tobytes() == image.tobytes()
        assert again.text == {"Comment": "made by hand",
                              "robloxassets": "decal_id=46059313 image_id=46059300"}


def test_not_a_png(tmp_path: Path) -> None:
    jpeg = tmp_path / "photo.jpg"
    Image.new("RGB", (4, 4)).save(jpeg)
    assert read_asset_tag(jpeg) is None
    with pytest.raises(UserError, match="not a PNG"):
        write_asset_tag(jpeg, PngAssetTag(image_id=1))
    truncated = tmp_path / "cut.png"
    Image.new("RGB", (4, 4)).save(truncated)
    truncated.write_bytes(truncated.read_bytes()[:-20])
    with pytest.raises(UserError, match="damaged PNG"):
        write_asset_tag(truncated, PngAssetTag(image_id=1))


def _info(key: str, value: str):
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text(key, value)
    return info
