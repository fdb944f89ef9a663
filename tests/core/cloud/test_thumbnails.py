"""Thumbnails of catalogued IDs: batched, cached, pending ones asked again."""

from __future__ import annotations

from pathlib import Path

from robloxassets.core.cloud.assets import AssetsApi
from robloxassets.core.cloud.client import Client
from robloxassets.core.cloud.thumbnails import BATCH, ThumbnailCache
from tests.core.cloud.test_client import create
from tests.fakeroblox import FakeRoblox


def _uploaded(client: Client, count: int) -> list[int]:
    ids = []
    for _ in range(count):
        op = create(client)
        while not op.done:
            op = AssetsApi(client).operation(op.path)
        ids.append(op.asset.asset_id)
    return ids


def test_batches_cache_and_pending(fake: FakeRoblox, client: Client, tmp_path: Path) -> None:
    approved, pending = _uploaded(client, 2)
    fake.moderate(approved, "Approved")
    unknown = list(range(1, 2 * BATCH))  # enough for a second batch
    cache = ThumbnailCache(client, tmp_path / "thumbs")
    found = cache.get([approved, pending, *unknown])
    assert found[approved].state == "Completed" and found[approved].path.exists()
    assert found[approved].path.read_bytes().startswith(b"\x89PNG")
    assert found[pending].pending and found[pending].path is None
    assert fake.count("thumbnails") == 3  # 101 IDs in batches of 50
    assert not any(r["has_key"] for r in fake.requests if r["route"] in ("thumbnails", "cdn"))
    before = fake.count("thumbnails")
    again = cache.get([approved])
    assert again[approved].path == found[approved].path and fake.count("thumbnails") == before
    fake.moderate(pending, "Approved")
    assert cache.get([pending])[pending].state == "Completed"


def test_a_failed_batch_is_left_out(tmp_path: Path) -> None:
    from tests.cloudfixtures import make_client

    with make_client("http://127.0.0.1:9", attempts=1) as client:
        assert ThumbnailCache(client, tmp_path).get([1, 2]) == {}
