"""``robloxassets id`` and ``robloxassets catalog ...``: output, JSON keys and exit codes."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import pytest

from robloxassets import cli
from robloxassets.core.catalog import db

STABLE_KEYS = {"decal_id", "image_id", "name", "description", "tags", "notes", "creator_type",
               "creator_id", "status", "status_changed", "file", "sha256", "prepared_sha256",
               "width", "height", "created", "updated", "history"}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_id_prints_the_parsed_id(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "id", "https://create.roblox.com/store/asset/46059313/Brick") == (
        0, "46059313\n", "")
    code, out, _ = run(capsys, "id", "--json", "rbxassetid://7")
    assert code == 0
    assert json.loads(out) == {"asset_id": 7, "content_id": "rbxassetid://7",
                               "form": "an rbxassetid:// content ID"}
    # Quoted text with spaces is one argument.
    assert run(capsys, "id", "Decal ID: 46059313")[:2] == (0, "46059313\n")


def test_id_reads_each_argument(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "id", "1", "rbxassetid://2", "x")
    assert (code, out) == (1, "1\n2\n")  # the good ones are printed, and x is named
    assert err.count("robloxassets: ") == 1 and "'x' holds no asset ID" in err
    code, out, _ = run(capsys, "id", "--json", "1", "x")
    assert code == 1
    assert json.loads(out) == [
        {"text": "1", "asset_id": 1, "content_id": "rbxassetid://1", "form": "a number"},
        {"text": "x", "error": json.loads(out)[1]["error"]}]
    assert run(capsys, "id", "7", "8")[:2] == (0, "7\n8\n")


@pytest.mark.parametrize("text", ["hello", "0", "-5", "https://example.com/library/5"])
def test_id_exits_1_when_nothing_parses(capsys: pytest.CaptureFixture[str], text: str) -> None:
    code, out, err = run(capsys, "id", text)
    assert code == 1 and out == ""
    assert err.startswith("robloxassets: ") and "Expected an asset ID" in err
    assert "Traceback" not in err


def test_add_list_search_set_show_remove(capsys: pytest.CaptureFixture[str],
                                         tmp_path: Path) -> None:
    from PIL import Image

    image = tmp_path / "brick.png"
    Image.new("RGB", (300, 200), "red").save(image)
    code, out, _ = run(capsys, "catalog", "add", "www.roblox.com/library/46059313/Brick",
                       "--name", "Red brick", "--image-id", "46059300", "--file", str(image),
                       "--tags", "Bricks, walls", "--status", "in review", "--notes", "first")
    assert code == 0
    assert out == ("Added 'Red brick' (decal 46059313, image 46059300, in review): "
                   "rbxassetid://46059300\n")
    assert run(capsys, "catalog", "add", "--image-id", "99", "--name", "Sky")[0] == 0

    code, out, _ = run(capsys, "catalog", "list")
    assert code == 0
    assert out.splitlines() == [
        "DECAL ID  IMAGE ID  STATUS     NAME       TAGS",
        "46059313  46059300  in-review  Red brick  bricks, walls",
        "-         99        draft      Sky",
    ]
    code, out, _ = run(capsys, "catalog", "list", "--json", "--status", "in-review")
    entries = json.loads(out)
    assert len(entries) == 1 and set(entries[0]) == STABLE_KEYS
    assert entries[0]["width"] == 300 and entries[0]["file"] == str(image.resolve())
    assert len(entries[0]["sha256"]) == 64
    assert json.loads(run(capsys, "catalog", "list", "--json", "--tag", "WALLS")[1])[0][
        "name"] == "Red brick"

    code, out, _ = run(capsys, "catalog", "search", "bri")
    assert code == 0 and "Red brick" in out and "Sky" not in out
    code, out, err = run(capsys, "catalog", "search", "nothing-like-this")
    assert code == 1 and out == "" and "Nothing in the catalogue matches" in err

    code, out, _ = run(capsys, "catalog", "set", "rbxassetid://46059300", "--status",
                       "approved", "--add-tags", "red", "--remove-tags", "walls")
    assert code == 0 and out == "Updated 'Red brick' (decal 46059313, image 46059300, approved)\n"
    code, out, _ = run(capsys, "catalog", "show", "46059313")
    assert "Tags:          bricks, red" in out
    assert out.count("In review") == 1 and "Approved" in out.split("History:")[1]

    assert run(capsys, "catalog", "set", "99")[0] == 2  # nothing to change
    code, _, err = run(capsys, "catalog", "set", "12345", "--status", "draft")
    assert code == 1 and "No entry" in err

    code, out, _ = run(capsys, "catalog", "remove", "99")
    assert code == 0 and out.startswith("Removed 'Sky'")
    assert run(capsys, "catalog", "remove", "99")[0] == 1


def test_add_refuses_duplicates_and_missing_ids(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "catalog", "add", "5", "--name", "One")[0] == 0
    code, _, err = run(capsys, "catalog", "add", "rbxassetid://5", "--name", "Two")
    assert code == 2 and "already in the catalogue as 'One'" in err
    code, _, err = run(capsys, "catalog", "add", "--name", "None")
    assert code == 2 and "decal ID" in err
    code, _, err = run(capsys, "catalog", "add", "nope", "--name", "Bad")
    assert code == 1
    with pytest.raises(SystemExit) as info:
        cli.main(["catalog", "add", "5"])  # --name is required
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        cli.main(["catalog", "list", "--status", "waiting"])
    assert info.value.code == 2


def test_export_formats_and_import(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    run(capsys, "catalog", "add", "--image-id", "10", "--name", "Blue sky")
    run(capsys, "catalog", "add", "11", "--name", "Old decal")
    for name, fmt in (("assets.luau", "luau"), ("assets.d.ts", "ts"), ("all.json", "json"),
                      ("all.csv", "csv")):
        code, out, _ = run(capsys, "catalog", "export", "-o", str(tmp_path / name))
        assert code == 0 and f"({fmt})" in out
    assert 'BlueSky = "rbxassetid://10",' in (tmp_path / "assets.luau").read_text()
    assert "readonly BlueSky" in (tmp_path / "assets.d.ts").read_text()
    code, out, _ = run(capsys, "catalog", "export", "--format", "json-map", "-o", "-")
    assert json.loads(out) == {"BlueSky": "rbxassetid://10", "OldDecal": "rbxassetid://11"}
    assert run(capsys, "catalog", "export", "-o", str(tmp_path / "x.txt"))[0] == 2
    bad = tmp_path / "more.csv"
    bad.write_text("name,decal_id\nGood,20\nBad,abc\nDuplicate,11\n", encoding="utf-8")
    code, out, err = run(capsys, "catalog", "import", str(bad))
    assert code == 1 and out == ""
    assert "row 3:" in err and "row 4:" in err and "--skip-bad" in err
    code, out, err = run(capsys, "catalog", "import", str(bad), "--skip-bad")
    assert code == 0 and out.startswith("Imported 1 entry")
    assert "Skipped 2 bad rows" in err


def test_export_format_follows_the_extension(capsys: pytest.CaptureFixture[str],
                                             tmp_path: Path) -> None:
    run(capsys, "catalog", "add", "5", "--name", "Brick wall")
    # The typed extension decides; .d.ts is TypeScript.
    assert run(capsys, "catalog", "export", "-o", str(tmp_path / "a.d.ts"))[0] == 0
    assert "declare const assets" in (tmp_path / "a.d.ts").read_text()
    assert run(capsys, "catalog", "export", "-o", str(tmp_path / "a.csv"))[0] == 0
    assert (tmp_path / "a.csv").read_text(encoding="utf-8-sig").startswith("decal_id,")
    # An extension that names no format is refused with what to do, unless --format says.
    code, _, err = run(capsys, "catalog", "export", "-o", str(tmp_path / "a.txt"))
    assert code == 2 and "--format" in err and ".luau" in err
    assert not (tmp_path / "a.txt").exists()
    assert run(capsys, "catalog", "export", "-o", str(tmp_path / "a.txt"), "--format",
               "luau")[0] == 0
    # --format against the extension: done as asked, with a note.
    code, _, err = run(capsys, "catalog", "export", "-o", str(tmp_path / "b.csv"), "--format",
                       "luau")
    assert code == 0 and "writing Luau into" in err and "says CSV" in err
    assert (tmp_path / "b.csv").read_text().startswith("--!strict")
    # A folder, or standard output without a format: a clear sentence, exit 2.
    code, _, err = run(capsys, "catalog", "export", "-o", str(tmp_path))
    assert code == 2 and "is a folder" in err and "assets.luau" in err
    assert "Is a directory" not in err
    code, _, err = run(capsys, "catalog", "export", "-o", "-")
    assert code == 2 and "standard output" in err and "--format" in err


def test_every_catalog_option_has_help() -> None:
    import argparse

    from robloxassets.cli import build_parser

    def walk(parser: argparse.ArgumentParser) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for sub in action.choices.values():
                    walk(sub)
            elif not isinstance(action, argparse._HelpAction):
                assert action.help, f"{parser.prog}: {action.dest} has no help text"

    parser = build_parser()
    for name in ("id", "catalog"):
        walk(parser._subparsers._group_actions[0].choices[name])



def _hold(path: Path, release: threading.Event, holding: threading.Event) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("DELETE FROM entry")
    holding.set()
    release.wait(10)
    conn.execute("ROLLBACK")
    conn.close()


def test_busy_catalogue_gives_a_clear_message(capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    run(capsys, "catalog", "add", "1", "--name", "Existing")
    monkeypatch.setattr(db, "BUSY_TIMEOUT", 0.3)
    release, holding = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold, args=(db.default_path(), release, holding))
    holder.start()
    try:
        assert holding.wait(5)
        code, _, err = run(capsys, "catalog", "add", "2", "--name", "Blocked")
        assert code == db.BUSY_EXIT_CODE
        assert err == ("robloxassets: The catalogue is busy (another window is writing); "
                       "try again.\n")
        assert run(capsys, "catalog", "list")[0] == 0  # reading is not blocked
    finally:
        release.set()
        holder.join()
    assert "Existing" in run(capsys, "catalog", "list")[1]


def test_damaged_catalogue_is_reported_and_a_fresh_one_used(
        capsys: pytest.CaptureFixture[str]) -> None:
    db.default_path().write_bytes(b"\x00garbage" * 100)
    code, _, err = run(capsys, "catalog", "list")
    assert code == 0
    assert "was not a database" in err and "fresh catalogue" in err
    assert run(capsys, "catalog", "add", "1", "--name", "Works")[0] == 0
