"""The upload queue end to end against the fake Roblox: every state written, nothing sent
twice, errors as sentences, rate limits honoured, crashes recovered."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from robloxassets.core.catalog.model import Entry, Status
from robloxassets.core.catalog.store import Catalog
from robloxassets.core.cloud.assets import (
    AssetsApi,
    AssetType,
    CreateRequest,
    Creator,
    Privacy,
)
from robloxassets.core.cloud.client import Client
from robloxassets.core.cloud.errors import Kind
from robloxassets.core.cloud.ratelimit import Limit, Pacer
from robloxassets.core.upload import moderation
from robloxassets.core.upload.lock import QueueBusy
from robloxassets.core.upload.model import State, UploadOptions
from robloxassets.core.upload.queue import UploadQueue
from robloxassets.core.upload.runner import (
    Event,
    EventKind,
    PollSchedule,
    RunnerConfig,
)
from robloxassets.core.upload.store import NewUpload, UploadStore
from tests.cloudfixtures import make_client
from tests.fakeroblox import FakeRoblox, KeyRecord, Reply

FAST = PollSchedule(first=0.02, factor=1.5, longest=0.2, give_up=30)
USER = Creator("user", 4242)


def images(folder: Path, count: int, size: tuple[int, int] = (300, 200),
           prefix: str = "tile") -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"{prefix}_{i}.png"
        Image.new("RGB", (size[0] + i, size[1]), (20 + i * 9 % 200, 90, 40)).save(path)
        paths.append(str(path))
    return paths


def config(**changes: object) -> RunnerConfig:
    values: dict[str, object] = {"poll": FAST}
    values.update(changes)
    return RunnerConfig(**values)  # type: ignore[arg-type]


class Recorder:
    def __init__(self) -> None:
        self.events: list[Event] = []
        self.threads: set[str] = set()

    def __call__(self, event: Event) -> None:
        self.events.append(event)
        self.threads.add(threading.current_thread().name)

    def states(self, item_id: int) -> list[State]:
        seen: list[State] = []
        for event in self.events:
            if (event.item is not None and event.item.id == item_id
                    and (not seen or seen[-1] is not event.item.state)):
                seen.append(event.item.state)
        return seen

    def notices(self) -> list[str]:
        return [e.message for e in self.events if e.kind is EventKind.NOTICE]


def run(client: Client, queue: UploadQueue, **changes: object):
    recorder = Recorder()
    report = queue.runner(client, config=config(**changes), on_event=recorder).run()
    return report, recorder


@pytest.fixture
def queue() -> UploadQueue:
    return UploadQueue()


@pytest.fixture
def quick(fake: FakeRoblox) -> Iterator[Client]:
    with make_client(fake) as made:
        yield made


def test_a_batch_lands_in_the_catalogue(fake: FakeRoblox, quick: Client, queue: UploadQueue,
                                        tmp_path: Path) -> None:
    files = images(tmp_path / "in", 4)
    big = tmp_path / "in" / "huge_photo.jpg"
    Image.new("RGB", (3000, 1500), (120, 130, 140)).save(big)
    added = queue.add([*files, str(big)], UploadOptions(USER, description="Walls"))
    assert len(added.added) == 5 and all(i.state is State.QUEUED for i in added.added)
    report, recorder = run(quick, queue)
    assert report.stopped == "" and report.creates == 5
    items = queue.many(i.id for i in added.added)
    with Catalog() as catalog:
        for item in items.values():
            assert item.state is State.IN_REVIEW and item.asset_id and item.operation_path
            assert item.prepared_path is not None and not Path(item.prepared_path).exists()
            entry = catalog.find_by_asset_id(item.asset_id)
            assert entry is not None and entry.image_id == item.asset_id
            assert entry.status is Status.IN_REVIEW and entry.file_path == item.source_path
            assert entry.sha256 == item.source_sha256 and entry.description == "Walls"
            assert entry.prepared_sha256 == item.prepared_sha256
            assert recorder.states(item.id) == [State.PREPARING, State.QUEUED, State.SENDING,
                                                State.IN_REVIEW]
    huge = next(i for i in items.values() if i.source_path == str(big))
    assert (huge.width, huge.height) == (1024, 512)  # fitted to the largest side
    assert fake.violations == [] and len(fake.creates) == 5
    assert {c.request["displayName"] for c in fake.creates} == {
        "Tile 0", "Tile 1", "Tile 2", "Tile 3", "Huge photo"}
    assert recorder.threads == {threading.current_thread().name}
    assert recorder.events[-1].kind is EventKind.FINISHED
    assert recorder.events[-1].done == recorder.events[-1].total == 5


def test_the_largest_side_follows_the_option(fake: FakeRoblox, quick: Client,
                                             queue: UploadQueue, tmp_path: Path) -> None:
    path = tmp_path / "big.png"
    Image.new("RGB", (5000, 2500), (1, 2, 3)).save(path)
    added = queue.add([str(path)], UploadOptions(USER, max_side=2048))
    run(quick, queue)
    item = queue.get(added.added[0].id)
    assert (item.width, item.height) == (2048, 1024)
    with Image.open(__import__("io").BytesIO(fake.creates[0].data)) as sent:
        assert sent.size == (2048, 1024)


def test_decals_get_their_image_id(fake: FakeRoblox, quick: Client, queue: UploadQueue,
                                   tmp_path: Path) -> None:
    added = queue.add(images(tmp_path, 2), UploadOptions(USER, AssetType.DECAL))
    run(quick, queue)
    with Catalog() as catalog:
        for item in queue.many(i.id for i in added.added).values():
            expected = fake.asset(item.asset_id).image_id
            assert item.image_id == expected and item.script_id == expected
            entry = catalog.find_by_asset_id(item.asset_id)
            assert entry.decal_id == item.asset_id and entry.image_id == expected
    assert fake.violations == []


def test_a_decal_without_the_lookup_scope_says_why(fake: FakeRoblox, queue: UploadQueue,
                                                   tmp_path: Path) -> None:
    fake.keys["plain-upload-key-000"] = KeyRecord(scopes=("asset:read", "asset:write"))
    added = queue.add(images(tmp_path, 1), UploadOptions(USER, AssetType.DECAL))
    with make_client(fake, key="plain-upload-key-000") as client:
        run(client, queue)
    item = queue.get(added.added[0].id)
    assert item.state is State.IN_REVIEW and item.image_id is None
    assert item.error_kind == "no-image-id" and "legacy-asset:manage" in item.error


def test_preparation_runs_ahead_of_sending(fake: FakeRoblox, quick: Client,
                                          queue: UploadQueue, tmp_path: Path) -> None:
    added = queue.add(images(tmp_path, 5), UploadOptions(USER))
    release = fake.hold("create", 1)
    runner = queue.runner(quick, config=config(send_workers=1))
    worker = threading.Thread(target=runner.run)
    worker.start()
    try:
        assert fake.wait_for(lambda: len(fake.creates) == 1)
        first = added.added[0].id

        def prepared_while_first_is_on_the_wire() -> bool:
            with Catalog() as catalog:
                store = UploadStore(catalog)
                rows = store.many(i.id for i in added.added)
                ahead = [r for r in rows.values() if r.id != first and r.prepared]
                return rows[first].state is State.SENDING and len(ahead) >= 3

        assert _eventually(prepared_while_first_is_on_the_wire)
    finally:
        release.set()
        worker.join(30)
    assert all(i.state is State.IN_REVIEW for i in queue.items())


def _eventually(check, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.02)
    return False


def test_the_create_limit_is_honoured_without_429s(fake: FakeRoblox, queue: UploadQueue,
                                                   tmp_path: Path) -> None:
    fake.limit("create", 4, 1.0, retry_after="0")
    queue.add(images(tmp_path, 10, (40, 40)), UploadOptions(USER))
    with make_client(fake, pacer=Pacer({"create": Limit(4, 1.0)})) as client:
        started = time.monotonic()
        report, _ = run(client, queue)
        elapsed = time.monotonic() - started
    assert fake.refused_429 == 0 and report.rate_limited == 0
    assert len(fake.creates) == 10 and elapsed >= 2.0
    times = [r["at"] for r in fake.requests if r["route"] == "create"]
    for i, start in enumerate(times):
        assert len([t for t in times[i:] if t < start + 1.0]) <= 4


@pytest.mark.parametrize("retry_after", ["1", "0", None])
def test_429s_are_waited_out_never_duplicated(fake: FakeRoblox, queue: UploadQueue,
                                              tmp_path: Path, retry_after: str | None) -> None:
    fake.limit("create", 3, 1.0, retry_after=retry_after)
    added = queue.add(images(tmp_path, 6, (40, 40)), UploadOptions(USER))
    with make_client(fake) as client:  # not pacing: it learns from the 429s
        report, recorder = run(client, queue)
    assert fake.refused_429 >= 1 and report.rate_limited >= 1
    assert len(fake.creates) == 6  # each accepted once
    assert all(i.state is State.IN_REVIEW for i in queue.many(i.id for i in added.added)
               .values())
    assert any("slow down" in text for text in recorder.notices())
    refused = [r["at"] for r in fake.requests if r["route"] == "create"]
    assert refused[-1] - refused[0] >= 0.9  # it waited for the window


def test_5xx_is_retried_a_bounded_number_of_times(fake: FakeRoblox, quick: Client,
                                                  queue: UploadQueue, tmp_path: Path) -> None:
    files = images(tmp_path, 2, (40, 40))
    queue.add(files[:1], UploadOptions(USER))
    fake.script("create", Reply(503, b"busy"), Reply(500, {"code": "INTERNAL"}))
    run(quick, queue)
    assert queue.items()[0].state is State.IN_REVIEW and queue.items()[0].attempts == 3
    queue.add(files[1:], UploadOptions(USER))
    fake.script("create", *[Reply(503, b"")] * 4)
    _, recorder = run(quick, queue, max_attempts=4)
    item = queue.items()[0]
    assert item.state is State.FAILED and "unavailable" in item.error
    assert "status.roblox.com" in item.error
    assert sum("unavailable" in n for n in recorder.notices()) == 3


def test_account_moderation_stops_the_batch(fake: FakeRoblox, quick: Client,
                                            queue: UploadQueue, tmp_path: Path) -> None:
    files = images(tmp_path, 4, (40, 40))
    queue.add(files[:1], UploadOptions(USER, name="moderated account"))
    queue.add(files[1:], UploadOptions(USER))
    report, recorder = run(quick, queue, send_workers=1)
    assert report.stop_kind is Kind.ACCOUNT_MODERATED
    first, *rest = sorted(queue.items(), key=lambda i: i.id)
    assert first.state is State.FAILED and "under moderation" in first.error
    assert all(i.state is State.QUEUED for i in rest) and len(fake.creates) == 1
    assert any(e.kind is EventKind.STOPPED for e in recorder.events)


def test_a_bad_key_stops_and_keeps_everything_queued(fake: FakeRoblox, queue: UploadQueue,
                                                     tmp_path: Path) -> None:
    queue.add(images(tmp_path, 3, (40, 40)), UploadOptions(USER))
    with make_client(fake, key="not-a-real-key-0000") as client:
        report, _ = run(client, queue, send_workers=1)
    assert report.stop_kind is Kind.INVALID_KEY and "60 days" in report.stopped
    assert all(i.state is State.QUEUED for i in queue.items()) and fake.creates == []
    with make_client(fake) as client:
        run(client, queue)
    assert all(i.state is State.IN_REVIEW for i in queue.items())


def test_a_missing_scope_is_named(fake: FakeRoblox, queue: UploadQueue,
                                  tmp_path: Path) -> None:
    fake.keys["read-only-key-00000"] = KeyRecord(scopes=("asset:read",))
    queue.add(images(tmp_path, 1, (40, 40)), UploadOptions(USER))
    with make_client(fake, key="read-only-key-00000") as client:
        report, _ = run(client, queue)
    assert report.stop_kind is Kind.MISSING_SCOPE and "asset:write" in report.stopped
    assert queue.items()[0].state is State.QUEUED


def test_a_moderated_name_fails_or_retries_under_a_neutral_one(
        fake: FakeRoblox, quick: Client, queue: UploadQueue, tmp_path: Path) -> None:
    files = images(tmp_path, 2, (40, 40))
    queue.add(files[:1], UploadOptions(USER, name="My moderated name"))
    run(quick, queue)
    item = queue.items()[0]
    assert item.state is State.FAILED and item.error_kind == "name-moderated"
    assert "rename it" in item.error
    assert queue.rename(item.id, "Plain wall")
    assert queue.retry([item.id]) == 1
    run(quick, queue)
    assert queue.get(item.id).state is State.IN_REVIEW
    assert fake.creates[-1].request["displayName"] == "Plain wall"

    added = queue.add(files[1:], UploadOptions(USER, name="Another moderated name"))
    run(quick, queue, rename_moderated=True)
    renamed = queue.get(added.added[0].id)
    assert renamed.state is State.IN_REVIEW and renamed.sent_name == f"Image {renamed.id}"
    with Catalog() as catalog:
        entry = catalog.find_by_asset_id(renamed.asset_id)
        assert entry.name == "Another moderated name" and "refused" in entry.notes


def test_refusals_and_operation_errors_are_sentences(fake: FakeRoblox, quick: Client,
                                                     queue: UploadQueue,
                                                     tmp_path: Path) -> None:
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + b"garbage" * 10)
    files = images(tmp_path, 2, (40, 40))
    # What is no image is refused before it is queued (it never waits as "failed").
    (refused,) = queue.add([str(broken)], UploadOptions(USER)).skipped
    assert refused.reason.startswith("broken.png: Can't be read")
    queue.add(files[:1], UploadOptions(USER))
    fake.script("create", Reply(400, '"InvalidImage"'))
    queue.add(files[1:], UploadOptions(USER))
    # A scripted answer is not a create: tile_1's is the only one Roblox records.
    fake.op_error_for = lambda created: {"code": 13, "message": "Processing failed"}
    run(quick, queue, send_workers=1)
    states = {Path(i.source_path).name: i for i in queue.items()}
    assert "broken.png" not in states
    assert states["tile_0.png"].error_kind == "invalid-image"
    assert states["tile_1.png"].state is State.FAILED
    assert "Processing failed" in states["tile_1.png"].error
    assert fake.count("create") == 2  # the broken file never left


def test_a_cut_connection_needs_a_decision_and_is_not_resent(
        fake: FakeRoblox, quick: Client, queue: UploadQueue, tmp_path: Path) -> None:
    queue.add(images(tmp_path, 2, (40, 40)), UploadOptions(USER))
    fake.script("create", Reply.cut())
    run(quick, queue, send_workers=1)
    first, second = sorted(queue.items(), key=lambda i: i.id)
    assert first.state is State.NEEDS_DECISION and "may have received it" in first.error
    assert second.state is State.IN_REVIEW
    run(quick, queue)
    assert queue.get(first.id).state is State.NEEDS_DECISION
    assert fake.count("create") == 2
    assert queue.retry([first.id]) == 1  # the user decided: send it again
    run(quick, queue)
    assert queue.get(first.id).state is State.IN_REVIEW


def test_after_a_crash_recorded_operations_are_polled_and_cut_sends_flagged(
        fake: FakeRoblox, quick: Client, queue: UploadQueue, tmp_path: Path) -> None:
    added = queue.add(images(tmp_path, 3, (40, 40)), UploadOptions(USER)).added
    accepted, cut, untouched = added
    # What a killed run leaves: one create answered and recorded, one sent and not recorded,
    # one still queued; a preparation half done.
    op = AssetsApi(quick).create(CreateRequest("Tile 0", "", AssetType.IMAGE, USER),
                                 Path(accepted.source_path).read_bytes(), "image/png", "a.png")
    with Catalog() as catalog:
        store = UploadStore(catalog)
        store.move(accepted.id, State.SENDING, from_=(State.QUEUED,), operation_path=op.path,
                   content_type="image/png")
        store.move(cut.id, State.SENDING, from_=(State.QUEUED,))
        store.move(untouched.id, State.PREPARING, from_=(State.QUEUED,))
    before = len(fake.creates)
    report, _ = run(quick, queue)
    assert report.recovery.flagged == (cut.id,) and report.recovery.requeued == 1
    rows = queue.many([accepted.id, cut.id, untouched.id])
    assert rows[accepted.id].state is State.IN_REVIEW
    assert rows[accepted.id].asset_id == fake.creates[0].asset_id
    assert rows[cut.id].state is State.NEEDS_DECISION
    assert "May have been uploaded" in rows[cut.id].error
    assert rows[untouched.id].state is State.IN_REVIEW
    assert len(fake.creates) == before + 1  # only the untouched one was sent


def test_offline_waits_then_gives_up_when_told(queue: UploadQueue, tmp_path: Path) -> None:
    queue.add(images(tmp_path, 2, (40, 40)), UploadOptions(USER))
    with make_client("http://127.0.0.1:9") as client:
        report, recorder = run(client, queue, offline_patience=0.3)
    assert report.stop_kind is Kind.OFFLINE and "stay queued" in report.stopped
    assert all(i.state is State.QUEUED for i in queue.items())
    assert any("Can't reach Roblox" in n for n in recorder.notices())


def test_offline_then_back_resumes_by_itself(queue: UploadQueue, tmp_path: Path) -> None:
    import socket

    with socket.socket() as probe:  # a free port, nobody listening yet
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    queue.add(images(tmp_path, 2, (40, 40)), UploadOptions(USER))
    offline = threading.Event()

    def on_event(event: Event) -> None:
        if event.kind is EventKind.NOTICE and "Can't reach Roblox" in event.message:
            offline.set()

    with make_client(f"http://127.0.0.1:{port}") as client:
        runner = queue.runner(client, config=config(), on_event=on_event)
        worker = threading.Thread(target=runner.run)
        worker.start()
        try:
            assert offline.wait(10)
            with FakeRoblox(port=port) as back:  # the connection comes back
                worker.join(30)
                assert len(back.creates) == 2
        finally:
            runner.stop()
            worker.join(30)
    assert all(i.state is State.IN_REVIEW for i in queue.items())


def test_one_runner_at_a_time(fake: FakeRoblox, quick: Client, queue: UploadQueue,
                              tmp_path: Path) -> None:
    queue.add(images(tmp_path, 2, (40, 40)), UploadOptions(USER))
    release = fake.hold("create", 1)
    first = queue.runner(quick, config=config())
    worker = threading.Thread(target=first.run)
    worker.start()
    try:
        assert fake.wait_for(lambda: len(fake.creates) >= 1)
        with pytest.raises(QueueBusy) as caught:
            queue.runner(quick, config=config()).run()
        assert caught.value.exit_code == 75
    finally:
        release.set()
        worker.join(30)


def test_stop_lets_the_request_on_the_wire_finish(fake: FakeRoblox, quick: Client,
                                                  queue: UploadQueue, tmp_path: Path) -> None:
    queue.add(images(tmp_path, 4, (40, 40)), UploadOptions(USER))
    release = fake.hold("create", 1)
    runner = queue.runner(quick, config=config(send_workers=1))
    result = {}
    worker = threading.Thread(target=lambda: result.setdefault("report", runner.run()))
    worker.start()
    assert fake.wait_for(lambda: len(fake.creates) == 1)
    runner.stop()
    release.set()
    worker.join(30)
    states = [i.state for i in sorted(queue.items(), key=lambda i: i.id)]
    assert states[0] is State.SENDING and queue.items()[-1].operation_path  # recorded
    assert states[1:] == [State.QUEUED] * 3 and len(fake.creates) == 1
    run(quick, queue)
    assert all(i.state is State.IN_REVIEW for i in queue.items()) and len(fake.creates) == 4


def test_adding_twice_and_catalogued_content(fake: FakeRoblox, quick: Client,
                                             queue: UploadQueue, tmp_path: Path) -> None:
    files = images(tmp_path, 2, (40, 40))
    first = queue.add(files, UploadOptions(USER))
    again = queue.add(files, UploadOptions(USER))
    assert again.added == [] and [i.id for i in again.resumed] == [i.id for i in first.added]
    run(quick, queue)
    third = queue.add([*files, str(tmp_path / "missing.png")], UploadOptions(USER))
    assert third.added == [] and len(third.skipped) == 3
    assert all(s.entry is not None for s in third.skipped[:2])
    assert "already catalogued" in third.skipped[0].reason
    assert "does not exist" in third.skipped[2].reason
    forced = queue.add(files[:1], UploadOptions(USER), force=True)
    assert len(forced.added) == 1


def test_cancel_only_what_was_not_sent(fake: FakeRoblox, quick: Client, queue: UploadQueue,
                                       tmp_path: Path) -> None:
    files = images(tmp_path, 3, (40, 40))
    added = queue.add(files[:1], UploadOptions(USER)).added
    run(quick, queue)
    waiting = queue.add(files[1:], UploadOptions(USER)).added
    assert queue.cancel([added[0].id, waiting[0].id]) == 1
    assert queue.get(waiting[0].id) is None and queue.get(added[0].id) is not None
    run(quick, queue)
    assert len(fake.creates) == 2


def test_moderation_refresh_updates_catalogue_and_queue(fake: FakeRoblox, quick: Client,
                                                        queue: UploadQueue,
                                                        tmp_path: Path) -> None:
    queue.add(images(tmp_path, 1, (40, 40)), UploadOptions(USER))
    queue.add(images(tmp_path, 1, (41, 40), prefix="reject me"), UploadOptions(USER))
    run(quick, queue)
    with Catalog() as catalog:
        catalog.add(Entry(name="Manual", decal_id=999_999_999))
        waiting = moderation.in_review(catalog)
        assert len(waiting) == 2
        results = moderation.refresh(catalog, AssetsApi(quick), [
            *waiting, catalog.find_by_asset_id(999_999_999)])
        by_name = {r.entry.name: r for r in results}
        assert by_name["Tile 0"].after is Status.APPROVED and by_name["Tile 0"].changed
        assert by_name["Reject me 0"].after is Status.REJECTED
        assert by_name["Manual"].after is None and "does not know" in by_name["Manual"].error
        assert catalog.find_by_asset_id(by_name["Tile 0"].asset_id).status is Status.APPROVED
    states = {i.name: i.state for i in queue.items()}
    assert states == {"Tile 0": State.APPROVED, "Reject me 0": State.REJECTED}


def test_an_accepted_item_the_catalogue_refuses_does_not_jam_the_queue(
        fake: FakeRoblox, quick: Client, queue: UploadQueue, tmp_path: Path) -> None:
    files = images(tmp_path, 2)
    with Catalog() as catalog:
        # As an older version queued it: a name the catalogue can't record.
        store = UploadStore(catalog)
        store.add([NewUpload(files[0], None, "x" * 300, "", AssetType.IMAGE, USER,
                             Privacy.DEFAULT, 1024)])
    run(quick, queue)
    (item,) = queue.items()
    assert item.state is State.NEEDS_DECISION and item.asset_id is not None
    assert "catalogue could not record it" in item.error and "too long" in item.error
    queue.add(files[1:], UploadOptions(USER))
    run(quick, queue)  # the next run is not stopped by it
    assert sorted(i.state.value for i in queue.items()) == ["in-review", "needs-decision"]


def test_names_are_checked_before_queueing(queue: UploadQueue, tmp_path: Path) -> None:
    from robloxassets.core.errors import UserError

    files = images(tmp_path, 3)
    for options in (UploadOptions(USER, name="n" * 199),  # "n... 3" is over 200
                    UploadOptions(USER, description="d" * 1001)):
        with pytest.raises(UserError):
            queue.add(files, options)
    with pytest.raises(UserError):
        queue.add(files, UploadOptions(USER), names={files[0]: "y" * 201})
    assert queue.items() == []


def test_cancel_drops_leftovers_only_when_nobody_sends(queue: UploadQueue,
                                                       tmp_path: Path) -> None:
    from robloxassets.core.upload.lock import RunnerLock

    files = images(tmp_path, 1)
    (item,) = queue.add(files, UploadOptions(USER)).added
    with Catalog() as catalog:
        UploadStore(catalog).move(item.id, State.SENDING, from_=(State.QUEUED,))
    other = RunnerLock()
    assert other.acquire()
    try:
        assert queue.cancel([item.id]) == 0  # someone is sending it
        assert queue.recover_if_idle() is None
    finally:
        other.release()
    recovery = queue.recover_if_idle()
    assert recovery is not None and recovery.flagged == (item.id,)
    assert queue.get(item.id).state is State.NEEDS_DECISION
    with Catalog() as catalog:
        UploadStore(catalog).move(item.id, State.SENDING, from_=(State.NEEDS_DECISION,),
                                  operation_path="operations/x")
    assert queue.cancel([item.id]) == 1
