"""``robloxassets open [PATH ...]``: the app's window, with these images or folders open in
the Library (what the desktop entry runs for files given to it: ``Exec=robloxassets open %F``).

Exit status is the window's; 2 where no window can open (no desktop session).
"""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "open", help="open the window with images or folders in the Library",
        description="Open the app's window and show these images and folders in the Library "
                    "(a path that is missing, or not an image or folder, is named in the "
                    "status bar). Without paths, the same as running robloxassets alone.")
    parser.add_argument("paths", nargs="*", metavar="PATH", help="an image file or folder")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from robloxassets.gui.app import main as gui_main

    return gui_main(args.paths)
