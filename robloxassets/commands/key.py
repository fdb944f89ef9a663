"""``robloxassets key set|check|forget``: the Open Cloud API key.

set:    exit 0 when saved (and accepted by Roblox, or Roblox could not be asked), 1 otherwise.
check:  exit 0 when the key can upload, 1 otherwise.
forget: exit 0.
The key is read from a hidden prompt or from standard input, never from an argument (those
end up in shell history and process lists), and is never printed.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from typing import Any

from robloxassets.core.cloud import apikey
from robloxassets.core.cloud.apikey import ApiKeyError
from robloxassets.core.cloud.client import Client
from robloxassets.core.cloud.keyinfo import KeyInfo, introspect
from robloxassets.core.cloud.keysetup import check_and_save
from robloxassets.core.settings import Settings
from robloxassets.core.upload.defaults import prefill_creator

#: A pasted key is at most a few hundred characters; more is not a key (and not read).
_MAX_INPUT = 16384


def register(subparsers: Any) -> None:
    key = subparsers.add_parser(
        "key", help="save, check or forget the Open Cloud API key",
        description="The Open Cloud API key used for uploads. It is kept in the system "
                    "keyring (or read from ROBLOXASSETS_API_KEY, which wins when set) and "
                    "never written to a file or printed. Create one on the Creator Dashboard "
                    "(Open Cloud > API Keys) with the Assets API, asset:read and asset:write; "
                    "add legacy-asset:manage to find the image ID inside uploaded decals.")
    actions = key.add_subparsers(dest="key_action", metavar="ACTION", required=True)
    set_key = actions.add_parser(
        "set", help="save a key (asked for without echo, or read from standard input)",
        description="Save the key in the system keyring after asking Roblox about it. The key "
                    "is read from a hidden prompt, or from standard input when it is not a "
                    "terminal ('robloxassets key set < key.txt').")
    set_key.add_argument("--stdin", action="store_true",
                         help="read the key from standard input even on a terminal")
    set_key.set_defaults(func=run_set)
    check = actions.add_parser("check", help="ask Roblox what the saved key may do")
    check.add_argument("--json", action="store_true", help="print a JSON object")
    check.set_defaults(func=run_check)
    forget = actions.add_parser("forget", help="remove the key from the system keyring")
    forget.set_defaults(func=run_forget)


def _read_key(args: argparse.Namespace) -> str:
    if args.stdin or not sys.stdin.isatty():
        text = sys.stdin.read(_MAX_INPUT + 1)
        if len(text) > _MAX_INPUT:
            raise ApiKeyError("Standard input holds far more than a key; give only the key.")
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if len(lines) > 1:
            raise ApiKeyError("Standard input holds several lines; give only the key.")
        return lines[0] if lines else ""
    return getpass.getpass("Open Cloud API key (not shown): ")


def _report(info: KeyInfo) -> None:
    for line in info.report():
        print(line)


def _remember_owner(info: KeyInfo) -> None:
    settings = Settings()
    creator = prefill_creator(settings, info)
    settings.save()
    if creator is not None:
        print(f"Uploads go to {creator} unless you give --user or --group.")


def run_set(args: argparse.Namespace) -> int:
    problem = apikey.keyring_problem()
    if problem:
        raise ApiKeyError(problem)
    saved = check_and_save(_read_key(args))
    if saved.note:
        print(f"robloxassets: note: the key could not be checked now ({saved.note}); it "
              "is saved anyway. Run 'robloxassets key check' later.", file=sys.stderr)
    print(f"Saved the key in the system keyring ({saved.keyring}).")
    if saved.environment_wins:
        print(f"Note: {apikey.ENV} is set and is used instead while it is.")
    if saved.info is None:
        return 0
    _report(saved.info)
    _remember_owner(saved.info)
    return 1 if saved.info.problems() else 0


def run_check(args: argparse.Namespace) -> int:
    key = apikey.require_key()
    with Client(key) as client:
        info = introspect(client, key)
    if args.json:
        print(json.dumps({
            "source": key.source, "name": info.name, "owner_id": info.owner_id,
            "scopes": sorted(info.scopes), "enabled": info.enabled, "expired": info.expired,
            "expires": info.expires.isoformat() if info.expires else None,
            "problems": info.problems(),
        }, indent=2))
    else:
        where = ("the system keyring" if key.source == "keyring"
                 else f"the environment variable {apikey.ENV}")
        print(f"Using the key from {where}.")
        _report(info)
        _remember_owner(info)
    return 1 if info.problems() else 0


def run_forget(args: argparse.Namespace) -> int:
    removed = apikey.forget_key()
    print("Removed the key from the system keyring." if removed
          else "No key was saved in the system keyring.")
    if apikey.load_key() is not None:
        print(f"{apikey.ENV} is still set in the environment; unset it to stop using that key.")
    return 0
