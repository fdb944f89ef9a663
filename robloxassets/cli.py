"""The ``robloxassets`` command: the GUI with no subcommand, the scriptable CLI with one."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import logging
import multiprocessing
import sys
from collections.abc import Sequence

from robloxassets import __version__
from robloxassets.core.errors import DISK_ERRNOS, UserError, disk_error
from robloxassets.core.logs import log_path, setup_logging
from robloxassets.core.printable import printable

log = logging.getLogger(__name__)

# Modules under robloxassets.commands, in the order their subcommands are listed in --help.
COMMAND_MODULES = ("window", "library", "catalog", "errors", "upload", "key", "duplicates")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="robloxassets",
        description="Decal library, asset ID catalogue, uploads and error-code lookup for "
                    "Roblox creators. Run without a command to open the app.",
        epilog="exit status: 0 done, 1 something needs attention (see each command), 2 usage "
               "error or bad input, 3 a bug in the app (details in the log), 74 the disk "
               "refused a read or write (full, read-only or failing; the message names the "
               "file and what to do), 75 the catalogue is busy.",
    )
    parser.add_argument("--version", action="version", version=f"robloxassets {__version__}")
    parser.add_argument("--self-test", action="store_true",
                        help="check that this installation works (offscreen, in a temporary "
                             "folder) and exit: 0 when it does")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"robloxassets.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"robloxassets.commands.{name}":
                raise
            continue
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # In a frozen Windows build this is how the scanner's worker processes start; elsewhere
    # it does nothing.
    multiprocessing.freeze_support()
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list == ["--self-test"]:  # before logging starts: it runs in a home of its own
        from robloxassets.selftest import main as self_test

        return self_test()
    _printable_streams()
    setup_logging()
    parser = build_parser()
    args = parser.parse_args(args_list)
    if args.command is None:
        from robloxassets.gui.app import main as gui_main

        return gui_main([])
    try:
        return int(args.func(args))
    except UserError as exc:
        # Messages quote names and cells the user wrote: escape what could drive the terminal
        # (the message's own line breaks stay).
        text = "\n".join(printable(line) for line in exc.message.split("\n"))
        print(f"robloxassets: {text}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("robloxassets: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:
        # The disk refused somewhere no command expected it: still a message, not a bug.
        log.exception("Disk error in %s", args.command)
        if exc.errno not in DISK_ERRNOS:
            return _bug()
        error = disk_error(exc, doing="read or write", after="")
        print(f"robloxassets: {error.message}", file=sys.stderr)
        return error.exit_code
    except Exception:
        log.exception("Unexpected error in %s", args.command)
        return _bug()


def _bug() -> int:
    print(f"robloxassets: something went wrong inside the app (a bug). Details are in "
          f"{log_path()}.", file=sys.stderr)
    return 3


def _printable_streams() -> None:
    """A file name that isn't valid UTF-8 (or a terminal that isn't) must not stop the
    output: characters the stream can't encode come out as backslash escapes (in JSON
    output, those are valid string escapes)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):  # a stream replaced by a test
                reconfigure(errors="backslashreplace")
