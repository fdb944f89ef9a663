"""Listing folders, analysing every kind of file, and the parallel scanner with its cache."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Any

import pytest
from PIL import ImageFile

from robloxassets.core.images import scan as scan_module
from robloxassets.core.images.cache import ScanCache
from robloxassets.core.images.info import Verdict
from robloxassets.core.images.scan import Scanner, analyse, find_images
from robloxassets.core.images.thumbnails import CachedThumbnail, Thumbnail
from tests.images import (
    BLUE,
    RED,
    make_16bit_grey_png,
    make_animated_gif,
    make_bmp,
    make_bomb_png,
    make_cmyk_jpeg,
    make_empty,
    make_exif_rotated_jpeg,
    make_jpeg,
    make_not_an_image,
    make_palette_png,
    make_rgb_png,
    make_rgba_png,
    make_tga,
    make_truncated_png,
    make_webp,
    rgba_close,
    write_raw_png,
)


def pixel(thumb: Thumbnail, x: int, y: int) -> tuple[int, int, int, int]:
    i = (y * thumb.width + x) * 4
    return tuple(thumb.rgba[i:i + 4])  # type: ignore[return-value]


def near(a: tuple[int, ...], b: tuple[int, ...], tolerance: int = 12) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=False))


# -- find_images ---------------------------------------------------------------------------

def test_find_images_walks_sorted_and_skips_the_rest(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / "b.png").write_bytes(b"x")
    (root / "A.jpg").write_bytes(b"x")
    (root / "notes.txt").write_text("no")
    (root / "sub" / "c.webp").write_bytes(b"x")
    (root / "sub" / "deeper" / "d.tga").write_bytes(b"x")
    (root / "folder.png").mkdir()                 # a folder named like an image
    (root / "folder.png" / "inner.png").write_bytes(b"x")
    (root / ".hidden.png").write_bytes(b"x")     # hidden: skipped inside walked folders
    (root / ".git").mkdir()
    (root / ".git" / "x.png").write_bytes(b"x")
    found = [p.relative_to(root).as_posix() for p in find_images([root])]
    assert found == ["A.jpg", "b.png", "folder.png/inner.png", "sub/c.webp",
                     "sub/deeper/d.tga"]


def test_find_images_files_as_given_and_no_duplicates(tmp_path: Path) -> None:
    a = make_rgb_png(tmp_path / "a.png")
    (tmp_path / "readme.md").write_text("x")
    found = list(find_images([a, tmp_path / "readme.md", tmp_path, tmp_path / "missing.png"]))
    assert found == [a]


def test_find_images_survives_symlink_loops_and_yields_broken_links(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    (root / "sub").mkdir(parents=True)
    make_rgb_png(root / "sub" / "a.png")
    (root / "sub" / "loop").symlink_to(root, target_is_directory=True)
    (root / "dangling.png").symlink_to(tmp_path / "nowhere.png")
    found = [p.relative_to(root).as_posix() for p in find_images([root])]
    assert found == ["dangling.png", "sub/a.png"]


def test_find_images_skips_unreadable_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              caplog: pytest.LogCaptureFixture) -> None:
    root = tmp_path / "lib"
    (root / "locked").mkdir(parents=True)
    make_rgb_png(root / "locked" / "secret.png")
    make_rgb_png(root / "open.png")
    real_scandir = os.scandir

    def scandir(path):  # root can read anything, so refuse like a locked folder would
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    with caplog.at_level(logging.WARNING):
        found = [p.name for p in find_images([root])]
    assert found == ["open.png"]
    assert "locked" in caplog.text


def test_find_images_stops_on_cancel(tmp_path: Path) -> None:
    for i in range(5):
        (tmp_path / f"{i}.png").write_bytes(b"x")
    cancel = threading.Event()
    cancel.set()
    assert list(find_images([tmp_path], cancel)) == []


# -- analyse -------------------------------------------------------------------------------

@pytest.mark.parametrize(("maker", "name", "verdict", "thumb_size"), [
    (make_rgba_png, "a.png", Verdict.OK, (64, 48)),
    (make_palette_png, "b.png", Verdict.OK, (60, 40)),
    (make_cmyk_jpeg, "c.jpg", Verdict.OK, (64, 64)),
    (make_16bit_grey_png, "d.png", Verdict.OK, (256, 16)),
    (make_animated_gif, "e.gif", Verdict.UNSUPPORTED, (40, 30)),
    (make_bmp, "f.bmp", Verdict.OK, (64, 48)),
    (make_tga, "g.tga", Verdict.OK, (64, 48)),
    (make_webp, "h.webp", Verdict.UNSUPPORTED, (64, 48)),
])
def test_analyse_every_kind(tmp_path: Path, maker, name: str, verdict: Verdict,
                            thumb_size: tuple[int, int]) -> None:
    path = maker(tmp_path / name)
    item = analyse(path)
    assert item.info.verdict is verdict, item.info.message
    assert item.thumbnail is not None
    assert (item.thumbnail.width, item.thumbnail.height) == thumb_size
    assert len(item.thumbnail.rgba) == thumb_size[0] * thumb_size[1] * 4
    assert item.info.sha256 is None  # scans don't hash; catalogue links do (file_hashes)


def test_thumbnail_colours_are_converted(tmp_path: Path) -> None:
    cyan = analyse(make_cmyk_jpeg(tmp_path / "c.jpg")).thumbnail
    assert cyan is not None and near(pixel(cyan, 10, 10), (0, 255, 255, 255))
    ramp = analyse(make_16bit_grey_png(tmp_path / "r.png")).thumbnail
    assert ramp is not None
    assert near(pixel(ramp, 128, 5), (128, 128, 128, 255), 2)  # scaled, not clipped to white
    pal = analyse(make_palette_png(tmp_path / "p.png")).thumbnail
    assert pal is not None
    assert pixel(pal, 2, 2)[3] == 0                      # the transparent palette entry
    assert near(pixel(pal, 50, 20), (*RED, 255), 0)


def test_big_palette_thumbnail_keeps_transparency_and_clean_edges(tmp_path: Path) -> None:
    # Big enough for the nearest-pixel first step (to 512 x 256), then the filter to 256 x 128.
    item = analyse(make_palette_png(tmp_path / "p.png", (2048, 1024)))
    pal = item.thumbnail
    assert pal is not None and (pal.width, pal.height) == (256, 128)
    assert item.info.mode == "palette" and item.info.has_alpha
    assert pixel(pal, 5, 60)[3] == 0                     # the transparent palette entry
    assert near(pixel(pal, 200, 60), (*RED, 255), 0)
    # Partly covered pixels at the edge keep the colour (premultiplied): no dark fringe.
    edge = [pixel(pal, x, 60) for x in range(124, 132) if 0 < pixel(pal, x, 60)[3] < 255]
    assert edge and all(near(px[:3], RED, 8) for px in edge)  # alpha 17 rounds a little


def test_large_image_thumbnail_fits_and_keeps_aspect(tmp_path: Path) -> None:
    item = analyse(make_jpeg(tmp_path / "wide.jpg", (3000, 1000), progressive=True))
    assert item.info.verdict is Verdict.DOWNSCALE
    assert item.info.target_size == (1024, 341)
    assert item.thumbnail is not None
    assert (item.thumbnail.width, item.thumbnail.height) == (256, 85)
    small = analyse(make_jpeg(tmp_path / "wide.jpg", (3000, 1000)), 64).thumbnail
    assert small is not None and (small.width, small.height) == (64, 21)


def test_exif_rotation_applied_to_thumbnail(tmp_path: Path) -> None:
    item = analyse(make_exif_rotated_jpeg(tmp_path / "cam.jpg", (100, 200), 6))
    thumb = item.thumbnail
    assert thumb is not None
    assert (item.info.width, item.info.height) == (100, 200)
    assert (thumb.width, thumb.height) == (100, 200)
    assert near(pixel(thumb, 50, 20), (*RED, 255), 30)
    assert near(pixel(thumb, 50, 180), (*BLUE, 255), 30)


@pytest.mark.parametrize(("maker", "words"), [
    (make_not_an_image, "not an image"),
    (make_empty, "empty"),
    (make_truncated_png, "truncated"),
])
def test_analyse_damaged_files(tmp_path: Path, maker, words: str) -> None:
    item = analyse(maker(tmp_path / "bad.png"))
    assert item.info.verdict is Verdict.CORRUPT
    assert words in item.info.message
    assert item.thumbnail is None


def test_truncated_file_keeps_its_header_facts(tmp_path: Path) -> None:
    item = analyse(make_truncated_png(tmp_path / "cut.png", (300, 200)))
    assert item.info.verdict is Verdict.CORRUPT
    assert (item.info.width, item.info.height) == (300, 200)


@pytest.mark.parametrize("size", [(100_000, 100_000), (9000, 9000)])
def test_bomb_is_refused_without_decoding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          size: tuple[int, int]) -> None:
    path = make_bomb_png(tmp_path / "bomb.png", *size)

    def no_decoding(self):  # any decode of the bomb fails the test
        raise AssertionError("the bomb was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    item = analyse(path)
    assert item.info.verdict is Verdict.TOO_MANY_PIXELS
    assert (item.info.width, item.info.height) == size
    assert item.thumbnail is None
    assert "not decoded" in item.info.message


def test_side_over_8000_but_few_pixels_is_decoded(tmp_path: Path) -> None:
    row = b"\x80\x80\x80" * 8000
    path = write_raw_png(tmp_path / "strip.png", 8000, 4, 8, 2, [row] * 4)
    item = analyse(path)
    assert item.info.verdict is Verdict.TOO_MANY_PIXELS
    assert item.info.target_size == (1024, 1)
    assert item.thumbnail is not None


def test_no_read_permission(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_rgb_png(tmp_path / "secret.png")
    real_open = os.open

    def guarded_open(file, *args, **kwargs):  # root reads anything: refuse like chmod 000
        if os.fspath(file) == os.fspath(path):
            raise PermissionError(13, "Permission denied", os.fspath(file))
        return real_open(file, *args, **kwargs)

    # Images are opened with os.open (O_NONBLOCK, so a FIFO can't block): refuse there.
    monkeypatch.setattr(os, "open", guarded_open)
    item = analyse(path)
    assert item.info.verdict is Verdict.CORRUPT
    assert "permission" in item.info.message


def test_broken_symlink_and_missing_file(tmp_path: Path) -> None:
    link = tmp_path / "link.png"
    link.symlink_to(tmp_path / "nowhere.png")
    assert "broken symlink" in analyse(link).info.message
    missing = analyse(tmp_path / "gone.png")
    assert missing.info.verdict is Verdict.CORRUPT
    assert "no longer exists" in missing.info.message


def test_non_ascii_names(tmp_path: Path) -> None:
    folder = tmp_path / "décor"
    folder.mkdir()
    make_rgb_png(folder / "ドラゴン.png")
    make_jpeg(folder / "café ☕.jpg")
    items = list(Scanner().scan([folder]))
    assert sorted(Path(i.info.path).name for i in items) == ["café ☕.jpg", "ドラゴン.png"]
    assert all(i.info.verdict is Verdict.OK for i in items)


# -- Scanner -------------------------------------------------------------------------------

def make_folder(folder: Path, count: int = 6) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = [make_rgb_png(folder / f"img{i:02d}.png", (40 + i, 30)) for i in range(count)]
    paths.append(make_not_an_image(folder / "junk.png"))
    return paths


def count_analyses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = scan_module._analyse

    def counting(name: str, thumb_size: int, *args: Any, **kwargs: Any):
        calls.append(name)
        return real(name, thumb_size, *args, **kwargs)

    monkeypatch.setattr(scan_module, "_analyse", counting)
    return calls


def test_scanner_yields_every_image_with_absolute_paths(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    files = make_folder(tmp_path / "lib")
    monkeypatch.chdir(tmp_path)
    items = list(Scanner(workers=2).scan(["lib"]))
    assert sorted(i.info.path for i in items) == sorted(str(p) for p in files)
    verdicts = {Path(i.info.path).name: i.info.verdict for i in items}
    assert verdicts["junk.png"] is Verdict.CORRUPT
    assert sum(v is Verdict.OK for v in verdicts.values()) == 6


def test_rescan_uses_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = make_folder(tmp_path / "lib")
    calls = count_analyses(monkeypatch)
    cache = ScanCache()
    first = {i.info.path: i for i in Scanner(cache).scan([tmp_path / "lib"])}
    assert len(calls) == len(files)

    calls.clear()
    second = {i.info.path: i for i in Scanner(cache).scan([tmp_path / "lib"])}
    assert calls == []  # everything came from the cache, the corrupt file included
    assert {p: i.info for p, i in second.items()} == {p: i.info for p, i in first.items()}
    cached = second[str(files[0])].thumbnail
    assert isinstance(cached, CachedThumbnail)
    assert rgba_close(cached.rgba, first[str(files[0])].thumbnail.rgba)

    # A changed file is analysed again, the rest still come from the cache.
    make_rgb_png(files[1], (99, 10))
    os.utime(files[1], ns=(1, 1))
    calls.clear()
    third = {i.info.path: i for i in Scanner(cache).scan([tmp_path / "lib"])}
    assert calls == [str(files[1])]
    assert third[str(files[1])].info.width == 99


def test_cache_respects_max_side(tmp_path: Path) -> None:
    path = make_rgb_png(tmp_path / "wide.png", (2000, 100))
    cache = ScanCache()
    assert next(Scanner(cache).scan([path])).info.verdict is Verdict.DOWNSCALE
    again = next(Scanner(cache, max_side=4096).scan([path]))
    assert again.info.verdict is Verdict.OK


def test_scan_cancel_stops_promptly(tmp_path: Path) -> None:
    make_folder(tmp_path / "lib", count=30)
    cancel = threading.Event()
    scan = Scanner(workers=2).scan([tmp_path / "lib"], cancel)
    first = next(scan)
    assert first.info.path
    cancel.set()
    assert list(scan) == []


def test_file_deleted_while_scanning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = make_folder(tmp_path / "lib", count=4)
    victim = files[2]
    real = scan_module._analyse

    def delete_first(name: str, thumb_size: int, *args: Any, **kwargs: Any):
        if name == str(victim):
            victim.unlink()  # listed and stat'ed, then gone before it is read
        return real(name, thumb_size, *args, **kwargs)

    monkeypatch.setattr(scan_module, "_analyse", delete_first)
    items = {i.info.path: i.info for i in Scanner(ScanCache()).scan([tmp_path / "lib"])}
    assert items[str(victim)].verdict is Verdict.CORRUPT
    assert "no longer exists" in items[str(victim)].message
    assert len(items) == len(files)


def test_scanner_from_another_thread(tmp_path: Path) -> None:
    make_folder(tmp_path / "lib", count=3)
    out: list[int] = []
    cache = ScanCache()
    worker = threading.Thread(target=lambda: out.append(len(list(
        Scanner(cache).scan([tmp_path / "lib"])))))
    worker.start()
    worker.join(60)
    assert out == [4]
    # The main thread reads what the worker thread stored.
    assert len(list(Scanner(cache).scan([tmp_path / "lib"]))) == 4


def test_folder_of_10000_files(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    tiny = make_rgb_png(tmp_path / "tiny.png", (4, 4)).read_bytes()
    for i in range(10_000):
        (folder / f"{i:05d}.png").write_bytes(tiny)
    listed = list(find_images([folder]))
    assert len(listed) == 10_000 and listed[0].name == "00000.png"
    cache = ScanCache()
    items = list(Scanner(cache).scan([folder]))
    assert len(items) == 10_000
    assert all(i.info.verdict is Verdict.OK for i in items)
    again = list(Scanner(cache).scan([folder]))  # all from the cache
    assert len(again) == 10_000
    assert all(isinstance(i.thumbnail, CachedThumbnail) for i in again)
