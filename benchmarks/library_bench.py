"""Library speed: cold scan, warm reopen, memory, upload-ready copies, PNG levels.

    python benchmarks/library_bench.py [--count 2000] [--big 10000] [--dir DIR] [--quick]

Run by hand on a quiet machine; prints a table. Each measurement runs in its own child
process so its peak RSS is its own. The corpus (benchmarks/corpus.py) is generated on first use
and kept. The OS file cache is warmed before timing, so "cold" means "no scan cache", not
"nothing in RAM": decoding, not the disk, is what is measured.

- cold scan: ``Scanner`` (2 worker processes) from an empty cache: header + verdict +
  thumbnail + cache writes, beside the plain single-process Pillow loop
  (open, ``thumbnail()`` with its JPEG draft and reduce, load) on the same files. The loops
  and the scan take turns, one run each per round (``--repeat`` rounds), and the fastest run
  of each counts, so slow spells of a shared machine hit both alike;
- hash pass: ``file_hashes`` (2 threads) over the same files, the SHA-256 the Library works
  out afterwards for catalogue links, only when the catalogue holds hashes;
- warm reopen: ``Scanner`` again with the cache hot (all infos from the cache); with --big the
  same for the 10,000 corpus, plus listing alone;
- fit: ``fit_many`` (2 threads) on the images over 1024 px, beside plain Pillow (open,
  LANCZOS resize, PNG save at the same level) on 2 threads; then ``fit_many`` again into the
  same folder, where every copy is up to date (each original hashed, nothing written);
- PNG compress levels 1/6/9 on the upload-ready pictures of (some of) those images;
- thumbnail cache packing: what the cache stores (JPEG 90 + zlib alpha) vs zlib level 1 of raw
  pixels vs PNG level 1.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import io
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import DEFAULT_ROOT, corpus_files, ensure_corpus

__all__ = ["corpus_files", "ensure_corpus"]  # for the GUI benchmarks


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds() -> float:
    """CPU time of the whole machine where /proc/stat tells it (the scanner's worker processes
    are children of a fork server, so no rusage of ours counts them), else of this process.
    Run on a quiet machine: everything else running counts too."""
    try:
        with open("/proc/stat") as handle:
            fields = [int(v) for v in handle.readline().split()[1:]]
        return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime


def worker_peaks_mb() -> list[float]:
    """Peak RSS of the scanner's worker processes (Linux), read before they stop."""
    from robloxassets.core.images import workers

    executor = workers.shared_pool(2)._executor  # a benchmark may peek
    peaks = []
    for pid in getattr(executor, "_processes", None) or {}:
        try:
            with open(f"/proc/{pid}/status") as handle:
                for line in handle:
                    if line.startswith("VmHWM:"):
                        peaks.append(int(line.split()[1]) / 1024)
        except OSError:
            continue
    return peaks


# -- child phases (each in a fresh process) ------------------------------------------------

def phase_baseline(files: list[str], variant: str = "thumbnail") -> dict:
    """The plain loop: ``thumbnail()`` (draft to 2x and reduce, Pillow's defaults), or
    ``draft`` first straight to the thumbnail size (faster on JPEGs, the scanner's choice)."""
    from PIL import Image

    started = time.perf_counter()
    kept = []
    failed = 0
    for name in files:
        try:
            with Image.open(name) as im:
                if variant == "draft":
                    scale = max(im.width, im.height) / 256
                    if scale > 1:
                        im.draft(None, (int(im.width / scale), int(im.height / scale)))
                im.thumbnail((256, 256))
                im.load()
                kept.append(im.copy())  # detached, as the scan keeps its thumbnails
        except Exception:
            failed += 1
        if len(kept) > 64:
            kept.clear()
    return {"seconds": time.perf_counter() - started, "images": len(files), "failed": failed}


def phase_scan(roots: list[str], cache_path: str, hashes: bool = True) -> dict:
    from robloxassets.core.images import workers
    from robloxassets.core.images.cache import ScanCache
    from robloxassets.core.images.scan import Scanner

    cache = ScanCache(Path(cache_path))
    # The Library page starts the fork server its workers come from when it opens (a new
    # interpreter importing Pillow, ~0.1 s); the loop's imports are not timed either.
    workers.start_early()
    workers.wait_started()
    started = time.perf_counter()
    first = None
    verdicts: dict[str, int] = {}
    count = 0
    for item in Scanner(cache, workers=2, perceptual_hashes=hashes).scan(roots):
        if first is None:
            first = time.perf_counter() - started
        verdicts[item.info.verdict.value] = verdicts.get(item.info.verdict.value, 0) + 1
        count += 1
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "first": first, "images": count, "verdicts": verdicts,
            "cache_mb": os.path.getsize(cache_path) / 1e6, "worker_mb": worker_peaks_mb()}


def phase_hashes(files: list[str]) -> dict:
    from robloxassets.core.catalog.links import LibraryFile, file_hashes

    items = []
    for name in files:
        st = os.stat(name)
        items.append(LibraryFile(name, st.st_size, st.st_mtime_ns))
    started = time.perf_counter()
    found = file_hashes(items, workers=2)
    return {"seconds": time.perf_counter() - started, "images": len(found)}


def phase_list(roots: list[str]) -> dict:
    from robloxassets.core.images.scan import find_images

    started = time.perf_counter()
    count = sum(1 for _ in find_images(roots))
    return {"seconds": time.perf_counter() - started, "images": count}


def phase_thumbs(cache_path: str, roots: list[str]) -> dict:
    """Reading thumbnails back one by one, as the grid does when scrolling."""
    from PIL import Image

    from robloxassets.core.images.cache import ScanCache
    from robloxassets.core.images.scan import Scanner

    cache = ScanCache(Path(cache_path))
    items = []
    for item in Scanner(cache).scan(roots):
        if item.thumbnail is not None:
            items.append(item.info)
        if len(items) >= 500:
            break
    started = time.perf_counter()
    raw = 0
    thumbs = []
    for info in items:
        thumb = cache.thumbnail(info.path, info.bytes, info.mtime_ns, 256)
        assert thumb is not None
        raw += len(thumb.rgba)
        thumbs.append(thumb)
    read = time.perf_counter() - started
    # Packing choices on the same thumbnails.
    from robloxassets.core.images.thumbnails import pack, unpack

    started = time.perf_counter()
    packed = [pack(t) for t in thumbs]
    pack_write = time.perf_counter() - started
    started = time.perf_counter()
    for (kind, data), t in zip(packed, thumbs, strict=True):
        unpack(kind, data, t.width, t.height)
    zlib_read = time.perf_counter() - started
    zlib_bytes = sum(len(d) for _, d in packed)
    started = time.perf_counter()
    pngs = []
    for t in thumbs:
        buf = io.BytesIO()
        Image.frombuffer("RGBA", (t.width, t.height), t.rgba, "raw", "RGBA", 0, 1).save(
            buf, "PNG", compress_level=1)
        pngs.append(buf.getvalue())
    png_write = time.perf_counter() - started
    started = time.perf_counter()
    for data in pngs:
        with Image.open(io.BytesIO(data)) as im:
            im.convert("RGBA").tobytes()
    png_read = time.perf_counter() - started
    started = time.perf_counter()
    zlib_raw = [zlib.compress(t.rgba, 1) for t in thumbs]
    raw_write = time.perf_counter() - started
    return {"count": len(thumbs), "read_ms": read / len(thumbs) * 1000,
            "raw_mb": raw / 1e6, "zlib_mb": zlib_bytes / 1e6,
            "zlib_rgba_mb": sum(map(len, zlib_raw)) / 1e6,
            "zlib_read_ms": zlib_read / len(thumbs) * 1000,
            "pack_ms": pack_write / len(thumbs) * 1000,
            "zlib_rgba_write_ms": raw_write / len(thumbs) * 1000,
            "png_mb": sum(map(len, pngs)) / 1e6, "png_read_ms": png_read / len(thumbs) * 1000,
            "png_write_ms": png_write / len(thumbs) * 1000}


def phase_fit(files: list[str], out: str) -> dict:
    from robloxassets.core.images.fit import fit_many

    started = time.perf_counter()
    results = list(fit_many(files, out, workers=2))
    seconds = time.perf_counter() - started
    written = [r for r in results if r.status == "written"]
    size = sum(os.path.getsize(r.output) for r in written if r.output)
    return {"seconds": seconds, "written": len(written), "images": len(files),
            "up_to_date": sum(1 for r in results if r.status == "up-to-date"),
            "mb": size / 1e6}


def phase_plainfit(files: list[str], out: str, level: int) -> dict:
    from PIL import Image

    from robloxassets.core.images.info import fit_size

    def one(index_name: tuple[int, str]) -> int:
        index, name = index_name
        try:
            with Image.open(name) as im:
                im = im.resize(fit_size(im.width, im.height, 1024), Image.Resampling.LANCZOS)
                target = os.path.join(out, f"{index}.png")
                im.save(target, "PNG", compress_level=level)
                return os.path.getsize(target)
        except Exception:
            return 0

    started = time.perf_counter()
    with cf.ThreadPoolExecutor(2) as pool:
        sizes = list(pool.map(one, enumerate(files)))
    return {"seconds": time.perf_counter() - started, "written": sum(1 for s in sizes if s),
            "mb": sum(sizes) / 1e6}


def phase_levels(files: list[str]) -> dict:
    from robloxassets.core.images.fit import render_upload_ready

    totals = {level: [0.0, 0] for level in (1, 6, 9)}
    for name in files:
        try:
            image = render_upload_ready(name)
        except Exception:
            continue
        for level in totals:
            buf = io.BytesIO()
            started = time.perf_counter()
            image.save(buf, "PNG", compress_level=level)
            totals[level][0] += time.perf_counter() - started
            totals[level][1] += buf.tell()
    return {"images": len(files),
            "levels": {str(k): {"seconds": v[0], "mb": v[1] / 1e6} for k, v in totals.items()}}


PHASES = {"baseline": phase_baseline, "scan": phase_scan, "hashes": phase_hashes,
          "list": phase_list,
          "thumbs": phase_thumbs, "fit": phase_fit, "plainfit": phase_plainfit,
          "levels": phase_levels}


def best_of(repeat: int, name: str, *args: object, setup=None) -> dict:
    """The fastest of ``repeat`` runs: on a shared machine other work only ever slows a run."""
    return best_of_rounds(repeat, [(name, args, setup)])[0]


def best_of_rounds(repeat: int, phases: list[tuple[str, tuple, object]]) -> list[dict]:
    """The fastest run of each phase, the phases taking turns (``repeat`` rounds of one run
    each). This machine's speed drifts by several percent over minutes: in turns, what is
    compared is measured under the same conditions. Each result keeps all its runs."""
    runs: list[list[dict]] = [[] for _ in phases]
    for _ in range(max(1, repeat)):
        for i, (name, args, setup) in enumerate(phases):
            if setup is not None:
                setup()
            runs[i].append(run_child(name, *args))
    out = []
    for phase_runs in runs:
        best = dict(min(phase_runs, key=lambda r: r["seconds"]))
        best["runs"] = [round(r["seconds"], 2) for r in phase_runs]
        best["load"] = os.getloadavg()[0]
        out.append(best)
    return out


def run_child(name: str, *args: object) -> dict:
    """Run a phase in a fresh interpreter; its result gains ``rss_mb`` (its peak RSS)."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(args, handle)
    try:
        proc = subprocess.run([sys.executable, __file__, "--child", name, handle.name],
                              capture_output=True, text=True, check=False)
    finally:
        os.unlink(handle.name)
    if proc.returncode != 0:
        raise SystemExit(f"phase {name} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def child_main(name: str, args_file: str) -> int:
    with open(args_file) as handle:
        args = json.load(handle)
    os.environ.setdefault("ROBLOXASSETS_HOME", tempfile.mkdtemp(prefix="bench-home-"))
    cpu = _cpu_seconds()
    result = PHASES[name](*args)
    result["rss_mb"] = _peak_rss_mb()
    result["cpu"] = _cpu_seconds() - cpu
    print(json.dumps(result))
    return 0


# -- the run -------------------------------------------------------------------------------

def warm_os_cache(files: list[Path]) -> None:
    for path in files:
        with open(path, "rb") as handle:
            while handle.read(8 << 20):
                pass


def oversize_files(files: list[Path]) -> list[str]:
    from robloxassets.core.images.info import inspect_image

    infos = [inspect_image(f) for f in files]
    return [info.path for info in infos if max(info.width or 0, info.height or 0) > 1024]


def row(label: str, value: str, note: str = "") -> None:
    print(f"| {label:<44} | {value:>22} | {note}")


def run_big(count: int, root: Path, work: Path) -> tuple[dict, dict, dict]:
    big_files = corpus_files(count, root)
    warm_os_cache(big_files)
    big_roots = [str(ensure_corpus(count, root))]
    big_cache = str(work / "scan-big.sqlite3")
    return (run_child("scan", big_roots, big_cache), run_child("scan", big_roots, big_cache),
            run_child("list", big_roots))


def print_big(runs: tuple[dict, dict, dict]) -> None:
    cold_big, warm_big, list_big = runs
    nb = cold_big["images"]
    row(f"cold scan of {nb:,}", f"{nb / cold_big['seconds']:,.0f} img/s",
        f"{cold_big['seconds']:.0f} s, {cold_big['cpu'] / cold_big['seconds']:.2f} cores busy, "
        f"peak {cold_big['rss_mb']:.0f} MB (workers "
        f"{' + '.join(f'{mb:.0f}' for mb in cold_big['worker_mb']) or '?'} MB), "
        f"cache {cold_big['cache_mb']:.0f} MB")
    row(f"warm reopen of {nb:,} (all from cache)", f"{warm_big['seconds'] * 1000:,.0f} ms",
        f"first item {warm_big['first'] * 1000:.0f} ms, peak {warm_big['rss_mb']:.0f} MB")
    row(f"listing {nb:,} files (find_images)", f"{list_big['seconds'] * 1000:,.0f} ms", "")


def big_only(args: argparse.Namespace) -> int:
    count = args.big or 10000
    work = Path(tempfile.mkdtemp(prefix="library-bench-"))
    try:
        runs = run_big(count, args.dir, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\n| {'measure':<44} | {'value':>22} | note")
    print(f"|{'-' * 46}|{'-' * 24}|------")
    print_big(runs)
    return 0


def print_scan(n: int, bases: list[dict], base: dict, cold: dict, unhashed: dict,
               header: bool = True) -> None:
    if header:
        print(f"| {'measure':<44} | {'value':>22} | note")
        print(f"|{'-' * 46}|{'-' * 24}|------")
    base_rate = n / base["seconds"]
    cold_rate = cold["images"] / cold["seconds"]
    for label, b in zip(("plain loop, 1 process: thumbnail()", "plain loop: draft to size + "
                         "thumbnail()"), bases, strict=True):
        row(label, f"{n / b['seconds']:,.0f} img/s",
            f"best of {b['runs']} s, {b['cpu'] / n * 1000:.1f} ms CPU/img, peak "
            f"{b['rss_mb']:.0f} MB" + (" (the faster: the reference)" if b is base else ""))
    row("cold scan, Scanner 2 processes, empty cache", f"{cold_rate:,.0f} img/s",
        f"{cold_rate / base_rate:.2f}x the loop (target >= 1.8x); best of {cold['runs']} s; "
        "round by round " + ", ".join(f"{b / c:.2f}x" for b, c in
                                      zip(base["runs"], cold["runs"], strict=True)))
    row("  without the perceptual hash (same run)",
        f"{unhashed['images'] / unhashed['seconds']:,.0f} img/s",
        f"hashing adds {(cold['seconds'] / unhashed['seconds'] - 1) * 100:+.1f}% time, "
        f"{(cold['cpu'] / unhashed['cpu'] - 1) * 100:+.1f}% CPU (target <= 5%); best of "
        f"{unhashed['runs']} s")


def main() -> int:
    parser = argparse.ArgumentParser(description="Library benchmarks (see the module docstring)")
    parser.add_argument("--count", type=int, default=2000, help="main corpus size")
    parser.add_argument("--big", type=int, default=0,
                        help="also time the warm reopen of a corpus this big (e.g. 10000)")
    parser.add_argument("--dir", type=Path, default=DEFAULT_ROOT, help="where corpora live")
    parser.add_argument("--quick", action="store_true",
                        help="skip the PNG level table (the slowest part)")
    parser.add_argument("--levels-sample", type=int, default=100,
                        help="oversize images used for the PNG level table")
    parser.add_argument("--big-only", action="store_true",
                        help="only the --big corpus: cold scan, warm reopen, listing")
    parser.add_argument("--repeat", type=int, default=2,
                        help="runs of each timed phase; the fastest counts (default 2)")
    parser.add_argument("--scan-only", action="store_true",
                        help="only the loops and the cold scans (with and without the "
                             "perceptual hash)")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child_main(*args.child)
    if args.big_only:
        return big_only(args)

    files = corpus_files(args.count, args.dir)
    folder = ensure_corpus(args.count, args.dir)
    roots = [str(folder)]
    total_bytes = sum(f.stat().st_size for f in files)
    work = Path(tempfile.mkdtemp(prefix="library-bench-"))
    try:
        warm_os_cache(files)
        names = [str(f) for f in files]
        cache = str(work / "scan.sqlite3")

        def fresh_cache() -> None:
            for suffix in ("", "-wal", "-shm"):
                Path(cache + suffix).unlink(missing_ok=True)

        *bases, cold, unhashed = best_of_rounds(args.repeat, [
            ("baseline", (names, "thumbnail"), None),
            ("baseline", (names, "draft"), None),
            ("scan", (roots, cache), fresh_cache),
            ("scan", (roots, cache, False), fresh_cache)])
        base = min(bases, key=lambda b: b["seconds"])
        if args.scan_only:
            print_scan(len(files), bases, base, cold, unhashed)
            return 0
        warm = run_child("scan", roots, cache)
        hashes = best_of(args.repeat, "hashes", names)
        listing = run_child("list", roots)
        thumbs = run_child("thumbs", cache, roots)
        big = sorted(oversize_files(files))
        fit_out, plain_out = work / "fit", work / "plain"
        fit_out.mkdir()
        plain_out.mkdir()
        from robloxassets.core.images.fit import PNG_COMPRESS_LEVEL

        def empty(folder: Path):
            return lambda: [p.unlink() for p in folder.iterdir()]

        plain = best_of(args.repeat, "plainfit", big, str(plain_out), PNG_COMPRESS_LEVEL,
                        setup=empty(plain_out))
        fit = best_of(args.repeat, "fit", big, str(fit_out), setup=empty(fit_out))
        again = best_of(args.repeat, "fit", big, str(fit_out))  # the copies are there now
        levels = None if args.quick else run_child("levels", big[:args.levels_sample])
        big_runs = run_big(args.big, args.dir, work) if args.big else None
    finally:
        shutil.rmtree(work, ignore_errors=True)

    n = len(files)
    print(f"\nCorpus: {n:,} images, {total_bytes / 1e9:.2f} GB, {len(big)} over 1024 px "
          f"({folder}); {os.cpu_count()} CPUs\n")
    print(f"| {'measure':<44} | {'value':>22} | note")
    print(f"|{'-' * 46}|{'-' * 24}|------")
    print_scan(n, bases, base, cold, unhashed, header=False)
    row("  CPU per image / cores busy",
        f"{cold['cpu'] / cold['images'] * 1000:.1f} ms",
        f"{cold['cpu'] / cold['seconds']:.2f} of 2 cores (machine-wide); load "
        f"{cold['load']:.2f} after")
    row("  first item after", f"{cold['first'] * 1000:,.0f} ms", "")
    workers_mb = " + ".join(f"{mb:.0f}" for mb in cold["worker_mb"]) or "?"
    row("  peak RSS while scanning", f"{cold['rss_mb']:,.0f} MB",
        f"the scanning process; its workers {workers_mb} MB")
    row("  scan cache on disk", f"{cold['cache_mb']:,.0f} MB",
        f"verdicts {json.dumps(cold['verdicts'])}")
    row("hash pass for catalogue links, 2 threads", f"{n / hashes['seconds']:,.0f} img/s",
        f"{hashes['seconds']:.2f} s, {total_bytes / hashes['seconds'] / 1e9:.2f} GB/s; only "
        "when the catalogue has hashes")
    row(f"warm reopen of {n:,} (all from cache)", f"{warm['seconds'] * 1000:,.0f} ms",
        f"first item {warm['first'] * 1000:.0f} ms, peak {warm['rss_mb']:.0f} MB")
    row(f"listing {n:,} files (find_images)", f"{listing['seconds'] * 1000:,.0f} ms", "")
    row("thumbnail read back (cache.thumbnail)", f"{thumbs['read_ms']:.2f} ms each",
        f"{thumbs['count']} thumbnails")
    row("  stored: JPEG 90 + zlib alpha (ours)", f"{thumbs['zlib_mb']:.1f} MB",
        f"pack {thumbs['pack_ms']:.2f} ms, unpack {thumbs['zlib_read_ms']:.2f} ms each; raw "
        f"{thumbs['raw_mb']:.1f} MB")
    row("  zlib 1 of raw RGBA", f"{thumbs['zlib_rgba_mb']:.1f} MB",
        f"pack {thumbs['zlib_rgba_write_ms']:.2f} ms each")
    row("  PNG level 1", f"{thumbs['png_mb']:.1f} MB",
        f"encode {thumbs['png_write_ms']:.2f} ms, decode {thumbs['png_read_ms']:.2f} ms each")
    row(f"plain LANCZOS + PNG {PNG_COMPRESS_LEVEL}, 2 threads, {len(big)} imgs",
        f"{plain['seconds']:.1f} s", f"{plain['mb']:.0f} MB, peak {plain['rss_mb']:.0f} MB")
    row("fit_many, 2 threads", f"{fit['seconds']:.1f} s",
        f"{fit['seconds'] / plain['seconds']:.2f}x plain (target <= 1.2x), "
        f"{fit['written']} written, {fit['mb']:.0f} MB, peak {fit['rss_mb']:.0f} MB, "
        f"{fit['cpu'] / fit['seconds']:.2f} cores busy")
    row("fit_many again into the same folder", f"{again['seconds']:.1f} s",
        f"{again['seconds'] / fit['seconds']:.2f}x the first run, {again['up_to_date']} up to "
        f"date, {again['written']} written")
    if levels:
        for level, value in levels["levels"].items():
            row(f"PNG level {level}, 1 thread, {levels['images']} upload-ready imgs",
                f"{value['seconds']:.1f} s", f"{value['mb']:.1f} MB")
    if big_runs:
        print_big(big_runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
