"""A labelled set of near-duplicate images: distinct sources and transformed copies of each.

Shared by the quality test (tests/core/duplicates) and benchmarks/duplicates_bench.py.
Everything depends only on the seed. Sources are photo-like (smooth colour fields, blobs and
grain) or drawing-like (flat shapes and outlines, a third on a transparent background); each
copy is one of ``TRANSFORMS``, encoded and decoded as a file would be. ``lookalikes`` makes
pairs of different images that look alike: one template with other text, and tiles of one
texture family.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageEnhance, ImageFont, ImageOps


@dataclass(frozen=True)
class Sample:
    label: int        # the source it comes from (a group in the truth)
    name: str         # e.g. "12-jpeg60"
    image: Image.Image  # opened from encoded bytes, not loaded: what a scan sees
    data: bytes
    fmt: str


def _encode(im: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    if fmt == "JPEG" and im.mode == "RGBA":
        im = _opaque(im)  # as an editor exports a transparent picture to JPEG
    elif fmt == "JPEG" and im.mode != "RGB":
        im = im.convert("RGB")
    im.save(buffer, fmt, **options)
    return buffer.getvalue()


def photo(rng: random.Random, size: tuple[int, int]) -> Image.Image:
    w, h = size
    sw, sh = rng.randint(3, 9), rng.randint(3, 9)
    base = Image.frombytes("RGB", (sw, sh), rng.randbytes(sw * sh * 3))
    img = base.resize((w, h), Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(img)
    for _ in range(rng.randint(2, 6)):  # objects in the scene
        x, y = rng.uniform(0, w), rng.uniform(0, h)
        r = rng.uniform(0.05, 0.25) * min(w, h)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.choices(range(256), k=3)))
    img = img.filter(_blur(max(1, min(w, h) // 60)))
    noise = Image.frombytes("L", (w, h), rng.randbytes(w * h))
    return Image.blend(img, Image.merge("RGB", (noise, noise, noise)), 0.05)


def _blur(radius: int) -> object:
    from PIL import ImageFilter

    return ImageFilter.GaussianBlur(radius)


def drawing(rng: random.Random, size: tuple[int, int], transparent: bool) -> Image.Image:
    w, h = size
    background = (0, 0, 0, 0) if transparent else (*rng.choices(range(256), k=3), 255)
    img = Image.new("RGBA", size, background)
    draw = ImageDraw.Draw(img)
    for _ in range(rng.randint(4, 12)):
        colour = (*rng.choices(range(256), k=3), 255)
        x0, y0 = rng.uniform(0, w * 0.8), rng.uniform(0, h * 0.8)
        x1, y1 = x0 + rng.uniform(w * 0.1, w * 0.5), y0 + rng.uniform(h * 0.1, h * 0.5)
        kind = rng.random()
        outline = (0, 0, 0, 255) if rng.random() < 0.5 else None
        width = max(1, int(min(w, h) * 0.015))
        if kind < 0.4:
            draw.ellipse((x0, y0, x1, y1), fill=colour, outline=outline, width=width)
        elif kind < 0.75:
            draw.rectangle((x0, y0, x1, y1), fill=colour, outline=outline, width=width)
        else:
            draw.line((x0, y0, x1, y1), fill=colour, width=width * 3)
    return img


def _logo(size: int) -> Image.Image:
    logo = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(logo)
    draw.ellipse((0, 0, size - 1, size - 1), fill=(250, 250, 250, 230),
                 outline=(20, 20, 20, 255), width=max(1, size // 12))
    draw.text((size * 0.3, size * 0.25), "W", fill=(200, 0, 0, 255))
    return logo


def _crop(im: Image.Image) -> Image.Image:
    """5 % of the width and height cut off, half on each side (a trimmed frame)."""
    w, h = im.size
    return im.crop((round(w * 0.025), round(h * 0.025), round(w * 0.975), round(h * 0.975)))


def _corner_crop(im: Image.Image) -> Image.Image:
    """5 % cut off the right and the bottom only: the picture also shifts (harder)."""
    w, h = im.size
    return im.crop((0, 0, round(w * 0.95), round(h * 0.95)))


def _overlay(im: Image.Image) -> Image.Image:
    out = im.convert("RGBA")
    size = max(8, round(min(im.size) * 0.12))
    out.alpha_composite(_logo(size), (im.width - size - size // 4, im.height - size - size // 4))
    return out if im.mode == "RGBA" else out.convert("RGB")


def _brighter(im: Image.Image) -> Image.Image:
    if im.mode == "RGBA":
        rgb = ImageEnhance.Brightness(im.convert("RGB")).enhance(1.10)
        rgb.putalpha(im.getchannel("A"))
        return rgb
    return ImageEnhance.Brightness(im).enhance(1.10)


def flatten_for_jpeg(im: Image.Image) -> Image.Image:
    return _opaque(im) if im.mode == "RGBA" else im.convert("RGB")


def _opaque(im: Image.Image) -> Image.Image:
    """The transparent background made opaque, as an editor does for a JPEG: on white."""
    flat = Image.new("RGB", im.size, (255, 255, 255))
    flat.paste(im, mask=im.getchannel("A"))
    return flat


def _half(im: Image.Image, factor: float) -> Image.Image:
    return im.resize((max(1, round(im.width * factor)), max(1, round(im.height * factor))),
                     Image.Resampling.LANCZOS)


# name -> (how the picture changes, how it is saved); "opaque" applies to transparent ones.
TRANSFORMS: dict[str, tuple[Callable[[Image.Image], Image.Image], str, dict[str, object]]] = {
    "resize50": (lambda im: _half(im, 0.5), "PNG", {}),
    "resize25": (lambda im: _half(im, 0.25), "PNG", {}),
    "jpeg60": (lambda im: im, "JPEG", {"quality": 60}),
    "webp": (lambda im: im, "WEBP", {"quality": 80}),
    "bright10": (_brighter, "PNG", {}),
    "crop5": (_crop, "PNG", {}),
    "logo": (_overlay, "PNG", {}),
    "mirror": (ImageOps.mirror, "PNG", {}),
    "opaque": (_opaque, "JPEG", {"quality": 90}),
}
# Measured and reported apart from the set above (not in its precision and recall).
EXTRA_TRANSFORMS: dict[str, tuple[Callable[[Image.Image], Image.Image], str, dict[str, object]]] = {
    "crop5-corner": (_corner_crop, "PNG", {}),
}


def _open(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


def source_image(index: int, seed: int = 0) -> Image.Image:
    rng = random.Random(seed * 100_003 + index)
    size = (rng.randint(240, 640), rng.randint(240, 640))
    if index % 2 == 0:
        return photo(rng, size)
    return drawing(rng, size, transparent=index % 3 == 1)


def samples(count: int, seed: int = 0, transforms: tuple[str, ...] | None = None,
            extra: bool = False) -> Iterator[Sample]:
    """The originals (as PNG) and their copies for ``count`` sources (with ``extra``, also
    the ``EXTRA_TRANSFORMS``)."""
    table = {**TRANSFORMS, **EXTRA_TRANSFORMS} if extra else TRANSFORMS
    for index in range(count):
        original = source_image(index, seed)
        data = _encode(original, "PNG")
        yield Sample(index, f"{index}-original", _open(data), data, "PNG")
        for name, (change, fmt, options) in table.items():
            if transforms is not None and name not in transforms:
                continue
            if name == "opaque" and original.mode != "RGBA":
                continue
            if name == "opaque" and original.getchannel("A").getextrema()[0] == 255:
                continue
            copy = change(original)
            data = _encode(copy, fmt, **options)
            yield Sample(index, f"{index}-{name}", _open(data), data, fmt)


_WORDS = ["PLAY", "SHOP", "QUIT", "OPTIONS", "INVENTORY", "SELL", "BUY NOW", "VIP", "HELP",
          "TRADE", "EVENTS", "BACK"]


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    return ImageFont.load_default(size)


def template(rng_seed: int, word: str) -> Image.Image:
    """A game button: the same gradient, frame and icon for a seed, with ``word`` on it."""
    rng = random.Random(rng_seed)
    w, h = 512, 192
    top, bottom = rng.choices(range(256), k=3), rng.choices(range(256), k=3)
    img = Image.new("RGB", (w, h))
    draw = ImageDraw.Draw(img)
    for y in range(h):
        t = y / (h - 1)
        shade = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.line((0, y, w, y), fill=shade)
    draw.rounded_rectangle((8, 8, w - 9, h - 9), radius=40, outline=(255, 255, 255), width=8)
    draw.ellipse((30, 46, 130, 146), fill=tuple(rng.choices(range(256), k=3)))
    draw.text((160, 60), word, fill=(255, 255, 255), font=_font(64), stroke_width=3,
              stroke_fill=(0, 0, 0))
    return img


def texture_tile(family: int, variant: int) -> Image.Image:
    """A brick tile: the family fixes colours and brick size, the variant jitters the bricks
    and their shades (tiles of one set meant to sit side by side)."""
    family_rng = random.Random(family)
    rng = random.Random(family * 1000 + variant + 1)
    size = 256
    brick = family_rng.choice(((64, 32), (48, 24), (80, 40)))
    base = family_rng.choices(range(60, 200), k=3)
    mortar = tuple(family_rng.choices(range(150, 230), k=3))
    img = Image.new("RGB", (size, size), mortar)
    draw = ImageDraw.Draw(img)
    for row in range(size // brick[1] + 1):
        offset = (brick[0] // 2) * (row % 2) + rng.randint(-6, 6)
        for col in range(-1, size // brick[0] + 1):
            x, y = col * brick[0] + offset, row * brick[1]
            shade = rng.randint(-35, 35)
            colour = tuple(max(0, min(255, c + shade)) for c in base)
            draw.rectangle((x + 2, y + 2, x + brick[0] - 3, y + brick[1] - 3), fill=colour)
    return img


def lookalikes(count: int, seed: int = 0) -> Iterator[tuple[str, Image.Image, Image.Image]]:
    """(kind, a, b) pairs of different images that look alike: ``count`` of each kind."""
    rng = random.Random(seed)
    for index in range(count):
        first, second = rng.sample(_WORDS, 2)
        a = _open(_encode(template(seed * 7 + index, first), "PNG"))
        b = _open(_encode(template(seed * 7 + index, second), "PNG"))
        yield "template", a, b
    for index in range(count):
        family = seed * 7 + index
        a = _open(_encode(texture_tile(family, 0), "PNG"))
        b = _open(_encode(texture_tile(family, 1), "PNG"))
        yield "texture", a, b


def hue_shift(im: Image.Image, degrees: float) -> Image.Image:
    """``im`` with every hue turned by ``degrees`` (alpha kept): a recoloured variant."""
    alpha = im.getchannel("A") if im.mode == "RGBA" else None
    h, s, v = im.convert("RGB").convert("HSV").split()
    turn = round(degrees / 360 * 256)
    h = h.point(lambda x: (x + turn) % 256)
    out = Image.merge("HSV", (h, s, v)).convert("RGB")
    if alpha is not None:
        out.putalpha(alpha)
    return out


def star(colour: tuple[int, int, int], size: int = 256,
         background: tuple[int, int, int, int] = (255, 255, 255, 255)) -> Image.Image:
    """A five-pointed star icon with a dark outline, in ``colour``."""
    import math

    img = Image.new("RGBA", (size, size), background)
    c = size / 2
    points = []
    for k in range(10):
        r = size * (0.45 if k % 2 == 0 else 0.18)
        a = math.pi / 2 + k * math.pi / 5
        points.append((c + r * math.cos(a), c - r * math.sin(a)))
    ImageDraw.Draw(img).polygon(points, fill=(*colour, 255), outline=(30, 30, 30, 255),
                                width=max(1, size // 40))
    return img


def _vivid(rng: random.Random) -> tuple[int, int, int]:
    """A saturated colour of a random hue."""
    import colorsys

    r, g, b = colorsys.hsv_to_rgb(rng.random(), rng.uniform(0.6, 1.0), rng.uniform(0.5, 1.0))
    return round(r * 255), round(g * 255), round(b * 255)


def _apart(rng: random.Random, colour: tuple[int, int, int]) -> tuple[int, int, int]:
    """Another vivid colour at least a sixth of the colour wheel away from ``colour``."""
    import colorsys

    hue = colorsys.rgb_to_hsv(*(c / 255 for c in colour))[0]
    while True:
        other = _vivid(rng)
        d = abs(colorsys.rgb_to_hsv(*(c / 255 for c in other))[0] - hue)
        if min(d, 1 - d) >= 1 / 6:
            return other


def colour_variants(count: int, seed: int = 0
                    ) -> Iterator[tuple[str, Image.Image, Image.Image]]:
    """(kind, a, b) pairs that differ only in colour (not copies): ``count`` of each kind.
    "hue": a drawing and the same drawing with its hues turned 60-300 degrees; "recolour":
    one star icon in two colours; "button": one button template and word in two colours;
    "solid": two solid squares of different colours (4 x 4 to 64 x 64)."""
    rng = random.Random(seed + 41)
    for index in range(count):
        src = drawing(random.Random(seed * 977 + index), (320, 320), index % 3 == 1)
        yield ("hue", _open(_encode(src, "PNG")),
               _open(_encode(hue_shift(src, rng.uniform(60, 300)), "PNG")))
    for _index in range(count):
        first = _vivid(rng)
        second = _apart(rng, first)
        yield "recolour", _open(_encode(star(first), "PNG")), _open(_encode(star(second), "PNG"))
    for index in range(count):
        base = template(seed * 7 + index, "PLAY")
        yield ("button", _open(_encode(base, "PNG")),
               _open(_encode(hue_shift(base, rng.uniform(60, 300)), "PNG")))
    for _index in range(count):
        side = rng.choice((4, 16, 64))
        first = _vivid(rng) if rng.random() < 0.7 else tuple(rng.choices(range(256), k=3))
        second = _apart(rng, first) if rng.random() < 0.7 else tuple(
            (c + rng.choice((-1, 1)) * rng.randint(40, 120)) % 256 for c in first)
        yield ("solid", _open(_encode(Image.new("RGB", (side, side), first), "PNG")),
               _open(_encode(Image.new("RGB", (side, side), second), "PNG")))


def pair_scores(predicted: list[list[int]], labels: list[int]) -> tuple[float, float]:
    """(precision, recall) over pairs: ``predicted`` groups hold indexes into ``labels``
    (each sample's source); a true pair is two samples of one source."""
    from collections import Counter

    true_pairs = sum(n * (n - 1) // 2 for n in Counter(labels).values())
    found = correct = 0
    for group in predicted:
        found += len(group) * (len(group) - 1) // 2
        correct += sum(n * (n - 1) // 2 for n in Counter(labels[i] for i in group).values())
    precision = correct / found if found else 1.0
    recall = correct / true_pairs if true_pairs else 1.0
    return precision, recall
