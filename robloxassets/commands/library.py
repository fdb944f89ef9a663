"""``robloxassets check`` and ``robloxassets fit``: the Library's checks and copies, scriptable.

check: exit 0 when every image is OK, 1 when any needs work or a folder could not be read,
       2 on a usage error.
fit:   exit 0 when every copy was written or is up to date, 1 when any failed or was skipped
       (or a folder could not be read, or there was nothing to prepare), 2 on a usage error,
       74 when the disk refused every copy (full, read-only).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from robloxassets.core.catalog.links import catalogued_sources, png_text_for, record_prepared
from robloxassets.core.catalog.model import Entry
from robloxassets.core.catalog.store import Catalog
from robloxassets.core.errors import IO_EXIT_CODE, UserError
from robloxassets.core.images.cache import ScanCache
from robloxassets.core.images.fit import FitResult, collect_sources, fit_many
from robloxassets.core.images.info import ImageInfo, Verdict
from robloxassets.core.images.rules import (
    CONVERTED_EXAMPLES,
    MAX_TEXTURE_SIDE,
    MAX_UPLOAD_SIDE,
    UPLOAD_EXTENSIONS,
    format_name,
    is_image_path,
)
from robloxassets.core.images.scan import FolderProblem, Scanner
from robloxassets.core.printable import printable
from robloxassets.core.settings import largest_side

log = logging.getLogger(__name__)


def register(subparsers: Any) -> None:
    check = subparsers.add_parser(
        "check", help="check images against Roblox's upload rules",
        description="Check images against Roblox's rules for decals and images (size, format, "
                    "file size). Folders are searched with their subfolders. Exit status: 0 "
                    "when every image is OK, 1 when any needs work or a folder could not be "
                    "read, 2 on a usage error.")
    check.add_argument("paths", nargs="+", metavar="PATH", help="image files or folders")
    check.add_argument("--json", action="store_true",
                       help="print a JSON list of objects instead of lines")
    check.add_argument("--max-side", type=_max_side, default=None, metavar="PIXELS",
                       help="largest side to check against (default: the setting, "
                            "'robloxassets largest-side', 1024 unless changed)")
    check.set_defaults(func=run_check)

    fit = subparsers.add_parser(
        "fit", help="write upload-ready PNG copies",
        description="Write upload-ready PNG copies: upright, converted to RGB or RGBA, scaled "
                    "to fit (aspect kept, never enlarged). Originals are never changed; a name "
                    "clash gets a suffix such as 'wall (2).png' unless --overwrite. A copy of "
                    "the same image made with the same settings already in DIR (whatever its "
                    "name) is left as it is: up to date, nothing is written. Exit status: 0 "
                    "when every copy was written or is up to date, 1 when any failed or was "
                    "skipped (or nothing was found), 2 on a usage error, 74 when the disk "
                    "refused every copy (full or read-only).")
    fit.add_argument("paths", nargs="+", metavar="PATH", help="image files or folders")
    fit.add_argument("--out", required=True, metavar="DIR",
                     help="folder for the copies (created if missing)")
    fit.add_argument("--max", "--max-side", dest="max", type=_max_side, default=None,
                     metavar="PIXELS",
                     help=f"longest side of the copies (default: the setting, "
                          f"'robloxassets largest-side', {MAX_TEXTURE_SIDE} unless changed)")
    fit.add_argument("--overwrite", action="store_true",
                     help="replace existing files of the same name in DIR, and write copies "
                          "again even when an identical one is there")
    fit.add_argument("--json", action="store_true",
                     help="print a JSON list of objects instead of lines")
    fit.set_defaults(func=run_fit)


def _max_side(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of pixels") from None
    if not 1 <= value < MAX_UPLOAD_SIDE:
        raise argparse.ArgumentTypeError(
            f"{value} is out of range: use 1 to {MAX_UPLOAD_SIDE - 1} pixels")
    return value


def _check_paths(paths: Sequence[str]) -> None:
    for path in paths:
        if not os.path.lexists(path):
            raise UserError(f"{path} does not exist. Check the path and try again.")
        if not os.path.isdir(path) and not is_image_path(path):
            raise UserError(f"{path} is not named like an image: Roblox takes "
                            f"{', '.join(UPLOAD_EXTENSIONS[:-1])} and {UPLOAD_EXTENSIONS[-1]} "
                            f"files, and the app also reads {', '.join(CONVERTED_EXAMPLES)} "
                            "and other images (and converts them). Give image files or "
                            "folders.")


def _display(path: str) -> str:
    """A path relative to the current folder when it is inside it, else as it is; control
    characters and bytes that aren't UTF-8 escaped, so a name can't drive the terminal."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        relative = path
    return printable(path if relative.startswith("..") else relative)


def _warn_problems(problems: list[FolderProblem]) -> None:
    for problem in problems:
        advice = f" To include them, {problem.advice}." if problem.advice else ""
        print(f"robloxassets: warning: skipped {printable(problem.path)}: "
              f"{printable(problem.reason)}; the images in it were not checked.{advice}",
              file=sys.stderr)


class _Progress:
    """A one-line counter on stderr, only when stderr is a terminal."""

    def __init__(self, verb: str, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self.verb = verb
        self.last = 0.0

    def update(self, done: int, total: int | None = None) -> None:
        now = time.monotonic()
        if not self.enabled or now - self.last < 0.1:
            return
        self.last = now
        count = f"{done:,}/{total:,}" if total else f"{done:,}"
        self.stream.write(f"\r{self.verb} {count} images...")
        self.stream.flush()

    def done(self) -> None:
        if self.enabled and self.last:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def _open_cache() -> ScanCache | None:
    try:
        return ScanCache()
    except OSError as exc:  # no writable cache folder: check still works, only slower
        log.warning("No scan cache: %s", exc)
        return None


# -- check ---------------------------------------------------------------------------------

def run_check(args: argparse.Namespace) -> int:
    _check_paths(args.paths)
    progress = _Progress("Checked")
    cancel = threading.Event()
    infos: list[ImageInfo] = []
    max_side = args.max_side or largest_side()
    problems: list[FolderProblem] = []
    scan = Scanner(_open_cache(), max_side=max_side).scan(args.paths, cancel,
                                                          problems=problems)
    try:
        for item in scan:
            infos.append(item.info)
            progress.update(len(infos))
    except KeyboardInterrupt:
        cancel.set()
        raise
    finally:
        scan.close()
        progress.done()
    infos.sort(key=lambda info: (info.path.casefold(), info.path))
    if args.json:
        print(json.dumps([info.to_json() for info in infos], indent=2, ensure_ascii=False))
    else:
        _print_check(infos, args.paths)
    _warn_problems(problems)
    return 1 if problems or any(info.verdict.needs_work for info in infos) else 0


def _print_check(infos: list[ImageInfo], roots: Iterable[str]) -> None:
    if not infos:
        print(f"No images found in {', '.join(printable(r) for r in roots)}.")
        return
    label_width = max(len(info.verdict.label) for info in infos)
    rows = []
    for info in infos:
        dims = f"{info.width} x {info.height}" if info.width is not None else "-"
        rows.append((info, dims, format_name(info.format) if info.format else "-"))
    dims_width = max(len(r[1]) for r in rows)
    fmt_width = max(len(r[2]) for r in rows)
    for info, dims, fmt in rows:
        line = (f"{info.verdict.label:<{label_width}}  {dims:>{dims_width}}  "
                f"{fmt:<{fmt_width}}  {_display(info.path)}")
        if info.verdict.needs_work:
            line += f"  - {printable(_reason(info))}"
        print(line)
    counts = Counter(info.verdict for info in infos)
    parts = [f"{counts[v]:,} {v.label if v is Verdict.OK else v.label.lower()}"
             for v in Verdict if counts[v]]
    total = f"{len(infos):,} image{'s' if len(infos) != 1 else ''}"
    print(f"{total}: {', '.join(parts)}.{_check_advice(counts)}")


def _check_advice(counts: Counter[Verdict]) -> str:
    """What to do next: fit makes copies of what it can read; a file that can't be read
    needs a good copy instead (fit would only fail on it)."""
    fixable = sum(n for v, n in counts.items() if v.needs_work and v is not Verdict.CORRUPT)
    broken = counts[Verdict.CORRUPT]
    advice = ""
    if fixable:
        advice += (f" {fixable:,} need{'s' if fixable == 1 else ''} work: robloxassets fit "
                   "PATH... --out DIR writes upload-ready copies.")
    if broken:
        advice += (f" {broken:,} can't be read: replace {'it' if broken == 1 else 'them'} with "
                   "a good copy.")
    return advice or " All ready to upload."


def _reason(info: ImageInfo) -> str:
    # The size already has its own column: drop the "2048 x 1536 PNG: " head of the message.
    head, sep, rest = info.message.partition(": ")
    return rest if sep and info.width is not None and head.startswith(str(info.width)) \
        else info.message


# -- fit -----------------------------------------------------------------------------------

def _check_out(out: str, paths: Sequence[str]) -> None:
    if not out.strip():
        raise UserError("--out is empty; give the folder for the copies (e.g. --out ready).")
    if os.path.exists(out) and not os.path.isdir(out):
        raise UserError(f"--out {printable(out)} is a file, not a folder. Give a folder for "
                        "the copies.")
    for path in paths:
        if os.path.isdir(path) and os.path.exists(out) and os.path.samefile(path, out):
            raise UserError(f"--out {printable(out)} is the folder being prepared: the copies "
                            "would mix with the originals. Give another folder (e.g. --out "
                            f"{printable(os.path.join(path, 'ready'))}).")


def run_fit(args: argparse.Namespace) -> int:
    _check_paths(args.paths)
    out = args.out
    _check_out(out, args.paths)
    cancel = threading.Event()
    problems: list[FolderProblem] = []
    sources = list(collect_sources(args.paths, out, cancel, problems))
    catalogued = _catalogued(sources)
    progress = _Progress("Prepared")
    results: list[FitResult] = []
    batch = fit_many(sources, out, max_side=args.max or largest_side(),
                     overwrite=args.overwrite, cancel=cancel,
                     png_text_for=lambda p: png_text_for(catalogued[p]) if p in catalogued
                     else None)
    try:
        for result in batch:
            results.append(result)
            progress.update(len(results), len(sources))
            if not args.json:
                progress.done()
                print(_fit_line(result), flush=True)
    except KeyboardInterrupt:
        cancel.set()
        raise
    finally:
        batch.close()
        progress.done()
    _remember_copies(catalogued, results)
    if args.json:
        print(json.dumps([r.to_json() for r in results], indent=2, ensure_ascii=False))
    else:
        _print_fit_summary(results, args.paths)
    _warn_problems(problems)
    if results and all(r.status == "failed" and r.disk_error for r in results):
        return IO_EXIT_CODE
    ok = results and not problems and all(r.status in ("written", "up-to-date")
                                          for r in results)
    return 0 if ok else 1


def _catalogued(sources: list[str]) -> dict[str, Entry]:
    """Sources already in the catalogue: their copies carry the asset ID, and the user is told
    before spending an upload on an image that already has one."""
    try:
        with Catalog() as catalog:
            found = catalogued_sources(catalog, sources)
    except UserError as exc:  # busy or unreadable catalogue: prepare anyway, untagged
        print(f"robloxassets: note: {printable(exc.message)} The copies won't carry asset IDs.",
              file=sys.stderr)
        return {}
    for path, entry in found.items():
        print(f"robloxassets: note: {_display(path)} is already catalogued as "
              f"{printable(repr(entry.name))} "
              f"({entry.content_id}); its copy carries that ID, no need to upload it again.",
              file=sys.stderr)
    return found


def _remember_copies(catalogued: dict[str, Entry], results: list[FitResult]) -> None:
    copies = [(catalogued[r.source].id, r.output) for r in results
              if r.status == "written" and r.output and r.source in catalogued]
    if not copies:
        return
    try:
        with Catalog() as catalog:
            record_prepared(catalog, [(i, out) for i, out in copies if i is not None])
    except UserError as exc:
        print(f"robloxassets: note: {printable(exc.message)}", file=sys.stderr)


def _fit_line(result: FitResult) -> str:
    source = _display(result.source)
    if result.status == "written":
        old = f"{result.old_size[0]} x {result.old_size[1]}" if result.old_size else "?"
        new = f"{result.new_size[0]} x {result.new_size[1]}" if result.new_size else "?"
        line = f"written  {old:>11} -> {new:<11}  {source} -> {_display(result.output or '')}"
        return f"{line}  ({printable(result.message)})" if result.message else line
    if result.status == "up-to-date":
        return (f"up to date  {source} -> {_display(result.output or '')}  (an identical copy "
                "is already there)")
    message = result.message
    name = os.path.basename(result.source)
    if message.startswith(name + " "):  # "wall.png can't be read: ..." -> "can't be read: ..."
        message = message[len(name) + 1:]
    return f"{result.status:<7}  {source}: {printable(message)}"


def _print_fit_summary(results: list[FitResult], roots: Iterable[str]) -> None:
    if not results:
        print(f"No images found in {', '.join(printable(r) for r in roots)}: nothing was "
              "written.")
        return
    counts = Counter(r.status for r in results)
    words = {"written": "written", "up-to-date": "up to date", "skipped": "skipped",
             "failed": "failed"}
    parts = [f"{counts[s]:,} {word}" for s, word in words.items() if counts[s]]
    print(f"{', '.join(parts)}.")
