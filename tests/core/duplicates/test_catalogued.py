"""Hashes through the scan and its cache, and near-copies of catalogued assets."""

from __future__ import annotations

from pathlib import Path

from PIL import ImageOps

from robloxassets.core.catalog.model import Entry, Status
from robloxassets.core.catalog.store import Catalog
from robloxassets.core.duplicates.catalogued import (
    catalogue_candidates,
    catalogued_near_copies,
    load_catalogue,
)
from robloxassets.core.duplicates.colour import SIGNATURE_BYTES
from robloxassets.core.duplicates.groups import DEFAULT_THRESHOLD
from robloxassets.core.duplicates.hashing import hash_file
from robloxassets.core.images.cache import ScanCache
from robloxassets.core.images.scan import Scanner
from robloxassets.core.settings import Settings, duplicate_threshold
from tests import dupset
from tests.images import sha256_of


def test_the_scan_hashes_as_hash_file_does_and_the_cache_keeps_it(tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    folder.mkdir()
    for i in range(3):
        dupset.source_image(i).save(folder / f"{i}.png")
    cache = ScanCache(tmp_path / "cache.sqlite3")
    first = {i.info.path: i.info for i in Scanner(cache, processes=False).scan([folder])}
    again = {i.info.path: i.info for i in Scanner(cache, processes=False).scan([folder])}
    for path, info in first.items():
        assert (info.phash, info.phash_mirror, info.colour) == hash_file(path)
        assert info.colour is not None and len(info.colour) == SIGNATURE_BYTES
        cached = again[path]
        assert (cached.phash, cached.phash_mirror, cached.colour) == \
            (info.phash, info.phash_mirror, info.colour)
    assert len(again) == 3 and all(info.phash is not None for info in again.values())


def test_hashes_above_2_63_survive_the_cache(tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    folder.mkdir()
    paths = []
    for i in range(12):  # some hash has its top bit set
        path = folder / f"{i}.png"
        dupset.source_image(i).save(path)
        paths.append(path)
    assert any((hash_file(p) or (0, 0))[0] >= 1 << 63 for p in paths)
    cache = ScanCache(tmp_path / "cache.sqlite3")
    list(Scanner(cache, processes=False).scan([folder]))
    cached = {i.info.path: i.info.phash for i in Scanner(cache, processes=False).scan([folder])}
    assert all(cached[str(p)] == (hash_file(p) or (0, 0))[0] for p in paths)


def test_a_near_copy_of_a_rejected_asset_names_its_id_and_status(tmp_path: Path) -> None:
    original = tmp_path / "coin.png"
    dupset.source_image(2).save(original)
    mirrored = tmp_path / "coin-mirrored.jpg"
    ImageOps.mirror(dupset.source_image(2)).save(mirrored, quality=70)
    other = tmp_path / "other.png"
    dupset.source_image(7).save(other)
    exact = tmp_path / "exact-copy.png"
    exact.write_bytes(original.read_bytes())
    with Catalog() as catalog:
        catalog.add(Entry(name="Coin", image_id=123, file_path=str(original),
                          sha256=sha256_of(original), status=Status.REJECTED))
        # A catalogued file that is gone: only its SHA-256 can match.
        catalog.add(Entry(name="Lost", image_id=456, file_path=str(tmp_path / "gone.png"),
                          sha256=sha256_of(other)))
        matches = catalogued_near_copies(mirrored, catalog)
        assert [(m.asset_id, m.status, m.exact) for m in matches] == [
            (123, Status.REJECTED, False)]
        assert "rbxassetid://123" in matches[0].describe()
        assert "likely to be rejected again" in matches[0].describe()
        assert [m.asset_id for m in catalogued_near_copies(other, catalog)] == [456]
        assert catalogued_near_copies(exact, catalog)[0].exact
        # The catalogued file itself is not its own copy.
        assert catalogued_near_copies(original, catalog) == []
        candidates = catalogue_candidates(load_catalogue(catalog), processes=False)
    assert sorted(c.asset_id or 0 for c in candidates) == [123, 456]


def test_a_file_that_cannot_be_read_has_no_matches(tmp_path: Path) -> None:
    with Catalog() as catalog:
        assert catalogued_near_copies(tmp_path / "missing.png", catalog) == []
        assert catalogued_near_copies(tmp_path, catalog) == []


def test_the_threshold_setting_falls_back_to_the_default(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "settings.json")
    assert duplicate_threshold(settings) == DEFAULT_THRESHOLD == 8
    settings.set("duplicates.threshold", 6)
    assert duplicate_threshold(settings) == 6
    settings.set("duplicates.threshold", 99)
    assert duplicate_threshold(settings) == DEFAULT_THRESHOLD == 8


def test_library_duplicates_per_image(tmp_path: Path) -> None:
    from robloxassets.core.duplicates.library import library_duplicates

    lib = tmp_path / "lib"
    lib.mkdir()
    dupset.source_image(2).save(lib / "gem.png")
    ImageOps.mirror(dupset.source_image(2)).save(lib / "gem-flipped.png")
    dupset.source_image(5).save(lib / "alone.png")
    uploaded = tmp_path / "uploaded.png"
    dupset.source_image(5).resize((100, 100)).save(uploaded)
    with Catalog() as catalog:
        catalog.add(Entry(name="Alone", image_id=5, file_path=str(uploaded),
                          status=Status.REJECTED))
        candidates = catalogue_candidates(load_catalogue(catalog), processes=False)
    infos = [i.info for i in Scanner(processes=False).scan([lib])]
    found = library_duplicates(infos, candidates)
    assert [n.path for n in found.near[str(lib / "gem.png")]] == [str(lib / "gem-flipped.png")]
    assert str(lib / "alone.png") not in found.near
    match = found.catalogued[str(lib / "alone.png")][0]
    assert (match.asset_id, match.status, match.exact) == (5, Status.REJECTED, False)
    assert str(lib / "gem.png") not in found.catalogued


def test_a_batch_to_upload_is_warned_of_near_copies_not_of_exact_ones(tmp_path: Path) -> None:
    from robloxassets.core.duplicates.catalogued import upload_near_copies

    original = tmp_path / "coin.png"
    dupset.source_image(2).save(original)
    near = tmp_path / "coin-small.jpg"
    dupset.source_image(2).resize((100, 100)).save(near, quality=70)
    exact = tmp_path / "coin-again.png"
    exact.write_bytes(original.read_bytes())
    other = tmp_path / "other.png"
    dupset.source_image(7).save(other)
    with Catalog() as catalog:
        catalog.add(Entry(name="Coin", image_id=123, file_path=str(original),
                          sha256=sha256_of(original), status=Status.REJECTED))
        entries = load_catalogue(catalog)
    found = upload_near_copies([str(near), str(exact), str(other), str(tmp_path / "gone")],
                               entries)
    assert list(found) == [str(near)]  # the exact copy is the queue's question
    assert [(m.asset_id, m.status) for m in found[str(near)]] == [(123, Status.REJECTED)]
    assert upload_near_copies([str(near)], []) == {}
