"""Long and hostile text (issue 10, items 6 and 7): run by hand, prints a table.

    python benchmarks/long_input_bench.py

Asset-ID parsing of 4,000 and 100,000 characters, a catalogue search of 100,000 characters
over 10,000 entries, ``error`` on 1 MB of pasted text, and the two ways of refusing JSON
nested 100,000 deep (catching RecursionError vs scanning the brackets first), each beside a
plain baseline measured in the same run (``str.split`` of the same text, the same search
typed short, ``json.loads``), since this machine's speed drifts.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
import tempfile
import time

os.environ.setdefault("ROBLOXASSETS_HOME", tempfile.mkdtemp(prefix="robloxassets-longbench-"))


def best(function, *args, rounds: int = 3) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        function(*args)
        times.append(time.perf_counter() - start)
    return min(times)


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def bracket_prescan(text: str, limit: int = 64) -> bool:
    """The alternative to catching RecursionError: strip strings, then nest level by level."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    for _ in range(limit):
        shorter = brackets.replace("[]", "").replace("{}", "")
        if shorter == brackets:
            break
        brackets = shorter
    return not brackets


def main() -> None:
    from robloxassets.core import jsonsafe
    from robloxassets.core.assetid import try_parse_asset_id
    from robloxassets.core.catalog.model import Entry
    from robloxassets.core.catalog.store import Catalog, Query
    from robloxassets.core.errorcodes import kb
    from robloxassets.core.errorcodes.search import search

    rows = []
    for name, unit in (("a", "a"), ("a.", "a."), ("http://a", None)):
        for size in (4000, 100_000):
            text = ("http://" + "a" * size) if unit is None else unit * (size // len(unit))
            rows.append((f"asset ID: {name!r} x {size:,} chars",
                         best(try_parse_asset_id, text), best(str.split, text)))
    with Catalog() as catalog:
        catalog.insert_many([Entry(name=f"Decal {n} brick wall", decal_id=n + 1)
                             for n in range(10_000)])
        def look(text: str) -> None:
            catalog.ids(Query(text=text), limit=500)

        look("brick")  # warm the page cache: the baseline is the same search, typed short
        for name, text, short in (("100,000 x 'a'", "a" * 100_000, "a"),
                                  ("20,000 x 'brick'", " ".join(["brick"] * 20_000), "brick")):
            rows.append((f"catalogue search: {name} (baseline: {short!r})",
                         best(look, text), best(look, short)))
    base = kb.load_bundled()
    rng = random.Random(1)
    paste = " ".join("".join(rng.choice("abcdefghijklmnopqrstuvwxyz")
                             for _ in range(rng.randint(3, 10))) for _ in range(150_000))
    paste = paste[:1_000_000]
    rows.append(("error search: 1 MB of words", best(search, paste, base, rounds=1),
                 best(str.split, paste)))
    rows.append(("error search: 1 MB one word", best(search, "a" * 1_000_000, base, rounds=1),
                 best(str.split, "a" * 1_000_000)))
    deep = "[" * 100_000 + "]" * 100_000
    export = json.dumps({"entries": [{"name": f"n{n}", "decal_id": n, "tags": ["a", "b"],
                                      "history": [{"status": "draft", "at": "x"}]}
                                     for n in range(100_000)]})

    def refuse(text: str) -> None:
        with contextlib.suppress(ValueError):
            jsonsafe.loads(text)

    rows.append(("JSON 100,000 deep: catch RecursionError", best(refuse, deep),
                 best(json.loads, "[]")))
    rows.append(("JSON 100,000 deep: bracket prescan", best(bracket_prescan, deep),
                 best(json.loads, "[]")))
    rows.append((f"JSON export {len(export) / 1e6:.0f} MB: jsonsafe.loads",
                 best(jsonsafe.loads, export, rounds=1), best(json.loads, export, rounds=1)))
    rows.append((f"JSON export {len(export) / 1e6:.0f} MB: bracket prescan",
                 best(bracket_prescan, export, rounds=1), best(json.loads, export, rounds=1)))
    print(f"{'case':<48} {'time':>10} {'baseline':>10}")
    for name, seconds, baseline in rows:
        print(f"{name:<48} {seconds * 1000:>8.1f} ms {baseline * 1000:>8.1f} ms")


if __name__ == "__main__":
    main()
