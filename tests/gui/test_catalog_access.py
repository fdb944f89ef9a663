"""The window's catalogue access: reads and writes off the UI thread, answers on it, and a
write that waits for another connection's lock instead of failing."""

from __future__ import annotations

import sqlite3
import threading

from robloxassets.core.catalog import db
from robloxassets.core.catalog.model import Entry
from robloxassets.core.catalog.store import Catalog
from robloxassets.gui.catalog_access import CatalogAccess, WriteCancelled


def test_reads_and_writes_run_off_the_ui_thread_and_answer_on_it(qtbot, qapp) -> None:
    access = CatalogAccess()
    ran_on: list[int] = []
    answered_on: list[int] = []
    try:
        def add(catalog: Catalog) -> Entry:
            ran_on.append(threading.get_ident())
            return catalog.add(Entry(name="Lamp", decal_id=5))

        with qtbot.waitSignal(access.changed):
            access.write(add, on_done=lambda _e: answered_on.append(threading.get_ident()))

        def total(catalog: Catalog) -> int:
            ran_on.append(threading.get_ident())
            return catalog.total()

        results: list[int] = []
        access.read(total, on_done=results.append)
        qtbot.waitUntil(lambda: results == [1])
        main = threading.get_ident()
        assert main not in ran_on and answered_on == [main]
    finally:
        access.shutdown()


def test_a_write_waits_for_the_lock_and_goes_through_when_it_is_free(qtbot, qapp) -> None:
    with Catalog() as catalog:
        catalog.add(Entry(name="First", decal_id=1))
    access = CatalogAccess()
    holder = sqlite3.connect(db.default_path(), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        done: list[Entry] = []
        with qtbot.waitSignal(access.waiting, check_params_cb=lambda waiting: waiting):
            access.write(lambda catalog: catalog.add(Entry(name="Second", decal_id=2)),
                         on_done=done.append)
        assert access.is_waiting and access.writing and not done
        with qtbot.waitSignal(access.waiting, check_params_cb=lambda waiting: not waiting):
            holder.execute("ROLLBACK")
        qtbot.waitUntil(lambda: len(done) == 1)
        assert done[0].name == "Second" and not access.writing

        # Cancelled while it waits: nothing is written, the caller hears why.
        holder.execute("BEGIN IMMEDIATE")
        errors: list[BaseException] = []
        handle = access.write(lambda catalog: catalog.add(Entry(name="Third", decal_id=3)),
                              on_error=errors.append)
        qtbot.waitUntil(lambda: access.is_waiting)
        handle.cancel()
        qtbot.waitUntil(lambda: bool(errors))
        assert isinstance(errors[0], WriteCancelled)
        holder.execute("ROLLBACK")
    finally:
        holder.close()
        access.shutdown()
    with Catalog() as catalog:
        assert [e.name for e in catalog.search()] == ["First", "Second"]
