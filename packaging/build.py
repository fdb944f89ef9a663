"""Build robloxassets for the OS this runs on, then prove the build starts.

    python packaging/build.py [--venv DIR] [--wheel FILE] [--dist DIR]

1. builds the wheel (or takes ``--wheel``) and installs it with PyInstaller into a build
   venv (default ``build/freeze-venv``), so the frozen app holds exactly what the wheel holds;
2. renders the icons (``packaging/icons.py``) and validates the Linux desktop files;
3. freezes the one-folder app with ``packaging/robloxassets.spec``;
4. packs what users download into ``<dist>/release/``: a .tar.gz with the desktop entry,
   AppStream metainfo and hicolor icons on Linux, the Inno Setup installer and a portable .zip
   on Windows, a .dmg of the .app on macOS;
5. smoke-tests the frozen app: ``--version`` and ``--self-test`` (offscreen, temporary home:
   window, every page, knowledge base, sample library, thumbnails, catalogue, worker
   processes), failing the build if anything fails;
6. prints sizes and times and writes them to ``<dist>/build-report.json``.

Runs with any Python 3.10+ that has pip and venv; nothing here needs the project installed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import time
import venv
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
SPEC = PACKAGING / "robloxassets.spec"
DESKTOP_FILE = PACKAGING / "robloxassets.desktop"
METAINFO_FILE = PACKAGING / "io.github.robloxassets.metainfo.xml"
ISS_FILE = PACKAGING / "windows" / "robloxassets.iss"
LINUX_INSTALL_SCRIPT = PACKAGING / "linux" / "install.sh"
NAME = "robloxassets"
DISPLAY_NAME = "Roblox Assets"
SYSTEM = platform.system()  # "Linux", "Windows", "Darwin"
SIZE_LIMIT = 120_000_000  # bytes; issue 16's target for the Linux one-folder build
SMOKE_TIMEOUT = 300


class BuildError(Exception):
    """A step failed; the message says which and why."""


def log(message: str) -> None:
    print(f"build: {message}", flush=True)


def run(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    log("$ " + " ".join(str(c) for c in cmd))
    result = subprocess.run([str(c) for c in cmd], text=True, **kwargs)  # type: ignore[call-overload]
    if result.returncode != 0:
        raise BuildError(f"{Path(str(cmd[0])).name} failed with exit code {result.returncode}")
    return result


def venv_python(env_dir: Path) -> Path:
    return env_dir / ("Scripts/python.exe" if SYSTEM == "Windows" else "bin/python")


def version() -> str:
    text = (ROOT / "robloxassets" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'__version__ = "([^"]+)"', text)
    if not match:
        raise BuildError("no __version__ in robloxassets/__init__.py")
    return match.group(1)


def folder_size(path: Path) -> int:
    """Bytes in the files under ``path`` (links counted once, as the files they point to)."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


# --- steps ---------------------------------------------------------------------------------

def build_wheel(out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob(f"{NAME}-*.whl"):
        old.unlink()
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", out, ROOT])
    wheels = sorted(out.glob(f"{NAME}-*.whl"))
    if len(wheels) != 1:
        raise BuildError(f"expected one wheel in {out}, found {wheels}")
    return wheels[0]


def prepare_venv(env_dir: Path, wheel: Path) -> Path:
    """The build venv with the wheel (and the freezer, from the ``freeze`` extra)."""
    python = venv_python(env_dir)
    if not python.exists():
        log(f"creating the build venv {env_dir}")
        venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    run([python, "-m", "pip", "install", "-q", f"{wheel}[freeze]"])
    # The version rarely changes between builds: reinstall so the venv has this very wheel.
    run([python, "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", wheel])
    return python


def check_metadata() -> None:
    """The desktop files say the version being built, and the validators accept them."""
    metainfo = METAINFO_FILE.read_text(encoding="utf-8")
    releases = re.findall(r'<release version="([^"]+)"', metainfo)
    if not releases or releases[0] != version():
        raise BuildError(f"{METAINFO_FILE.name}: the newest <release> is {releases[:1]}, but "
                         f"robloxassets is {version()}: add a <release> for it")
    validators = [["desktop-file-validate", DESKTOP_FILE],
                  ["appstreamcli", "validate", "--no-net", "--pedantic", METAINFO_FILE]]
    for cmd in validators:
        if shutil.which(str(cmd[0])) is None:
            log(f"{cmd[0]} is not installed: {Path(str(cmd[-1])).name} not validated")
            continue
        run(cmd)


def render_icons(python: Path, out: Path) -> None:
    run([python, PACKAGING / "icons.py", out], env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})


def freeze(python: Path, dist: Path, work: Path, icons: Path) -> Path:
    # Run outside the source tree: from inside it, ``import robloxassets`` would find the
    # sources, where resources/ is not yet robloxassets/resources.
    work.mkdir(parents=True, exist_ok=True)
    run([python, "-m", "PyInstaller", "--noconfirm", "--distpath", dist, "--workpath", work,
         SPEC], env={**os.environ, "ROBLOXASSETS_ICONS": str(icons)}, cwd=work)
    folder = dist / NAME
    if not folder.is_dir():
        raise BuildError(f"PyInstaller left no {folder}")
    return folder


def executables(dist: Path) -> list[Path]:
    """The frozen programs to smoke-test, the one with a console first."""
    if SYSTEM == "Windows":
        return [dist / NAME / f"{NAME}.exe", dist / NAME / f"{NAME}-gui.exe"]
    if SYSTEM == "Darwin":
        return [dist / f"{DISPLAY_NAME}.app" / "Contents" / "MacOS" / NAME]
    return [dist / NAME / NAME]


def package(dist: Path, icons: Path, release: Path) -> list[Path]:
    release.mkdir(parents=True, exist_ok=True)
    arch = platform.machine().lower().replace("amd64", "x86_64")
    stem = f"{NAME}-{version()}"
    if SYSTEM == "Linux":
        return [package_linux(dist / NAME, icons, release / f"{stem}-linux-{arch}.tar.gz")]
    if SYSTEM == "Windows":
        return package_windows(dist / NAME, icons, release, f"{stem}-windows-{arch}")
    if SYSTEM == "Darwin":
        return [package_macos(dist / f"{DISPLAY_NAME}.app", release / f"{stem}-macos-{arch}.dmg")]
    raise BuildError(f"no packaging for {SYSTEM}")


def package_linux(folder: Path, icons: Path, target: Path) -> Path:
    """The folder plus ``share/`` (desktop entry, metainfo, hicolor icons) and ``install.sh``,
    which puts them in ``~/.local/share`` pointing at wherever the folder was unpacked."""
    share = folder / "share"
    shutil.rmtree(share, ignore_errors=True)
    shutil.copytree(icons / "hicolor", share / "icons" / "hicolor")
    (share / "applications").mkdir(parents=True)
    shutil.copy2(DESKTOP_FILE, share / "applications" / DESKTOP_FILE.name)
    (share / "metainfo").mkdir(parents=True)
    shutil.copy2(METAINFO_FILE, share / "metainfo" / METAINFO_FILE.name)
    shutil.copy2(LINUX_INSTALL_SCRIPT, folder / "install.sh")
    (folder / "install.sh").chmod(0o755)
    with tarfile.open(target, "w:gz", compresslevel=6) as tar:
        tar.add(folder, arcname=target.name.removesuffix(".tar.gz"))
    return target


def find_iscc() -> str | None:
    found = shutil.which("iscc")
    if found:
        return found
    for base in (os.environ.get("PROGRAMFILES(X86)"), os.environ.get("PROGRAMFILES")):
        if base and (Path(base) / "Inno Setup 6" / "ISCC.exe").exists():
            return str(Path(base) / "Inno Setup 6" / "ISCC.exe")
    return None


def package_windows(folder: Path, icons: Path, release: Path, stem: str) -> list[Path]:
    made = []
    portable = release / f"{stem}-portable.zip"
    with zipfile.ZipFile(portable, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            archive.write(path, Path(NAME) / path.relative_to(folder))
    made.append(portable)
    iscc = find_iscc()
    if iscc is None:
        raise BuildError("Inno Setup's ISCC.exe was not found: install Inno Setup 6 "
                         "(choco install innosetup) to build the installer")
    run([iscc, f"/DAppVersion={version()}", f"/DSourceDir={folder}", f"/DOutputDir={release}",
         f"/DOutputName={stem}-setup", f"/DIconFile={icons / (NAME + '.ico')}", ISS_FILE])
    made.append(release / f"{stem}-setup.exe")
    return made


def package_macos(app: Path, target: Path) -> Path:
    if target.exists():
        target.unlink()
    run(["hdiutil", "create", "-volname", DISPLAY_NAME, "-srcfolder", app, "-ov",
         "-format", "UDZO", target])
    return target


def smoke_test(programs: list[Path]) -> float | None:
    """``--version`` and ``--self-test`` of each program; returns the seconds from launch to
    the window being shown, as the first program's self-test measured them."""
    shown: float | None = None
    for program in programs:
        if not program.exists():
            raise BuildError(f"{program} is missing from the build")
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        windowed = program.name.endswith("-gui.exe")  # no console: the exit code tells
        if not windowed:
            out = run([program, "--version"], env=env, capture_output=True).stdout
            if version() not in out:
                raise BuildError(f"{program.name} --version said {out!r}")
        env["ROBLOXASSETS_LAUNCHED_AT"] = repr(time.time())
        log(f"$ {program} --self-test")
        result = subprocess.run([str(program), "--self-test"], env=env, text=True,
                                capture_output=True, timeout=SMOKE_TIMEOUT)
        sys.stdout.write(result.stdout)
        sys.stdout.write(result.stderr)
        if result.returncode != 0:
            raise BuildError(f"{program.name} --self-test failed (exit code "
                             f"{result.returncode})")
        match = re.search(r"window shown ([\d.]+) s after launch", result.stdout)
        if shown is None and match:
            shown = float(match.group(1))
    return shown


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--venv", type=Path, default=ROOT / "build" / "freeze-venv",
                        help="build venv (made if missing; default build/freeze-venv)")
    parser.add_argument("--wheel", type=Path, help="freeze this wheel instead of building one")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist",
                        help="where the build and release/ go (default dist)")
    parser.add_argument("--work", type=Path, help="PyInstaller's work folder "
                        "(default: build/pyinstaller)")
    args = parser.parse_args(argv)
    dist: Path = args.dist.resolve()
    work: Path = (args.work or ROOT / "build" / "pyinstaller").resolve()
    icons = work / "icons"
    times: dict[str, float] = {}

    def timed(step: str, action: Callable[..., T], *values: object) -> T:
        started = time.perf_counter()
        value = action(*values)
        times[step] = round(time.perf_counter() - started, 1)
        return value

    try:
        check_metadata()
        wheel = args.wheel.resolve() if args.wheel else timed("wheel", build_wheel,
                                                                work / "wheel")
        python = timed("venv", prepare_venv, args.venv.resolve(), wheel)
        timed("icons", render_icons, python, icons)
        folder = timed("freeze", freeze, python, dist, work, icons)
        size = folder_size(folder)  # before share/ and install.sh join it (Linux)
        artifacts = timed("package", package, dist, icons, dist / "release")
        shown = timed("smoke test", smoke_test, executables(dist))
    except (BuildError, subprocess.TimeoutExpired) as exc:
        print(f"build: FAILED: {exc}", file=sys.stderr)
        return 1
    report = {
        "version": version(), "system": SYSTEM, "machine": platform.machine(),
        "folder": str(folder), "folder_bytes": size,
        "artifacts": {str(p): p.stat().st_size for p in artifacts},
        "seconds": times, "window_shown_seconds": shown,
    }
    (dist / "build-report.json").write_text(json.dumps(report, indent=2) + "\n")
    log(f"one-folder build: {size / 1e6:.1f} MB ({size / 2**20:.1f} MiB) in {folder}")
    for path, nbytes in report["artifacts"].items():
        log(f"artifact: {path} ({nbytes / 1e6:.1f} MB)")
    log("times: " + ", ".join(f"{k} {v:.1f} s" for k, v in times.items()))
    if shown is not None:
        log(f"frozen app: window shown {shown:.2f} s after launch (offscreen)")
    if SYSTEM == "Linux" and size > SIZE_LIMIT:
        log(f"note: over the {SIZE_LIMIT / 1e6:.0f} MB target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
