"""A realistic mixed corpus of decal-like images for the Library benchmarks.

    python benchmarks/corpus.py 2000 [--dir /tmp/robloxassets-corpus]

Images are 64 to 4096 px (about a fifth over 1024), in PNG (RGB, RGBA, palette), JPEG
(baseline and progressive, a few with EXIF rotation), WebP, GIF (some animated), BMP and TGA,
with photo-like (smooth colour fields and grain) and drawing-like (flat shapes) content,
spread over subfolders of 250. Image ``i`` depends only on ``i``, so a corpus of 10,000 starts
with the same 2,000 files as the corpus of 2,000 (they are hard-linked when both exist).
Finished corpora are kept (``corpus.json`` marks one complete) and reused by later runs.

``ensure_corpus(count)`` is what other benchmarks (e.g. the GUI's) call.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import json
import math
import os
import random
import sys
import time
from pathlib import Path

from PIL import Image, ImageDraw

VERSION = 1
DEFAULT_ROOT = Path(os.environ.get("ROBLOXASSETS_CORPUS", "/tmp/robloxassets-corpus"))
PER_FOLDER = 250

# (format, share); PNG splits further into RGB / RGBA / palette below.
_FORMATS = [("png", 0.40), ("jpg", 0.30), ("webp", 0.10), ("gif", 0.05), ("bmp", 0.075),
            ("tga", 0.075)]
_ASPECTS = [(1, 1), (1, 1), (4, 3), (3, 4), (16, 9), (2, 1), (1, 2), (3, 2)]


def corpus_dir(count: int, root: Path = DEFAULT_ROOT) -> Path:
    return root / f"corpus-{count}"


def relative_name(index: int) -> str:
    spec = _spec(index)
    return f"set-{index // PER_FOLDER:03d}/img-{index:05d}.{spec['ext']}"


def _spec(index: int) -> dict:
    rng = random.Random(index * 7919 + 17)
    roll, ext = rng.random(), "png"
    for name, share in _FORMATS:
        if roll < share:
            ext = name
            break
        roll -= share
    # A fifth of the images are over 1024 px: log-uniform within each band.
    if rng.random() < 0.2:
        side = int(math.exp(rng.uniform(math.log(1025), math.log(4096))))
    else:
        side = int(math.exp(rng.uniform(math.log(64), math.log(1024))))
    aw, ah = rng.choice(_ASPECTS)
    if aw >= ah:
        w, h = side, max(16, side * ah // aw)
    else:
        w, h = max(16, side * aw // ah), side
    if ext == "gif":  # nobody makes 4096 px GIFs
        w, h = min(w, 1024), min(h, 1024)
    return {
        "ext": ext,
        "size": (w, h),
        "photo": rng.random() < 0.5,
        "alpha": rng.random() < 0.4,
        "palette": rng.random() < 0.2,
        "progressive": rng.random() < 0.33,
        "rotated": rng.random() < 0.05,
        "animated": rng.random() < 0.5,
        "seed": rng.getrandbits(32),
    }


def _grain(rng: random.Random) -> Image.Image:
    tile = 128
    return Image.frombytes("L", (tile, tile), rng.randbytes(tile * tile))


def _photo(size: tuple[int, int], rng: random.Random) -> Image.Image:
    w, h = size
    sw, sh = max(2, w // 48), max(2, h // 48)
    base = Image.frombytes("RGB", (sw, sh), rng.randbytes(sw * sh * 3))
    img = base.resize((w, h), Image.Resampling.BICUBIC)
    grain = _grain(rng)
    noise = Image.new("L", (w, h))
    for y in range(0, h, grain.height):
        for x in range(0, w, grain.width):
            noise.paste(grain, (x, y))
    # A little sensor-like grain: photos never compress like flat colour.
    return Image.blend(img, Image.merge("RGB", (noise, noise, noise)), 0.06)


def _drawing(size: tuple[int, int], rng: random.Random, alpha: bool) -> Image.Image:
    w, h = size
    background = (0, 0, 0, 0) if alpha else (*rng.choices(range(256), k=3), 255)
    img = Image.new("RGBA", size, background)
    draw = ImageDraw.Draw(img)
    for _ in range(rng.randint(4, 14)):
        colour = (*rng.choices(range(256), k=3), rng.choice((255, 255, 200)))
        x0, y0 = rng.uniform(0, w), rng.uniform(0, h)
        x1, y1 = x0 + rng.uniform(w * 0.05, w * 0.6), y0 + rng.uniform(h * 0.05, h * 0.6)
        kind = rng.random()
        if kind < 0.4:
            draw.ellipse((x0, y0, x1, y1), fill=colour)
        elif kind < 0.75:
            draw.rectangle((x0, y0, x1, y1), fill=colour)
        else:
            draw.line((x0, y0, x1, y1), fill=colour, width=max(1, int(min(w, h) * 0.02)))
    return img if alpha else img.convert("RGB")


def make_image(index: int, path: Path) -> None:
    spec = _spec(index)
    rng = random.Random(spec["seed"])
    size = spec["size"]
    ext = spec["ext"]
    alpha = spec["alpha"] and ext in ("png", "webp", "tga")
    img = _photo(size, rng) if spec["photo"] else _drawing(size, rng, alpha)
    if alpha and img.mode == "RGB":
        mask = Image.new("L", size, 0)
        ImageDraw.Draw(mask).ellipse((0, 0, size[0], size[1]), fill=255)
        img.putalpha(mask)
    tmp = path.with_name(f".{path.name}.part")
    if ext == "png":
        if spec["palette"]:
            img = img.convert("RGBA").quantize(64, method=Image.Quantize.FASTOCTREE)
        img.save(tmp, "PNG")
    elif ext == "jpg":
        kwargs = {}
        if spec["rotated"]:
            exif = Image.Exif()
            exif[0x0112] = 6
            kwargs["exif"] = exif.tobytes()
        img.convert("RGB").save(tmp, "JPEG", quality=88, progressive=spec["progressive"],
                                **kwargs)
    elif ext == "webp":
        img.save(tmp, "WEBP", quality=80, method=0)
    elif ext == "gif":
        frames = [img.convert("RGB").quantize(64)]
        if spec["animated"]:
            frames += [img.convert("RGB").rotate(90 * k).quantize(64) for k in (1, 2)]
        frames[0].save(tmp, "GIF", save_all=True, append_images=frames[1:], duration=100)
    elif ext == "bmp":
        img.convert("RGB").save(tmp, "BMP")
    else:
        img.save(tmp, "TGA", compression="tga_rle" if index % 2 else None)
    os.replace(tmp, path)


def _make_range(args: tuple[int, int, str, str | None]) -> int:
    start, stop, folder, donor = args
    made = 0
    for index in range(start, stop):
        path = Path(folder) / relative_name(index)
        if path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        source = Path(donor) / relative_name(index) if donor else None
        if source is not None and source.exists():
            try:
                os.link(source, path)
                continue
            except OSError:
                pass
        make_image(index, path)
        made += 1
    return made


def ensure_corpus(count: int, root: Path = DEFAULT_ROOT, workers: int = 2,
                  quiet: bool = False) -> Path:
    """The folder of the corpus of ``count`` images, generated on first use."""
    folder = corpus_dir(count, root)
    marker = folder / "corpus.json"
    try:
        if json.loads(marker.read_text()) == {"version": VERSION, "count": count}:
            return folder
    except (OSError, ValueError):
        pass
    folder.mkdir(parents=True, exist_ok=True)
    donors = sorted((p for p in root.glob("corpus-*") if p != folder
                     and (p / "corpus.json").exists()), key=lambda p: p.name)
    donor = str(donors[-1]) if donors else None
    started = time.perf_counter()
    step = 100
    ranges = [(i, min(i + step, count), str(folder), donor) for i in range(0, count, step)]
    made = 0
    with cf.ProcessPoolExecutor(workers) as pool:
        for done, n in enumerate(pool.map(_make_range, ranges), 1):
            made += n
            if not quiet:
                print(f"\rgenerating corpus {folder}: {min(done * step, count):,}/{count:,}",
                      end="", file=sys.stderr, flush=True)
    if not quiet:
        print(f"\n{made:,} images made in {time.perf_counter() - started:.0f} s",
              file=sys.stderr)
    marker.write_text(json.dumps({"version": VERSION, "count": count}))
    return folder


def corpus_files(count: int, root: Path = DEFAULT_ROOT) -> list[Path]:
    folder = ensure_corpus(count, root)
    return [folder / relative_name(i) for i in range(count)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, nargs="?", default=2000)
    parser.add_argument("--dir", type=Path, default=DEFAULT_ROOT)
    parser.add_argument("--workers", type=int, default=2, help="processes drawing images")
    args = parser.parse_args()
    folder = ensure_corpus(args.count, args.dir, workers=args.workers)
    files = corpus_files(args.count, args.dir)
    total = sum(f.stat().st_size for f in files)
    print(f"{folder}: {len(files):,} images, {total / 1e9:.2f} GB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
