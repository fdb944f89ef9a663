"""Library files linked to catalogue entries: by content hash and by the ID a PNG carries."""

from __future__ import annotations

import hashlib
from pathlib import Path

from PIL import Image

from robloxassets import cli
from robloxassets.core.catalog.links import (
    catalogued_sources,
    entries_by_hash,
    find_tagged,
    link_tagged,
    png_text_for,
    record_prepared,
    tag_in_file,
)
from robloxassets.core.catalog.model import Entry, Status
from robloxassets.core.catalog.pngtag import PngAssetTag, write_asset_tag
from robloxassets.core.catalog.store import Catalog
from robloxassets.core.images.fit import fit_image


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
        tagged = find_tagged(catalog, files)
        assert {Path(t.path).name for t in tagged} == {"known.png", "new_logo.png"}
        by_name = {Path(t.path).name: t for t in tagged}
        assert by_name["known.png"].entry.id == entry.id
        assert by_name["new_logo.png"].entry is None
        assert link_tagged(catalog, tagged) == (1, 1)
        assert catalog.get(entry.id).prepared_sha256 == sha(known)
        added = catalog.find_by_asset_id(222)
        assert added.name == "new logo" and added.status is Status.DRAFT
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
