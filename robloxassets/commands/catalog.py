"""``robloxassets id`` and ``robloxassets catalog ...``: the asset catalogue from the shell.

Exit codes: 0 done; 1 not found or nothing parsed (also: import refused because of bad rows);
2 usage error (bad value, duplicate ID); 74 the disk refused (full, read-only, I/O error:
the message names the file); 75 the catalogue is busy (another window is writing).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import Any

from robloxassets.core.assetid import parse_asset_id
from robloxassets.core.catalog import codegen, exportformat, rules, transfer
from robloxassets.core.catalog.hashing import file_facts
from robloxassets.core.catalog.model import (
    Entry,
    Status,
    format_wait,
    parse_tags,
    review_stage,
)
from robloxassets.core.catalog.store import Catalog, Query
from robloxassets.core.errors import UserError
from robloxassets.core.printable import printable

EXPORT_FORMATS = exportformat.FORMATS
STATUSES = ", ".join(status.value for status in Status)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "id", help="print the asset ID in a number, rbxassetid:// or Roblox address",
        description="Print the asset ID found in each TEXT, one a line: a number, "
                    "rbxassetid://N, rbxthumb://, or a Roblox address (library, catalog, "
                    "Creator Store, Creator Dashboard, asset delivery). Each argument is read "
                    "on its own: quote text with spaces (\"Decal ID: 46059313\"). Exit 1 if "
                    "any has none (the others are still printed).")
    parser.add_argument("text", nargs="+", metavar="TEXT",
                        help="an ID, a content ID or an address; quote it if it has spaces")
    parser.add_argument("--json", action="store_true",
                        help="print the ID, its content ID and the form it was found in (one "
                             "object; a list of them for several TEXTs)")
    parser.set_defaults(func=cmd_id)

    catalog = subparsers.add_parser(
        "catalog", help="record, find and export asset IDs",
        description="The asset catalogue: every decal and image ID with its name, tags, file "
                    "and moderation status. ID arguments take any form 'robloxassets id' reads.",
        epilog="exit status: 0 done, 1 not found or nothing parsed (or an import refused for "
               "bad rows), 2 usage error, 74 the disk refused (full, read-only or failing; the "
               "message names the file), 75 the catalogue is busy.")
    sub = catalog.add_subparsers(dest="catalog_command", metavar="ACTION", required=True)

    add = sub.add_parser("add", help="record an asset ID",
                         description="Record a decal ID (the website's ID), an image ID "
                                     "(the ID scripts need) or both.")
    add.add_argument("decal_id", nargs="?", metavar="ID_OR_URL",
                     help="the decal ID, in any form (leave out if you only have an image ID)")
    add.add_argument("--name", required=True, help="what the asset is called in the catalogue")
    add.add_argument("--image-id", metavar="ID",
                     help="the image ID (the one scripts need), in any form")
    _entry_options(add)
    add.add_argument("--json", action="store_true", help="print the new entry as JSON")
    add.set_defaults(func=cmd_add)

    listing = sub.add_parser("list", help="list entries")
    listing.add_argument("--status", type=_status,
                         help=f"only entries with this status ({STATUSES})")
    listing.add_argument("--tag", help="only entries with this tag")
    listing.add_argument("--sort", default="name", choices=sorted(_sorts()),
                         help="the column to sort by (default: name)")
    listing.add_argument("--json", action="store_true", help="a JSON list of entry objects")
    listing.set_defaults(func=cmd_list)

    search = sub.add_parser("search", help="search names, tags, notes and IDs",
                            description="Every word must start a word of the name, tags, "
                                        "notes, description or IDs. Exit 1 if nothing matches.")
    search.add_argument("text", nargs="+", metavar="TEXT", help="the words to look for")
    search.add_argument("--status", type=_status,
                        help=f"only entries with this status ({STATUSES})")
    search.add_argument("--tag", help="only entries with this tag")
    search.add_argument("--json", action="store_true", help="a JSON list of entry objects")
    search.set_defaults(func=cmd_search)

    show = sub.add_parser("show", help="show one entry with its status history")
    show.add_argument("id", metavar="ID", help="the entry's decal or image ID, in any form")
    show.add_argument("--json", action="store_true", help="the entry as a JSON object")
    show.set_defaults(func=cmd_show)

    setter = sub.add_parser("set", help="change an entry",
                            description="Change the entry with decal or image ID ID.")
    setter.add_argument("id", metavar="ID", help="the entry's decal or image ID, in any form")
    setter.add_argument("--name", help="a new name")
    setter.add_argument("--decal-id", metavar="ID", help="a new decal ID (- removes it)")
    setter.add_argument("--image-id", metavar="ID", help="a new image ID (- removes it)")
    setter.add_argument("--add-tags", metavar="A,B", help="comma-separated tags to add")
    setter.add_argument("--remove-tags", metavar="A,B", help="comma-separated tags to remove")
    _entry_options(setter)
    setter.add_argument("--json", action="store_true", help="print the changed entry as JSON")
    setter.set_defaults(func=cmd_set)

    remove = sub.add_parser("remove", help="remove an entry")
    remove.add_argument("id", metavar="ID", help="the entry's decal or image ID, in any form")
    remove.set_defaults(func=cmd_remove)

    export = sub.add_parser(
        "export", help="export as Luau, TypeScript, JSON or CSV",
        description="luau: a ModuleScript of name -> rbxassetid://; ts: a roblox-ts "
                    "declaration; json-map: the same as plain JSON; json and csv: the whole "
                    "catalogue, lossless (import reads them back).")
    export.add_argument("--format", choices=EXPORT_FORMATS,
                        help="default: what the file's extension says (.luau, .lua, .d.ts, "
                             ".ts, .json, .csv); needed for another extension or for -")
    export.add_argument("-o", "--output", required=True, metavar="FILE",
                        help="the file to write (replaced if it exists), or - for standard "
                             "output")
    export.add_argument("--all", action="store_true",
                        help="code formats: include rejected and archived assets too")
    export.set_defaults(func=cmd_export)

    importer = sub.add_parser(
        "import", help="import a CSV or JSON file",
        description="Checks every row first; imports all of them or none. Bad rows are listed.")
    importer.add_argument("file", metavar="FILE",
                          help="a CSV or JSON file (as catalog export writes them)")
    importer.add_argument("--skip-bad", action="store_true",
                          help="import the good rows and leave out the bad ones")
    importer.set_defaults(func=cmd_import)


def _entry_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--file", metavar="F", help="the local image (its hash and size "
                                                    "are recorded)")
    parser.add_argument("--tags", metavar="A,B", help="comma-separated tags")
    parser.add_argument("--status", type=_status, help=f"the moderation status: {STATUSES}")
    parser.add_argument("--notes", help="notes for yourself")
    parser.add_argument("--description", help="the asset's description")
    parser.add_argument("--creator", metavar="user:ID|group:ID",
                        help="who owns the asset on Roblox (none removes it)")


def _sorts() -> list[str]:
    from robloxassets.core.catalog.store import SORT_KEYS

    return list(SORT_KEYS)


def _status(text: str) -> Status:
    try:
        return Status.parse(text)
    except UserError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def _open(*, writing: bool = False) -> Catalog:
    """The catalogue, telling the user on stderr about a file kept aside; a catalogue that
    can only be read is mentioned only by commands that read (a write says why it failed)."""
    catalog = Catalog()
    report = catalog.report
    if report.set_aside is not None or (report.read_only and not writing):
        print(f"robloxassets: note: {printable(report.message)}", file=sys.stderr)
    if writing and report.read_only:
        catalog.close()
        from robloxassets.core.catalog.db import CatalogReadOnlyError

        raise CatalogReadOnlyError(catalog.path, report.read_only)
    return catalog


def _print_json(value: Any) -> None:
    print(json.dumps(value, indent=2, ensure_ascii=False))


def _describe(entry: Entry) -> str:
    return f"{printable(repr(entry.name))} ({entry.ids_text}, {entry.status.label.lower()})"


def _table(entries: Sequence[Entry]) -> str:
    header = ("DECAL ID", "IMAGE ID", "STATUS", "NAME", "TAGS")
    # Names and tags are the user's text: a newline or an escape sequence in one must not
    # split the row or drive the terminal.
    rows = [(str(e.decal_id or "-"), str(e.image_id or "-"), e.status.value,
             printable(e.name), printable(", ".join(e.tags))) for e in entries]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]
    lines = []
    for row in [header, *rows]:
        cells = [row[i].ljust(widths[i]) for i in range(4)] + [row[4]]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


# --- handlers -----------------------------------------------------------------------------
def cmd_id(args: argparse.Namespace) -> int:
    """Each argument is read on its own (``id 1 2 x`` prints 1 and 2, and says x has none)."""
    found: list[dict[str, Any]] = []
    missing = 0
    for text in args.text:
        try:
            parsed = parse_asset_id(text)
        except UserError as exc:
            missing += 1
            if len(args.text) == 1:
                raise
            print(f"robloxassets: {exc.message}", file=sys.stderr)  # it names the text
            found.append({"text": text, "error": exc.message})
            continue
        found.append({"text": text, "asset_id": parsed.asset_id,
                      "content_id": parsed.content_id, "form": parsed.form})
        if not args.json:
            print(parsed.asset_id)
    if args.json:
        if len(found) == 1:
            found[0].pop("text")
        _print_json(found[0] if len(found) == 1 else found)
    return 1 if missing else 0


def _fill(entry: Entry, args: argparse.Namespace) -> Entry:
    changes: dict[str, Any] = {}
    if args.file is not None:
        facts = file_facts(args.file)
        changes.update(file_path=facts.path, sha256=facts.sha256, width=facts.width,
                       height=facts.height)
    if args.tags is not None:
        changes["tags"] = parse_tags(args.tags)
    if args.status is not None:
        changes["status"] = args.status
    for name in ("notes", "description"):
        if getattr(args, name) is not None:
            changes[name] = getattr(args, name)
    if args.creator is not None:
        if args.creator.strip() in ("", "-", "none"):
            changes.update(creator_type=None, creator_id=None)
        else:
            kind, number = rules.parse_creator(args.creator)
            changes.update(creator_type=kind, creator_id=number)
    return entry.with_changes(**changes)


def cmd_add(args: argparse.Namespace) -> int:
    decal = parse_asset_id(args.decal_id).asset_id if args.decal_id else None
    image = parse_asset_id(args.image_id).asset_id if args.image_id else None
    try:
        rules.check_ids(decal, image, args.name)
    except rules.MissingValue:
        # The rule is core's; the command line names the arguments that give the IDs.
        raise UserError("Give a decal ID (ID_OR_URL) or --image-id, or both.") from None
    entry = _fill(Entry(name=args.name, decal_id=decal, image_id=image), args)
    with _open(writing=True) as catalog:
        stored = catalog.add(entry)
    if args.json:
        _print_json(stored.to_dict())
    else:
        print(f"Added {_describe(stored)}: {stored.content_id}")
    return 0


def _query_entries(catalog: Catalog, query: Query, as_json: bool) -> list[Entry]:
    return catalog.search(query, with_history=as_json)


def cmd_list(args: argparse.Namespace) -> int:
    with _open() as catalog:
        entries = _query_entries(catalog, Query(status=args.status, tag=_tag(args.tag),
                                                sort=args.sort), args.json)
    if args.json:
        _print_json([e.to_dict() for e in entries])
    elif entries:
        print(_table(entries))
    else:
        print("No entries." if not (args.status or args.tag) else "No entries match.",
              file=sys.stderr)
    return 0


def _tag(text: str | None) -> str | None:
    if text is None:
        return None
    tags = parse_tags(text)
    return tags[0] if tags else None


def cmd_search(args: argparse.Namespace) -> int:
    text = " ".join(args.text)
    with _open() as catalog:
        entries = _query_entries(catalog, Query(text=text, status=args.status,
                                                tag=_tag(args.tag)), args.json)
    if args.json:
        _print_json([e.to_dict() for e in entries])
    elif entries:
        print(_table(entries))
    else:
        print(f"Nothing in the catalogue matches {printable(repr(text[:200]))}.",
              file=sys.stderr)
    return 0 if entries else 1


def cmd_show(args: argparse.Namespace) -> int:
    with _open() as catalog:
        entry = catalog.find(args.id)
    if args.json:
        _print_json(entry.to_dict())
        return 0
    facts = [
        ("Name", entry.name),
        ("Decal ID", str(entry.decal_id or "-")),
        ("Image ID", str(entry.image_id or "-")),
        ("Content ID", entry.content_id),
        ("Status", entry.status.label),
        ("Tags", ", ".join(entry.tags) or "-"),
        ("File", entry.file_path or "-"),
        ("Size", f"{entry.width} x {entry.height}" if entry.width and entry.height else "-"),
        ("SHA-256", entry.sha256 or "-"),
        ("Created", entry.created),
        ("Updated", entry.updated),
    ]
    if entry.creator_type:
        facts.append(("Creator", f"{entry.creator_type} {entry.creator_id}"))
    if entry.description:
        facts.append(("Description", entry.description))
    if entry.notes:
        facts.append(("Notes", entry.notes))
    wait = entry.review_wait()
    if wait is not None:
        advice = {"slow": " (longer than usual)",
                  "contact-support": " - over a week: contact Roblox support"}
        facts.append(("In review for", format_wait(wait) + advice.get(review_stage(wait), "")))
    for label, value in facts:
        print(f"{label + ':':<15}{printable(value)}")
    print("History:")
    for change in entry.history:
        print(f"  {change.at}  {change.status.label}")
    return 0


def cmd_set(args: argparse.Namespace) -> int:
    with _open(writing=True) as catalog:
        entry = catalog.find(args.id)
        changes: dict[str, Any] = {}
        if args.name is not None:
            changes["name"] = args.name
        for option, key in (("decal_id", "decal_id"), ("image_id", "image_id")):
            value = getattr(args, option)
            if value is not None:
                changes[key] = (None if value.strip() in ("", "-", "none")
                                else parse_asset_id(value).asset_id)
        updated = _fill(entry.with_changes(**changes), args)
        if args.add_tags or args.remove_tags:
            tags = (set(updated.tags) | set(parse_tags(args.add_tags))) - set(
                parse_tags(args.remove_tags))
            updated = updated.with_changes(tags=tuple(sorted(tags)))
        if updated == entry:
            raise UserError("Nothing to change: give at least one option such as --status, "
                            "--name or --tags.")
        stored = catalog.update(updated)
    if args.json:
        _print_json(stored.to_dict())
    else:
        print(f"Updated {_describe(stored)}")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    with _open(writing=True) as catalog:
        entry = catalog.find(args.id)
        catalog.remove([entry.id] if entry.id is not None else [])
    print(f"Removed {_describe(entry)}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    fmt = args.format
    output = args.output
    if output != "-" and os.path.isdir(output):
        raise UserError(f"{output} is a folder: give the file to write in it, for example "
                        f"-o {os.path.join(output, 'assets.luau')}.")
    named = exportformat.format_for(output) if output != "-" else None
    if fmt is None:
        if output == "-":
            raise UserError("Writing to standard output: say which format with --format "
                            f"({', '.join(EXPORT_FORMATS)}).")
        if named is None:
            raise UserError(f"Can't tell the format of {output!r} from its extension; name it "
                            "with .luau, .d.ts, .json or .csv, or add --format "
                            f"({', '.join(EXPORT_FORMATS)}).")
        fmt = named
    elif output != "-" and (other := exportformat.mismatch(output, fmt)) is not None:
        # Asked for in so many words: done, with a note in case it was a slip.
        print(f"robloxassets: note: writing {exportformat.LABELS[fmt]} into {output}, whose "
              f"extension says {exportformat.LABELS[other]}, as --format asks.",
              file=sys.stderr)
    with _open() as catalog:
        # Code needs no status history; the lossless formats do.
        entries = catalog.iter_all() if fmt in ("csv", "json") else catalog.code_sources()
    text, count = export_text(fmt, entries, include_all=args.all)
    if output == "-":
        sys.stdout.write(text)
        return 0
    transfer.write_export(output, text, bom=fmt == "csv",
                          other_target=" (or - for standard output)")
    noun = "entry" if count == 1 else "entries"
    print(f"Exported {count:,} {noun} to {printable(output)} ({fmt}).")
    return 0


def export_text(fmt: str, entries: Sequence[Any], include_all: bool = False) -> tuple[str, int]:
    """The text of an export in ``fmt`` and how many entries it holds."""
    if fmt == "csv":
        return transfer.csv_text(entries), len(entries)
    if fmt == "json":
        return transfer.json_text(entries), len(entries)
    text = codegen.generate(fmt, entries, include_all)
    return text, len(codegen.code_assets(entries, include_all))


def cmd_import(args: argparse.Namespace) -> int:
    with _open(writing=True) as catalog:
        try:
            report = transfer.import_file(catalog, args.file, skip_bad=args.skip_bad)
        except transfer.ImportRejected as exc:
            good = len(exc.plan.entries)
            hint = (f"\nFix them, or run again with --skip-bad to import the other "
                    f"{transfer.plural(good, 'row')}." if good else "")
            raise UserError(exc.summary + hint, exit_code=1) from exc
    noun = "entry" if report.added == 1 else "entries"
    print(f"Imported {report.added:,} {noun} from {printable(args.file)}.")
    if report.skipped:
        print(f"Skipped {transfer.plural(len(report.skipped), 'bad row')}:", file=sys.stderr)
        for problem in report.skipped[:transfer.LISTED_PROBLEMS]:
            print(f"  {printable(str(problem))}", file=sys.stderr)
        if len(report.skipped) > transfer.LISTED_PROBLEMS:
            print(f"  ... and {len(report.skipped) - transfer.LISTED_PROBLEMS} more",
                  file=sys.stderr)
    return 0
