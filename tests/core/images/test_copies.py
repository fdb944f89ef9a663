"""Prepared copies know their original by content, and preparing again writes nothing new."""

from __future__ import annotations

import os
from pathlib import Path

from PIL import Image

from robloxassets.core.catalog.links import LibraryFile
from robloxassets.core.images.cache import ScanCache
from robloxassets.core.images.copies import link_copies, read_provenance
from robloxassets.core.images.fit import fit_image, fit_many, read_png_text
from robloxassets.core.images.provenance import KEY, RECIPE, Provenance
from tests.images import make_jpeg, make_rgb_png, sha256_of


def library_file(path: Path) -> LibraryFile:
    st = path.stat()
    return LibraryFile(str(path), st.st_size, st.st_mtime_ns)


def test_provenance_text_round_trip() -> None:
    original = Provenance("ab" * 32, 2203718, 1024, "huge 4096 ドラゴン.png")
    assert Provenance.parse(original.text()) == original
    assert original.settings == ("ab" * 32, 1024, RECIPE)
    # A name with line breaks stays one line; anything that is not ours is not read as ours.
    odd = Provenance("cd" * 32, 1, 16, "a\nb")
    assert "\n" not in odd.text() and Provenance.parse(odd.text()).source_name == "a b"
    for text in ("", "decal_id=5", "sha256=xyz bytes=1 max_side=1 recipe=1",
                 f"sha256={'ab' * 32} bytes=-1 max_side=1 recipe=1",
                 f"sha256={'ab' * 32} bytes=1 max_side=0 recipe=1"):
        assert Provenance.parse(text) is None


def test_a_copy_carries_its_originals_hash_and_settings(tmp_path: Path) -> None:
    source = make_jpeg(tmp_path / "huge_4096.jpg", (2048, 1024))
    result = fit_image(source, tmp_path / "out", max_side=512)
    assert result.status == "written"
    provenance = read_provenance(result.output)
    assert provenance == Provenance(sha256_of(source), source.stat().st_size, 512,
                                    "huge_4096.jpg")
    # Before the image data, where the Library reads it without going through the pixels.
    assert KEY in read_png_text(result.output, before_image=True)
    assert read_provenance(source) is None
    assert read_provenance(make_rgb_png(tmp_path / "plain.png")) is None


def test_preparing_again_writes_nothing_even_after_a_rename(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    lib.mkdir()
    wall = make_rgb_png(lib / "wall.png", (2000, 1000))
    make_jpeg(lib / "sky.jpg", (300, 200))
    out = tmp_path / "out"
    first = {Path(r.source).name: r for r in fit_many([lib], out)}
    assert {r.status for r in first.values()} == {"written"}
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}

    again = {Path(r.source).name: r for r in fit_many([lib], out)}
    assert {r.status for r in again.values()} == {"up-to-date"}
    assert again["wall.png"].output == first["wall.png"].output
    assert again["wall.png"].old_size == (2000, 1000)
    assert again["wall.png"].new_size == (1024, 512)
    assert "nothing was written" in again["wall.png"].message
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == before  # no "(2)"

    # By content, not by name: a renamed copy still counts; a renamed original too.
    os.rename(out / "wall.png", out / "wall for upload.png")
    os.rename(wall, lib / "brick wall.png")
    renamed = list(fit_many([lib / "brick wall.png"], out))
    assert renamed[0].status == "up-to-date"
    assert Path(renamed[0].output).name == "wall for upload.png"


def test_other_settings_or_content_or_overwrite_write_a_new_copy(tmp_path: Path) -> None:
    source = make_rgb_png(tmp_path / "wall.png", (2000, 1000))
    out = tmp_path / "out"
    fit_image(source, out)
    bigger = fit_image(source, out, max_side=2000)
    assert bigger.status == "written" and Path(bigger.output).name == "wall (2).png"
    Image.new("RGB", (2000, 1000), (1, 2, 3)).save(source)  # the original changed
    changed = fit_image(source, out)
    assert changed.status == "written" and Path(changed.output).name == "wall (3).png"
    forced = fit_image(source, out, overwrite=True)
    assert forced.status == "written" and Path(forced.output).name == "wall.png"


def test_a_copy_without_the_asset_id_is_written_again_in_place(tmp_path: Path) -> None:
    source = make_rgb_png(tmp_path / "logo.png", (300, 300))
    out = tmp_path / "out"
    untagged = fit_image(source, out)
    tag = {"robloxassets": "decal_id=46059313"}
    tagged = fit_image(source, out, png_text=tag)
    # The same picture, now carrying the ID it was given since: the same file, no "(2)".
    assert tagged.status == "written" and tagged.output == untagged.output
    assert read_png_text(tagged.output)["robloxassets"] == "decal_id=46059313"
    assert sorted(p.name for p in out.iterdir()) == ["logo.png"]
    assert fit_image(source, out, png_text=tag).status == "up-to-date"


def test_duplicates_in_one_batch_share_an_up_to_date_copy(tmp_path: Path) -> None:
    a = make_rgb_png(tmp_path / "a.png", (40, 40))
    (tmp_path / "sub").mkdir()
    b = Path(tmp_path / "sub" / "b.png")
    b.write_bytes(a.read_bytes())
    out = tmp_path / "out"
    assert {r.status for r in fit_many([a, b], out)} == {"written"}
    again = list(fit_many([a, b], out))
    assert {r.status for r in again} == {"up-to-date"}
    assert len(list(out.iterdir())) == 2


def test_link_copies_by_content_hashing_only_candidates(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    lib.mkdir()
    wall = make_rgb_png(lib / "wall.png", (2000, 1000))
    other = make_jpeg(lib / "other.jpg", (100, 100))
    twin = lib / "wall copy of the original.png"
    twin.write_bytes(wall.read_bytes())
    out = lib / "out"
    copy = Path(fit_image(wall, out).output)
    orphan_source = make_rgb_png(tmp_path / "elsewhere.png", (1500, 1500))
    orphan = Path(fit_image(orphan_source, out).output)
    files = [library_file(p) for p in (wall, other, twin, copy, orphan)]
    cache = ScanCache(tmp_path / "cache.sqlite3")

    links = link_copies(files, cache=cache)
    assert set(links.provenance) == {str(copy), str(orphan)}
    assert links.source_of == {str(copy): str(twin) if str(twin) < str(wall) else str(wall)}
    # Both originals with that content are prepared.
    assert links.copies_of == {str(wall): [str(copy)], str(twin): [str(copy)]}
    assert str(orphan) not in links.source_of
    # Only files of a copy's original's size were hashed.
    assert str(other) not in links.hashes
    assert links.hashes[str(wall)] == sha256_of(wall)
    # What was read is handed back, so the next lookup skips it.
    assert links.read[files[3].key] is not None and links.read[files[0].key] is None
    again = link_copies(files, known=links.read, cache=cache)
    assert again.source_of == links.source_of


def test_link_copies_with_no_copies_reads_no_pixels_and_hashes_nothing(tmp_path: Path) -> None:
    files = [library_file(make_rgb_png(tmp_path / f"{i}.png", (20, 20))) for i in range(3)]
    links = link_copies(files)
    assert not links.provenance and not links.hashes and len(links.read) == 3
