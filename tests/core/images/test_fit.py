"""Upload-ready copies: sizes, orientation, colours, alpha edges, names, safety, batches."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from PIL import Image, ImageFile, PngImagePlugin

from robloxassets.core.errors import UserError
from robloxassets.core.images.fit import (
    PNG_COMPRESS_LEVEL,
    fit_image,
    fit_many,
    read_png_text,
    render_upload_ready,
)
from robloxassets.core.images.provenance import KEY as PROVENANCE_KEY
from robloxassets.core.images.scan import analyse
from tests.images import (
    BLUE,
    RED,
    make_16bit_grey_png,
    make_16bit_rgb_png,
    make_animated_gif,
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
    make_white_on_transparent,
    sha256_of,
)


def near(a: tuple[int, ...], b: tuple[int, ...], tolerance: int = 12) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=False))


def test_compress_level_is_a_zlib_level() -> None:
    assert 0 <= PNG_COMPRESS_LEVEL <= 9


@pytest.mark.parametrize(("size", "max_side", "expected"), [
    ((2048, 1536), 1024, (1024, 768)),
    ((1000, 3000), 1024, (341, 1024)),
    ((300, 200), 1024, (300, 200)),        # never upscaled
    ((2048, 1536), 256, (256, 192)),
])
def test_output_sizes(tmp_path: Path, size, max_side, expected) -> None:
    path = make_jpeg(tmp_path / "p.jpg", size)
    assert render_upload_ready(path, max_side).size == expected


def test_exif_orientation_applied(tmp_path: Path) -> None:
    out = render_upload_ready(make_exif_rotated_jpeg(tmp_path / "cam.jpg", (600, 1200), 6), 512)
    assert out.size == (256, 512)
    assert out.mode == "RGB"
    assert near(out.getpixel((128, 40)), RED, 30)
    assert near(out.getpixel((128, 470)), BLUE, 30)


def test_colour_modes_are_converted(tmp_path: Path) -> None:
    cyan = render_upload_ready(make_cmyk_jpeg(tmp_path / "c.jpg"))
    assert cyan.mode == "RGB" and near(cyan.getpixel((5, 5)), (0, 255, 255))

    ramp = render_upload_ready(make_16bit_grey_png(tmp_path / "g.png"))
    assert ramp.mode == "RGB"
    assert near(ramp.getpixel((128, 3)), (128, 128, 128), 2)
    assert near(ramp.getpixel((255, 3)), (255, 255, 255), 2)

    rgb16 = render_upload_ready(make_16bit_rgb_png(tmp_path / "h.png"))
    assert rgb16.mode == "RGB" and near(rgb16.getpixel((1, 1)), (255, 128, 0), 1)

    pal = render_upload_ready(make_palette_png(tmp_path / "p.png"))
    assert pal.mode == "RGBA"
    assert pal.getpixel((2, 2))[3] == 0
    assert pal.getpixel((50, 20)) == (*RED, 255)

    opaque = render_upload_ready(make_palette_png(tmp_path / "q.png", transparent=False))
    assert opaque.mode == "RGB"

    tga = render_upload_ready(make_tga(tmp_path / "t.tga"))
    assert tga.mode == "RGBA" and tga.getpixel((1, 1)) == (*BLUE, 200)

    webp = render_upload_ready(make_webp(tmp_path / "w.webp"))
    assert webp.mode == "RGBA" and webp.getpixel((1, 1)) == (*RED, 200)


def test_opaque_rgba_drops_its_alpha(tmp_path: Path) -> None:
    out = render_upload_ready(make_rgba_png(tmp_path / "a.png", color=(1, 2, 3, 255)))
    assert out.mode == "RGB"


def test_first_frame_of_animation(tmp_path: Path) -> None:
    gif = make_animated_gif(tmp_path / "a.gif", frames=3)
    out = render_upload_ready(gif)
    assert near(out.getpixel((0, 0))[:3], RED, 0)  # frame 0 uses palette entry 0 (red)
    result = fit_image(gif, tmp_path / "out")
    assert result.status == "written" and "first of its 3 frames" in result.message


def test_no_dark_fringe_at_transparent_edges(tmp_path: Path) -> None:
    out = render_upload_ready(make_white_on_transparent(tmp_path / "w.png", 400), 100)
    assert out.mode == "RGBA" and out.size == (100, 100)
    px = out.load()
    edge = [px[x, y] for x in range(100) for y in range(100) if 0 < px[x, y][3] < 255]
    assert edge, "the downscale should leave partly transparent edge pixels"
    # Straight (not premultiplied) resampling would blend in the black of the transparent
    # pixels: the edge pixels would be grey.
    assert min(min(p[:3]) for p in edge) >= 250
    # Alpha bleeding: the invisible pixels next to the disc carry white too, so Roblox's
    # own filtering and mipmaps cannot pull black in either.
    assert px[1, 50][3] == 0 and min(px[1, 50][:3]) >= 250
    assert px[0, 0][3] == 0 and min(px[0, 0][:3]) >= 250


def test_unreadable_input_raises_user_error(tmp_path: Path) -> None:
    for path in (make_not_an_image(tmp_path / "a.png"), make_empty(tmp_path / "b.png"),
                 make_truncated_png(tmp_path / "c.png"), tmp_path / "missing.png"):
        with pytest.raises(UserError) as caught:
            render_upload_ready(path)
        assert path.name in caught.value.message


def test_bomb_refused_without_decoding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_bomb_png(tmp_path / "bomb.png")

    def no_decoding(self):
        raise AssertionError("the bomb was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    result = fit_image(path, tmp_path / "out")
    assert result.status == "failed"
    assert "too big" in result.message
    assert not any((tmp_path / "out").iterdir())


def test_fit_image_writes_png_and_never_touches_the_original(tmp_path: Path) -> None:
    source = make_jpeg(tmp_path / "wall.jpg", (2048, 1024))
    before = sha256_of(source)
    mtime = source.stat().st_mtime_ns
    result = fit_image(source, tmp_path / "out" / "deeper")
    assert result.status == "written"
    assert result.output == str(tmp_path / "out" / "deeper" / "wall.png")
    assert (result.old_size, result.new_size) == ((2048, 1024), (1024, 512))
    with Image.open(result.output) as written:
        assert (written.format, written.size) == ("PNG", (1024, 512))
    assert sha256_of(source) == before and source.stat().st_mtime_ns == mtime
    data = result.to_json()
    assert data["old_size"] == [2048, 1024] and data["new_size"] == [1024, 512]
    assert set(data) >= {"source", "output", "status", "message"}
    # No temporary files left behind.
    assert sorted(p.name for p in (tmp_path / "out" / "deeper").iterdir()) == ["wall.png"]


def test_clash_names_and_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "logo.png").write_bytes(b"someone else's file")
    source = make_rgb_png(tmp_path / "logo.png", (20, 20))
    first = fit_image(source, out)
    assert Path(first.output).name == "logo (2).png"
    assert (out / "logo.png").read_bytes() == b"someone else's file"
    second = fit_image(source, out)  # the same copy is there already: nothing written
    assert second.status == "up-to-date" and Path(second.output).name == "logo (2).png"
    assert sorted(p.name for p in out.iterdir()) == ["logo (2).png", "logo.png"]
    replaced = fit_image(source, out, overwrite=True)  # overwrite: write again, by name
    assert Path(replaced.output).name == "logo.png"
    with Image.open(out / "logo.png") as im:
        assert im.size == (20, 20)


def test_same_stem_in_one_batch_never_collide(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    a = make_rgb_png(tmp_path / "a" / "tile.png")
    b = make_jpeg(tmp_path / "tile.jpg", (30, 30))
    c = make_webp(tmp_path / "tile.webp")
    reserved: set[str] = set()
    names = [Path(fit_image(p, tmp_path / "out", overwrite=True, reserved=reserved).output).name
             for p in (a, b, c)]
    assert names == ["tile.png", "tile (2).png", "tile (3).png"]
    results = list(fit_many([a, b, c], tmp_path / "out2", overwrite=True))
    assert sorted(Path(r.output).name for r in results) == \
        ["tile (2).png", "tile (3).png", "tile.png"]
    by_source = {r.source: Path(r.output).name for r in results}
    assert by_source[str(a)] == "tile.png"  # names follow the input order


def test_never_writes_over_its_own_source(tmp_path: Path) -> None:
    source = make_rgb_png(tmp_path / "pic.png", (2000, 10))
    before = sha256_of(source)
    skipped = fit_image(source, tmp_path, overwrite=True)
    assert skipped.status == "skipped" and "original" in skipped.message
    beside = fit_image(source, tmp_path)
    assert beside.status == "written" and Path(beside.output).name == "pic (2).png"
    assert sha256_of(source) == before


def test_output_folder_problems(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    source = make_rgb_png(tmp_path / "a.png")
    result = fit_image(source, tmp_path / "file" / "sub")
    assert result.status == "failed" and "output folder" in result.message


def test_png_text_round_trip(tmp_path: Path) -> None:
    text = {"roblox:asset-id": "1234567890", "Title": "Dragon ドラゴン", "Comment": "café"}
    result = fit_image(make_rgb_png(tmp_path / "a.png"), tmp_path / "out", png_text=text)
    chunks = read_png_text(result.output)
    assert chunks.pop(PROVENANCE_KEY).startswith("sha256=")
    assert chunks == text
    with Image.open(result.output) as im:
        assert im.text["roblox:asset-id"] == "1234567890"


def test_png_text_bad_key_fails_cleanly(tmp_path: Path) -> None:
    result = fit_image(make_rgb_png(tmp_path / "a.png"), tmp_path / "out",
                       png_text={"": "x"})
    assert result.status == "failed" and "PNG text key" in result.message


def test_read_png_text_of_other_files(tmp_path: Path) -> None:
    assert read_png_text(make_jpeg(tmp_path / "a.jpg")) == {}
    assert read_png_text(tmp_path / "missing.png") == {}
    assert read_png_text(make_truncated_png(tmp_path / "t.png")) == {}
    im = Image.new("RGB", (4, 4))
    info = PngImagePlugin.PngInfo()
    info.add_text("zipped", "compressed text " * 20, zip=True)
    info.add_itxt("intl", "ünïcode", zip=True)
    im.save(tmp_path / "z.png", pnginfo=info)
    assert read_png_text(tmp_path / "z.png") == {"zipped": "compressed text " * 20,
                                                  "intl": "ünïcode"}


def test_fit_many_reports_each_and_walks_folders(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    lib.mkdir()
    make_jpeg(lib / "big.jpg", (1500, 1500))
    make_not_an_image(lib / "bad.png")
    make_palette_png(lib / "sign.png")
    out = lib / "ready"  # inside the folder: earlier copies must not be fed back in
    out.mkdir()
    make_rgb_png(out / "old.png")
    results = list(fit_many([lib], out))
    by_name = {Path(r.source).name: r for r in results}
    assert set(by_name) == {"big.jpg", "bad.png", "sign.png"}
    assert by_name["big.jpg"].new_size == (1024, 1024)
    assert by_name["bad.png"].status == "failed"
    assert by_name["sign.png"].status == "written"


def test_fit_many_png_text_for(tmp_path: Path) -> None:
    a = make_rgb_png(tmp_path / "a.png")
    b = make_rgb_png(tmp_path / "b.png")

    def text_for(source: str) -> dict[str, str] | None:
        if source.endswith("b.png"):
            raise RuntimeError("catalogue lookup failed")  # must not stop the batch
        return {"roblox:asset-id": "42"}

    results = {Path(r.source).name: r for r in
               fit_many([a, b], tmp_path / "out", png_text_for=text_for)}
    chunks = read_png_text(results["a.png"].output)
    assert chunks["roblox:asset-id"] == "42" and set(chunks) == {"roblox:asset-id",
                                                                  PROVENANCE_KEY}
    assert results["b.png"].status == "written"


def test_fit_many_cancel_stops_promptly(tmp_path: Path) -> None:
    sources = [make_jpeg(tmp_path / f"{i:02d}.jpg", (900, 700)) for i in range(30)]
    out = tmp_path / "out"
    cancel = threading.Event()
    batch = fit_many(sources, out, cancel=cancel, workers=2)
    results = [next(batch)]
    cancel.set()
    results.extend(batch)  # only copies already in place may still be reported
    assert len(results) < 10
    written = sorted(Path(r.output).name for r in results if r.status == "written")
    # The generator has ended: nothing is still being written, and the folder matches.
    assert sorted(os.listdir(out)) == written


def test_fit_many_closed_early_leaves_no_partial_files(tmp_path: Path) -> None:
    sources = [make_jpeg(tmp_path / f"{i:02d}.jpg", (900, 700)) for i in range(12)]
    cancel = threading.Event()
    batch = fit_many(sources, tmp_path / "out", cancel=cancel)
    next(batch)
    cancel.set()
    batch.close()
    names = os.listdir(tmp_path / "out")
    assert all(name.endswith(".png") and not name.startswith(".") for name in names)
    assert len(names) < 12


def test_non_ascii_names_are_kept(tmp_path: Path) -> None:
    source = make_webp(tmp_path / "ドラゴン café.webp")
    result = fit_image(source, tmp_path / "出力")
    assert result.status == "written"
    assert Path(result.output) == tmp_path / "出力" / "ドラゴン café.png"


def test_big_transparent_image_keeps_clean_edges(tmp_path: Path) -> None:
    # Over 4 megapixels: the premultiplied reduce runs strip by strip (lower peak memory).
    path = make_white_on_transparent(tmp_path / "big.png", 2200)
    out = render_upload_ready(path, 128)
    assert out.size == (128, 128)
    px = out.load()
    visible = [px[x, y] for x in range(128) for y in range(128) if px[x, y][3] > 0]
    assert min(min(p[:3]) for p in visible) >= 250
    assert px[64, 64] == (255, 255, 255, 255) and px[0, 0][3] == 0
    thumb = analyse(path, 64).thumbnail
    assert (thumb is not None and thumb.rgba[:4] == bytes(4)) or thumb.rgba[3] == 0
    centre = (32 * 64 + 32) * 4
    assert thumb.rgba[centre:centre + 4] == b"\xff\xff\xff\xff"


def test_strip_resize_matches_pillow() -> None:
    from robloxassets.core.images import decode

    noise = Image.effect_noise((2100, 2050), 80)
    im = Image.merge("RGBA", (noise, noise.rotate(90), noise.transpose(
        Image.Transpose.FLIP_LEFT_RIGHT), noise.point(lambda v: 0 if v < 100 else v)))
    ours = decode.resize(im, (300, 293), Image.Resampling.LANCZOS, reducing_gap=3.0)
    pillow = im.resize((300, 293), Image.Resampling.LANCZOS, reducing_gap=3.0)
    assert ours.mode == "RGBA" and ours.size == pillow.size
    a, b = ours.tobytes(), pillow.tobytes()
    assert sum(abs(x - y) for x, y in zip(a, b, strict=True)) / len(a) < 0.5
