"""Draw the sample decals shipped in resources/samples (deterministic, Pillow only).

Run from the repository root after changing a drawing, then commit the images:

    python packaging/make_samples.py

Each sample shows the Library one verdict: an oversize brick wall (will be downscaled), a
logo with transparency, a palette sign with a transparent colour, an animated GIF and a WebP
(convert format), a JPEG sky and a small grass tile (ready to upload).
"""

from __future__ import annotations

import math
import random
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

OUT = Path(__file__).resolve().parent.parent / "resources" / "samples"
SEED = 20240601


def lerp(a: tuple[int, ...], b: tuple[int, ...], t: float) -> tuple[int, ...]:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def brick_wall(size: int = 2048) -> Image.Image:
    """Oversize on purpose: Roblox would scale it to 1024 x 1024."""
    rng = random.Random(SEED)
    img = Image.new("RGB", (size, size), (178, 170, 158))  # mortar
    draw = ImageDraw.Draw(img)
    brick_w, brick_h, gap = 256, 112, 14
    for row, y in enumerate(range(0, size, brick_h)):
        offset = -brick_w // 2 if row % 2 else 0
        for x in range(offset, size, brick_w):
            base = (150 + rng.randint(-22, 22), 62 + rng.randint(-14, 14),
                    44 + rng.randint(-10, 10))
            box = (x + gap // 2, y + gap // 2, x + brick_w - gap // 2, y + brick_h - gap // 2)
            draw.rectangle(box, fill=base)
            # A lighter top edge and a darker bottom edge give each brick some depth.
            light, dark = lerp(base, (235, 200, 180), 0.25), lerp(base, (40, 20, 15), 0.35)
            draw.rectangle((box[0], box[1], box[2], box[1] + 6), fill=light)
            draw.rectangle((box[0], box[3] - 6, box[2], box[3]), fill=dark)
            for _ in range(6):  # a few chips and stains
                cx, cy = rng.randint(box[0], box[2]), rng.randint(box[1], box[3])
                r = rng.randint(4, 14)
                draw.ellipse((cx - r, cy - r // 2, cx + r, cy + r // 2),
                             fill=lerp(base, (60, 35, 30), rng.uniform(0.1, 0.3)))
    return img.filter(ImageFilter.SMOOTH)


def logo(size: int = 512) -> Image.Image:
    """A star badge on a transparent background, drawn at 4x and scaled down for smooth edges."""
    big = size * 4
    img = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    c = big / 2
    draw.ellipse((big * 0.06, big * 0.06, big * 0.94, big * 0.94), fill=(25, 118, 210, 255))
    draw.ellipse((big * 0.12, big * 0.12, big * 0.88, big * 0.88), fill=(66, 165, 245, 255))
    points = []
    for i in range(10):
        angle = -math.pi / 2 + i * math.pi / 5
        radius = big * (0.33 if i % 2 == 0 else 0.14)
        points.append((c + radius * math.cos(angle), c + radius * math.sin(angle)))
    draw.polygon(points, fill=(255, 213, 79, 255))
    return img.resize((size, size), Image.Resampling.LANCZOS)


def sign() -> Image.Image:
    """A palette image whose corners use a transparent palette entry."""
    w, h = 480, 240
    img = Image.new("RGB", (w, h), (255, 0, 255))
    draw = ImageDraw.Draw(img)
    draw.rounded_rectangle((0, 0, w - 1, h - 1), radius=36, fill=(33, 33, 33))
    draw.rounded_rectangle((12, 12, w - 13, h - 13), radius=28, fill=(251, 192, 45))
    font = ImageFont.load_default(size=72)
    text = "OBBY"
    box = draw.textbbox((0, 0), text, font=font)
    text_w, text_h = box[2] - box[0], box[3] - box[1]
    arrow_w, space = 90, 28
    x = (w - text_w - space - arrow_w) / 2
    draw.text((x - box[0], (h - text_h) / 2 - box[1]), text, font=font, fill=(33, 33, 33))
    ax, ay = x + text_w + space, h / 2
    draw.polygon([(ax, ay - 14), (ax + 50, ay - 14), (ax + 50, ay - 36), (ax + arrow_w, ay),
                  (ax + 50, ay + 36), (ax + 50, ay + 14), (ax, ay + 14)], fill=(33, 33, 33))
    pal = img.quantize(colors=16, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    magenta = pal.getpixel((0, 0))
    pal.info["transparency"] = magenta
    return pal


def spinner(size: int = 160, frames: int = 12) -> list[Image.Image]:
    """An animated loading spinner: a format Roblox does not take, and only frame 1 counts."""
    out = []
    for f in range(frames):
        img = Image.new("RGB", (size, size), (245, 245, 245))
        draw = ImageDraw.Draw(img)
        for i in range(frames):
            angle = 2 * math.pi * i / frames
            shade = lerp((240, 240, 240), (30, 136, 229), ((i - f) % frames) / (frames - 1))
            x = size / 2 + size * 0.32 * math.cos(angle)
            y = size / 2 + size * 0.32 * math.sin(angle)
            draw.ellipse((x - 11, y - 11, x + 11, y + 11), fill=shade)
        out.append(img.quantize(colors=32, dither=Image.Dither.NONE))
    return out


def leaf(size: int = 384) -> Image.Image:
    """A WebP: fine to look at, but Roblox wants it converted."""
    big = size * 2
    img = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.ellipse((big * 0.15, big * 0.05, big * 0.85, big * 0.95), fill=(67, 160, 71, 255))
    draw.line((big * 0.5, big * 0.08, big * 0.5, big * 0.98), fill=(27, 94, 32, 255), width=14)
    for i in range(1, 6):
        y = big * (0.12 + i * 0.14)
        draw.line((big * 0.5, y, big * 0.26, y - big * 0.1), fill=(27, 94, 32, 255), width=8)
        draw.line((big * 0.5, y, big * 0.74, y - big * 0.1), fill=(27, 94, 32, 255), width=8)
    return img.resize((size, size), Image.Resampling.LANCZOS)


def sky(w: int = 1024, h: int = 576) -> Image.Image:
    """A photo-like JPEG: a smooth sky gradient, a soft sun and blurred clouds."""
    rng = random.Random(SEED + 1)
    top, horizon = (30, 90, 190), (170, 210, 245)
    gradient = Image.linear_gradient("L").resize((w, h))
    img = Image.composite(Image.new("RGB", (w, h), horizon), Image.new("RGB", (w, h), top),
                          gradient)
    glow = Image.new("L", (w, h), 0)
    ImageDraw.Draw(glow).ellipse((w * 0.7, h * 0.12, w * 0.84, h * 0.37), fill=255)
    img.paste((255, 244, 214), mask=glow.filter(ImageFilter.GaussianBlur(28)))
    clouds = Image.new("L", (w, h), 0)
    draw = ImageDraw.Draw(clouds)
    for _ in range(26):
        cx, cy = rng.uniform(0, w), rng.uniform(h * 0.35, h * 0.8)
        rx, ry = rng.uniform(50, 140), rng.uniform(18, 40)
        draw.ellipse((cx - rx, cy - ry, cx + rx, cy + ry), fill=rng.randint(150, 230))
    img.paste((250, 250, 252), mask=clouds.filter(ImageFilter.GaussianBlur(16)))
    return img


def grass(size: int = 256) -> Image.Image:
    """A small tile, ready to upload as it is."""
    rng = random.Random(SEED + 2)
    img = Image.new("RGB", (size, size), (76, 140, 60))
    draw = ImageDraw.Draw(img)
    for _ in range(900):
        x, y = rng.uniform(0, size), rng.uniform(0, size)
        length = rng.uniform(6, 16)
        lean = rng.uniform(-4, 4)
        shade = lerp((52, 110, 40), (140, 196, 92), rng.random())
        draw.line((x, y, x + lean, y - length), fill=shade, width=2)
    return img


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    brick_wall().save(OUT / "brick wall.png", optimize=True)
    logo().save(OUT / "logo.png", optimize=True)
    sign().save(OUT / "sign.png", optimize=True)
    first, *rest = spinner()
    first.save(OUT / "spinner.gif", save_all=True, append_images=rest, duration=80, loop=0)
    leaf().save(OUT / "leaf.webp", quality=85, method=6)
    sky().save(OUT / "sky.jpg", quality=88, optimize=True, progressive=True)
    grass().save(OUT / "grass.png", optimize=True)
    total = 0
    for path in sorted(OUT.iterdir()):
        total += path.stat().st_size
        print(f"{path.stat().st_size:>9,}  {path.name}")
    print(f"{total:>9,}  total")
    return 0


if __name__ == "__main__":
    sys.exit(main())
