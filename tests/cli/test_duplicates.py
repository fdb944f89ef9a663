"""``robloxassets duplicates``: groups, JSON, exit codes and bad input."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageOps

from robloxassets import cli
from robloxassets.core.catalog.model import Entry, Status
from robloxassets.core.catalog.store import Catalog
from tests import dupset
from tests.hostile import make_fifo, non_utf8_path
from tests.images import sha256_of


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(["duplicates", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "lib"
    (folder / "sub").mkdir(parents=True)
    coin = dupset.source_image(1)
    coin.save(folder / "coin.png")
    shutil.copy(folder / "coin.png", folder / "sub" / "coin copy.png")
    dupset.flatten_for_jpeg(coin).resize((coin.width // 2, coin.height // 2)).save(
        folder / "coin-small.jpg", quality=60)
    ImageOps.mirror(dupset.source_image(2)).save(folder / "gem-mirrored.webp")
    dupset.source_image(2).save(folder / "gem.png")
    dupset.source_image(3).save(folder / "alone.png")
    return folder


def test_groups_as_json(capsys: pytest.CaptureFixture[str], library: Path) -> None:
    code, out, err = run(capsys, str(library), "--json")
    assert code == 1 and err == ""
    groups = json.loads(out)
    names = [sorted(os.path.basename(m["path"]) for m in g) for g in groups]
    assert names == [["coin copy.png", "coin-small.jpg", "coin.png"],
                     ["gem-mirrored.webp", "gem.png"]]
    first = groups[0]
    assert set(first[0]) == {"path", "sha256", "distance", "mirrored"}
    assert first[0]["distance"] == 0
    assert not any(m["mirrored"] for m in first)
    assert [m["mirrored"] for m in groups[1]] == [False, True]  # gem.png kept, a PNG
    exact = [m for m in first if m["path"].endswith(".png")]
    assert exact[0]["sha256"] == exact[1]["sha256"] == sha256_of(library / "coin.png")


def test_groups_as_text(capsys: pytest.CaptureFixture[str], library: Path) -> None:
    code, out, _err = run(capsys, str(library))
    assert code == 1
    assert "Group 1: 3 copies" in out and "exact" in out
    flipped = [line for line in out.splitlines() if "(mirrored copy)" in line]
    assert len(flipped) == 1 and "gem-mirrored.webp" in flipped[0]
    assert out.strip().endswith("3 copies of another image (threshold 8).")


def test_no_copies_exit_0(capsys: pytest.CaptureFixture[str], library: Path) -> None:
    assert run(capsys, str(library / "alone.png"), str(library / "gem.png")) == (
        0, "No copies among 2 images (threshold 8).\n", "")
    code, out, _ = run(capsys, str(library / "alone.png"), "--json")
    assert (code, json.loads(out)) == (0, [])


def test_threshold_zero_keeps_only_the_same_picture(capsys: pytest.CaptureFixture[str],
                                                    library: Path) -> None:
    code, out, _ = run(capsys, str(library), "--threshold", "0", "--json")
    sizes = sorted(len(g) for g in json.loads(out))
    assert code == 1 and sizes[-1] <= 3


@pytest.mark.parametrize("value", ["-1", "25", "ten"])
def test_bad_threshold_is_a_usage_error(capsys: pytest.CaptureFixture[str], library: Path,
                                        value: str) -> None:
    with pytest.raises(SystemExit) as stop:
        cli.main(["duplicates", str(library), "--threshold", value])
    assert stop.value.code == 2
    assert "--threshold" in capsys.readouterr().err


def test_missing_path_is_a_usage_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, str(tmp_path / "nope"))
    assert code == 2 and out == ""
    assert "does not exist" in err


def test_fifo_and_odd_names_are_named_not_opened(capsys: pytest.CaptureFixture[str],
                                                 library: Path) -> None:
    make_fifo(library / "pipe.png")
    odd = non_utf8_path(library, b"caf\xe9.png")
    shutil.copy(library / "gem.png", os.fsencode(odd))
    code, out, err = run(capsys, str(library))
    assert code == 1
    assert "pipe.png was not compared" in err and "Traceback" not in err
    assert "caf\\xe9.png" in out  # shown escaped, grouped with gem.png
    code, out, _ = run(capsys, str(library), "--json")
    assert any(m["path"].endswith("caf\\udce9.png") or "caf" in m["path"]
               for g in json.loads(out) for m in g)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any folder")
def test_an_unreadable_folder_is_a_warning_and_exit_1(capsys: pytest.CaptureFixture[str],
                                                     library: Path) -> None:
    locked = library / "locked"
    locked.mkdir()
    locked.chmod(0)
    try:
        code, _out, err = run(capsys, str(library / "alone.png"), str(locked))
    finally:
        locked.chmod(0o755)
    assert code == 1
    assert "locked" in err and "could not be read" in err


def test_catalogued_copies_show_id_and_status(capsys: pytest.CaptureFixture[str],
                                              library: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "uploaded"
    elsewhere.mkdir()
    shutil.copy(library / "alone.png", elsewhere / "alone-uploaded.png")
    ImageOps.mirror(dupset.source_image(3)).save(library / "alone-flipped.png")
    with Catalog() as catalog:
        catalog.add(Entry(name="Alone", image_id=777, file_path=str(elsewhere /
                                                                    "alone-uploaded.png"),
                          sha256=sha256_of(elsewhere / "alone-uploaded.png"),
                          status=Status.APPROVED))
    code, out, _ = run(capsys, str(library / "alone-flipped.png"), "--catalog")
    assert code == 1
    assert "rbxassetid://777" in out and "approved" in out
    assert run(capsys, str(library / "alone-flipped.png"))[0] == 0


def test_colour_variants_and_solid_colours_are_not_copies(capsys: pytest.CaptureFixture[str],
                                                          tmp_path: Path) -> None:
    folder = tmp_path / "colours"
    folder.mkdir()
    for i in range(20):
        Image.new("RGB", (4, 4), (i * 12, 255 - i * 12, (i * 97) % 256)).save(
            folder / f"solid{i}.png")
    for name, colour in (("red", (220, 30, 30)), ("green", (30, 200, 40)),
                         ("blue", (40, 60, 230))):
        dupset.star(colour).save(folder / f"star-{name}.png")
    code, out, _err = run(capsys, str(folder))
    assert code == 0 and out.startswith("No copies among 23 images")
    Image.new("RGB", (32, 32), (0, 255, 0)).save(folder / "solid0-big.png")
    code, out, _err = run(capsys, str(folder), "--json")
    assert code == 1
    assert [sorted(os.path.basename(m["path"]) for m in g) for g in json.loads(out)] == [
        ["solid0-big.png", "solid0.png"]]
