"""Error-code lookup speed and accuracy: python benchmarks/errorcodes_bench.py [--repeat N]

Times loading the knowledge base (JSON read, validation, index build) and every query of the
test set (tests/core/errorcodes/test_queries.py) plus a long pasted text, and prints top-1
accuracy on that set. Targets: a lookup under 5 ms, a load under 50 ms.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _queries() -> tuple[list[tuple[str, str, str]], list[str]]:
    spec = importlib.util.spec_from_file_location(
        "errorcodes_queries", ROOT / "tests" / "core" / "errorcodes" / "test_queries.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.QUERIES, module.NO_MATCH


def _stats(samples_ms: list[float]) -> str:
    ordered = sorted(samples_ms)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (f"{statistics.fmean(ordered):8.3f} {p95:8.3f} {ordered[-1]:8.3f}"
            f" {len(ordered):8d}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20, help="runs per query (default 20)")
    args = parser.parse_args()
    # Never read the real user's override file.
    os.environ["ROBLOXASSETS_HOME"] = tempfile.mkdtemp(prefix="errorcodes-bench-")

    started = time.perf_counter()
    from robloxassets.core.errorcodes import kb as knowledge
    from robloxassets.core.errorcodes.search import search
    imported = (time.perf_counter() - started) * 1000

    started = time.perf_counter()
    base = knowledge.load()
    first_load = (time.perf_counter() - started) * 1000
    loads = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        knowledge.load()
        loads.append((time.perf_counter() - started) * 1000)

    queries, no_match = _queries()
    long_paste = ("Disconnected\nLost connection to the game server, please reconnect.\n"
                  "(Error Code: 277)\nReconnect  Leave\n" + "my friend xX_Builder_Xx said it "
                  "happens every time we join the obby after the update lol " * 40)
    timed = [q for q, _e, _k in queries] + no_match
    per_call: list[float] = []
    slowest = ("", 0.0)
    for query in timed:
        for _ in range(args.repeat):
            started = time.perf_counter()
            search(query, base)
            elapsed = (time.perf_counter() - started) * 1000
            per_call.append(elapsed)
            if elapsed > slowest[1]:
                slowest = (query, elapsed)
    long_calls = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        search(long_paste, base)
        long_calls.append((time.perf_counter() - started) * 1000)

    hits = sum(1 for q, expected, _k in queries
               if (r := search(q, base)).matches and r.matches[0].entry.id == expected)
    empty = sum(1 for q in no_match if not search(q, base).matches)

    codes, topics = base.counts()
    print(f"knowledge base: {codes} codes, {topics} topics, "
          f"{len(base.index.vocabulary):,} indexed words, {len(base.index.pairs):,} word pairs")
    print(f"python {sys.version.split()[0]}, {args.repeat} runs per query\n")
    print(f"{'what':<38} {'mean ms':>8} {'p95 ms':>8} {'max ms':>8} {'runs':>8}")
    print(f"{'import the errorcodes modules':<38} {imported:8.3f} {'':>8} {'':>8} {1:8d}")
    print(f"{'first load (read, validate, index)':<38} {first_load:8.3f} {'':>8} {'':>8} "
          f"{1:8d}")
    print(f"{'load again':<38} {_stats(loads)}")
    print(f"{'lookup, every query of the test set':<38} {_stats(per_call)}")
    print(f"{f'lookup, long paste ({len(long_paste):,} chars)':<38} {_stats(long_calls)}")
    print(f"\nslowest single lookup: {slowest[1]:.3f} ms for {slowest[0][:50]!r}")
    print(f"top-1 accuracy: {hits}/{len(queries)} = {100 * hits / len(queries):.1f}%; "
          f"no-match queries with no match: {empty}/{len(no_match)}")
    ok = max(per_call) < 5 and max(long_calls) < 5 and first_load < 50
    print("targets (lookup < 5 ms, load < 50 ms):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
