"""The builds users install: the wheel in a fresh venv, and the frozen one-folder app built by
``packaging/build.py``, each passing ``robloxassets --self-test`` where it was installed.

Minutes, not seconds, and they install from the package index: deselected by default,
run once per submission by .ci/run (``python -m pytest -m packaging``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.packaging

ROOT = Path(__file__).resolve().parents[2]
BUILD_SECONDS = 1500
# Issue 16's target: under 120 MB (118.0 MB measured, with ICU's data trimmed by
# packaging/trim_icu.py; README, Packaging). This also catches a regression, such as an
# unused Qt module or plugin folder slipping back in.
FOLDER_BYTES_LIMIT = 120_000_000


def bin_dir(env: Path) -> Path:
    return env / ("Scripts" if sys.platform == "win32" else "bin")


def clean_env(tmp: Path) -> dict[str, str]:
    """The environment of a user's shell: no test home, no source tree on the path."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("ROBLOXASSETS_HOME", "PYTHONPATH", "VIRTUAL_ENV")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["HOME"] = str(tmp)
    return env


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--wheel-dir",
                    str(out), str(ROOT)], check=True, timeout=300)
    (found,) = out.glob("robloxassets-*.whl")
    return found


@pytest.fixture(scope="module")
def wheel_venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    env_dir = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    python = bin_dir(env_dir) / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True,
                   timeout=600)
    return env_dir


def test_the_wheel_holds_every_resource(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    resources = ROOT / "resources"
    expected = {f"robloxassets/resources/{p.relative_to(resources).as_posix()}"
                for p in resources.rglob("*")
                if p.is_file() and "__pycache__" not in p.parts}
    assert "robloxassets/resources/errorcodes/errorcodes.json" in expected
    assert expected <= names, sorted(expected - names)
    assert "robloxassets/selftest.py" in names


@pytest.mark.timeout(900)
def test_the_installed_wheel_passes_its_self_test(wheel_venv: Path, tmp_path: Path) -> None:
    program = bin_dir(wheel_venv) / "robloxassets"
    result = subprocess.run([str(program), "--self-test"], cwd=tmp_path,
                            env=clean_env(tmp_path), capture_output=True, text=True,
                            timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Python build" in result.stdout.splitlines()[0]
    assert result.stdout.splitlines()[-1].startswith("self-test passed")
    # It ran the installed copy, not this source tree.
    where = subprocess.run([str(bin_dir(wheel_venv) / "python"), "-c",
                            "import robloxassets; print(robloxassets.__file__)"],
                           cwd=tmp_path, env=clean_env(tmp_path), capture_output=True,
                           text=True, check=True)
    assert str(wheel_venv) in where.stdout


@pytest.mark.timeout(BUILD_SECONDS)
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="CI builds the other OSes")
def test_the_frozen_linux_build_passes_its_self_test_and_installs(
        wheel: Path, wheel_venv: Path, tmp_path: Path) -> None:
    dist, work = tmp_path / "dist", tmp_path / "work"
    result = subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "build.py"), "--venv", str(wheel_venv),
         "--wheel", str(wheel), "--dist", str(dist), "--work", str(work)],
        capture_output=True, text=True, timeout=BUILD_SECONDS - 60)
    print(result.stdout[-6000:], result.stderr[-3000:])  # the figures, shown with -s
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    assert "self-test passed" in result.stdout and "frozen build" in result.stdout
    report = json.loads((dist / "build-report.json").read_text())
    assert report["folder_bytes"] < FOLDER_BYTES_LIMIT, report
    assert report["window_shown_seconds"] is not None

    # What a user does with the download: unpack, add to the menu, run the command.
    (tarball,) = (dist / "release").glob("robloxassets-*-linux-*.tar.gz")
    unpacked = tmp_path / "Downloads"
    with tarfile.open(tarball) as tar:
        tar.extractall(unpacked, filter="tar")
    (folder,) = unpacked.iterdir()
    user = tmp_path / "user"
    env = {**clean_env(user), "XDG_DATA_HOME": str(user / "share")}
    user.mkdir()
    installed = subprocess.run([str(folder / "install.sh")], env=env, capture_output=True,
                               text=True, timeout=60)
    assert installed.returncode == 0, installed.stderr
    desktop = user / "share" / "applications" / "robloxassets.desktop"
    assert f'Exec="{folder / "robloxassets"}" open %F' in desktop.read_text()
    for size in (16, 32, 48, 64, 128, 256, 512):
        assert (user / "share" / "icons" / "hicolor" / f"{size}x{size}" / "apps"
                / "robloxassets.png").is_file()
    if shutil.which("desktop-file-validate"):
        subprocess.run(["desktop-file-validate", str(desktop)], check=True)
    link = user / ".local" / "bin" / "robloxassets"
    version = subprocess.run([str(link), "--version"], env=env, capture_output=True,
                             text=True, timeout=60)
    assert version.returncode == 0 and version.stdout.startswith("robloxassets "), version
    removed = subprocess.run([str(folder / "install.sh"), "--uninstall"], env=env,
                             capture_output=True, text=True, timeout=60)
    assert removed.returncode == 0, removed.stderr
    assert not desktop.exists() and not link.exists()
