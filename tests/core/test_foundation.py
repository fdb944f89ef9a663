"""The app's foundation: paths, settings, resources, atomic writes, the CLI entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from robloxassets import __version__, cli
from robloxassets.core import paths
from robloxassets.core.atomic import write_text_atomic
from robloxassets.core.resources import read_bytes
from robloxassets.core.settings import Settings


def test_home_env_moves_every_dir(app_home: Path) -> None:
    for folder, name in ((paths.data_dir(), "data"), (paths.cache_dir(), "cache"),
                         (paths.config_dir(), "config")):
        assert folder == app_home / name
        assert folder.is_dir()


def test_settings_round_trip_and_defaults(app_home: Path) -> None:
    settings = Settings()
    assert settings.get("library.thumb_size") == 128
    settings.set("library.thumb_size", 200)
    settings.set("library.folders", ["/x"])
    settings.save()
    again = Settings()
    assert again.get("library.thumb_size") == 200
    assert again.get("library.folders") == ["/x"]
    with pytest.raises(TypeError):
        settings.set("library.thumb_size", "big")


def test_malformed_settings_are_kept_aside(app_home: Path) -> None:
    path = paths.config_dir() / "settings.json"
    path.write_text("{not json", encoding="utf-8")
    settings = Settings()
    assert settings.get("library.thumb_size") == 128
    assert (path.parent / "settings.json.bad").read_text(encoding="utf-8") == "{not json"


def test_wrongly_typed_setting_reads_as_default(app_home: Path) -> None:
    (paths.config_dir() / "settings.json").write_text(
        json.dumps({"library.thumb_size": "huge", "library.folders": "nope"}), encoding="utf-8")
    settings = Settings()
    assert settings.get("library.thumb_size") == 128
    assert settings.get("library.folders") == []


def test_atomic_write_leaves_old_file_on_error(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    write_text_atomic(target, "old")
    with pytest.raises(RuntimeError), open(target, encoding="utf-8"):
        from robloxassets.core.atomic import atomic_write

        with atomic_write(target) as handle:
            handle.write("new, half written")
            raise RuntimeError("disk full")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_packaged_icons_load() -> None:
    assert read_bytes("icons", "library.svg").startswith(b"<svg")


def test_version_flag(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--version"])
    assert exit_info.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_python_dash_m_runs_the_cli() -> None:
    result = subprocess.run([sys.executable, "-m", "robloxassets", "--help"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert "robloxassets" in result.stdout
