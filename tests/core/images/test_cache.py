"""The scan cache: round trips, staleness, lazy thumbnails, damage and unusable files."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from robloxassets.core import paths
from robloxassets.core.images.cache import CACHE_FILE, ScanCache
from robloxassets.core.images.info import Verdict
from robloxassets.core.images.scan import analyse
from robloxassets.core.images.thumbnails import CachedThumbnail, Thumbnail, pack, unpack
from tests.images import (
    make_jpeg,
    make_not_an_image,
    make_rgb_png,
    make_rgba_png,
    make_white_on_transparent,
    rgba_close,
)


def stored(cache: ScanCache, path: Path, thumb_size: int = 256):
    item = analyse(path, thumb_size)
    cache.put(item, thumb_size)
    return item


def test_lives_in_the_user_cache_dir() -> None:
    cache = ScanCache()
    assert cache.path == paths.cache_dir() / CACHE_FILE
    assert cache.count() == 0
    assert cache.path.exists()


def test_round_trip_with_thumbnail(tmp_path: Path) -> None:
    cache = ScanCache()
    item = stored(cache, make_rgba_png(tmp_path / "a.png", (300, 100)))
    info = item.info
    again = cache.get(info.path, info.bytes, info.mtime_ns, 256)
    assert again is not None
    assert again.info == info
    assert isinstance(again.thumbnail, Thumbnail)
    assert not isinstance(again.thumbnail, CachedThumbnail)  # get() gives ready pixels
    thumb = cache.thumbnail(info.path, info.bytes, info.mtime_ns, 256)
    for back in (again.thumbnail, thumb):
        assert (back.width, back.height) == (item.thumbnail.width, item.thumbnail.height)
        assert rgba_close(back.rgba, item.thumbnail.rgba)


def test_stale_or_other_size_is_a_miss(tmp_path: Path) -> None:
    cache = ScanCache()
    info = stored(cache, make_rgb_png(tmp_path / "a.png")).info
    assert cache.get(info.path, info.bytes + 1, info.mtime_ns, 256) is None
    assert cache.get(info.path, info.bytes, info.mtime_ns + 1, 256) is None
    assert cache.get(info.path, info.bytes, info.mtime_ns, 128) is None
    assert cache.thumbnail(info.path, info.bytes, info.mtime_ns + 1, 256) is None


def test_put_replaces_the_older_entry(tmp_path: Path) -> None:
    cache = ScanCache()
    path = make_rgb_png(tmp_path / "a.png", (10, 10))
    stored(cache, path)
    make_rgb_png(path, (20, 10))
    info = stored(cache, path).info
    assert cache.count() == 1
    assert cache.get(info.path, info.bytes, info.mtime_ns, 256).info.width == 20


def test_get_many_is_lazy_and_evaluates_max_side(tmp_path: Path) -> None:
    cache = ScanCache()
    wide = stored(cache, make_rgb_png(tmp_path / "wide.png", (2000, 50))).info
    junk = stored(cache, make_not_an_image(tmp_path / "junk.png")).info
    keys = [(wide.path, wide.bytes, wide.mtime_ns), (junk.path, junk.bytes, junk.mtime_ns),
            (str(tmp_path / "unknown.png"), 1, 1)]
    found = cache.get_many(keys, 256)
    assert set(found) == {wide.path, junk.path}
    assert found[wide.path].info.verdict is Verdict.DOWNSCALE
    assert found[junk.path].info.verdict is Verdict.CORRUPT
    assert found[junk.path].info.message == junk.message
    assert found[junk.path].thumbnail is None
    thumb = found[wide.path].thumbnail
    assert isinstance(thumb, CachedThumbnail)
    assert len(thumb.rgba) == thumb.width * thumb.height * 4
    assert cache.get_many(keys, 256, max_side=4096)[wide.path].info.verdict is Verdict.OK


def test_cached_thumbnail_of_a_vanished_entry_is_blank(tmp_path: Path) -> None:
    cache = ScanCache()
    info = stored(cache, make_rgb_png(tmp_path / "a.png", (30, 20))).info
    thumb = cache.get_many([(info.path, info.bytes, info.mtime_ns)], 256)[info.path].thumbnail
    cache.clear()
    assert thumb is not None
    assert thumb.rgba == bytes(30 * 20 * 4)


def test_pack_round_trip_opaque_and_alpha(tmp_path: Path) -> None:
    for path in (make_rgb_png(tmp_path / "o.png", (33, 17)),
                 make_jpeg(tmp_path / "p.jpg", (300, 200)),
                 make_white_on_transparent(tmp_path / "t.png", 64)):
        thumb = analyse(path).thumbnail
        assert thumb is not None
        kind, data = pack(thumb)
        if thumb.width >= 64:  # (a JPEG header alone is ~600 bytes)
            assert len(data) < len(thumb.rgba) // 4  # compact
        back = unpack(kind, data, thumb.width, thumb.height)
        assert back is not None and rgba_close(back, thumb.rgba)
    assert unpack(0, b"not zlib", 2, 2) is None
    assert unpack(2, b"not a jpeg", 2, 2) is None
    kind, data = pack(Thumbnail(2, 2, bytes(16)))
    assert unpack(kind, data, 3, 3) is None  # size mismatch: damaged entry


def test_damaged_cache_file_is_rebuilt(tmp_path: Path) -> None:
    target = paths.cache_dir() / CACHE_FILE
    target.write_bytes(b"this is not a database" * 100)
    cache = ScanCache()
    item = stored(cache, make_rgb_png(tmp_path / "a.png"))
    assert cache.count() == 1
    info = item.info
    assert cache.get(info.path, info.bytes, info.mtime_ns, 256) is not None
    with sqlite3.connect(target) as conn:  # a real database again
        assert conn.execute("SELECT COUNT(*) FROM items").fetchone()[0] == 1


def test_old_schema_starts_afresh(tmp_path: Path) -> None:
    target = paths.cache_dir() / CACHE_FILE
    with sqlite3.connect(target) as conn:
        conn.execute("CREATE TABLE items (x)")
        conn.execute("PRAGMA user_version = 99")
    cache = ScanCache()
    stored(cache, make_rgb_png(tmp_path / "a.png"))
    assert cache.count() == 1


def test_unusable_cache_degrades_to_no_cache(tmp_path: Path) -> None:
    blocker = tmp_path / "is-a-folder"
    blocker.mkdir()
    cache = ScanCache(blocker)  # a folder where the file should be: SQLite cannot open it
    item = analyse(make_rgb_png(tmp_path / "a.png"))
    cache.put(item, 256)
    assert cache.get(item.info.path, item.info.bytes, item.info.mtime_ns, 256) is None
    assert cache.count() == 0


def test_threads_share_one_cache(tmp_path: Path) -> None:
    cache = ScanCache()
    files = [make_rgb_png(tmp_path / f"{i}.png", (10 + i, 10)) for i in range(8)]
    workers = [threading.Thread(target=stored, args=(cache, f)) for f in files]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    assert cache.count() == 8


def test_forget_and_prune_drop_entries_of_deleted_files_only(tmp_path: Path) -> None:
    cache = ScanCache()
    (tmp_path / "lib").mkdir()
    (tmp_path / "drive").mkdir()
    kept = make_rgb_png(tmp_path / "lib" / "kept.png")
    deleted = make_rgb_png(tmp_path / "lib" / "deleted.png")
    away = make_rgb_png(tmp_path / "drive" / "away.png")
    forgotten = make_rgb_png(tmp_path / "lib" / "forgotten.png")
    for path in (kept, deleted, away, forgotten):
        stored(cache, path)
        stored(cache, path, 64)  # every thumbnail size goes
    cache.forget([str(forgotten)])
    assert cache.count() == 6
    deleted.unlink()
    # A missing folder may be a drive that is not plugged in: its entries stay.
    away.unlink()
    (tmp_path / "drive").rmdir()
    assert cache.prune_missing() == 1
    assert cache.count() == 4
    st = kept.stat()
    assert str(kept) in cache.get_many([(str(kept), st.st_size, st.st_mtime_ns)], 256)
    with sqlite3.connect(cache.path) as conn:  # no thumbnail is left without its entry
        assert conn.execute("SELECT COUNT(*) FROM thumbs WHERE item_id NOT IN "
                            "(SELECT id FROM items)").fetchone()[0] == 0
