"""Write a creator's folder as it looks in real life, good and bad files mixed (Pillow only).

    python packaging/make_library.py DIR

44 files: photos and drawings of every size up to 4096 px (one PNG photo over Roblox's
20 MB limit), logos with transparency, an EXIF-rotated camera JPEG, CMYK and 16-bit files, an
animated GIF, WebP and TIFF files, an empty file, a truncated PNG, a text file named .png and
non-ASCII names. ``take_screenshots.py`` uses it for the pictures of a busy Library; it is
also handy for trying the app by hand. Deterministic: the same files every time.
"""

from __future__ import annotations

import importlib.util
import random
import struct
import sys
import zlib
from pathlib import Path
from types import ModuleType

from PIL import Image, ImageDraw, ImageFilter

HERE = Path(__file__).resolve().parent


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


samples = _load("make_samples", HERE / "make_samples.py")
corpus = _load("corpus", HERE.parent / "benchmarks" / "corpus.py")


def photo(size: tuple[int, int], seed: int) -> Image.Image:
    """Something like a photo: a sky-to-ground gradient, soft blobs of colour, a sun, grain."""
    rng = random.Random(seed)
    w, h = size
    top = tuple(rng.randint(60, 200) for _ in range(3))
    bottom = tuple(rng.randint(20, 140) for _ in range(3))
    small = Image.new("RGB", (64, 64))
    draw = ImageDraw.Draw(small)
    for y in range(64):
        draw.line((0, y, 63, y), fill=samples.lerp(top, bottom, y / 63))
    for _ in range(rng.randint(3, 7)):
        x, y, r = rng.randint(0, 63), rng.randint(20, 63), rng.randint(4, 18)
        draw.ellipse((x - r, y - r // 2, x + r, y + r // 2),
                     fill=tuple(rng.randint(20, 220) for _ in range(3)))
    sx, sy = rng.randint(8, 56), rng.randint(4, 20)
    draw.ellipse((sx - 4, sy - 4, sx + 4, sy + 4), fill=(255, 244, 200))
    img = small.filter(ImageFilter.GaussianBlur(3)).resize(size, Image.Resampling.BICUBIC)
    grain = Image.effect_noise((min(w, 512), min(h, 512)), 24).resize(size)
    return Image.blend(img, Image.merge("RGB", (grain, grain, grain)), 0.05)


def drawing(size: tuple[int, int], seed: int, alpha: bool) -> Image.Image:
    return corpus._drawing(size, random.Random(seed), alpha)


def badge(size: int, colour: tuple[int, int, int], text: str) -> Image.Image:
    """A round logo on a transparent background."""
    big = size * 2
    img = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.ellipse((big * 0.05, big * 0.05, big * 0.95, big * 0.95), fill=(*colour, 255))
    draw.ellipse((big * 0.2, big * 0.2, big * 0.8, big * 0.8), fill=(255, 255, 255, 230))
    draw.text((big * 0.38, big * 0.42), text, fill=(*colour, 255))
    return img.resize((size, size), Image.Resampling.LANCZOS)


def sixteen_bit_png(path: Path, width: int, height: int) -> None:
    """A 16-bit RGB gradient, written chunk by chunk (Pillow can't save 16-bit RGB)."""
    rows = []
    for y in range(height):
        row = b"".join(struct.pack(">HHH", x * 65535 // width, y * 65535 // height, 30000)
                       for x in range(width))
        rows.append(b"\0" + row)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    header = struct.pack(">IIBBBBB", width, height, 16, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
                     + chunk(b"IDAT", zlib.compress(b"".join(rows), 6)) + chunk(b"IEND", b""))


def make_library(root: Path) -> Path:
    """Fill ``root`` (created) with the folder; returns it."""
    root.mkdir(parents=True, exist_ok=True)
    photos = root / "photos"
    logos = root / "logos"
    for folder in (photos, logos):
        folder.mkdir(exist_ok=True)
    # Photos: JPEGs from a phone and the web, a few of them huge.
    for index, (w, h) in enumerate([(4032, 3024), (3000, 2000), (1920, 1080), (1600, 1200),
                                    (1280, 720), (1024, 768), (800, 600), (640, 480),
                                    (2048, 2048), (1080, 1350)]):
        photo((w, h), index).save(photos / f"IMG_{2040 + index}.jpg", "JPEG", quality=88)
    rotated = photo((1200, 1600), 99).transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6  # shot in portrait: stored sideways, shown upright
    rotated.save(photos / "portrait from camera.jpg", "JPEG", quality=88, exif=exif.tobytes())
    photo((900, 900), 7).convert("CMYK").save(photos / "print shop CMYK.jpg", "JPEG")
    photo((2600, 1700), 12).save(photos / "skyline.webp", "WEBP", quality=80)
    photo((1500, 1000), 13).save(photos / "scan.tiff", "TIFF")
    # A 4096 px photo saved as PNG: over 20 MB, Roblox refuses the file.
    huge = photo((4096, 4096), 21)
    noise = Image.effect_noise((4096, 4096), 40)  # a camera's noise: no PNG squeezes it small
    Image.blend(huge, Image.merge("RGB", (noise, noise, noise)), 0.25).save(
        root / "huge_4096.png", compress_level=1)
    # Textures and drawings, at the sizes creators make them.
    samples.brick_wall(2048).save(root / "brick wall.png")
    samples.grass(512).save(root / "grass.png")
    samples.sky(1536, 864).save(root / "sky.jpg", "JPEG", quality=90)
    samples.leaf(384).save(root / "leaf.webp", "WEBP")
    samples.sign().save(root / "obby sign.png")
    for index in range(8):
        side = (256, 512, 1024, 1500, 2048, 768, 3000, 600)[index]
        drawing((side, side * 3 // 4), 40 + index, alpha=index % 2 == 0).save(
            root / f"texture {index + 1:02}.png")
    sixteen_bit_png(root / "gradient 16-bit.png", 640, 360)
    # Logos with transparency; one palette GIF that is animated.
    for index, (name, colour) in enumerate([("team logo", (25, 118, 210)),
                                            ("shop badge", (46, 157, 79)),
                                            ("vip pass", (217, 142, 4)),
                                            ("ドラゴン logo", (209, 36, 47))]):
        badge((512, 1024, 256, 2048)[index], colour, "R").save(logos / f"{name}.png")
    frames = samples.spinner(320, 12)
    frames[0].save(logos / "loading spinner.gif", save_all=True, append_images=frames[1:],
                   duration=80, loop=0, disposal=2)
    samples.logo(600).save(logos / "star.png")
    badge(300, (108, 122, 137), "Ä").save(logos / "Ärmel-Abzeichen.png")
    drawing((1200, 300), 60, alpha=False).save(root / "banner.bmp", "BMP")
    drawing((512, 512), 61, alpha=True).save(root / "decal.tga", "TGA")
    drawing((200, 80), 62, alpha=False).convert("P").save(logos / "button.gif")
    photo((700, 500), 63).save(root / "really a jpeg.png", "JPEG")  # the name says PNG
    drawing((32, 32), 64, alpha=True).save(logos / "tiny icon.png")
    # What goes wrong in real folders.
    (root / "empty.png").write_bytes(b"")
    data = Image.effect_noise((800, 800), 60).convert("RGB")
    data.save(root / "cut short.png")
    full = (root / "cut short.png").read_bytes()
    (root / "cut short.png").write_bytes(full[: len(full) // 2])
    (root / "notes.png").write_text("buy more bricks\n", encoding="utf-8")
    return root


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__.split("\n\n")[1].strip(), file=sys.stderr)
        return 2
    folder = make_library(Path(sys.argv[1]))
    count = sum(1 for p in folder.rglob("*") if p.is_file())
    print(f"{count} files in {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
