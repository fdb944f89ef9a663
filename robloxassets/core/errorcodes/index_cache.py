"""The search index kept on disk, so the knowledge base is ready to search in a few ms.

Building the index (words, stems, word pairs, typo forms of every entry) takes 45-70 ms on
this project's 2-core machine; reading it back takes 5-8 ms. The file is named after a
fingerprint of everything the index is made from (the entries, after the user's overrides,
and the app's version), so a changed override file or a new release builds it again, and a
stale file is never read. It lives in the cache folder: deleting it costs one rebuild.

The file is a pickle read by an unpickler that only builds the index's own plain types
(dicts, lists, tuples, text, numbers and ``Posting``): a file someone else put there can make
the read fail, never run code. Any failure to read or write it only means building the
index in memory, as without a cache.
"""

from __future__ import annotations

import hashlib
import io
import logging
import pickle
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from robloxassets import __version__
from robloxassets.core import paths, safeio
from robloxassets.core.atomic import write_bytes_atomic
from robloxassets.core.errorcodes.index import Posting, SearchIndex
from robloxassets.core.errorcodes.model import Entry

log = logging.getLogger(__name__)

#: Bump when SearchIndex's attributes change meaning (its code version is in the name too).
FORMAT = 1
_PREFIX = "errorcodes-index-"
#: A real index is about 250 KB; anything far bigger is not one of ours.
_MAX_BYTES = 16 * 1024 * 1024


def fingerprint(entries: Sequence[Entry]) -> str:
    """What the index of ``entries`` depends on, as a short hex digest."""
    digest = hashlib.sha256(f"{__version__}\0{FORMAT}\0".encode())
    digest.update(repr(tuple(entries)).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:24]


def cache_path(entries: Sequence[Entry]) -> Path:
    return paths.cache_dir() / f"{_PREFIX}{fingerprint(entries)}.pickle"


def load_or_build(entries: Sequence[Entry]) -> SearchIndex:
    """The index of ``entries``: read from the cache when it holds this very index, else
    built (and written there for next time)."""
    entries = tuple(entries)
    try:
        path = cache_path(entries)
    except OSError as exc:  # no cache folder can be made: build in memory
        log.info("No cache folder for the error-code index: %s", exc)
        return SearchIndex(entries)
    index = _read(path, entries)
    if index is not None:
        return index
    index = SearchIndex(entries)
    _write(path, index)
    return index


class _IndexUnpickler(pickle.Unpickler):
    """Builds only the types an index holds; any other class in the file stops the read."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == (Posting.__module__, Posting.__name__):
            return Posting
        raise pickle.UnpicklingError(f"unexpected {module}.{name} in the index cache")


def _read(path: Path, entries: tuple[Entry, ...]) -> SearchIndex | None:
    try:
        data = safeio.read_bytes(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        log.info("Error-code index cache %s not read: %s", path, exc)
        return None
    if len(data) > _MAX_BYTES:
        return None
    try:
        state = _IndexUnpickler(io.BytesIO(data)).load()
        return SearchIndex.from_state(entries, state)
    except Exception as exc:  # damaged, foreign or from another version: build it again
        log.info("Error-code index cache %s not usable (%s); building the index", path, exc)
        return None


def _write(path: Path, index: SearchIndex) -> None:
    try:
        write_bytes_atomic(path, pickle.dumps(index.state(), protocol=pickle.HIGHEST_PROTOCOL))
        for old in path.parent.glob(f"{_PREFIX}*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except (OSError, pickle.PicklingError) as exc:  # read-only or full cache: no cache
        log.info("Error-code index cache %s not written: %s", path, exc)
