"""Roblox's rules and the verdicts: which files are images, sizes, precedence, messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from robloxassets.core.images.info import (
    ImageFacts,
    Verdict,
    evaluate,
    fit_size,
    inspect_image,
)
from robloxassets.core.images.rules import IMAGE_EXTENSIONS, is_image_path
from tests.images import (
    make_16bit_grey_png,
    make_animated_gif,
    make_big_bmp,
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
    make_webp,
)


def test_image_extensions_cover_the_issue_list() -> None:
    for ext in (".png", ".jpg", ".jpeg", ".bmp", ".tga", ".gif", ".webp", ".tif", ".tiff",
                ".ico", ".psd"):
        assert ext in IMAGE_EXTENSIONS
    assert is_image_path("a/b/Photo.JPG")
    assert is_image_path(Path("x.webp"))
    assert not is_image_path("notes.txt")
    assert not is_image_path("png")  # no extension at all


@pytest.mark.parametrize(("size", "max_side", "expected"), [
    ((2048, 1536), 1024, (1024, 768)),
    ((1536, 2048), 1024, (768, 1024)),
    ((3000, 2000), 1024, (1024, 683)),
    ((500, 300), 1024, (500, 300)),      # never upscaled
    ((1024, 1024), 1024, (1024, 1024)),
    ((8000, 10), 1024, (1024, 1)),       # a side never rounds to 0
])
def test_fit_size(size: tuple[int, int], max_side: int, expected: tuple[int, int]) -> None:
    assert fit_size(*size, max_side) == expected


def facts(**changes: object) -> ImageFacts:
    base = dict(path="/x/pic.png", bytes=1000, mtime_ns=1, format="PNG", width=512, height=512,
                mode="RGB")
    base.update(changes)
    return ImageFacts(**base)  # type: ignore[arg-type]


def test_ok_and_downscale_messages() -> None:
    ok = evaluate(facts())
    assert ok.verdict is Verdict.OK and not ok.verdict.needs_work
    assert ok.target_size == (512, 512)
    down = evaluate(facts(width=2048, height=1536))
    assert down.verdict is Verdict.DOWNSCALE and down.verdict.needs_work
    assert down.message == ("2048 x 1536 PNG: Roblox will scale this to 1024 x 768. "
                            "Prepare it now to control the result.")
    assert down.target_size == (1024, 768)
    # The rule follows max_side.
    assert evaluate(facts(width=2048, height=1536), 4096).verdict is Verdict.OK


def test_precedence_and_message_mentions_every_problem() -> None:
    webp = evaluate(facts(path="/x/a.webp", format="WEBP", width=3000, height=2000))
    assert webp.verdict is Verdict.UNSUPPORTED
    assert "WebP" in webp.message and "1024 x 683" in webp.message
    # Roblox refuses it: it doesn't scale it. The size is still a problem of its own.
    assert "Roblox will scale" not in webp.message and "over 1024 px" in webp.message

    pixels = evaluate(facts(path="/x/a.webp", format="WEBP", width=9000, height=100))
    assert pixels.verdict is Verdict.TOO_MANY_PIXELS
    assert "8000" in pixels.message and "WebP" in pixels.message

    big = evaluate(facts(path="/x/a.webp", format="WEBP", width=9000, height=100,
                         bytes=25 * 1024 * 1024))
    assert big.verdict is Verdict.TOO_LARGE_FILE
    assert "20 MB" in big.message and "8000" in big.message and "WebP" in big.message

    # Over 20 MB, in a format Roblox takes and too wide: refused, not scaled.
    heavy = evaluate(facts(width=4096, height=4096, bytes=25 * 1024 * 1024))
    assert heavy.verdict is Verdict.TOO_LARGE_FILE
    assert "Roblox will scale" not in heavy.message and "20 MB" in heavy.message
    assert "1024 x 1024 PNG that Roblox takes" in heavy.message

    corrupt = evaluate(facts(error="the file is cut short (truncated)", bytes=25 * 1024 * 1024))
    assert corrupt.verdict is Verdict.CORRUPT
    assert "truncated" in corrupt.message
    assert corrupt.target_size is None


def test_labels_are_short_badges() -> None:
    assert [v.label for v in Verdict] == ["OK", "Will be downscaled", "Convert format",
                                         "File too big", "Too many pixels", "Corrupt"]
    assert Verdict("too-many-pixels") is Verdict.TOO_MANY_PIXELS


def test_animated_gif_needs_converting_and_says_first_frame(tmp_path: Path) -> None:
    info = inspect_image(make_animated_gif(tmp_path / "spin.gif", frames=4))
    assert info.verdict is Verdict.UNSUPPORTED
    assert info.animated and info.frames == 4
    assert "first frame" in info.message and "GIF" in info.message


def test_wrong_extension_is_mentioned(tmp_path: Path) -> None:
    path = tmp_path / "photo.png"
    make_jpeg(tmp_path / "tmp.jpg").rename(path)
    info = inspect_image(path)
    assert info.format == "JPEG" and info.verdict is Verdict.OK
    assert "really a JPEG" in info.message


@pytest.mark.parametrize(("maker", "name", "verdict", "fmt", "mode", "alpha"), [
    (make_rgba_png, "a.png", Verdict.OK, "PNG", "RGBA", True),
    (make_rgb_png, "b.png", Verdict.OK, "PNG", "RGB", False),
    (make_palette_png, "c.png", Verdict.OK, "PNG", "palette", True),
    (make_cmyk_jpeg, "d.jpg", Verdict.OK, "JPEG", "CMYK", False),
    (make_16bit_grey_png, "e.png", Verdict.OK, "PNG", "16-bit greyscale", False),
    (make_bmp, "f.bmp", Verdict.OK, "BMP", "RGB", False),
    (make_tga, "g.tga", Verdict.OK, "TGA", "RGBA", True),
    (make_webp, "h.webp", Verdict.UNSUPPORTED, "WEBP", "RGBA", True),
])
def test_inspect_kinds(tmp_path: Path, maker, name: str, verdict: Verdict, fmt: str, mode: str,
                       alpha: bool) -> None:
    info = inspect_image(maker(tmp_path / name))
    assert (info.verdict, info.format, info.mode, info.has_alpha) == (verdict, fmt, mode, alpha)
    assert info.bytes == (tmp_path / name).stat().st_size
    assert info.sha256 is None  # header only


def test_inspect_reports_upright_size(tmp_path: Path) -> None:
    info = inspect_image(make_exif_rotated_jpeg(tmp_path / "cam.jpg", (100, 200), 6))
    assert (info.width, info.height) == (100, 200)


def test_inspect_never_raises(tmp_path: Path) -> None:
    assert inspect_image(tmp_path / "gone.png").verdict is Verdict.CORRUPT
    assert "no longer exists" in inspect_image(tmp_path / "gone.png").message
    empty = inspect_image(make_empty(tmp_path / "e.png"))
    assert empty.verdict is Verdict.CORRUPT and "empty" in empty.message
    junk = inspect_image(make_not_an_image(tmp_path / "j.png"))
    assert junk.verdict is Verdict.CORRUPT and "not an image" in junk.message


def test_bomb_header_is_too_many_pixels(tmp_path: Path) -> None:
    info = inspect_image(make_bomb_png(tmp_path / "bomb.png"))
    assert info.verdict is Verdict.TOO_MANY_PIXELS
    assert (info.width, info.height) == (100_000, 100_000)
    assert info.target_size is None  # no copy can be made
    assert "not decoded" in info.message


def test_file_over_20_mb(tmp_path: Path) -> None:
    info = inspect_image(make_big_bmp(tmp_path / "huge.bmp"))
    assert info.verdict is Verdict.TOO_LARGE_FILE
    assert "20 MB" in info.message
    assert info.target_size == (1024, 1024)


def test_to_json_keys(tmp_path: Path) -> None:
    data = inspect_image(make_rgba_png(tmp_path / "a.png")).to_json()
    for key in ("path", "format", "width", "height", "mode", "has_alpha", "bytes", "verdict",
                "message", "animated", "frames", "target_width", "target_height"):
        assert key in data
    assert data["verdict"] == "ok"
