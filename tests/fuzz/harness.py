"""The fuzz harness used to look for crashes and hangs (issue 10): mutated images through the
scan and upload-ready copies, mutated CSV and JSON through catalogue import, random text
through the asset-ID parser, the error-code search and the JSON readers.

The seed corpus is generated here on every run (``seed_images`` and friends), never
committed. Each case must end in a result or in the error the API promises (``UserError``,
``ValueError`` for JSON), within a time limit; anything else is a finding, saved with the
input that caused it.

A short run is part of the test suite (``tests/fuzz/test_fuzz.py``); a long run by hand::

    python -m tests.fuzz.harness --target all --minutes 30 --seed 7 --keep /tmp/findings

prints what ran and every finding, and exits 1 if there was one.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import struct
import sys
import tempfile
import threading
import time
import traceback
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

#: A case taking longer than this counts as a hang (the machine is shared and slow: the
#: slowest legitimate cases take well under a second).
CASE_SECONDS = 20.0


@dataclass
class Finding:
    target: str
    case: int
    problem: str
    data: bytes | str

    def __str__(self) -> str:
        return f"[{self.target} #{self.case}] {self.problem.splitlines()[-1][:200]}"


@dataclass
class Report:
    cases: dict[str, int] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def add(self, target: str) -> int:
        self.cases[target] = self.cases.get(target, 0) + 1
        return self.cases[target]


# -- seed corpus (generated) ---------------------------------------------------------------

def _encoded(im: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    im.save(buffer, fmt, **options)
    return buffer.getvalue()


def seed_images() -> list[tuple[str, bytes]]:
    """(suffix, bytes) of small images of every kind the Library meets."""
    rgba = Image.new("RGBA", (40, 30), (200, 40, 40, 128))
    rgb = Image.linear_gradient("L").resize((48, 32)).convert("RGB")
    frames = [Image.new("P", (20, 20), i) for i in range(3)]
    seeds = [
        (".png", _encoded(rgba, "PNG")),
        (".png", _encoded(rgb.convert("P"), "PNG", transparency=0)),
        (".png", _encoded(Image.new("I;16", (16, 16), 300), "PNG")),
        (".png", _encoded(rgba, "PNG", save_all=True, append_images=[rgba.rotate(90)])),
        (".jpg", _encoded(rgb, "JPEG")),
        (".jpg", _encoded(rgb, "JPEG", progressive=True)),
        (".jpg", _encoded(rgb.convert("CMYK"), "JPEG")),
        (".gif", _encoded(frames[0], "GIF", save_all=True, append_images=frames[1:])),
        (".webp", _encoded(rgba, "WEBP")),
        (".bmp", _encoded(rgb, "BMP")),
        (".tga", _encoded(rgba, "TGA")),
        (".tif", _encoded(rgb, "TIFF")),
        (".ico", _encoded(rgba, "ICO")),
    ]
    return seeds


def seed_tables() -> list[tuple[str, str]]:
    """(suffix, text) of catalogue exports, as the app writes them."""
    from robloxassets.core.catalog.model import Entry, Status, StatusChange
    from robloxassets.core.catalog.transfer import csv_text, json_text

    entries = [Entry(name=f"Decal {n}", decal_id=100 + n, image_id=200 + n if n % 2 else None,
                     tags=("walls", "city")[: n % 3], notes="=SUM(A1)" if n == 1 else "n",
                     status=Status.IN_REVIEW, created="2024-05-01T12:00:00Z",
                     updated="2024-05-01T12:00:00Z", status_changed="2024-05-01T12:00:00Z",
                     history=(StatusChange(Status.IN_REVIEW, "2024-05-01T12:00:00Z"),))
               for n in range(4)]
    return [(".csv", csv_text(entries)), (".json", json_text(entries))]


TEXT_PIECES = ("rbxassetid://", "rbxthumb://type=Asset&id=", "https://", "www.roblox.com",
               "/library/", "/catalog/", "create.roblox.com/store/asset/", "?id=", "&", "/",
               ".", "-", "+", " ", "\n", "\t", "0", "46059313", "9" * 25, "٦", "５", "१",
               "Error Code: ", "279", "(", ")", "[", "\"", "'", "\x00", "\x1b[2J", "\ud800",
               "teleport", "server is full", "kicked", "é", "ＡＢＣ", "\u202e")


# -- mutation ------------------------------------------------------------------------------

_INTERESTING = (0, 1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFF, 0xFFFFFFFF)


def _fix_png_crcs(data: bytearray) -> bytearray:
    """Recompute chunk CRCs, so a mutated PNG gets past the checksum into the decoder."""
    position = 8
    while position + 12 <= len(data):
        length = struct.unpack(">I", data[position:position + 4])[0]
        end = position + 8 + length
        if end + 4 > len(data):
            break
        struct.pack_into(">I", data, end, zlib.crc32(bytes(data[position + 4:end])) & 0xFFFFFFFF)
        position = end + 4
    return data


def mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        kind = rng.randrange(7)
        if not out:
            out += bytes(rng.randrange(256) for _ in range(16))
        position = rng.randrange(len(out))
        if kind == 0:  # flip bits
            out[position] ^= 1 << rng.randrange(8)
        elif kind == 1:  # an interesting 8/16/32-bit value, big or little endian
            value = rng.choice(_INTERESTING)
            size = rng.choice((1, 2, 4))
            packed = (value & ((1 << (8 * size)) - 1)).to_bytes(size, rng.choice(("big",
                                                                                  "little")))
            out[position:position + size] = packed
        elif kind == 2:  # insert random bytes
            out[position:position] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
        elif kind == 3:  # delete a range
            del out[position:position + rng.randint(1, 64)]
        elif kind == 4:  # truncate
            del out[position:]
        elif kind == 5:  # duplicate a range
            piece = out[position:position + rng.randint(1, 256)]
            out[position:position] = piece * rng.randint(1, 8)
        else:  # a header field: width/height of PNG's IHDR or a JPEG frame header
            ihdr = out.find(b"IHDR")
            sof = max(out.find(b"\xff\xc0"), out.find(b"\xff\xc2"))
            if ihdr > 0 and ihdr + 12 <= len(out):
                struct.pack_into(">II", out, ihdr + 4, rng.choice(_INTERESTING),
                                 rng.choice(_INTERESTING))
            elif sof > 0 and sof + 9 <= len(out):
                struct.pack_into(">HH", out, sof + 5, rng.choice(_INTERESTING) & 0xFFFF,
                                 rng.choice(_INTERESTING) & 0xFFFF)
    if out.startswith(b"\x89PNG") and rng.random() < 0.7:
        _fix_png_crcs(out)
    return bytes(out)


def mutate_text(text: str, rng: random.Random) -> str:
    pieces = list(text)
    for _ in range(rng.randint(1, 6)):
        kind = rng.randrange(6)
        position = rng.randrange(len(pieces) + 1)
        if kind == 0 and pieces:
            del pieces[position:position + rng.randint(1, 20)]
        elif kind == 1:
            pieces[position:position] = list(rng.choice(TEXT_PIECES))
        elif kind == 2:
            pieces[position:position] = list(rng.choice('",\n\r;{}[]:') * rng.randint(1, 50))
        elif kind == 3:  # deep nesting
            depth = rng.choice((10, 100, 1000, 100_000))
            pieces[position:position] = list("[" * depth + "]" * depth)
        elif kind == 4:  # a very long cell
            pieces[position:position] = list(rng.choice("ax9é") * rng.choice((10, 200_000)))
        else:
            pieces[position:position] = [chr(rng.randrange(0x110000))
                                         for _ in range(rng.randint(1, 5))]
    return "".join(pieces)


def random_text(rng: random.Random) -> str:
    return "".join(rng.choice(TEXT_PIECES) for _ in range(rng.randint(0, 30)))


# -- targets -------------------------------------------------------------------------------

def _timed(function: Callable[[], object]) -> tuple[object, str]:
    """Run ``function`` on a thread; (result, "") or (None, problem) on error or hang."""
    box: list[object] = []
    errors: list[str] = []

    def run() -> None:
        try:
            box.append(function())
        except BaseException:  # every escape is a finding
            errors.append(traceback.format_exc())

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(CASE_SECONDS)
    if thread.is_alive():
        return None, f"hang: still running after {CASE_SECONDS:.0f} s"
    if errors:
        return None, errors[0]
    return box[0], ""


def fuzz_images(rng: random.Random, cases: int, folder: Path, report: Report) -> None:
    """Mutated images, a batch at a time, through the scanner's worker processes (a decoder
    crash there is a verdict, as in the app) and through the upload-ready copy."""
    from robloxassets.core.errors import UserError
    from robloxassets.core.images.cache import ScanCache
    from robloxassets.core.images.fit import render_upload_ready
    from robloxassets.core.images.info import Verdict
    from robloxassets.core.images.scan import Scanner

    seeds = seed_images()
    scanner = Scanner(ScanCache(folder / "cache.sqlite3"))
    batch_size = 32
    done = 0
    while done < cases:
        batch = folder / f"batch{done}"
        batch.mkdir()
        written: dict[str, bytes] = {}
        for n in range(min(batch_size, cases - done)):
            suffix, data = rng.choice(seeds)
            mutated = mutate_bytes(data, rng)
            path = batch / f"{n}{suffix}"
            path.write_bytes(mutated)
            written[str(path)] = mutated
        items, problem = _timed(lambda b=batch: list(scanner.scan([b])))
        number = report.add("images")
        if problem:
            report.findings.append(Finding("images", number, f"scan: {problem}",
                                           b"".join(written.values())))
        else:
            seen = {item.info.path: item for item in items}  # type: ignore[union-attr]
            if set(seen) != set(written):
                report.findings.append(Finding("images", number, "files missing from the "
                                               "scan: " + ", ".join(set(written) - set(seen)),
                                               b""))
            for path, item in seen.items():
                thumb = item.thumbnail
                if not item.info.message or not isinstance(item.info.verdict, Verdict):
                    report.findings.append(Finding("images", number, f"no verdict: {path}",
                                                   written.get(path, b"")))
                elif thumb is not None and len(thumb.rgba) != thumb.width * thumb.height * 4:
                    report.findings.append(Finding("images", number,
                                                   f"thumbnail of the wrong size: {path}",
                                                   written.get(path, b"")))
        for path, data in list(written.items())[:4]:  # copies are slower: a few per batch
            def copy(p: str = path) -> object:
                try:
                    return render_upload_ready(p, 256)
                except UserError:
                    return None

            _, problem = _timed(copy)
            if problem:
                report.findings.append(Finding("images", number, f"copy of {path}: {problem}",
                                               data))
        done += len(written)


def fuzz_imports(rng: random.Random, cases: int, folder: Path, report: Report) -> None:
    """Mutated CSV and JSON exports through ``import_file``: a result or a UserError, and
    all rows or none."""
    from robloxassets.core.catalog.store import Catalog
    from robloxassets.core.catalog.transfer import import_file
    from robloxassets.core.errors import UserError

    seeds = seed_tables()
    catalog = Catalog(folder / "catalogue.sqlite3")
    try:
        for _ in range(cases):
            suffix, text = rng.choice(seeds)
            mutated = mutate_text(text, rng)
            path = folder / f"import{suffix}"
            path.write_bytes(mutated.encode("utf-8", "surrogatepass"))
            before = catalog.total()

            def run(p: Path = path) -> object:
                try:
                    return import_file(catalog, p, skip_bad=rng.random() < 0.5)
                except UserError:
                    return None

            result, problem = _timed(run)
            number = report.add("imports")
            if problem:
                report.findings.append(Finding("imports", number, problem, mutated))
                continue
            after = catalog.total()
            added = getattr(result, "added", 0)
            if after != before + added:
                report.findings.append(Finding("imports", number, f"{before} + {added} rows "
                                               f"gave {after}: not all or nothing", mutated))
            if after > 200:
                catalog.remove([e.id for e in catalog.search()])
    finally:
        catalog.close()


def fuzz_text(rng: random.Random, cases: int, folder: Path, report: Report) -> None:
    """Random text through the asset-ID parser, the catalogue search, the error search and
    the JSON readers (settings, error-code overrides)."""
    from robloxassets.core.assetid import MAX_ASSET_ID, AssetIdError, parse_asset_id
    from robloxassets.core.catalog.store import Catalog, Query
    from robloxassets.core.errorcodes import kb as knowledge
    from robloxassets.core.errorcodes.search import search
    from robloxassets.core.settings import Settings

    base = knowledge.load_bundled()
    catalog = Catalog(folder / "search.sqlite3")
    try:
        for _ in range(cases):
            text = random_text(rng) if rng.random() < 0.6 else mutate_text(random_text(rng), rng)

            def run(t: str = text) -> object:
                try:
                    parsed = parse_asset_id(t)
                    assert 0 < parsed.asset_id <= MAX_ASSET_ID, parsed
                except AssetIdError:
                    pass
                catalog.ids(Query(text=t), limit=50)
                search(t, base)
                settings_file = folder / "settings.json"
                settings_file.write_text(t, encoding="utf-8", errors="surrogatepass")
                Settings(settings_file).get("library.folders")
                if rng.random() < 0.1:  # building the whole index takes 60 ms: now and then
                    knowledge.load(settings_file)
                json.dumps(t, ensure_ascii=True)
                return True

            _, problem = _timed(run)
            number = report.add("text")
            if problem:
                report.findings.append(Finding("text", number, problem, text))
    finally:
        catalog.close()


TARGETS: dict[str, Callable[[random.Random, int, Path, Report], None]] = {
    "images": fuzz_images, "imports": fuzz_imports, "text": fuzz_text,
}


def run(targets: list[str], seed: int, cases: int, minutes: float | None = None,
        keep: Path | None = None) -> Report:
    """Run ``cases`` per target (repeatedly until ``minutes`` pass, if given)."""
    report = Report()
    deadline = time.monotonic() + minutes * 60 if minutes else None
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="robloxassets-fuzz-") as scratch:
        round_ = 0
        while True:
            for name in targets:
                folder = Path(scratch) / f"{name}-{round_}"
                folder.mkdir()
                TARGETS[name](rng, cases, folder, report)
            round_ += 1
            if deadline is None or time.monotonic() > deadline:
                break
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        for number, finding in enumerate(report.findings):
            data = finding.data if isinstance(finding.data, bytes) else \
                finding.data.encode("utf-8", "surrogatepass")
            (keep / f"{finding.target}-{number}.bin").write_bytes(data)
            (keep / f"{finding.target}-{number}.txt").write_text(finding.problem)
    return report


def _iter_lines(report: Report) -> Iterator[str]:
    yield "cases: " + ", ".join(f"{k} {v}" for k, v in report.cases.items())
    yield f"findings: {len(report.findings)}"
    for finding in report.findings:
        yield f"  {finding}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Fuzz the Library, import and text inputs.")
    parser.add_argument("--target", choices=[*TARGETS, "all"], default="all")
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--cases", type=int, default=200, help="cases per target per round")
    parser.add_argument("--minutes", type=float, help="keep going for this long")
    parser.add_argument("--keep", type=Path, help="save the inputs of findings here")
    args = parser.parse_args(argv)
    targets = list(TARGETS) if args.target == "all" else [args.target]
    print(f"seed {args.seed}", flush=True)
    report = run(targets, args.seed, args.cases, args.minutes, args.keep)
    for line in _iter_lines(report):
        print(line)
    return 1 if report.findings else 0


if __name__ == "__main__":
    os.environ.setdefault("ROBLOXASSETS_HOME", tempfile.mkdtemp(prefix="robloxassets-fuzz-home-"))
    sys.exit(main())
