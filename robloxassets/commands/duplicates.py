"""``robloxassets duplicates``: exact and near-copies among images, scriptable.

Exit 0 when no copies were found, 1 when any were (or a folder could not be read), 2 on a
usage error.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import threading
from typing import Any

from robloxassets.commands.library import _check_paths, _display, _open_cache, _warn_problems
from robloxassets.core.catalog.store import Catalog
from robloxassets.core.duplicates.catalogued import catalogue_candidates, load_catalogue
from robloxassets.core.duplicates.collect import merge, scan_candidates
from robloxassets.core.duplicates.groups import MAX_THRESHOLD, Candidate, Group, find_groups
from robloxassets.core.errors import UserError
from robloxassets.core.images.rules import format_name
from robloxassets.core.printable import printable
from robloxassets.core.settings import duplicate_threshold

log = logging.getLogger(__name__)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "duplicates", help="find copies and near-copies of images",
        description="Find images that are the same picture: exact copies (same content) and "
                    "near-copies (resized, re-compressed, saved in another format, slightly "
                    "brighter or cropped, with a small overlay, or mirrored). The same "
                    "drawing in other colours is not a copy. Folders are "
                    "searched with their subfolders. Each group lists the copy to keep first "
                    "(the most pixels), then the others with their distance: how many of 64 "
                    "bits of the picture's fingerprint differ (0 = the same picture); flipped "
                    "copies are marked mirrored. Exit "
                    "status: 0 when no copies were found, 1 when any were (or a folder could "
                    "not be read), 2 on a usage error.")
    parser.add_argument("paths", nargs="+", metavar="PATH", help="image files or folders")
    parser.add_argument("--threshold", type=_threshold, default=None, metavar="N",
                        help=f"bits (0 to {MAX_THRESHOLD}) two pictures may differ by and "
                             "still count as copies (default: the setting, 8 unless "
                             "changed); lower finds fewer, surer copies")
    parser.add_argument("--catalog", action="store_true",
                        help="also compare with the catalogued files (their asset IDs and "
                             "status are shown)")
    parser.add_argument("--json", action="store_true",
                        help="print a JSON list of groups, each a list of objects with path, "
                             "sha256, distance and mirrored (true for a flipped copy)")
    parser.set_defaults(func=run_duplicates)


def _threshold(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of bits") from None
    if not 0 <= value <= MAX_THRESHOLD:
        raise argparse.ArgumentTypeError(f"{value} is out of range: use 0 to {MAX_THRESHOLD}")
    return value


def run_duplicates(args: argparse.Namespace) -> int:
    _check_paths(args.paths)
    threshold = args.threshold if args.threshold is not None else duplicate_threshold()
    cancel = threading.Event()
    cache = _open_cache()
    try:
        collected = scan_candidates(args.paths, cache, cancel)
        candidates = collected.candidates
        if args.catalog:
            candidates = merge(candidates, _catalogued(cache, cancel))
    except KeyboardInterrupt:
        cancel.set()
        raise
    groups = find_groups(candidates, threshold)
    if args.catalog:  # groups of catalogued files alone are the catalogue's business
        groups = [g for g in groups if any(not m.candidate.catalogued for m in g.members)]
    if args.json:
        print(json.dumps([g.to_json() for g in groups], indent=2, ensure_ascii=False))
    else:
        _print_groups(groups, len(collected.candidates), threshold)
    for info in collected.unreadable:
        print(f"robloxassets: warning: {_display(info.path)} was not compared: "
              f"{printable(info.message)}", file=sys.stderr)
    _warn_problems(collected.problems)
    return 1 if groups or collected.problems else 0


def _catalogued(cache: Any, cancel: threading.Event) -> list[Candidate]:
    try:
        with Catalog() as catalog:
            entries = load_catalogue(catalog)
    except UserError as exc:
        print(f"robloxassets: note: {printable(exc.message)} Compared without the catalogue.",
              file=sys.stderr)
        return []
    return catalogue_candidates(entries, cache, cancel)


def _size(c: Any) -> str:
    return f"{c.width} x {c.height}" if c.width else "-"


def _kb(n: int) -> str:
    return f"{n / 1024:,.0f} KB" if n < 10 << 20 else f"{n / 1048576:,.1f} MB"


def _print_groups(groups: list[Group], compared: int, threshold: int) -> None:
    if not groups:
        print(f"No copies among {compared:,} image{'s' if compared != 1 else ''} "
              f"(threshold {threshold}).")
        return
    for number, group in enumerate(groups, 1):
        kind = "exact copies" if group.all_exact else "copies"
        print(f"Group {number}: {len(group.members)} {kind}")
        for index, member in enumerate(group.members):
            c = member.candidate
            mark = "keep" if index == 0 else ("exact" if member.exact else
                                              f"{member.distance:>2} bits")
            mirrored = "  (mirrored copy)" if member.mirrored and index else ""
            fmt = format_name(c.format) if c.format else "-"
            line = (f"  {mark:<7} {_size(c):>11}  {fmt:<4} {_kb(c.bytes):>9}  "
                    f"{_display(c.path)}{mirrored}")
            if c.catalogued:
                ident = f"rbxassetid://{c.asset_id}" if c.asset_id else "no ID"
                line += f"  [catalogued: {printable(c.entry_name)}, {ident}, {c.status}]"
            print(line)
    extra = sum(len(g.members) - 1 for g in groups)
    print(f"{len(groups):,} group{'s' if len(groups) != 1 else ''}: {extra:,} "
          f"cop{'ies' if extra != 1 else 'y'} of another image (threshold {threshold}).")
