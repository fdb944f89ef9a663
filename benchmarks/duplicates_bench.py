"""Duplicates: grouping speed, scan overhead of hashing, and the quality of the matches.

    python benchmarks/duplicates_bench.py grouping [--counts 1000,10000,100000]
    python benchmarks/duplicates_bench.py quality [--sources 300]
    python benchmarks/duplicates_bench.py hashers [--sources 60]

    python benchmarks/duplicates_bench.py scancost [--count 1000]

The scan overhead is measured twice: benchmarks/library_bench.py times the cold scan with and
without the perceptual hash in the same rounds (wall time, 2 worker processes); ``scancost``
counts this process's CPU time of the per-file analysis with and without it (the pHash and
the colour signature together), file by file,
which other load on a shared machine does not disturb.

- grouping: ``find_groups`` on N hashes that exist (random 64-bit pHashes with 32 bits set, as
  the median rule makes them, a tenth of them planted near-copies 0-8 bits from another), at
  the default threshold with mirror lookups, against the plain all-pairs baseline in the same
  run (the baseline is timed on a sample of the queries and scaled, past 10,000);
- quality: the labelled set of tests/dupset.py (photo-like and drawing-like sources, each with
  its transformed copies, hashed as the scanner hashes them); pairwise precision and recall of
  the groups at every threshold, the share of look-alike pairs (one template with other text,
  tiles of one texture family) and of colour variants (hue-turned drawings and buttons, a
  recoloured star, solid colours) that match, and the extra hard case (5 % cut off one
  corner); after (pHash + colour check) and before (pHash only), and the colour threshold
  swept at the default pHash threshold;
- hashers: this hand-written pHash against ``imagehash`` (phash and dhash), when installed in
  the running interpreter: time per hash from the 256 px thumbnail and the distances.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from robloxassets.core.duplicates.colour import SIGNATURE_BYTES, colour_distance, mirror
from robloxassets.core.duplicates.groups import (
    DEFAULT_THRESHOLD,
    Candidate,
    find_groups,
    pair_match,
)
from robloxassets.core.duplicates.hashing import hash_opened
from robloxassets.core.duplicates.index import brute_pairs, plan
from robloxassets.core.duplicates.phash import Fingerprint, distance
from robloxassets.core.duplicates.rules import COLOUR_THRESHOLD
from tests import dupset


def _balanced(rng: random.Random) -> int:
    return sum(1 << b for b in rng.sample(range(64), 32))


def _near(rng: random.Random, h: int, bits: int) -> int:
    ones = [b for b in range(64) if h >> b & 1]
    zeros = [b for b in range(64) if not h >> b & 1]
    flip = bits // 2  # keep 32 ones: move bits/2 ones to zeros
    for b in rng.sample(ones, flip) + rng.sample(zeros, flip):
        h ^= 1 << b
    return h


def _signature(rng: random.Random) -> bytes:
    return rng.randbytes(SIGNATURE_BYTES - 1) + bytes((rng.randint(8, 80),))


def _near_signature(rng: random.Random, sig: bytes) -> bytes:
    cells = bytes(max(0, min(255, b + rng.randint(-4, 4))) for b in sig[:-1])
    return cells + sig[-1:]


def make_hashes(count: int, seed: int = 1, colour: bool = True) -> list[Candidate]:
    """Random pHashes, a tenth planted near-copies of another, each with a colour signature
    (the planted ones close to their original's), as the scanner makes them."""
    rng = random.Random(seed)
    out: list[Candidate] = []
    for i in range(count):
        if out and rng.random() < 0.1:
            base = out[rng.randrange(len(out))]
            h = _near(rng, base.phash or 0, rng.choice((0, 2, 4, 6, 8)))
            sig = _near_signature(rng, base.colour or _signature(rng))
        else:
            h = _balanced(rng)
            sig = _signature(rng)
        out.append(Candidate(path=f"/x/{i}.png", phash=h, phash_mirror=_balanced(rng),
                             colour=sig if colour else None))
    return out


def grouping(counts: list[int]) -> None:
    t = DEFAULT_THRESHOLD
    print(f"grouping at threshold {t}, mirror lookups on, colour check on ('pHash only': the "
          f"same hashes without colour signatures, in the same run)")
    print(f"{'count':>8} {'blocks':>6} {'radius':>6} {'index s':>9} {'pHash only s':>12} "
          f"{'all pairs s':>12} {'groups':>7}")
    previous: float | None = None
    prev_count = 1
    for count in counts:
        cands = make_hashes(count)
        plain_cands = make_hashes(count, colour=False)
        p = plan(count, t)
        start = time.perf_counter()
        groups = find_groups(cands, t)
        indexed = time.perf_counter() - start
        start = time.perf_counter()
        find_groups(plain_cands, t)
        plain = time.perf_counter() - start
        hashes = [c.phash or 0 for c in cands]
        mirrors = [c.phash_mirror for c in cands]
        sample = min(count, 10_000)
        start = time.perf_counter()
        # All pairs of the first `sample` hashes, scaled by the pair count to the whole set.
        sum(1 for _ in brute_pairs(hashes[:sample], t, mirrors[:sample]))
        brute = (time.perf_counter() - start) * (count * (count - 1)) / (sample * (sample - 1))
        note = "" if sample == count else " (scaled)"
        growth = f"  x{indexed / previous:.1f} time for x{count // prev_count}" \
            if previous else ""
        print(f"{count:>8} {len(p.blocks):>6} {p.radius:>6} {indexed:>9.2f} {plain:>12.2f} "
              f"{brute:>12.1f}{note} {len(groups):>7}{growth}")
        previous, prev_count = indexed, count


def _hash_set(sources: int, extra: bool) -> tuple[list[Candidate], list[int], list[str]]:
    cands: list[Candidate] = []
    labels: list[int] = []
    kinds: list[str] = []
    for s in dupset.samples(sources, extra=extra):
        h, m, colour = hash_opened(s.image)
        cands.append(Candidate(path=s.name, phash=h, phash_mirror=m, colour=colour))
        labels.append(s.label)
        kinds.append(s.name.split("-", 1)[1])
    return cands, labels, kinds


def _without_colour(cands: list[Candidate]) -> list[Candidate]:
    """The candidates as before the colour check: pHashes only."""
    return [replace(c, colour=None) for c in cands]


def _scores(cands: list[Candidate], labels: list[int], t: int, mirrored: bool = True,
            colour_threshold: float = COLOUR_THRESHOLD) -> tuple[float, float]:
    groups = find_groups(cands, t, mirrored=mirrored, colour_threshold=colour_threshold)
    index = {c.path: n for n, c in enumerate(cands)}
    predicted = [[index[m.candidate.path] for m in g.members] for g in groups]
    return dupset.pair_scores(predicted, labels)


LOOK_KINDS = ("template", "texture", "hue", "recolour", "button", "solid")


def _rates(look: list[tuple[str, Fingerprint, Fingerprint]], t: int, colour: bool,
           colour_threshold: float = COLOUR_THRESHOLD) -> dict[str, float]:
    """Share of the look-alike / colour-variant pairs of each kind that count as copies."""
    rates = {}
    for which in LOOK_KINDS:
        pairs = [(a, b) for kind, a, b in look if kind == which]
        if not colour:
            pairs = [(a._replace(colour=None), b._replace(colour=None)) for a, b in pairs]
        hits = sum(pair_match(a, b, t, colour_threshold=colour_threshold) is not None
                   for a, b in pairs)
        rates[which] = hits / len(pairs)
    return rates


def quality(sources: int) -> None:
    start = time.perf_counter()
    cands, labels, kinds = _hash_set(sources, extra=True)
    main = [i for i, k in enumerate(kinds) if k != "crop5-corner"]
    print(f"{sources} sources, {len(main)} images in the set ({len(cands) - len(main)} extra "
          f"corner crops), hashed in {time.perf_counter() - start:.1f} s")
    pairs = list(dupset.lookalikes(sources // 3)) + list(dupset.colour_variants(sources // 3))
    look = [(kind, hash_opened(a), hash_opened(b)) for kind, a, b in pairs]
    print(f"look-alike pairs (not copies), {sources // 3} of each kind: template (one button, "
          f"another word), texture (tiles of one family), hue (a drawing with its hues "
          f"turned 60-300 degrees), recolour (one star in two colours), button (one button "
          f"hue-turned), solid (two solid colours)")
    originals = {labels[i]: i for i, k in enumerate(kinds) if k == "original"}
    main_cands = [cands[i] for i in main]
    main_labels = [labels[i] for i in main]
    corner = [i for i, k in enumerate(kinds) if k == "crop5-corner"]
    head = " ".join(f"{k[:8]:>8}" for k in LOOK_KINDS)
    for title, colour in (("AFTER: pHash + colour check", True),
                          ("BEFORE: pHash only", False)):
        print(f"\n{title} (colour threshold {COLOUR_THRESHOLD:g})")
        print(f"{'t':>3} {'precision':>9} {'recall':>7} {'P mirr off':>10} {'R mirr off':>10} "
              f"{head} {'corner':>6}")
        set_cands = main_cands if colour else _without_colour(main_cands)
        for t in range(0, 21, 2):
            on = _scores(set_cands, main_labels, t)
            off = _scores(set_cands, main_labels, t, mirrored=False)
            rates = _rates(look, t, colour)
            found = 0
            for i in corner:
                a, b = cands[i].fingerprint, cands[originals[labels[i]]].fingerprint
                assert a is not None and b is not None
                if not colour:
                    a, b = a._replace(colour=None), b._replace(colour=None)
                found += pair_match(a, b, t, mirrored=False) is not None
            cells = " ".join(f"{rates[k]:>8.2f}" for k in LOOK_KINDS)
            print(f"{t:>3} {on[0]:>9.4f} {on[1]:>7.4f} {off[0]:>10.4f} {off[1]:>10.4f} "
                  f"{cells} {found / len(corner):>6.2f}")
    print(f"\ncolour threshold at t={DEFAULT_THRESHOLD} (the default {COLOUR_THRESHOLD:g}):")
    print(f"{'colour':>6} {'precision':>9} {'recall':>7} {head}")
    for ct in (10, 15, 20, 22, 24, 26, 28, 30, 35, 40, 50):
        p, r = _scores(main_cands, main_labels, DEFAULT_THRESHOLD, colour_threshold=ct)
        rates = _rates(look, DEFAULT_THRESHOLD, True, ct)
        cells = " ".join(f"{rates[k]:>8.2f}" for k in LOOK_KINDS)
        print(f"{ct:>6} {p:>9.4f} {r:>7.4f} {cells}")
    print("\nper kind of copy: pHash bits to its original (max, median, share within the "
          "default) and colour distance (max, median):")
    per_kind: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for i, k in enumerate(kinds):
        if k == "original":
            continue
        o = cands[originals[labels[i]]]
        c = cands[i]
        d = distance(o.phash or 0, c.phash or 0)
        oc, cc = o.colour or b"", c.colour or b""
        cd = colour_distance(oc, cc)
        if k == "mirror":
            d = min(d, distance(o.phash_mirror or 0, c.phash or 0))
            cd = colour_distance(mirror(oc), cc)
        per_kind[k].append((d, cd))
    for k, ds in per_kind.items():
        bits = sorted(d for d, _c in ds)
        cols = sorted(c for _d, c in ds)
        within = sum(d <= DEFAULT_THRESHOLD and c <= COLOUR_THRESHOLD for d, c in ds) / len(ds)
        print(f"  {k:<13} bits max {bits[-1]:>2} median {bits[len(bits) // 2]:>2}  colour "
              f"max {cols[-1]:>5.1f} median {cols[len(cols) // 2]:>5.1f}  both within "
              f"{within:.3f}")


def hashers(sources: int) -> None:
    try:
        import imagehash  # type: ignore[import-not-found]
    except ImportError:
        print("imagehash is not installed in this interpreter: pip install imagehash")
        return
    from robloxassets.core.duplicates.phash import flatten, phash_pair
    from robloxassets.core.images.thumbnails import thumbnail_image

    pics = []
    for s in dupset.samples(sources):
        pics.append((s.label, s.name.split("-", 1)[1], thumbnail_image(s.image, 256)))
    for name, fn in (("ours (pHash + mirror)", lambda im: phash_pair(im)[0]),
                     # Flattened first like ours: alpha straight to grey breaks any hash.
                     ("imagehash.phash", lambda im: int(str(imagehash.phash(flatten(im))), 16)),
                     ("imagehash.dhash", lambda im: int(str(imagehash.dhash(flatten(im))), 16))):
        start = time.perf_counter()
        hashes = [fn(im) for _l, _k, im in pics]
        per = (time.perf_counter() - start) / len(pics) * 1000
        originals = {lab: hashes[i] for i, (lab, k, _im) in enumerate(pics) if k == "original"}
        dup = [distance(originals[lab], hashes[i]) for i, (lab, k, _im) in enumerate(pics)
               if k not in ("original", "mirror")]
        other = [distance(originals[a], originals[b]) for a in originals for b in originals
                 if a < b]
        dup.sort()
        print(f"{name:<24} {per:.3f} ms/hash  copies p95 {dup[int(len(dup) * .95)]:>2} max "
              f"{dup[-1]:>2}  different: min {min(other):>2}, share <= 10: "
              f"{sum(d <= 10 for d in other) / len(other):.4f}")


def scancost(count: int) -> None:
    """CPU time (this process only, so other load on the machine does not count) of the
    scanner's per-file analysis without hashing, with the pHash alone and with the pHash and
    the colour signature (what the scanner does), file by file in rotating order, on the
    library benchmark's corpus."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from corpus import corpus_files, ensure_corpus

    from robloxassets.core.duplicates import phash as phash_module
    from robloxassets.core.images import scan
    from robloxassets.core.images.scan import _analyse
    from robloxassets.core.images.thumbnails import packed_from_image

    def phash_only(im: object) -> Fingerprint:
        plain, mirrored = phash_module.phash_pair(im)  # type: ignore[arg-type]
        return Fingerprint(plain, mirrored, None)

    full = scan.fingerprint
    ensure_corpus(count)
    files = [str(f) for f in corpus_files(count)]
    modes = ("none", "phash", "full")
    spent = dict.fromkeys(modes, 0.0)
    for n, name in enumerate(files):
        for k in range(3):
            mode = modes[(n + k) % 3]
            scan.fingerprint = phash_only if mode == "phash" else full  # type: ignore[assignment]
            start = time.process_time()
            _analyse(name, 256, packed_from_image, mode != "none")
            spent[mode] += time.process_time() - start
    scan.fingerprint = full  # type: ignore[assignment]
    per = {m: spent[m] / len(files) * 1000 for m in modes}
    print(f"{len(files)} corpus files, analysis CPU per file: {per['none']:.2f} ms without "
          f"hashing, {per['phash']:.2f} ms with the pHash "
          f"({(spent['phash'] / spent['none'] - 1) * 100:+.1f}%), {per['full']:.2f} ms with "
          f"the pHash and the colour signature "
          f"({(spent['full'] / spent['none'] - 1) * 100:+.1f}%; target <= 5%)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("part", choices=("grouping", "quality", "hashers", "scancost"))
    parser.add_argument("--count", type=int, default=1000, help="corpus size for scancost")
    parser.add_argument("--counts", default="1000,10000,100000")
    parser.add_argument("--sources", type=int, default=300)
    args = parser.parse_args()
    if args.part == "grouping":
        grouping([int(c) for c in args.counts.split(",")])
    elif args.part == "quality":
        quality(args.sources)
    elif args.part == "scancost":
        scancost(args.count)
    else:
        hashers(args.sources)
    return 0


if __name__ == "__main__":
    sys.exit(main())
