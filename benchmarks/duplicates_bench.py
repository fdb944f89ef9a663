"""Duplicates: grouping speed, scan overhead of hashing, and the quality of the matches.

    python benchmarks/duplicates_bench.py grouping [--counts 1000,10000,100000]
    python benchmarks/duplicates_bench.py quality [--sources 300]
    python benchmarks/duplicates_bench.py hashers [--sources 60]

    python benchmarks/duplicates_bench.py scancost [--count 1000]

The scan overhead is measured twice: benchmarks/library_bench.py times the cold scan with and
without the perceptual hash in the same rounds (wall time, 2 worker processes); ``scancost``
counts this process's CPU time of the per-file analysis with and without it, file by file,
which other load on a shared machine does not disturb.

- grouping: ``find_groups`` on N hashes that exist (random 64-bit pHashes with 32 bits set, as
  the median rule makes them, a tenth of them planted near-copies 0-8 bits from another), at
  the default threshold with mirror lookups, against the plain all-pairs baseline in the same
  run (the baseline is timed on a sample of the queries and scaled, past 10,000);
- quality: the labelled set of tests/dupset.py (photo-like and drawing-like sources, each with
  its transformed copies, hashed as the scanner hashes them); pairwise precision and recall of
  the groups at every threshold, the share of look-alike pairs (one template with other text,
  tiles of one texture family) that match, and the extra hard case (5 % cut off one corner);
- hashers: this hand-written pHash against ``imagehash`` (phash and dhash), when installed in
  the running interpreter: time per hash from the 256 px thumbnail and the distances.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from robloxassets.core.duplicates.groups import DEFAULT_THRESHOLD, Candidate, find_groups
from robloxassets.core.duplicates.hashing import hash_opened
from robloxassets.core.duplicates.index import brute_pairs, plan
from robloxassets.core.duplicates.phash import distance
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


def make_hashes(count: int, seed: int = 1) -> list[Candidate]:
    rng = random.Random(seed)
    out: list[Candidate] = []
    for i in range(count):
        if out and rng.random() < 0.1:
            base = out[rng.randrange(len(out))].phash or 0
            h = _near(rng, base, rng.choice((0, 2, 4, 6, 8)))
        else:
            h = _balanced(rng)
        out.append(Candidate(path=f"/x/{i}.png", phash=h, phash_mirror=_balanced(rng)))
    return out


def grouping(counts: list[int]) -> None:
    t = DEFAULT_THRESHOLD
    print(f"grouping at threshold {t}, mirror lookups on")
    print(f"{'count':>8} {'blocks':>6} {'radius':>6} {'index s':>9} {'all pairs s':>12} "
          f"{'groups':>7}")
    previous: float | None = None
    prev_count = 1
    for count in counts:
        cands = make_hashes(count)
        p = plan(count, t)
        start = time.perf_counter()
        groups = find_groups(cands, t)
        indexed = time.perf_counter() - start
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
        print(f"{count:>8} {len(p.blocks):>6} {p.radius:>6} {indexed:>9.2f} "
              f"{brute:>12.1f}{note} {len(groups):>7}{growth}")
        previous, prev_count = indexed, count


def _hash_set(sources: int, extra: bool) -> tuple[list[Candidate], list[int], list[str]]:
    cands: list[Candidate] = []
    labels: list[int] = []
    kinds: list[str] = []
    for s in dupset.samples(sources, extra=extra):
        h, m = hash_opened(s.image)
        cands.append(Candidate(path=s.name, phash=h, phash_mirror=m))
        labels.append(s.label)
        kinds.append(s.name.split("-", 1)[1])
    return cands, labels, kinds


def quality(sources: int) -> None:
    start = time.perf_counter()
    cands, labels, kinds = _hash_set(sources, extra=True)
    main = [i for i, k in enumerate(kinds) if k != "crop5-corner"]
    print(f"{sources} sources, {len(main)} images in the set ({len(cands) - len(main)} extra "
          f"corner crops), hashed in {time.perf_counter() - start:.1f} s")
    pairs = list(dupset.lookalikes(sources // 3))
    look = [(kind, hash_opened(a), hash_opened(b)) for kind, a, b in pairs]
    originals = {labels[i]: i for i, k in enumerate(kinds) if k == "original"}
    print(f"{'t':>3} {'precision':>9} {'recall':>7} {'P mirror off':>12} {'R mirror off':>12} "
          f"{'templates':>9} {'textures':>8} {'corner crop':>11}")
    for t in range(0, 21, 2):
        main_cands = [cands[i] for i in main]
        main_labels = [labels[i] for i in main]
        scores = []
        for mirrored in (True, False):
            groups = find_groups(main_cands, t, mirrored=mirrored)
            index = {c.path: n for n, c in enumerate(main_cands)}
            predicted = [[index[m.candidate.path] for m in g.members] for g in groups]
            scores.append(dupset.pair_scores(predicted, main_labels))
        rates = {}
        for which in ("template", "texture"):
            hits = [d for kind, a, b in look if kind == which
                    for d in [min(distance(a[0], b[0]), distance(a[1], b[0]))]]
            rates[which] = sum(d <= t for d in hits) / len(hits)
        corner = [i for i, k in enumerate(kinds) if k == "crop5-corner"]
        found = sum(distance(cands[i].phash or 0, cands[originals[labels[i]]].phash or 0) <= t
                    for i in corner)
        print(f"{t:>3} {scores[0][0]:>9.4f} {scores[0][1]:>7.4f} {scores[1][0]:>12.4f} "
              f"{scores[1][1]:>12.4f} {rates['template']:>9.2f} {rates['texture']:>8.2f} "
              f"{found / len(corner):>11.2f}")
    print("\ndistance of each kind of copy to its original (max, share within the default):")
    per_kind: dict[str, list[int]] = defaultdict(list)
    for i, k in enumerate(kinds):
        if k == "original":
            continue
        o = cands[originals[labels[i]]]
        c = cands[i]
        d = distance(o.phash or 0, c.phash or 0)
        if k == "mirror":
            d = min(d, distance(o.phash_mirror or 0, c.phash or 0))
        per_kind[k].append(d)
    for k, ds in per_kind.items():
        within = sum(d <= DEFAULT_THRESHOLD for d in ds) / len(ds)
        print(f"  {k:<13} max {max(ds):>2}  median {sorted(ds)[len(ds) // 2]:>2}  "
              f"within {within:.3f}")


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
    scanner's per-file analysis with and without the perceptual hash, file by file in
    alternating order, on the library benchmark's corpus."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from corpus import corpus_files, ensure_corpus

    from robloxassets.core.images.scan import _analyse
    from robloxassets.core.images.thumbnails import packed_from_image

    ensure_corpus(count)
    files = [str(f) for f in corpus_files(count)]
    spent = {True: 0.0, False: 0.0}
    for n, name in enumerate(files):
        for hashes in ((True, False) if n % 2 else (False, True)):
            start = time.process_time()
            _analyse(name, 256, packed_from_image, hashes)
            spent[hashes] += time.process_time() - start
    extra = spent[True] / spent[False] - 1
    print(f"{len(files)} corpus files: analysis {spent[False] / len(files) * 1000:.2f} ms CPU "
          f"per file without the hash, {spent[True] / len(files) * 1000:.2f} ms with it: "
          f"{extra * 100:+.1f}% (target <= 5%)")


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
