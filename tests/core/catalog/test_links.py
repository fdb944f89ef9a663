"""Library files linked to catalogue entries: by content hash and by the ID a PNG carries."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from PIL import Image

from robloxassets import cli
from robloxassets.core.catalog import links
from robloxassets.core.catalog.links import (
    LibraryFile,
    catalogued_sources,
    entries_by_hash,
    file_hashes,
    find_tagged,
    link_library,
    link_tagged,
    png_text_for,
    record_prepared,
    tag_in_file,
)
from robloxassets.core.catalog.model import Entry, Status
from robloxassets.core.catalog.pngtag import PngAssetTag, write_asset_tag
from robloxassets.core.catalog.store import Catalog
from robloxassets.core.images.cache import ScanCache
from robloxassets.core.images.fit import fit_image
from robloxassets.core.images.scan import Scanner


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_png(path: Path, size: tuple[int, int] = (64, 64), color: str = "red") -> Path:
    Image.new("RGB", size, color).save(path)
    return path


def test_entries_by_hash_finds_file_and_copy_hashes(tmp_path: Path) -> None:
    wall = make_png(tmp_path / "wall.png")
    copy = make_png(tmp_path / "copy.png", color="blue")
    with Catalog() as catalog:
        entry = catalog.add(Entry(name="Wall", decal_id=46059313, sha256=sha(wall),
                                  prepared_sha256=sha(copy)))
        found = entries_by_hash(catalog, [sha(wall), sha(copy), "0" * 64])
    assert set(found) == {sha(wall), sha(copy)}
    assert found[sha(wall)].id == entry.id


def test_prepared_copy_carries_the_asset_id(tmp_path: Path) -> None:
    wall = make_png(tmp_path / "wall.png", (2048, 1024))
    with Catalog() as catalog:
        entry = catalog.add(Entry(name="Wall", decal_id=46059313, image_id=46059300,
                                  sha256=sha(wall)))
        sources = catalogued_sources(catalog, [str(wall)])
        assert sources[str(wall)].id == entry.id
        result = fit_image(wall, tmp_path / "out", png_text=png_text_for(entry))
        assert result.status == "written"
        assert tag_in_file(result.output) == PngAssetTag(46059313, 46059300)
        assert record_prepared(catalog, [(entry.id, result.output)]) == 1
        assert catalog.get(entry.id).prepared_sha256 == sha(Path(result.output))
        # The copy is now linked by its content too.
        assert entries_by_hash(catalog, [sha(Path(result.output))])


def test_tagged_files_are_offered_and_linked(tmp_path: Path) -> None:
    known = make_png(tmp_path / "known.png")
    unknown = make_png(tmp_path / "new_logo.png", color="green")
    plain = make_png(tmp_path / "plain.png", color="white")
    write_asset_tag(known, PngAssetTag(111, None))
    write_asset_tag(unknown, PngAssetTag(None, 222))
    with Catalog() as catalog:
        entry = catalog.add(Entry(name="Known", decal_id=111))
        files = [(str(p), sha(p)) for p in (known, unknown, plain)]
        # One digest known already; the others are worked out for tagged files only.
        tagged = find_tagged(catalog, [path for path, _ in files], {str(known): sha(known)})
        assert {Path(t.path).name for t in tagged} == {"known.png", "new_logo.png"}
        by_name = {Path(t.path).name: t for t in tagged}
        assert by_name["known.png"].entry.id == entry.id
        assert by_name["new_logo.png"].entry is None
        assert link_tagged(catalog, tagged) == (1, 1)
        assert catalog.get(entry.id).prepared_sha256 == sha(known)
        added = catalog.find_by_asset_id(222)
        assert added.name == "New logo" and added.status is Status.DRAFT
        assert added.sha256 == sha(unknown)
        # Linked now: nothing left to offer.
        linked = entries_by_hash(catalog, [h for _, h in files])
        assert set(linked) == {sha(known), sha(unknown)}


def test_cli_fit_tags_catalogued_images_and_says_so(tmp_path: Path, capsys) -> None:
    (tmp_path / "src").mkdir()
    wall = make_png(tmp_path / "src" / "wall.png", (1500, 300))
    make_png(tmp_path / "src" / "other.png", (1500, 300), "blue")
    with Catalog() as catalog:
        entry = catalog.add(Entry(name="Wall", decal_id=46059313, sha256=sha(wall)))
    code = cli.main(["fit", str(tmp_path / "src"), "--out", str(tmp_path / "out")])
    assert code == 0
    err = capsys.readouterr().err
    assert "already catalogued as 'Wall'" in err and "other.png" not in err
    assert tag_in_file(tmp_path / "out" / "wall.png") == PngAssetTag(46059313, None)
    assert tag_in_file(tmp_path / "out" / "other.png") is None
    with Catalog() as catalog:
        assert catalog.get(entry.id).prepared_sha256 == sha(tmp_path / "out" / "wall.png")


def scanned(folder: Path, cache: ScanCache) -> list[LibraryFile]:
    items = list(Scanner(cache).scan([folder]))
    return [LibraryFile(i.info.path, i.info.bytes, i.info.mtime_ns, i.info.sha256)
            for i in items]


def test_library_files_are_hashed_once_and_only_when_the_catalogue_has_hashes(
        tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "lib").mkdir()
    wall = make_png(tmp_path / "lib" / "wall.png")
    make_png(tmp_path / "lib" / "floor.png", color="blue")
    cache = ScanCache(tmp_path / "cache.sqlite3")
    files = scanned(tmp_path / "lib", cache)
    assert all(f.sha256 is None for f in files)  # scans don't hash
    hashed: list[str] = []
    real = links._hash_version
    monkeypatch.setattr(links, "_hash_version", lambda f: hashed.append(f.path) or real(f))
    with Catalog() as catalog:
        # An empty catalogue has nothing to match: no file is read for a hash.
        assert link_library(catalog, files, cache).entries == {}
        assert hashed == []
        entry = catalog.add(Entry(name="Wall", decal_id=46059313, sha256=sha(wall)))
        found = link_library(catalog, files, cache)
    assert {Path(p).name: e.id for p, e in found.entries.items()} == {"wall.png": entry.id}
    assert found.hashes[str(wall)] == sha(wall) and len(hashed) == 2
    # The digests went into the scan cache: the next look (or scan) reads none again.
    again = scanned(tmp_path / "lib", cache)
    assert {f.path: f.sha256 for f in again} == found.hashes
    assert file_hashes([LibraryFile(f.path, f.bytes, f.mtime_ns) for f in files], cache) \
        == found.hashes and len(hashed) == 2


def test_file_hashes_skips_changed_and_unreadable_files_and_stops_on_cancel(
        tmp_path: Path) -> None:
    import threading

    wall = make_png(tmp_path / "wall.png")
    st = wall.stat()
    current = LibraryFile(str(wall), st.st_size, st.st_mtime_ns)
    stale = LibraryFile(str(wall), st.st_size, st.st_mtime_ns - 10**9)
    gone = LibraryFile(str(tmp_path / "gone.png"), 10, 1)
    assert file_hashes([current]) == {str(wall): sha(wall)}
    assert file_hashes([stale, gone]) == {}
    cancel = threading.Event()
    cancel.set()
    assert file_hashes([current], cancel=cancel) == {}


def test_link_library_offers_tagged_pngs_without_hashing_the_rest(tmp_path: Path,
                                                                   monkeypatch) -> None:
    (tmp_path / "lib").mkdir()
    tagged = make_png(tmp_path / "lib" / "logo.png")
    write_asset_tag(tagged, PngAssetTag(None, 222))
    make_png(tmp_path / "lib" / "plain.png", color="white")
    cache = ScanCache(tmp_path / "cache.sqlite3")
    files = scanned(tmp_path / "lib", cache)
    monkeypatch.setattr(links, "_hash_version", lambda f: pytest.fail("hashed " + f.path))
    with Catalog() as catalog:
        found = link_library(catalog, files, cache)
        assert [(Path(t.path).name, t.sha256) for t in found.tagged] == [
            ("logo.png", sha(tagged))]
        key = next(f.key for f in files if f.path == str(tagged))
        assert link_library(catalog, files, cache, skip_tags={key}).tagged == []
