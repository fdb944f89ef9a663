"""``robloxassets error QUERY...``: look up an error code or a pasted error message."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import textwrap

from robloxassets.core.errorcodes import kb as knowledge
from robloxassets.core.errorcodes.model import CATEGORY_LABELS, PLATFORM_LABELS, plain
from robloxassets.core.errorcodes.search import Match, search
from robloxassets.core.errorcodes.text import looks_binary
from robloxassets.core.printable import printable

EXAMPLES = """examples:
  robloxassets error 279
  robloxassets error "Teleport failed: server is full."
  robloxassets error blurry decal
  pbpaste | robloxassets error -        (read the pasted dialog from stdin)
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "error", help="look up a Roblox error code or error message",
        description="Find the cause and the fix for a Roblox error: give the code (279, "
                    "\"Error Code: 279\"), paste the dialog's text, or type topic words.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("query", nargs="+", metavar="QUERY",
                        help="code, message text or topic words; - reads the text from stdin")
    parser.add_argument("--json", action="store_true",
                        help="print the matches as a JSON list (code, name, category, title, "
                             "summary, messages, causes, steps, score, ...)")
    parser.add_argument("--all", action="store_true",
                        help="print every ranked match, not only the best one")
    parser.set_defaults(func=run)


def _read_stdin() -> str:
    """Standard input as text; bytes that are not UTF-8 become U+FFFD (and make the input
    count as binary below) instead of stopping the command."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # replaced by a test or an embedding program
        return sys.stdin.read()
    return stream.read().decode("utf-8", errors="replace")


def run(args: argparse.Namespace) -> int:
    query = _read_stdin() if args.query == ["-"] else " ".join(args.query)
    if looks_binary(query):
        print("robloxassets: the input is not text (it holds NUL bytes, control characters "
              "or bytes that are not UTF-8), so no error code can be read from it. Give the "
              "code, or paste the message as it appears in the dialog.", file=sys.stderr)
        return 1
    base = knowledge.load()
    for problem in base.problems:
        print(f"robloxassets: warning: {printable(problem)}", file=sys.stderr)
    result = search(query, base, limit=50 if args.all else 10)
    matches = list(result.matches if args.all else result.matches[:1])
    if args.json:
        print(json.dumps([m.to_json() for m in matches], indent=2, ensure_ascii=False))
        if not matches:
            _print_suggestions(result.note(), result.suggestions, sys.stderr)
        return 0 if matches else 1
    if not matches:
        _print_suggestions(result.note(), result.suggestions, sys.stdout)
        return 1
    if result.unknown_codes:
        print(printable(result.note()), end="\n\n")
    width = max(60, min(shutil.get_terminal_size((100, 24)).columns, 100))
    for number, match in enumerate(matches):
        if number:
            print("\n" + "-" * min(width, 60) + "\n")
        print(format_match(match, width))
    others = [m.entry.label for m in result.matches[1:4]]
    if not args.all and others:
        print(f"\nAlso possible: {', '.join(others)} (see them with --all).")
    return 0


def _print_suggestions(note: str, suggestions: tuple[Match, ...], stream) -> None:
    print(printable(note) or "No match.", file=stream)
    if suggestions:
        print("Closest entries:", file=stream)
        for match in suggestions:
            print(f"  {match.entry.label}: {plain(match.entry.headline)} ({match.reasons[0]})",
                  file=stream)


def format_match(match: Match, width: int = 100) -> str:
    """One match as readable text: heading, summary, messages, causes, steps, notes."""
    entry = match.entry
    lines: list[str] = []

    def para(text: str, first: str = "", rest: str = "") -> None:
        lines.extend(textwrap.wrap(plain(text), width, initial_indent=first,
                                   subsequent_indent=rest or " " * len(first)) or [first])

    head = [entry.label]
    if entry.is_code and entry.title:
        head.append(entry.title)
    if entry.name:
        head.append(entry.name)
    head.append(CATEGORY_LABELS[entry.category])
    lines.append(" · ".join(head))
    if not entry.verified:
        para(f"Unconfirmed: {entry.note}")
    para(entry.summary)
    if entry.messages:
        lines.append("")
        lines.append("What the player sees:")
        for message in entry.messages:
            para(f"\u201c{message}\u201d", "  ")
    if entry.reconnect is False and entry.category in ("connection", "kick/ban", "client"):
        para("The dialog offers no Reconnect: join again from the experience's page.")
    lines.append("")
    lines.append("Causes:")
    for cause in entry.causes:
        para(cause, "  - ")
    lines.append("")
    lines.append("Fix it:")
    for number, step in enumerate(entry.steps, 1):
        para(step, f"  {number}. ")
    if entry.platforms:
        lines.append("")
        for platform, note in entry.platforms:
            para(note, f"{PLATFORM_LABELS[platform]}: ", "  ")
    if entry.related:
        lines.append("")
        lines.append(f"Related: {', '.join(entry.related)}")
    if entry.verified and entry.note:
        para(f"Note: {entry.note}")
    lines.append(f"Why this match: {'; '.join(match.reasons)}")
    return "\n".join(lines)

