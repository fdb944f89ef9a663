"""``robloxassets open [PATH ...]`` and ``robloxassets-gui [PATH ...]``: the window, with the
paths handed to it (the desktop entry runs ``robloxassets open %F``)."""

from __future__ import annotations

import configparser
import sys
from pathlib import Path

import pytest

from robloxassets import cli
from robloxassets.gui import app

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    calls: list[list[str]] = []

    def fake_main(paths=()) -> int:
        calls.append(list(paths))
        return 0

    monkeypatch.setattr(app, "main", fake_main)
    return calls


def test_open_hands_every_path_to_the_window(opened: list[list[str]]) -> None:
    assert cli.main(["open", "/a/folder", "b c.png"]) == 0
    assert opened == [["/a/folder", "b c.png"]]


def test_open_without_paths_and_no_command_open_the_window_alone(
        opened: list[list[str]]) -> None:
    assert cli.main(["open"]) == 0
    assert cli.main([]) == 0
    assert opened == [[], []]


def test_the_gui_script_takes_its_paths_from_the_command_line(
        opened: list[list[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", ["robloxassets-gui", "/x/decals"])
    assert app.gui_script() == 0
    assert opened == [["/x/decals"]]


def test_the_desktop_entry_passes_the_files_it_is_given() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.read(ROOT / "packaging" / "robloxassets.desktop", encoding="utf-8")
    exec_line = entry["Desktop Entry"]["Exec"]
    assert exec_line == "robloxassets open %F"
    assert "image/png" in entry["Desktop Entry"]["MimeType"].split(";")
    # The command it names exists and takes paths.
    args = cli.build_parser().parse_args([*exec_line.split()[1:2], "/some/folder"])
    assert args.command == "open" and args.paths == ["/some/folder"]
