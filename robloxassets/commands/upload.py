"""``robloxassets upload``, ``moderation``, ``queue`` and ``largest-side``: Open Cloud uploads
from the command line, over the same queue as the window.

upload:     exit 0 when every file was accepted by Roblox (or was already catalogued), 1
            otherwise, 2 on a usage error, 75 when another window or command is sending.
moderation: exit 0 when every state was read, 1 otherwise.
queue:      exit 0.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import signal
import sys
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from robloxassets.core.catalog.model import Entry, format_wait
from robloxassets.core.catalog.store import Catalog
from robloxassets.core.cloud import apikey
from robloxassets.core.cloud.assets import MAX_DESCRIPTION, AssetsApi, AssetType, Creator
from robloxassets.core.cloud.client import Client
from robloxassets.core.cloud.keyinfo import introspect
from robloxassets.core.duplicates.catalogued import (
    CatalogMatch,
    load_catalogue,
    upload_near_copies,
)
from robloxassets.core.errors import IO_EXIT_CODE, UserError
from robloxassets.core.images.cache import ScanCache
from robloxassets.core.images.rules import (
    LARGEST_SIDE_CHOICES,
    LARGEST_SIDE_HELP,
    MAX_UPLOAD_SIDE,
)
from robloxassets.core.printable import printable
from robloxassets.core.settings import Settings, duplicate_threshold, largest_side
from robloxassets.core.upload import moderation
from robloxassets.core.upload.defaults import (
    ASSET_TYPE_HELP,
    prefill_creator,
    saved_asset_type,
    saved_creator,
)
from robloxassets.core.upload.model import State, UploadItem, UploadOptions
from robloxassets.core.upload.queue import AddResult, UploadQueue
from robloxassets.core.upload.runner import Event, EventKind, PollSchedule, RunnerConfig
from robloxassets.core.upload.store import UploadStore

#: How long ``--wait`` waits for moderation by default, and its first and longest pause.
WAIT_LIMIT_MINUTES = 30.0
_WAIT_FIRST = 5.0
#: How long an upload Roblox accepted but has not finished processing is waited for before
#: the command ends (the item keeps its operation: the next run asks again, never re-sends).
PROCESSING_LIMIT = 120.0
_WAIT_LONGEST = 60.0


def _positive_id(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 0 < value < 2**63:
        raise argparse.ArgumentTypeError(f"{value} is not a valid ID (above 0)")
    return value


def _side(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of pixels") from None
    if not 16 <= value < MAX_UPLOAD_SIDE:
        raise argparse.ArgumentTypeError(
            f"{value} is out of range: use 16 to {MAX_UPLOAD_SIDE - 1} pixels")
    return value


def register(subparsers: Any) -> None:
    upload = subparsers.add_parser(
        "upload", help="upload images to Roblox (Open Cloud) and catalogue their IDs",
        description="Check, convert and upload images through Open Cloud, then record each "
                    "asset ID in the catalogue (status: in review). The queue lives in the "
                    "catalogue database: if this is interrupted or the computer crashes, run "
                    "it again (with or without the files) and it resumes; nothing is sent "
                    "twice, and a file cut off mid-send waits for your decision (see "
                    "'robloxassets queue'). Content already catalogued is skipped unless "
                    "--force; a near-copy of a catalogued asset is sent with a warning "
                    "naming its ID and moderation state (a rejected one is likely to be "
                    "rejected again). Needs a key: 'robloxassets key set'.")
    upload.add_argument("files", nargs="*", metavar="FILE",
                        help="image files or folders (none: resume the queue)")
    upload.add_argument("--name", help="display name (default: from each file name; with "
                                       "several files they are numbered); at most 50 "
                                       "characters are sent. A file that failed before is "
                                       "sent again under it")
    upload.add_argument("--description", default="",
                        help=f"description (at most {MAX_DESCRIPTION} characters)")
    upload.add_argument("--type", choices=("image", "decal"), default=None, dest="asset_type",
                        help=f"{ASSET_TYPE_HELP[AssetType.IMAGE]} "
                             f"{ASSET_TYPE_HELP[AssetType.DECAL]}")
    who = upload.add_mutually_exclusive_group()
    who.add_argument("--user", type=_positive_id, metavar="ID",
                     help="upload for this user (default: the key's owner)")
    who.add_argument("--group", type=_positive_id, metavar="ID", help="upload for this group")
    upload.add_argument("--max-side", type=_side, default=None, metavar="PIXELS",
                        help="largest side of what is sent (default: the setting, see "
                             "'robloxassets largest-side')")
    upload.add_argument("--force", action="store_true",
                        help="upload content that is already catalogued")
    upload.add_argument("--rename-moderated", action="store_true",
                        help="when moderation refuses a name, try once more under a neutral "
                             "one (the catalogue keeps yours)")
    upload.add_argument("--wait", action="store_true",
                        help="after uploading, wait until moderation approves or rejects "
                             "each file (or the time limit passes)")
    upload.add_argument("--wait-limit", type=float, default=WAIT_LIMIT_MINUTES,
                        metavar="MINUTES", help=f"how long --wait waits (default "
                                                f"{WAIT_LIMIT_MINUTES:g})")
    upload.add_argument("--json", action="store_true",
                        help="print a JSON list of objects (file, asset_id, asset_type, "
                             "operation_id, moderation_state, error, near_copies, ...)")
    upload.set_defaults(func=run_upload)

    mod = subparsers.add_parser(
        "moderation", help="refresh the moderation state of catalogued assets",
        description="Ask Roblox for the moderation state of the given catalogue entries "
                    "(default: every entry in review) and record it.")
    mod.add_argument("ids", nargs="*", metavar="ID", help="asset IDs, in any form")
    mod.add_argument("--json", action="store_true", help="print a JSON list of objects")
    mod.set_defaults(func=run_moderation)

    queue = subparsers.add_parser(
        "queue", help="list the upload queue, retry or cancel items",
        description="The upload queue. Without an action, lists it. Items that 'may have "
                    "been uploaded' wait for you: check the Creator Dashboard, then 'queue "
                    "retry N' to send again or 'queue cancel N' to drop it.")
    queue.add_argument("--json", action="store_true", help="print a JSON list of objects")
    queue.add_argument("--all", action="store_true", help="include finished uploads")
    actions = queue.add_subparsers(dest="queue_action", metavar="ACTION")
    retry = actions.add_parser("retry", help="send failed items again")
    retry.add_argument("items", nargs="+", type=_positive_id, metavar="ITEM")
    cancel = actions.add_parser("cancel", help="remove items that were not sent")
    cancel.add_argument("items", nargs="+", type=_positive_id, metavar="ITEM")
    rename = actions.add_parser(
        "rename", help="give a queued or failed item a new name (then 'queue retry N')",
        description="Give a queued or failed item a new name, e.g. after moderation "
                    "refused the old one; 'queue retry N' (or 'upload') sends a failed one "
                    "again. 'upload FILE --name NAME' does both at once.")
    rename.add_argument("item", type=_positive_id, metavar="ITEM")
    rename.add_argument("name", metavar="NAME")
    actions.add_parser("clear", help="remove approved and rejected uploads from the list")
    queue.set_defaults(func=run_queue)

    side = subparsers.add_parser(
        "largest-side", help="show or set the largest side for checks, copies and uploads",
        description=f"The largest side used by check, fit and upload: "
                    f"{' / '.join(map(str, LARGEST_SIDE_CHOICES))} pixels. {LARGEST_SIDE_HELP}")
    side.add_argument("pixels", nargs="?", type=int, choices=LARGEST_SIDE_CHOICES)
    side.set_defaults(func=run_largest_side)


# -- upload --------------------------------------------------------------------------------

def _creator(args: argparse.Namespace, settings: Settings, client: Client) -> Creator:
    if args.user:
        return Creator("user", args.user)
    if args.group:
        return Creator("group", args.group)
    saved = saved_creator(settings)
    if saved is not None:
        return saved
    info = introspect(client)
    creator = prefill_creator(settings, info)
    settings.save()
    if creator is None:
        raise UserError("Roblox did not say who owns the key; give --user ID or --group ID.")
    return creator


class _Printer:
    """Lines as uploads finish, notices on stderr (each once until it changes)."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.last_notice = ""
        self.printed: set[tuple[int, State]] = set()

    def event(self, event: Event) -> None:
        if event.kind is EventKind.NOTICE and event.message != self.last_notice:
            self.last_notice = event.message
            print(f"robloxassets: {printable(event.message)}", file=sys.stderr, flush=True)
        elif event.kind is EventKind.STOPPED:
            print(f"robloxassets: {printable(event.message)}", file=sys.stderr, flush=True)
        elif event.kind is EventKind.ITEM and event.item is not None:
            item = event.item
            if self.quiet:
                return
            if _processing(item):
                pass  # given up waiting for Roblox: said, with what happens next
            elif item.state in (State.QUEUED, State.PREPARING, State.SENDING):
                return
            if (item.state is State.IN_REVIEW and item.asset_type is AssetType.DECAL
                    and item.image_id is None and item.error_kind != "no-image-id"):
                return  # its image ID is being looked up: print the line with it
            if (item.id, item.state) not in self.printed:
                self.printed.add((item.id, item.state))
                print(_line(item), flush=True)


def _processing(item: UploadItem) -> bool:
    """Accepted by Roblox, still processing when this run stopped waiting for it."""
    return (item.state is State.SENDING and item.operation_path is not None
            and item.error_kind == "processing")


def _line(item: UploadItem) -> str:
    if item.state.accepted:
        ids = f"rbxassetid://{item.script_id}" if item.script_id else \
            f"decal {item.asset_id}"
        extra = f" (decal {item.asset_id})" if item.asset_type is AssetType.DECAL and \
            item.script_id else ""
        return f"{item.state.label.lower():<11} {ids}{extra}  {printable(item.source_path)}"
    error = item.error
    name = Path(item.source_path).name
    if error.startswith(name + ": "):  # "wall.png: Can't be read: ..." -> "Can't be read: ..."
        error = error[len(name) + 2:]
    label = "processing" if _processing(item) else item.state.label.lower()
    return f"{label:<11} {printable(item.source_path)}: {printable(error)}"


def _install_stop(runner_stop: Any) -> Any:
    """First Ctrl+C stops cleanly (requests on the wire finish and are recorded); a second
    one interrupts at once."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def handler(signum: int, frame: Any) -> None:
        runner_stop()
        print("robloxassets: stopping after the uploads on their way (Ctrl+C again to "
              "interrupt)...", file=sys.stderr, flush=True)
        signal.signal(signal.SIGINT, previous)

    previous = signal.signal(signal.SIGINT, handler)
    return previous


def run_upload(args: argparse.Namespace) -> int:
    settings = Settings()
    key = apikey.require_key()
    queue = UploadQueue()
    with Client(key) as client:
        added = AddResult()
        if args.files:
            asset_type = (AssetType(args.asset_type) if args.asset_type
                          else saved_asset_type(settings))
            options = UploadOptions(
                creator=_creator(args, settings, client), asset_type=asset_type,
                description=args.description, name=args.name,
                max_side=args.max_side or largest_side(settings))
            added = queue.add(args.files, options, force=args.force)
            for skipped in added.skipped:
                print(f"robloxassets: skipped: {printable(skipped.reason)}"
                      + (" Use --force to upload it anyway." if skipped.entry else ""),
                      file=sys.stderr)
            _say_resumed(added)
        # Said before anything is sent (a rejected near-copy is likely to be rejected again);
        # a command can't ask, so it warns and sends (exact copies are skipped unless --force).
        copies = _near_copies([i.source_path for i in added.added], settings)
        printer = _Printer(args.json)
        give_up = max(PROCESSING_LIMIT, args.wait_limit * 60) if args.wait else \
            PROCESSING_LIMIT
        config = RunnerConfig(rename_moderated=args.rename_moderated,
                              poll=PollSchedule(give_up=give_up))
        runner = queue.runner(client, config=config, on_event=printer.event)
        previous = _install_stop(runner.stop)
        try:
            report = runner.run()
        finally:
            if previous is not None:
                signal.signal(signal.SIGINT, previous)
        if report.recovery.flagged:
            print(f"robloxassets: {len(report.recovery.flagged)} upload(s) were cut off while "
                  "being sent last time and may have been uploaded; see 'robloxassets queue'.",
                  file=sys.stderr)
        ids = [i.id for i in added.items] or sorted(report.touched)
        if args.wait and not report.stopped:
            _wait_for_moderation(client, ids, args.wait_limit * 60, printer)
        items = queue.many(ids)
    batch = [items[i] for i in ids if i in items]
    if args.json:
        rows = [{**item.to_json(), "near_copies": [
            m.to_json() for m in copies.get(item.source_path, [])]} for item in batch]
        rows += [{"file": s.path, "asset_id": s.entry.asset_id if s.entry else None,
                  "asset_type": None, "operation_id": None,
                  "moderation_state": s.entry.status.value if s.entry else None,
                  "error": s.reason, "near_copies": []} for s in added.skipped]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        _summary(batch, added, printer, queue)
    good = all(item.state.accepted and item.state is not State.REJECTED for item in batch)
    good = good and all(s.entry is not None for s in added.skipped)
    if report.disk_error:
        return IO_EXIT_CODE
    return 0 if good and not report.stopped else 1


def _near_copies(paths: list[str], settings: Settings) -> dict[str, list[CatalogMatch]]:
    """Warn (stderr) of each file that looks like a catalogued asset, naming its ID and
    moderation state; the matches by path, for ``--json``."""
    if not paths:
        return {}
    try:
        with Catalog() as catalog:
            entries = load_catalogue(catalog)
    except UserError as exc:
        print(f"robloxassets: note: {exc.message} Not compared with the catalogue.",
              file=sys.stderr)
        return {}
    found = upload_near_copies(paths, entries, cache=ScanCache(),
                               threshold=duplicate_threshold(settings))
    for path, matches in found.items():
        for match in matches[:3]:
            print(f"robloxassets: warning: {printable(Path(path).name)}: "
                  f"{printable(match.describe())}",
                  file=sys.stderr)
    return found


def _files(count: int) -> str:
    """"1 file is" / "3 files are"."""
    return f"{count} file is" if count == 1 else f"{count} files are"


def _say_resumed(added: AddResult) -> None:
    again = set(added.requeued)
    waiting = [i for i in added.resumed if i.state is State.NEEDS_DECISION]
    rest = len(added.resumed) - len(again) - len(waiting)
    if again:
        print(f"robloxassets: {_files(len(again))} in the queue after failing; sending "
              f"{'it' if len(again) == 1 else 'them'} again.", file=sys.stderr)
    if waiting:
        print(f"robloxassets: {_files(len(waiting))} waiting for your decision (it may have "
              "been uploaded already); see 'robloxassets queue'.", file=sys.stderr)
    if rest:
        print(f"robloxassets: {_files(rest)} already in the queue; carrying on with "
              f"{'it' if rest == 1 else 'them'}.", file=sys.stderr)


def _summary(batch: list[UploadItem], added: AddResult, printer: _Printer,
             queue: UploadQueue) -> None:
    if not batch and not added.skipped:
        in_queue = queue.counts()
        waiting = in_queue[State.FAILED] + in_queue[State.NEEDS_DECISION]
        if waiting:
            print(f"Nothing to send: {waiting} upload{'' if waiting == 1 else 's'} failed or "
                  f"{'waits' if waiting == 1 else 'wait'} for your decision; 'robloxassets "
                  "queue' lists them ('queue retry N' sends one again).")
        else:
            print("Nothing to upload: the queue is empty.")
        return
    for item in batch:
        # A failure this run did not print (an item from an earlier run) still gets its
        # reason: "1 failed." alone says nothing.
        if ((item.state.waiting_for_user or _processing(item))
                and (item.id, item.state) not in printer.printed):
            printer.printed.add((item.id, item.state))
            print(_line(item))
    counts: dict[str, int] = {}
    for item in batch:
        label = "still processing" if _processing(item) else item.state.label.lower()
        counts[label] = counts.get(label, 0) + 1
    if added.skipped:
        counts["skipped"] = len(added.skipped)
    print(", ".join(f"{n} {label}" for label, n in counts.items()) + ".")
    if any(item.state is State.NEEDS_DECISION for item in batch):
        print("Some uploads need your decision: 'robloxassets queue' lists them.")


def _wait_for_moderation(client: Client, ids: list[int], limit: float, printer: _Printer
                         ) -> None:
    api = AssetsApi(client)
    deadline = time.monotonic() + limit
    pause = _WAIT_FIRST
    while True:
        with Catalog() as catalog:
            store = UploadStore(catalog)
            waiting = [item for item in store.many(ids).values()
                       if item.state is State.IN_REVIEW and item.entry_id is not None]
            if not waiting:
                return
            entries = catalog.entries_by_ids([i.entry_id for i in waiting if i.entry_id])
            moderation.refresh(catalog, api, entries.values())
            still = 0
            for item in store.many([i.id for i in waiting]).values():
                if item.state is not State.IN_REVIEW:
                    printer.event(Event(EventKind.ITEM, item=item))
                else:
                    still += 1
            if not still:
                return
        left = deadline - time.monotonic()
        if left <= 0:
            print(f"robloxassets: still in review after {limit / 60:g} minutes; run "
                  "'robloxassets moderation' later.", file=sys.stderr)
            return
        if client.wait(min(pause, left)):
            return
        pause = min(pause * 1.5, _WAIT_LONGEST)


# -- moderation ----------------------------------------------------------------------------

def run_moderation(args: argparse.Namespace) -> int:
    key = apikey.require_key()
    unknown: list[str] = []
    with Catalog() as catalog:
        entries: list[Entry] = []
        if args.ids:
            for text in args.ids:
                try:
                    entries.append(catalog.find(text))
                except UserError as exc:  # said, and the other IDs are still refreshed
                    unknown.append(exc.message)
                    print(f"robloxassets: {printable(exc.message)}", file=sys.stderr)
        else:
            entries = moderation.in_review(catalog)
        if not entries:
            if not unknown:
                print("[]" if args.json else "Nothing is in review.")
            elif args.json:
                print("[]")
            return 1 if unknown else 0
        with Client(key) as client:
            results = moderation.refresh(catalog, AssetsApi(client), entries)
    if args.json:
        print(json.dumps([r.to_json() for r in results], indent=2, ensure_ascii=False))
    else:
        for result in results:
            if result.after is None:
                print(f"unknown     {result.asset_id}  {printable(result.entry.name)}: "
                      f"{printable(result.error)}")
                continue
            change = f" (was {result.before.label.lower()})" if result.changed else ""
            print(f"{result.after.label.lower():<11} {result.asset_id}  "
                  f"{printable(result.entry.name)}{change}")
    return 0 if all(r.after is not None for r in results) and not unknown else 1


# -- queue ---------------------------------------------------------------------------------

def _queue_lines(items: Iterable[UploadItem]) -> list[str]:
    lines = []
    for item in items:
        wait = item.review_wait()
        extra = f", in review {format_wait(wait)}" if wait is not None else ""
        ids = f"  {item.asset_type.value} {item.asset_id}" if item.asset_id else ""
        line = f"{item.id:>5}  {item.state.label:<16} {printable(item.name)}{ids}{extra}"
        if item.error:
            line += f"\n       {printable(item.error)}"
        lines.append(line)
    return lines


def run_queue(args: argparse.Namespace) -> int:
    queue = UploadQueue()
    action = getattr(args, "queue_action", None)
    if action == "retry":
        count = queue.retry(args.items)
        print(f"{count} item(s) queued again; 'robloxassets upload' sends them.")
        return 0
    if action == "cancel":
        count = queue.cancel(args.items)
        print(f"{count} item(s) removed from the queue (items already accepted, or being "
              "sent by a window or command running now, can't be cancelled).")
        return 0
    if action == "rename":
        if not queue.rename(args.item, args.name):
            print(f"robloxassets: item {args.item} is not in the queue as queued, failed or "
                  "waiting for a decision, "
                  "so it can't be renamed.", file=sys.stderr)
            return 1
        item = queue.get(args.item)
        shown = printable(repr(item.name)) if item else ""
        print(f"Item {args.item} is now named {shown}"
              + (f"; 'robloxassets queue retry {args.item}' sends it again."
                 if item and item.state is State.FAILED else "."))
        return 0
    if action == "clear":
        print(f"{queue.forget_finished()} finished upload(s) removed from the list.")
        return 0
    states = None if args.all else [s for s in State if s not in (State.APPROVED,
                                                                  State.REJECTED)]
    # A listing only reads: on a full disk it still lists (and says why nothing changes).
    with Catalog(queue.catalog_path, reading=True) as catalog:
        if catalog.read_only:
            print(f"robloxassets: note: the catalogue can only be read: {catalog.read_only}.",
                  file=sys.stderr)
        # Items a stopped run left "sending" are shown as what they are now (on a full or
        # read-only disk, what is there is listed as it is).
        with contextlib.suppress(UserError):
            queue.recover_if_idle(catalog)
        items = queue.items(states, catalog=catalog)
    if args.json:
        print(json.dumps([item.to_json() for item in items], indent=2, ensure_ascii=False))
    elif not items:
        print("The upload queue is empty." if args.all else
              "Nothing is waiting in the upload queue (--all lists finished uploads too).")
    else:
        print("\n".join(_queue_lines(items)))
    return 0


# -- largest side --------------------------------------------------------------------------

def run_largest_side(args: argparse.Namespace) -> int:
    settings = Settings()
    if args.pixels is not None:
        settings.set("images.max_side", args.pixels)
        settings.save()
    print(f"Largest side: {largest_side(settings)} px "
          f"(choices: {', '.join(map(str, LARGEST_SIDE_CHOICES))}).")
    print(LARGEST_SIDE_HELP)
    return 0
