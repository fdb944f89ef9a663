"""The upload queue as the GUI and the CLI use it: add files, list, retry, cancel, rename,
and a ``Runner`` to work it.

Every method opens the catalogue for the call (or uses the one given), so any thread may call
them; the queue's state is all in the database, none in this object.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from robloxassets.core.catalog.hashing import sha256_file
from robloxassets.core.catalog.model import Entry
from robloxassets.core.catalog.store import Catalog
from robloxassets.core.cloud.client import Client
from robloxassets.core.errors import UserError
from robloxassets.core.images.rules import is_image_path
from robloxassets.core.images.scan import find_images
from robloxassets.core.printable import printable
from robloxassets.core.upload import prepare
from robloxassets.core.upload.lock import RunnerLock
from robloxassets.core.upload.model import (
    State,
    UploadItem,
    UploadOptions,
    check_upload_description,
    check_upload_name,
    clean_name,
    name_from_path,
)
from robloxassets.core.upload.runner import Event, Runner, RunnerConfig
from robloxassets.core.upload.store import NewUpload, Recovery, UploadStore

_T = TypeVar("_T")


def read_only_refusal(reason: str) -> str:
    """Why nothing can be uploaded while the catalogue can only be read (the queue lives in
    it): the window's tooltips, banner and refusals say this."""
    return (f"The catalogue can only be read ({reason}): nothing can be uploaded, since the "
            "upload queue lives in it.")


@dataclass(frozen=True)
class Skipped:
    """A file not added, and why. ``entry`` is the catalogue entry with the same content (the
    GUI asks whether to upload it anyway; the CLI says to use --force)."""

    path: str
    reason: str
    entry: Entry | None = None


@dataclass
class AddResult:
    added: list[UploadItem] = field(default_factory=list)
    #: Files already in the queue and not finished: their existing items (not added again).
    resumed: list[UploadItem] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    #: IDs of resumed items that had failed and were queued again (given again, a failed
    #: file is sent again).
    requeued: list[int] = field(default_factory=list)

    @property
    def items(self) -> list[UploadItem]:
        return [*self.resumed, *self.added]


def expand(paths: Iterable[str]) -> Iterator[str]:
    """Files as given (absolute), and the images inside folders."""
    for path in paths:
        if os.path.isdir(path):
            for found in find_images([path]):
                yield os.path.abspath(found)
        else:
            yield os.path.abspath(path)


def numbered(name: str, number: int, total: int) -> str:
    return name if total == 1 or number == 1 else f"{name} {number}"


class UploadQueue:
    def __init__(self, catalog_path: Path | None = None) -> None:
        self.catalog_path = catalog_path

    def _open(self) -> Catalog:
        return Catalog(self.catalog_path)

    def _with_store(self, work: Callable[[UploadStore], _T],
                    catalog: Catalog | None = None) -> _T:
        if catalog is not None:
            return work(UploadStore(catalog))
        with self._open() as opened:
            return work(UploadStore(opened))

    # --- adding ---------------------------------------------------------------------------
    def add(self, paths: Iterable[str], options: UploadOptions, *, force: bool = False,
            catalog: Catalog | None = None, names: Mapping[str, str] | None = None
            ) -> AddResult:
        """Queue files (folders: the images inside). A file whose content is already queued
        is not added twice (its item is returned as resumed: renamed when a name is given, and
        queued again if it had failed); content already catalogued is
        skipped unless ``force``. Nothing is read beyond the content hash: the check and the
        conversion happen when the runner prepares each file. ``names``: a name per file
        (absolute path; the Upload dialog's edited names), before ``options.name``."""
        # Every name and the description are checked before anything is queued: one the
        # catalogue can't record would otherwise be sent, accepted and then fail for good.
        base_name = clean_name(options.name) if options.name is not None else ""
        if base_name:
            check_upload_name(base_name)
        description = check_upload_description(options.description)
        chosen = {os.path.abspath(k): check_upload_name(v)
                  for k, v in (names or {}).items() if clean_name(v)}
        if catalog is None:
            with self._open() as opened:
                return self.add(paths, options, force=force, catalog=opened, names=names)
        store = UploadStore(catalog)
        result = AddResult()
        files = list(dict.fromkeys(expand(paths)))
        news: list[NewUpload] = []
        resumed: list[tuple[UploadItem, str]] = []
        seen: set[str] = set()
        for number, path in enumerate(files, start=1):
            problem = _file_problem(path) or prepare.refusal(path, options.max_side)
            if problem:
                result.skipped.append(Skipped(path, problem))
                continue
            try:
                digest = sha256_file(path)
            except UserError as exc:
                result.skipped.append(Skipped(path, exc.message))
                continue
            if digest in seen:
                result.skipped.append(Skipped(path, f"{Path(path).name} has the same content "
                                              "as another file of this batch."))
                continue
            seen.add(digest)
            name = chosen.get(path) or (
                check_upload_name(numbered(base_name, number, len(files))) if base_name
                else "")
            existing = store.unfinished_for(digest)
            if existing is not None:
                resumed.append((existing, name))
                continue
            if not force:
                found = catalog.find_by_sha256([digest]).get(digest)
                if found:
                    entry = found[0]
                    result.skipped.append(Skipped(
                        path, f"{Path(path).name} is already catalogued as {entry.name!r} "
                              f"({entry.content_id or entry.ids_text}); not uploaded again.",
                        entry))
                    continue
            news.append(NewUpload(path, digest, name or name_from_path(path), description,
                                  options.asset_type, options.creator, options.privacy,
                                  options.max_side))
        # Changes only once every name has passed: a refused one leaves the queue as it was.
        for existing, name in resumed:
            if existing.state in (State.QUEUED, State.FAILED) and (name or description):
                store.rename(existing.id, name or existing.name, description or None)
            if existing.state is State.FAILED:
                # Given again, a failed file is sent again (Roblox made nothing of it), under
                # the new name if one was given.
                store.retry([existing.id])
                result.requeued.append(existing.id)
        again = store.many([existing.id for existing, _ in resumed])
        result.resumed = [again.get(existing.id, existing) for existing, _ in resumed]
        ids = store.add(news)
        found_items = store.many(ids)
        result.added = [found_items[i] for i in ids if i in found_items]
        return result

    # --- reading --------------------------------------------------------------------------
    def items(self, states: Iterable[State] | None = None, limit: int | None = None,
              catalog: Catalog | None = None) -> list[UploadItem]:
        return self._with_store(lambda s: s.items(states, limit), catalog)

    def get(self, item_id: int, catalog: Catalog | None = None) -> UploadItem | None:
        return self._with_store(lambda s: s.get(item_id), catalog)

    def many(self, ids: Iterable[int], catalog: Catalog | None = None
             ) -> dict[int, UploadItem]:
        wanted = list(ids)
        return self._with_store(lambda s: s.many(wanted), catalog)

    def counts(self, catalog: Catalog | None = None) -> dict[State, int]:
        return self._with_store(lambda s: s.counts(), catalog)

    # --- the user's decisions -------------------------------------------------------------
    def retry(self, ids: Iterable[int], catalog: Catalog | None = None) -> int:
        """Send failed items again; for items that "may have been uploaded" this is the user's
        decision that they were not."""
        wanted = list(ids)
        return self._with_store(lambda s: s.retry(wanted), catalog)

    def cancel(self, ids: Iterable[int], catalog: Catalog | None = None) -> int:
        """Remove items nobody is sending: while no runner works (no process holds the lock)
        that includes items left "sending" or "preparing"; while one works, only items not
        on their way."""
        wanted = list(ids)
        lock = RunnerLock()
        try:
            idle = lock.acquire()
        except OSError:  # the lock file can't be made (read-only data folder)
            idle = False
        try:
            return self._with_store(lambda s: s.cancel(wanted, idle=idle), catalog)
        finally:
            lock.release()

    def recover_if_idle(self, catalog: Catalog | None = None) -> Recovery | None:
        """When no runner works, put items a stopped run left "preparing" or "sending"
        where they belong (``UploadStore.recover``): the list never shows an item on its way
        that nobody is sending. None when a runner works (or the lock can't be made)."""
        lock = RunnerLock()
        try:
            if not lock.acquire():
                return None
        except OSError:
            return None
        try:
            return self._with_store(lambda s: s.recover(), catalog)
        finally:
            lock.release()

    def rename(self, item_id: int, name: str, description: str | None = None,
               catalog: Catalog | None = None) -> bool:
        clean = check_upload_name(name)
        text = check_upload_description(description) if description is not None else None
        return self._with_store(lambda s: s.rename(item_id, clean, text), catalog)

    def forget_finished(self, ids: Iterable[int] | None = None,
                        catalog: Catalog | None = None) -> int:
        wanted = list(ids) if ids is not None else None
        return self._with_store(lambda s: s.forget_finished(wanted), catalog)

    # --- running --------------------------------------------------------------------------
    def runner(self, client: Client, *, config: RunnerConfig | None = None,
               on_event: Callable[[Event], None] | None = None) -> Runner:
        return Runner(client, self.catalog_path, config=config, on_event=on_event)


def _file_problem(path: str) -> str:
    name = Path(path).name
    if not os.path.lexists(path):
        return f"{path} does not exist; check the path."
    if not os.path.isfile(path):
        return f"{name} is not a regular file; give image files or folders."
    if not is_image_path(path):
        return f"{name} is not named like an image (.png, .jpg, .bmp, .tga, ...)."
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        # Python hands undecodable bytes over as lone surrogates, which neither the queue's
        # table nor the catalogue can store (the catalogue refuses such a file the same way).
        return (f"{printable(path)} has a name that isn't valid UTF-8, so the catalogue "
                "can't record its ID; rename it and upload it again.")
    return ""
