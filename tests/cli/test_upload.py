"""``robloxassets key``, ``upload``, ``moderation`` and ``queue`` against the fake Roblox:
output, JSON, exit codes, a crash mid-batch, and the key nowhere it shouldn't be."""

from __future__ import annotations

import io
import json
import logging
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image

from robloxassets import cli
from robloxassets.core.catalog.store import Catalog
from robloxassets.core.cloud.apikey import ACCOUNT, SERVICE
from tests.cloudfixtures import MemoryKeyring, grep_tree
from tests.fakeroblox import GOOD_KEY, FakeRoblox, KeyRecord

JSON_KEYS = {"file", "asset_id", "asset_type", "operation_id", "moderation_state", "error"}


def run(capsys: pytest.CaptureFixture[str], *args: str, stdin: str | None = None,
        monkeypatch: pytest.MonkeyPatch | None = None) -> tuple[int, str, str]:
    if stdin is not None:
        assert monkeypatch is not None
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def images(folder: Path, count: int, prefix: str = "crate") -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    shade = sum(prefix.encode()) % 200  # another prefix, other content
    for i in range(count):
        path = folder / f"{prefix}_{i}.png"
        Image.new("RGB", (64 + i, 64), (200, 20 + 10 * i, shade)).save(path)
        paths.append(str(path))
    return paths


@pytest.fixture
def quick_polls(fake: FakeRoblox) -> FakeRoblox:
    fake.polls_to_finish = 1  # done at the first poll (the CLI polls after a second)
    return fake


# -- key -----------------------------------------------------------------------------------

def test_key_set_check_forget(capsys, monkeypatch, memory_keyring: MemoryKeyring,
                              fake: FakeRoblox, app_home: Path) -> None:
    monkeypatch.setenv("ROBLOXASSETS_OPEN_CLOUD_URL", fake.url)
    code, out, err = run(capsys, "key", "set", stdin=f"{GOOD_KEY}\n", monkeypatch=monkeypatch)
    assert code == 0, err
    assert memory_keyring.store[(SERVICE, ACCOUNT)] == GOOD_KEY
    assert "Saved the key" in out and "belongs to user 4242" in out
    assert "asset:write          yes" in out and "60 days" in out
    assert "Uploads go to user 4242" in out
    code, out, _ = run(capsys, "key", "check")
    assert code == 0 and "from the system keyring" in out
    code, out, _ = run(capsys, "key", "check", "--json")
    assert json.loads(out)["owner_id"] == 4242 and json.loads(out)["problems"] == []
    code, out, _ = run(capsys, "key", "forget")
    assert code == 0 and "Removed" in out and memory_keyring.store == {}
    code, _, err = run(capsys, "key", "check")
    assert code == 1 and "No Open Cloud API key is saved" in err
    assert grep_tree(app_home, GOOD_KEY) == []


def test_key_set_refuses_a_key_roblox_rejects(capsys, monkeypatch, fake: FakeRoblox,
                                              memory_keyring: MemoryKeyring) -> None:
    monkeypatch.setenv("ROBLOXASSETS_OPEN_CLOUD_URL", fake.url)
    wrong = "wrong-key-" + "x" * 30
    code, out, err = run(capsys, "key", "set", stdin=wrong, monkeypatch=monkeypatch)
    assert code == 1 and "nothing was saved" in err and memory_keyring.store == {}
    assert wrong not in out + err


def test_key_set_names_missing_scopes(capsys, monkeypatch, fake: FakeRoblox,
                                      memory_keyring: MemoryKeyring) -> None:
    monkeypatch.setenv("ROBLOXASSETS_OPEN_CLOUD_URL", fake.url)
    fake.keys["only-read-key-" + "y" * 20] = KeyRecord(scopes=("asset:read",))
    code, out, _ = run(capsys, "key", "set", stdin="only-read-key-" + "y" * 20,
                       monkeypatch=monkeypatch)
    assert code == 1 and "lacks asset:write" in out


def test_key_set_without_a_keyring_points_to_the_variable(capsys, monkeypatch) -> None:
    code, out, err = run(capsys, "key", "set", stdin=GOOD_KEY, monkeypatch=monkeypatch)
    assert code == 1 and "ROBLOXASSETS_API_KEY" in err and "No system keyring" in err
    assert GOOD_KEY not in out + err


def test_key_set_takes_no_argument(capsys) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(["key", "set", GOOD_KEY])
    assert caught.value.code == 2
    assert GOOD_KEY not in capsys.readouterr().out


# -- upload --------------------------------------------------------------------------------

def test_upload_a_batch_end_to_end(capsys, fake_env: FakeRoblox, quick_polls: FakeRoblox,
                                   tmp_path: Path, app_home: Path) -> None:
    files = images(tmp_path / "art", 3)
    broken = tmp_path / "art" / "broken.png"
    broken.write_bytes(b"not an image at all")
    code, out, err = run(capsys, "upload", *files, "--json")
    assert code == 0, err
    rows = json.loads(out)
    assert len(rows) == 3 and all(set(row) >= JSON_KEYS for row in rows)
    assert all(row["moderation_state"] == "in-review" and row["asset_type"] == "image"
               and row["asset_id"] and row["operation_id"] and row["error"] is None
               for row in rows)
    assert [Path(r["file"]).name for r in rows] == ["crate_0.png", "crate_1.png",
                                                    "crate_2.png"]
    with Catalog() as catalog:
        assert {e.image_id for e in catalog.iter_all()} == {r["asset_id"] for r in rows}
    assert fake_env.violations == []

    # Again: catalogued content is skipped (exit 0: those files have IDs), a broken one fails.
    code, out, err = run(capsys, "upload", *files[:1], str(broken))
    assert code == 1
    assert "already catalogued as 'Crate 0'" in err and "--force" in err
    # What is no image is refused before it is queued (never a "failed" item to retry).
    assert "skipped: broken.png: Can't be read" in err and "failed" not in out
    code, out, err = run(capsys, "upload", *files[:1])
    assert code == 0 and "1 skipped." in out
    assert len(fake_env.creates) == 3

    # --wait: until moderation settles; --type decal gives both IDs.
    more = images(tmp_path / "more", 1, prefix="sign")
    code, out, err = run(capsys, "upload", *more, "--type", "decal", "--wait", "--json")
    assert code == 0, err
    row = json.loads(out)[0]
    assert row["moderation_state"] == "approved" and row["asset_type"] == "decal", (row, err)
    assert row["image_id"] == fake_env.asset(row["asset_id"]).image_id
    assert grep_tree(app_home, GOOD_KEY) == []


def test_upload_lines_and_a_rejected_wait(capsys, fake_env: FakeRoblox,
                                          quick_polls: FakeRoblox, tmp_path: Path) -> None:
    files = images(tmp_path, 1, prefix="reject this")
    code, out, _err = run(capsys, "upload", *files, "--wait")
    assert code == 1
    assert out.splitlines()[0].startswith("in review") and "rbxassetid://" in out
    assert "rejected" in out.splitlines()[1] or "rejected" in out


def test_upload_names_and_creators(capsys, fake_env: FakeRoblox, quick_polls: FakeRoblox,
                                   tmp_path: Path) -> None:
    files = images(tmp_path, 2)
    code, _, err = run(capsys, "upload", *files, "--name", "Crate", "--group", "77",
                       "--description", "Wooden")
    assert code == 0, err
    sent = [c.request for c in fake_env.creates]
    assert sorted(r["displayName"] for r in sent) == ["Crate", "Crate 2"]
    assert all(r["creationContext"]["creator"] == {"groupId": "77"} for r in sent)
    assert all(r["description"] == "Wooden" for r in sent)


@pytest.mark.parametrize("args", [["--user", "1", "--group", "2"], ["--max-side", "0"],
                                  ["--type", "mesh"], ["--user", "-5"]])
def test_upload_usage_errors_exit_2(capsys, args: list[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(["upload", "x.png", *args])
    assert caught.value.code == 2


def test_upload_without_a_key(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, "upload", *images(tmp_path, 1))
    assert code == 1 and "No Open Cloud API key" in err and "ROBLOXASSETS_API_KEY" in err


def test_upload_errors_are_sentences_and_the_batch_stops(capsys, fake_env: FakeRoblox,
                                                         quick_polls: FakeRoblox,
                                                         tmp_path: Path) -> None:
    files = images(tmp_path, 2)
    code, out, err = run(capsys, "upload", *files[:1], "--name", "moderated name")
    assert code == 1 and "Roblox's moderation refused the name" in out
    fake_env.keys = {}
    code, out, err = run(capsys, "upload", *files[1:], "--json")
    assert code == 1 and "refused the API key" in err
    rows = json.loads(out)
    assert rows[0]["error"] and "refused the API key" in rows[0]["error"]
    code, out, _ = run(capsys, "queue", "--json")
    states = sorted(r["state"] for r in json.loads(out))
    assert states == ["failed", "queued"]


def test_upload_renames_a_moderated_name_on_request(capsys, fake_env: FakeRoblox,
                                                    quick_polls: FakeRoblox,
                                                    tmp_path: Path) -> None:
    files = images(tmp_path, 1)
    code, _out, err = run(capsys, "upload", *files, "--name", "moderated name",
                         "--rename-moderated")
    assert code == 0, err
    assert "trying again as 'Image 1'" in err
    assert fake_env.creates[-1].request["displayName"] == "Image 1"


def test_every_log_line_file_and_message_is_free_of_the_key(
        capsys, fake_env: FakeRoblox, quick_polls: FakeRoblox, tmp_path: Path,
        app_home: Path, caplog: pytest.LogCaptureFixture) -> None:
    from robloxassets.core import logs
    from robloxassets.core.logs import log_path

    # The app's log handler is made once per process: give this test's home its own.
    app_logger = logging.getLogger("robloxassets")
    earlier = [h for h in app_logger.handlers if getattr(h, "_robloxassets", False)]
    for handler in earlier:
        app_logger.removeHandler(handler)
    logs.setup_logging(logging.DEBUG)
    caplog.set_level(logging.DEBUG)
    files = images(tmp_path, 2)
    outputs = [run(capsys, "upload", *files, "--json")]
    outputs.append(run(capsys, "key", "check"))
    outputs.append(run(capsys, "moderation", "--json"))
    outputs.append(run(capsys, "queue", "--all"))
    fake_env.keys = {}  # now every call fails: errors must not carry the key either
    outputs.append(run(capsys, "upload", *images(tmp_path, 1, prefix="later")))
    outputs.append(run(capsys, "key", "check"))
    text = "".join(out + err for _, out, err in outputs)
    assert "refused the API key" in text or "does not accept" in text or "Invalid" in text
    assert GOOD_KEY not in text
    assert GOOD_KEY not in caplog.text
    assert Path(log_path()).exists()
    assert grep_tree(app_home, GOOD_KEY) == []
    # The key's distinctive middle, too (not just the whole string).
    assert grep_tree(app_home, GOOD_KEY[10:40]) == []
    for handler in [h for h in app_logger.handlers if getattr(h, "_robloxassets", False)]:
        app_logger.removeHandler(handler)
        handler.close()
    for handler in earlier:
        app_logger.addHandler(handler)


def test_moderation_command(capsys, fake_env: FakeRoblox, quick_polls: FakeRoblox,
                            tmp_path: Path) -> None:
    assert run(capsys, "moderation")[1] == "Nothing is in review.\n"
    run(capsys, "upload", *images(tmp_path, 2))
    code, out, _ = run(capsys, "moderation")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == ["approved", "approved"]
    assert "(was in review)" in out
    code, out, _ = run(capsys, "moderation", "--json")
    assert json.loads(out) == []  # nothing left in review
    with Catalog() as catalog:
        asset_id = catalog.iter_all()[0].image_id
    code, out, _ = run(capsys, "moderation", str(asset_id), "--json")
    row = json.loads(out)[0]
    assert row["moderation_state"] == "approved" and row["changed"] is False
    code, _, err = run(capsys, "moderation", "12345")
    assert code == 1 and "No entry in the catalogue" in err
    # One unknown ID is said; the others are still refreshed.
    code, out, err = run(capsys, "moderation", "12345", f"rbxassetid://{asset_id}")
    assert code == 1 and "12345" in err and f"approved    {asset_id}" in out


def test_queue_list_retry_cancel(capsys, fake_env: FakeRoblox, quick_polls: FakeRoblox,
                                 tmp_path: Path) -> None:
    from tests.fakeroblox import Reply

    files = images(tmp_path, 2)
    fake_env.script("create", Reply(400, '"InvalidImage"'))
    code, out, _ = run(capsys, "upload", *files)
    assert code == 1
    code, out, _ = run(capsys, "queue")
    assert "Failed" in out and "invalid image" in out
    failed = next(row["item"] for row in json.loads(run(capsys, "queue", "--json")[1])
                  if row["state"] == "failed")
    assert "1 item(s) queued again" in run(capsys, "queue", "retry", str(failed))[1]
    code, out, _ = run(capsys, "upload")
    assert code == 0 and "in review" in out
    assert "Failed" not in run(capsys, "queue")[1]
    assert "Crate" in run(capsys, "queue", "--all")[1]
    assert "0 item(s) removed" in run(capsys, "queue", "cancel", str(failed))[1]
    assert "2 finished" not in run(capsys, "queue", "clear")[1]


def test_largest_side_setting_drives_check(capsys, tmp_path: Path) -> None:
    big = tmp_path / "big.png"
    Image.new("RGB", (2000, 1000), (1, 2, 3)).save(big)
    assert run(capsys, "check", str(big))[0] == 1  # over 1024: needs work
    code, out, _ = run(capsys, "largest-side", "2048")
    assert code == 0 and "2048 px" in out and "texture streaming" in out
    assert run(capsys, "check", str(big))[0] == 0
    assert run(capsys, "check", str(big), "--max-side", "1024")[0] == 1
    code, out, _ = run(capsys, "fit", str(big), "--out", str(tmp_path / "out"))
    assert code == 0 and "2000 x 1000 -> 2000 x 1000" in out
    with pytest.raises(SystemExit):
        cli.main(["largest-side", "3000"])


# -- a crash mid-batch ---------------------------------------------------------------------

def _states(home: Path) -> list[tuple[int, str, str | None]]:
    path = home / "data" / "catalogue.sqlite3"
    if not path.exists():
        return []
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=5)
    try:
        return conn.execute("SELECT id, state, operation_path FROM upload ORDER BY id")\
            .fetchall()
    except sqlite3.OperationalError:  # not created yet
        return []
    finally:
        conn.close()


def _until(check, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.skipif(sys.platform == "win32", reason="kill -9 is POSIX")
def test_killed_mid_batch_then_run_again(fake: FakeRoblox, tmp_path: Path,
                                         app_home: Path) -> None:
    fake.polls_to_finish = 1
    files = images(tmp_path / "batch", 6)
    env = {**os.environ, **fake.environment()}
    release = fake.hold("create", 3)  # the third create is received, then never answered
    first = subprocess.Popen([sys.executable, "-m", "robloxassets", "upload", *files,
                              "--json"], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    try:
        assert fake.wait_for(lambda: len(fake.creates) >= 3, timeout=60)
        # Wait until the two answered creates have their operations on disk, then kill.
        assert _until(lambda: sum(1 for _, _, op in _states(app_home) if op) >= 2)
        first.send_signal(signal.SIGKILL)
        first.wait(30)
        at_kill = _states(app_home)
    finally:
        if first.poll() is None:
            first.kill()
        release.set()
    assert first.returncode == -signal.SIGKILL
    held_name = fake.creates[2].request["displayName"]
    in_flight = {item_id for item_id, state, op in at_kill if state == "sending" and not op}

    again = subprocess.run([sys.executable, "-m", "robloxassets", "upload", "--json"],
                           env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 1, again.stderr  # the cut-off item waits for the user
    assert "may have been uploaded" in again.stderr
    rows = {Path(r["file"]).name: r for r in json.loads(again.stdout)}
    names = [c.request["displayName"] for c in fake.creates]
    assert len(names) == len(set(names)), "a file was created twice"
    with Catalog() as catalog:
        from robloxassets.core.upload.store import UploadStore

        items = {Path(i.source_path).name: i for i in UploadStore(catalog).items()}
        assert any(i.name == held_name and i.id in in_flight for i in items.values())
        assert len(items) == 6  # nothing lost
        for name, item in items.items():
            if item.name == held_name:
                assert item.state.value == "needs-decision"
                assert "May have been uploaded" in item.error
                assert rows[name]["error"] and rows[name]["asset_id"] is None
            elif item.state.value == "needs-decision":
                # Only a create that was on its way at the kill may be in doubt (the server
                # may or may not have it: the app can't know, so it asks).
                assert item.id in in_flight
            else:
                assert item.state.value == "in-review", (name, item.state, item.error)
                assert catalog.find_by_asset_id(item.asset_id) is not None
                assert names.count(item.name) == 1
    assert names.count(held_name) == 1  # never re-sent
    assert fake.violations == []


def test_upload_warns_of_near_copies_with_their_id_and_state(
        capsys, fake_env: FakeRoblox, quick_polls: FakeRoblox, tmp_path: Path) -> None:
    from PIL import ImageOps

    from robloxassets.core.catalog.model import Entry, Status
    from tests import dupset
    from tests.images import sha256_of

    original = tmp_path / "coin.png"
    dupset.source_image(2).save(original)
    with Catalog() as catalog:
        catalog.add(Entry(name="Coin", image_id=123, file_path=str(original),
                          sha256=sha256_of(original), status=Status.REJECTED))
    flipped = tmp_path / "up" / "coin-flipped.jpg"
    flipped.parent.mkdir()
    ImageOps.mirror(dupset.source_image(2)).save(flipped, quality=80)
    own = tmp_path / "up" / "own.png"
    dupset.source_image(9).save(own)
    code, out, err = run(capsys, "upload", str(flipped), str(own), "--json")
    assert code == 0, err  # a warning, not a failure: the exit code is issue 13's
    assert "robloxassets: warning: coin-flipped.jpg: This image is a mirrored near-copy " \
        "of 'Coin' (rbxassetid://123, rejected; " in err
    assert "likely to be rejected again" in err and "own.png" not in err
    rows = {Path(r["file"]).name: r for r in json.loads(out)}
    assert all(set(row) >= JSON_KEYS for row in rows.values())
    [match] = rows["coin-flipped.jpg"]["near_copies"]
    assert (match["asset_id"], match["moderation_state"], match["name"]) == (
        123, "rejected", "Coin")
    assert rows["own.png"]["near_copies"] == []
    assert len(fake_env.creates) == 2  # warned, then sent (a command can't ask)

    # Without --json the warning comes before the lines of what was sent.
    again = tmp_path / "up" / "coin-small.png"
    dupset.source_image(2).resize((120, 120)).save(again)
    code, out, err = run(capsys, "upload", str(again))
    assert code == 0 and "coin-small.png: This image is" in err and "'Coin'" in err
# -- hostile test 2 ------------------------------------------------------------------------

def test_an_invalid_name_is_refused_before_anything_is_queued(
        capsys, fake_env: FakeRoblox, quick_polls: FakeRoblox, tmp_path: Path) -> None:
    files = images(tmp_path, 1)
    code, _, err = run(capsys, "upload", *files, "--name", "x" * 300)
    assert code == 2 and "too long" in err
    code, _, err = run(capsys, "upload", *files, "--description", "d" * 1001)
    assert code == 2 and "1,001 characters" in err
    assert json.loads(run(capsys, "queue", "--json")[1]) == []
    assert fake_env.creates == []
    code, out, err = run(capsys, "upload", *files)
    assert code == 0 and "in review" in out, err


def test_a_leftover_sending_item_can_be_cancelled(capsys, fake_env: FakeRoblox,
                                                  tmp_path: Path) -> None:
    from robloxassets.core.upload.model import State
    from robloxassets.core.upload.store import UploadStore

    fake_env.polls_to_finish = 10**6  # never done: the item stays "sending"
    files = images(tmp_path, 1)
    with Catalog() as catalog:
        store = UploadStore(catalog)
        item_id = store.add([_new_upload(files[0])])[0]
        store.move(item_id, State.SENDING, from_=(State.QUEUED,),
                   operation_path="operations/left-over")
    code, out, _ = run(capsys, "queue", "cancel", str(item_id))
    assert code == 0 and "1 item(s) removed" in out
    assert json.loads(run(capsys, "queue", "--json")[1]) == []


def _new_upload(path: str, name: str = "Crate"):
    from robloxassets.core.cloud.assets import AssetType, Creator, Privacy
    from robloxassets.core.upload.store import NewUpload

    return NewUpload(path, None, name, "", AssetType.IMAGE, Creator("user", 4242),
                     Privacy.DEFAULT, 1024)


@pytest.mark.skipif(sys.platform != "linux", reason="Linux file names are bytes")
def test_a_file_name_that_is_not_utf8_is_refused_and_the_rest_sent(
        capsys, fake_env: FakeRoblox, quick_polls: FakeRoblox, tmp_path: Path) -> None:
    from tests.hostile import make_png_at, non_utf8_path

    folder = tmp_path / "art"
    good = images(folder, 1)
    odd = make_png_at(non_utf8_path(folder, b"x\xff.png"))
    code, out, err = run(capsys, "upload", str(folder))
    assert code == 1, err
    assert "x\\xff.png has a name that isn't valid UTF-8" in err
    assert "in review" in out and len(fake_env.creates) == 1
    code, out, err = run(capsys, "upload", str(odd), "--json")
    assert code == 1 and "valid UTF-8" in json.loads(out)[0]["error"]
    assert run(capsys, "queue")[0] == 0
    assert good


def test_a_failed_file_given_again_is_renamed_and_sent(capsys, fake_env: FakeRoblox,
                                                       quick_polls: FakeRoblox,
                                                       tmp_path: Path) -> None:
    files = images(tmp_path, 2)
    code, out, _ = run(capsys, "upload", files[0], "--name", "moderated name")
    assert code == 1 and "moderation refused the name" in out
    code, out, err = run(capsys, "upload", files[0], "--name", "good name")
    assert code == 0, out + err
    assert "1 file is in the queue after failing; sending it again." in err
    assert fake_env.creates[-1].request["displayName"] == "good name"
    assert "1 in review." in out

    # queue rename: the same for an item by number; a failure always comes with its reason.
    code, out, _ = run(capsys, "upload", files[1], "--name", "moderated name")
    assert code == 1
    failed = next(r["item"] for r in json.loads(run(capsys, "queue", "--json")[1])
                  if r["state"] == "failed")
    code, out, _ = run(capsys, "queue", "rename", str(failed), "fine name")
    assert code == 0 and "now named 'fine name'" in out and "queue retry" in out
    assert run(capsys, "queue", "rename", "999", "x")[0] == 1
    code, out, _ = run(capsys, "upload", "--json")
    assert json.loads(out) == []  # renamed, not queued again: nothing to send yet
    run(capsys, "queue", "retry", str(failed))
    code, out, _ = run(capsys, "upload")
    assert code == 0 and fake_env.creates[-1].request["displayName"] == "fine name"


def test_names_are_printed_escaped_and_sent_without_control_characters(
        capsys, fake_env: FakeRoblox, quick_polls: FakeRoblox, tmp_path: Path) -> None:
    odd = tmp_path / "a\nb\x1b[2J.png"
    Image.new("RGB", (40, 40), (9, 99, 199)).save(odd, "PNG")
    other = images(tmp_path / "more", 2)
    code, out, err = run(capsys, "upload", str(odd))
    assert code == 0, err
    code, out2, err2 = run(capsys, "upload", other[0], "--name", "line1\nline2\x1b[31m")
    assert code == 0, err2
    code, out3, _ = run(capsys, "queue", "--all")
    for text in (out, err, out2, err2, out3):
        assert "\x1b" not in text
    assert "a\\nb\\e[2J.png" in out
    assert [c.request["displayName"] for c in fake_env.creates] == ["A b [2J", "line1 line2 [31m"]
    assert "line1 line2 [31m" in out3 and "A b [2J" in out3
    # A name of white space alone falls back to the file's name, as in the window.
    code, _, err = run(capsys, "upload", other[1], "--name", "   ")
    assert code == 0, err
    assert fake_env.creates[-1].request["displayName"] == "Crate 1"


def test_an_operation_that_never_finishes_is_said_and_given_up(
        capsys, monkeypatch, fake_env: FakeRoblox, tmp_path: Path) -> None:
    import functools

    from robloxassets.commands import upload as upload_command
    from robloxassets.core.upload.runner import PollSchedule

    fake_env.polls_to_finish = 10**6
    monkeypatch.setattr(upload_command, "PROCESSING_LIMIT", 1.5)
    monkeypatch.setattr(upload_command, "PollSchedule", functools.partial(
        PollSchedule, first=0.05, longest=0.1, say_after=0.2, say_every=0.5))
    files = images(tmp_path, 1)
    code, out, err = run(capsys, "upload", *files)
    assert code == 1
    said = [line for line in err.splitlines() if "Waiting for Roblox to finish" in line]
    assert 1 <= len(said) <= 4, err
    assert "processing" in out and "asked again (never sent again)" in out
    assert "1 still processing." in out
    for op in fake_env._ops.values():  # Roblox finishes it meanwhile
        op.done_after = 0
    code, out, err = run(capsys, "upload")
    assert code == 0 and "in review" in out, out + err
    assert len(fake_env.creates) == 1


def test_nothing_to_send_says_what_waits(capsys, fake_env: FakeRoblox,
                                         quick_polls: FakeRoblox, tmp_path: Path) -> None:
    from tests.fakeroblox import Reply

    fake_env.script("create", Reply(400, '"InvalidImage"'))
    assert run(capsys, "upload", *images(tmp_path, 1))[0] == 1
    code, out, _ = run(capsys, "upload")
    assert "Nothing to send: 1 upload failed or waits for your decision" in out
    fake_env.script("create", Reply(400, '"InvalidImage"'))
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    code, out, err = run(capsys, "upload", str(empty))
    assert code == 1 and "skipped: empty.png: " in err and fake_env.creates == []


def test_operation_errors_end_with_one_full_stop() -> None:
    from robloxassets.core.cloud.assets import operation_failed

    message = operation_failed("Poster", "Asset is fully moderated.").message
    assert message.endswith("fully moderated.") and ".." not in message


def test_a_copy_the_disk_refuses_names_the_folder_and_exits_74(
        capsys, monkeypatch, fake_env: FakeRoblox, quick_polls: FakeRoblox,
        tmp_path: Path) -> None:
    import errno

    from robloxassets.core.errors import IO_EXIT_CODE

    real_replace = os.replace

    def replace(src, dst, *args, **kwargs):  # the disk fills as the copy is renamed
        if "upload-queue" in str(dst):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    files = images(tmp_path, 3)
    code, out, err = run(capsys, "upload", *files)
    assert code == IO_EXIT_CODE, out + err
    assert "upload queue folder" in err and "upload-queue" in err
    assert "free some space" in err and fake_env.creates == []
    monkeypatch.setattr(os, "replace", real_replace)
    rows = json.loads(run(capsys, "queue", "--json")[1])
    assert [r["state"] for r in rows] == ["queued"] * 3  # waiting, not failed
    code, out, err = run(capsys, "upload")
    assert code == 0 and len(fake_env.creates) == 3, out + err
