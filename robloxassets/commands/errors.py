"""``robloxassets error QUERY...``: look up an error code or a pasted error message."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import textwrap
from typing import TextIO

from robloxassets.core.errorcodes import kb as knowledge
from robloxassets.core.errorcodes.model import (
    CATEGORY_LABELS,
    LANGUAGE_LABELS,
    PLATFORM_LABELS,
    Entry,
    plain,
)
from robloxassets.core.errorcodes.search import Match, SearchResult, search
from robloxassets.core.errorcodes.status import STATUS_PAGE, check_status
from robloxassets.core.errorcodes.text import looks_binary
from robloxassets.core.printable import printable

EXAMPLES = """examples:
  robloxassets error 279
  robloxassets error "Teleport failed: server is full."
  robloxassets error "Fuiste expulsado de esta experiencia"
  robloxassets error blurry decal
  robloxassets error --status             (ask status.roblox.com whether Roblox is down)
  pbpaste | robloxassets error -        (read the pasted dialog from stdin)
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "error", help="look up a Roblox error code or error message",
        description="Find the cause and the fix for a Roblox error: give the code (279, "
                    "\"Error Code: 279\", \"2 7 9\"), paste the dialog's text in any "
                    "language, a log line, or type topic words.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("query", nargs="*", metavar="QUERY",
                        help="code, message text or topic words; - reads the text from stdin")
    parser.add_argument("--json", action="store_true",
                        help="print the matches as a JSON list (code, name, category, title, "
                             "summary, messages, causes, steps, score, ...)")
    parser.add_argument("--all", action="store_true",
                        help="print every ranked match, not only the best one")
    parser.add_argument("--status", action="store_true",
                        help=f"also ask {STATUS_PAGE} whether Roblox has an outage (needs "
                             "the internet; says so when offline)")
    parser.set_defaults(func=run, parser=parser)


def _read_stdin() -> str:
    """Standard input as text; bytes that are not UTF-8 become U+FFFD (and make the input
    count as binary below) instead of stopping the command."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # replaced by a test or an embedding program
        return sys.stdin.read()
    return stream.read().decode("utf-8", errors="replace")


def run(args: argparse.Namespace) -> int:
    if not args.query and not args.status:
        args.parser.error("give a QUERY (a code, a message or words), or --status")
    status_line = _status_line() if args.status else ""
    if not args.query:
        print(status_line)
        return 0
    query = _read_stdin() if args.query == ["-"] else " ".join(args.query)
    if not query.strip():
        # Nothing to look up is a usage error (2), not "no match" (1).
        where = "standard input was empty" if args.query == ["-"] else "the QUERY is empty"
        args.parser.error(f"{where}: give a code, a message or words")
    if looks_binary(query):
        print("robloxassets: the input is not text (it holds NUL bytes, control characters "
              "or bytes that are not UTF-8), so no error code can be read from it. Give the "
              "code, or paste the message as it appears in the dialog.", file=sys.stderr)
        return 1
    base = knowledge.load()
    for problem in base.problems:
        print(f"robloxassets: warning: {printable(problem)}", file=sys.stderr)
    result = search(query, base, limit=50 if args.all else 10)
    shown = _shown(result, args.all)
    if args.json:
        print(json.dumps([m.to_json() for m in shown], indent=2, ensure_ascii=False))
        if not shown:
            _print_no_match(result, sys.stderr)
        elif result.note():
            print(printable(result.note()), file=sys.stderr)
        if status_line:
            print(status_line, file=sys.stderr)
        return 0 if shown else 1
    if not shown:
        _print_no_match(result, sys.stdout)
        if status_line:
            print("\n" + status_line)
        return 1
    if result.note():
        print(_wrap(printable(result.note()), _width()), end="\n\n")
    width = _width()
    for number, match in enumerate(shown):
        if number:
            print("\n" + "-" * min(width, 60) + "\n")
        print(format_match(match, width))
    others = [m.entry.label for m in result.matches[len(shown):len(shown) + 3]]
    if not args.all and others:
        print(f"\nAlso possible: {', '.join(others)} (see them with --all).")
    if status_line:
        print("\n" + status_line)
    elif result.status_hint:
        print("\nRoblox itself may be down: 'robloxassets error --status' asks its status "
              "page.")
    return 0


def _shown(result: SearchResult, everything: bool) -> list[Match]:
    """The matches to print: all with --all; else the best one, or every entry the text
    can't tell apart (a shared wording, one code with two meanings)."""
    if everything:
        return list(result.matches)
    if result.ambiguous:
        return [m for m in result.matches if m.entry.id in result.ambiguous]
    return list(result.matches[:1])


def _width() -> int:
    return max(60, min(shutil.get_terminal_size((100, 24)).columns, 100))


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def _status_line() -> str:
    report = check_status()
    return f"Roblox status: {report.message}"


def _print_no_match(result: SearchResult, stream: TextIO) -> None:
    print(printable(result.note()) or "No match.", file=stream)
    for tip in result.advice():
        print(f"  - {tip}", file=stream)
    if result.status_hint:
        print("  ('robloxassets error --status' asks Roblox's status page.)", file=stream)
    if result.suggestions:
        print("Closest entries:", file=stream)
        for match in result.suggestions:
            print(f"  {match.entry.label}: {plain(match.entry.headline)} ({match.reasons[0]})",
                  file=stream)


def _client_line(entry: Entry) -> str:
    """What the newest client does with the code, in one sentence."""
    client = entry.client
    if client is None:
        return ""
    buttons = " / ".join(client.buttons)
    text = f"The dialog offers {buttons}"
    if client.auto_reconnect:
        text += " and can reconnect by itself"
    if client.condition:
        text += f" ({client.condition})"
    if client.seen_in:
        text += f". From: {client.seen_in}"
    return text + "."


def format_match(match: Match, width: int = 100) -> str:
    """One match as readable text: heading, summary, messages, what the dialog offers,
    causes, steps, notes, when the entry was checked and why it matched."""
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
    shown = [w for w in entry.wordings if w.text in entry.messages]
    translated = [w for w in entry.wordings if w.text not in entry.messages]
    if shown:
        lines.append("")
        lines.append("What the player sees:")
        for wording in shown:
            extra = " (other codes show it too)" if wording.shared else ""
            para(f"\u201c{wording.text}\u201d{extra}", "  ")
    if translated:
        lines.append("")
        lines.append("In other languages (translations no source confirms):")
        for wording in translated:
            para(f"\u201c{wording.text}\u201d ({LANGUAGE_LABELS.get(wording.lang, wording.lang)})",
                 "  ")
    client = _client_line(entry)
    if client:
        lines.append("")
        para(client)
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
    if entry.checked_on:
        para(f"Checked {entry.checked_on} against: {'; '.join(entry.checked_against)}.")
    lines.append(f"Why this match: {'; '.join(match.reasons)}")
    return "\n".join(lines)
