"""The sample decals shipped with the app, copied where the user can open (and keep) them."""

from __future__ import annotations

import logging
from pathlib import Path

from robloxassets.core import paths
from robloxassets.core.atomic import write_bytes_atomic
from robloxassets.core.errors import UserError
from robloxassets.core.resources import resource

log = logging.getLogger(__name__)

SAMPLE_FOLDER = "Sample decals"


def sample_library() -> Path:
    """The sample decal folder in the user data folder, filled from ``resources/samples``.

    Files already there are left alone (the user may have edited them); missing ones are
    copied again. Raises UserError when the folder cannot be written.
    """
    dest = paths.data_dir() / SAMPLE_FOLDER
    try:
        dest.mkdir(parents=True, exist_ok=True)
        for item in sorted(resource("samples").iterdir(), key=lambda node: node.name):
            if not item.is_file() or item.name.startswith((".", "_")):
                continue
            target = dest / item.name
            if not target.exists():
                write_bytes_atomic(target, item.read_bytes())
    except OSError as exc:
        raise UserError(f"The sample decals couldn't be copied to {dest} "
                        f"({(exc.strerror or str(exc)).lower()}). Check that the folder is "
                        "writable.", exit_code=1) from None
    return dest
