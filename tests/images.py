"""Generated test images of every kind the Library meets, for any test to import.

``from tests.images import make_rgba_png, ...``: tests/ is a package, so pytest imports every
test module under its full name (``tests.core.images.test_scan``). Every function writes one
file and returns its path; sizes default small so tests stay fast.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from pathlib import Path

from PIL import Image, ImageDraw

RED = (220, 30, 30)
BLUE = (30, 60, 220)


def sha256_of(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def write_raw_png(path: Path, width: int, height: int, bit_depth: int, color_type: int,
                  rows: list[bytes] | None = None, idat: bytes | None = None) -> Path:
    """A PNG written chunk by chunk, for what Pillow cannot save (16-bit RGB, lying headers)."""
    header = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    if idat is None:
        idat = zlib.compress(b"".join(b"\0" + row for row in (rows or [])))
    Path(path).write_bytes(b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", idat)
                           + _chunk(b"IEND", b""))
    return Path(path)


def make_rgba_png(path: Path, size: tuple[int, int] = (64, 48),
                  color: tuple[int, int, int, int] = (200, 40, 40, 128)) -> Path:
    Image.new("RGBA", size, color).save(path)
    return Path(path)


def make_rgb_png(path: Path, size: tuple[int, int] = (64, 48),
                 color: tuple[int, int, int] = (40, 160, 60)) -> Path:
    Image.new("RGB", size, color).save(path)
    return Path(path)


def make_white_on_transparent(path: Path, size: int = 400) -> Path:
    """A white disc on a fully transparent (black-coloured) background: fringe bait."""
    im = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    ImageDraw.Draw(im).ellipse((size // 8, size // 8, size * 7 // 8, size * 7 // 8),
                               fill=(255, 255, 255, 255))
    im.save(path)
    return Path(path)


def make_palette_png(path: Path, size: tuple[int, int] = (60, 40),
                     transparent: bool = True) -> Path:
    """A palette image: left half index 0 (transparent when asked), right half red."""
    im = Image.new("P", size, 0)
    im.putpalette([0, 0, 0, *RED] + [0, 0, 0] * 254)
    ImageDraw.Draw(im).rectangle((size[0] // 2, 0, size[0], size[1]), fill=1)
    if transparent:
        im.save(path, transparency=0)
    else:
        im.save(path)
    return Path(path)


def make_cmyk_jpeg(path: Path, size: tuple[int, int] = (64, 64),
                   cmyk: tuple[int, int, int, int] = (255, 0, 0, 0)) -> Path:
    """Pure cyan in CMYK: must come out as RGB (0, 255, 255), not something inverted."""
    Image.new("CMYK", size, cmyk).save(path, "JPEG", quality=95)
    return Path(path)


def make_16bit_grey_png(path: Path, size: tuple[int, int] = (256, 16)) -> Path:
    """A 16-bit greyscale ramp: value 256 * x, so column x should become 8-bit value x."""
    im = Image.new("I;16", size)
    for x in range(size[0]):
        for y in range(size[1]):
            im.putpixel((x, y), min(65535, x * 256 * 256 // size[0]))
    im.save(path)
    return Path(path)


def make_16bit_rgb_png(path: Path, size: tuple[int, int] = (8, 8),
                       rgb16: tuple[int, int, int] = (65535, 32896, 0)) -> Path:
    row = struct.pack(">HHH", *rgb16) * size[0]
    return write_raw_png(path, size[0], size[1], 16, 2, [row] * size[1])


def make_exif_rotated_jpeg(path: Path, shown_size: tuple[int, int] = (100, 200),
                           orientation: int = 6) -> Path:
    """A JPEG that shows red on top and blue at the bottom once its EXIF rotation is applied.

    The pixels are stored turned the other way, as cameras do.
    """
    shown = Image.new("RGB", shown_size, BLUE)
    ImageDraw.Draw(shown).rectangle((0, 0, shown_size[0], shown_size[1] // 2 - 1), fill=RED)
    undo = {3: Image.Transpose.ROTATE_180, 6: Image.Transpose.ROTATE_90,
            8: Image.Transpose.ROTATE_270}[orientation]
    stored = shown.transpose(undo)
    exif = Image.Exif()
    exif[0x0112] = orientation
    stored.save(path, "JPEG", quality=95, exif=exif.tobytes())
    return Path(path)


def make_jpeg(path: Path, size: tuple[int, int] = (64, 48), progressive: bool = False,
              color: tuple[int, int, int] = (90, 150, 230)) -> Path:
    Image.new("RGB", size, color).save(path, "JPEG", quality=90, progressive=progressive)
    return Path(path)


def make_animated_gif(path: Path, size: tuple[int, int] = (40, 30), frames: int = 3) -> Path:
    images = [Image.new("P", size, i) for i in range(frames)]
    for im in images:
        im.putpalette([*RED, *BLUE, 0, 200, 0] + [0, 0, 0] * 253)
    images[0].save(path, save_all=True, append_images=images[1:], duration=100, loop=0)
    return Path(path)


def make_bmp(path: Path, size: tuple[int, int] = (64, 48)) -> Path:
    Image.new("RGB", size, RED).save(path, "BMP")
    return Path(path)


def make_tga(path: Path, size: tuple[int, int] = (64, 48)) -> Path:
    Image.new("RGBA", size, (*BLUE, 200)).save(path, "TGA")
    return Path(path)


def make_webp(path: Path, size: tuple[int, int] = (64, 48)) -> Path:
    Image.new("RGBA", size, (*RED, 200)).save(path, "WEBP", lossless=True)
    return Path(path)


def make_tiff(path: Path, size: tuple[int, int] = (64, 48)) -> Path:
    Image.new("RGB", size, BLUE).save(path, "TIFF")
    return Path(path)


def make_not_an_image(path: Path) -> Path:
    Path(path).write_text("this is a shopping list, not a picture\n", encoding="utf-8")
    return Path(path)


def make_empty(path: Path) -> Path:
    Path(path).write_bytes(b"")
    return Path(path)


def make_truncated_png(path: Path, size: tuple[int, int] = (300, 300)) -> Path:
    """A real PNG of noise cut in half: the header is fine, the pixels stop early."""
    Image.effect_noise(size, 60).convert("RGB").save(path)
    data = Path(path).read_bytes()
    Path(path).write_bytes(data[: len(data) // 2])
    return Path(path)


def make_bomb_png(path: Path, width: int = 100_000, height: int = 100_000) -> Path:
    """A tiny file whose header claims a gigantic image (a decompression bomb)."""
    return write_raw_png(path, width, height, 8, 2, idat=zlib.compress(b"\0" * 1024))


def make_big_bmp(path: Path, min_bytes: int = 20 * 1024 * 1024 + 1) -> Path:
    """An uncompressed BMP just over Roblox's 20 MB file limit (but under 8000 px)."""
    side = int((min_bytes / 3) ** 0.5) + 2
    Image.new("RGB", (side, side), (120, 120, 120)).save(path, "BMP")
    return Path(path)


def rgba_close(a: bytes, b: bytes, mean_tolerance: float = 3.0) -> bool:
    """Same size, identical alpha, colour equal on average within ``mean_tolerance``.

    The scan cache stores thumbnail colour as JPEG (lossy), alpha exactly.
    """
    if len(a) != len(b):
        return False
    if a[3::4] != b[3::4]:
        return False
    diff = sum(abs(x - y) for i, (x, y) in enumerate(zip(a, b, strict=True)) if i % 4 != 3)
    return diff / max(1, len(a) * 3 // 4) <= mean_tolerance
