"""``robloxassets check`` and ``robloxassets fit``: output, JSON and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from robloxassets.cli import main
from tests.images import make_jpeg, make_not_an_image, make_rgb_png, make_webp, sha256_of

JSON_KEYS = {"path", "format", "width", "height", "mode", "has_alpha", "bytes", "verdict",
             "message"}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def good_folder(root: Path) -> Path:
    root.mkdir()
    make_rgb_png(root / "a.png", (100, 100))
    (root / "sub").mkdir()
    make_jpeg(root / "sub" / "b.jpg", (300, 200))
    (root / "notes.txt").write_text("ignored")
    return root


def test_check_all_ok_exits_0(tmp_path: Path, capsys) -> None:
    code, out, err = run(capsys, "check", str(good_folder(tmp_path / "lib")))
    assert code == 0, err
    lines = out.strip().splitlines()
    assert len(lines) == 3  # two images and the summary
    assert lines[0].startswith("OK") and "a.png" in lines[0]
    assert "sub/b.jpg" in lines[1] or "sub\\b.jpg" in lines[1]
    assert lines[-1].startswith("2 images: 2 OK")
    assert err == ""  # no progress when stderr is not a terminal


def test_check_needs_work_exits_1_and_explains(tmp_path: Path, capsys) -> None:
    lib = good_folder(tmp_path / "lib")
    make_rgb_png(lib / "wall.png", (2048, 1024))
    make_webp(lib / "leaf.webp")
    make_not_an_image(lib / "broken.png")
    code, out, _ = run(capsys, "check", str(lib))
    assert code == 1
    assert "Will be downscaled" in out and "1024 x 512" in out
    assert "Convert format" in out and "Corrupt" in out
    # fit is offered for what it can fix; the unreadable file needs a good copy instead.
    assert "2 need work: robloxassets fit PATH... --out DIR" in out
    assert "1 can't be read: replace it with a good copy." in out
    assert "`" not in out  # no markdown in a terminal


def test_check_of_only_a_corrupt_file_does_not_suggest_fit(tmp_path: Path, capsys) -> None:
    broken = make_not_an_image(tmp_path / "broken.png")
    code, out, _ = run(capsys, "check", str(broken))
    assert code == 1
    assert "fit" not in out and "replace it with a good copy" in out


def test_check_json(tmp_path: Path, capsys) -> None:
    lib = good_folder(tmp_path / "lib")
    make_rgb_png(lib / "wall.png", (2048, 1024))
    code, out, _ = run(capsys, "check", str(lib), "--json")
    assert code == 1
    data = json.loads(out)
    assert len(data) == 3
    for entry in data:
        assert set(entry) >= JSON_KEYS
    verdicts = {Path(e["path"]).name: e["verdict"] for e in data}
    assert verdicts == {"a.png": "ok", "b.jpg": "ok", "wall.png": "downscale"}
    assert all(e["verdict"] in {"ok", "downscale", "unsupported", "too-large-file",
                                "too-many-pixels", "corrupt"} for e in data)


def test_check_usage_errors_exit_2(tmp_path: Path, capsys) -> None:
    code, _, err = run(capsys, "check", str(tmp_path / "nope"))
    assert code == 2 and "nope does not exist" in err
    (tmp_path / "notes.txt").write_text("x")
    code, _, err = run(capsys, "check", str(tmp_path / "notes.txt"))
    assert code == 2 and "not named like an image" in err
    # Roblox's own formats first, then a few the app converts; not .apng, .avif, .cur...
    assert "Roblox takes .png, .jpg, .jpeg, .bmp and .tga files" in err
    assert ".gif" in err and ".apng" not in err
    assert "Traceback" not in err


def test_check_empty_folder(tmp_path: Path, capsys) -> None:
    (tmp_path / "empty").mkdir()
    code, out, _ = run(capsys, "check", str(tmp_path / "empty"))
    assert code == 0 and "No images found" in out
    code, out, _ = run(capsys, "check", str(tmp_path / "empty"), "--json")
    assert code == 0 and json.loads(out) == []


def test_fit_writes_copies_and_exits_0(tmp_path: Path, capsys) -> None:
    lib = tmp_path / "lib"
    lib.mkdir()
    wall = make_jpeg(lib / "wall.jpg", (2048, 1024))
    before = sha256_of(wall)
    code, out, _ = run(capsys, "fit", str(lib), "--out", str(tmp_path / "ready"))
    assert code == 0
    assert "2048 x 1024 -> 1024 x 512" in out and out.strip().endswith("1 written.")
    assert (tmp_path / "ready" / "wall.png").exists()
    assert sha256_of(wall) == before
    # Again: a clash gets a suffix, nothing is overwritten.
    code, out, _ = run(capsys, "fit", str(wall), "--out", str(tmp_path / "ready"), "--max",
                       "256")
    assert code == 0 and "wall (2).png" in out and "256 x 128" in out
    code, out, _ = run(capsys, "fit", str(wall), "--out", str(tmp_path / "ready"),
                       "--overwrite", "--json")
    assert code == 0
    data = json.loads(out)
    assert data[0]["output"].endswith("wall.png") and data[0]["status"] == "written"
    assert data[0]["old_size"] == [2048, 1024] and data[0]["new_size"] == [1024, 512]


def test_fit_again_is_up_to_date_and_writes_nothing(tmp_path: Path, capsys) -> None:
    lib = tmp_path / "lib"
    lib.mkdir()
    make_jpeg(lib / "huge_4096.jpg", (2048, 2048))
    make_rgb_png(lib / "small.png", (64, 64))
    ready = tmp_path / "ready"
    assert run(capsys, "fit", str(lib), "--out", str(ready))[0] == 0
    before = sorted((p.name, p.stat().st_mtime_ns) for p in ready.iterdir())
    code, out, _ = run(capsys, "fit", str(lib), "--out", str(ready))
    assert code == 0
    assert out.strip().endswith("2 up to date.")
    assert "(2)" not in out and "identical copy" in out
    code, out, _ = run(capsys, "fit", str(lib), "--out", str(ready), "--json")
    assert code == 0
    data = json.loads(out)
    assert {r["status"] for r in data} == {"up-to-date"}
    huge = next(r for r in data if r["source"].endswith("huge_4096.jpg"))
    assert huge["output"].endswith("huge_4096.png") and huge["new_size"] == [1024, 1024]
    assert sorted((p.name, p.stat().st_mtime_ns) for p in ready.iterdir()) == before


def test_fit_failure_exits_1(tmp_path: Path, capsys) -> None:
    lib = tmp_path / "lib"
    lib.mkdir()
    make_rgb_png(lib / "good.png")
    make_not_an_image(lib / "bad.png")
    code, out, _ = run(capsys, "fit", str(lib), "--out", str(tmp_path / "ready"), "--json")
    assert code == 1
    statuses = {Path(r["source"]).name: r["status"] for r in json.loads(out)}
    assert statuses == {"good.png": "written", "bad.png": "failed"}


def test_fit_usage_errors_exit_2(tmp_path: Path, capsys) -> None:
    image = make_rgb_png(tmp_path / "a.png")
    (tmp_path / "file").write_text("x")
    code, _, err = run(capsys, "fit", str(image), "--out", str(tmp_path / "file"))
    assert code == 2 and "is a file" in err
    code, _, err = run(capsys, "fit", str(tmp_path / "missing.png"), "--out", str(tmp_path))
    assert code == 2 and "does not exist" in err
    for bad in ("0", "8000", "big"):
        with pytest.raises(SystemExit) as caught:
            main(["fit", str(image), "--out", str(tmp_path / "o"), "--max", bad])
        assert caught.value.code == 2
    with pytest.raises(SystemExit) as caught:
        main(["fit", str(image)])  # --out is required
    assert caught.value.code == 2


def test_fit_skipped_exits_1(tmp_path: Path, capsys) -> None:
    image = make_rgb_png(tmp_path / "a.png")
    code, out, _ = run(capsys, "fit", str(image), "--out", str(tmp_path), "--overwrite")
    assert code == 1
    assert "skipped" in out and "replace the original" in out
