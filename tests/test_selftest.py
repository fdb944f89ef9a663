"""``robloxassets --self-test``: passes on a working install, and fails loudly, naming the
check, when something a frozen build could lose is missing."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from robloxassets import selftest
from robloxassets.core.images import scan, workers


@pytest.fixture
def pool_stopped_after() -> Iterator[None]:
    yield
    workers.shared_pool(2).shutdown()


def test_self_test_passes_on_this_install(tmp_path: Path) -> None:
    home, temp = tmp_path / "home", tmp_path / "tmp"
    home.mkdir()
    temp.mkdir()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "ROBLOXASSETS_LAUNCHED_AT": repr(time.time()),
           "HOME": str(home), "XDG_DATA_HOME": str(home / "data"),
           "XDG_CACHE_HOME": str(home / "cache"), "XDG_CONFIG_HOME": str(home / "config"),
           "TMPDIR": str(temp)}
    env.pop("ROBLOXASSETS_HOME")  # the self-test makes a temporary home of its own
    result = subprocess.run([sys.executable, "-m", "robloxassets", "--self-test"], env=env,
                            cwd=tmp_path, capture_output=True, text=True, timeout=90)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("robloxassets ") and "self-test" in lines[0]
    checks = lines[1:-1]
    assert checks and all(line.startswith("ok   ") for line in checks), result.stdout
    for name in ("window", "pages", "licences", "text", "knowledge base", "catalogue",
                 "sample library", "thumbnail", "worker processes", "library page"):
        assert any(line.startswith(f"ok   {name}:") for line in checks), name
    assert "s after launch" in lines[1] and "ignored" not in lines[1]
    seconds = float(lines[1].split("window shown ")[1].split(" s after launch")[0])
    assert 0 < seconds < 90
    assert lines[-1].startswith("self-test passed")
    # Nothing went to the user's folders, and the temporary home is gone.
    assert not [p for p in home.rglob("*") if "robloxassets" in p.name]
    assert not [p for p in temp.iterdir() if p.name.startswith("robloxassets-selftest-")]


def test_a_failing_check_is_reported_and_the_others_still_run(capsys) -> None:
    report = selftest._Report(sys.stdout)

    def broken() -> str:
        raise selftest.CheckFailed("the knowledge base is empty")

    def crashing() -> str:
        raise ZeroDivisionError("planted")

    report.run("knowledge base", broken)
    report.run("thumbnail", crashing)
    report.run("catalogue", lambda: "fine")
    out = capsys.readouterr().out
    assert "FAIL knowledge base: the knowledge base is empty" in out
    assert "FAIL thumbnail: unexpected error" in out and "ZeroDivisionError: planted" in out
    assert "ok   catalogue: fine" in out
    assert report.failed == ["knowledge base", "thumbnail"] and report.passed == 1


def test_worker_check_fails_when_processes_cannot_start(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pool_stopped_after: None) -> None:
    workers.shared_pool(2).shutdown()
    monkeypatch.setattr(workers.ProcessPool, "_start", lambda self: None)
    with pytest.raises(selftest.CheckFailed, match="worker processes are not available"):
        selftest._SelfTest(tmp_path).worker_processes()


def test_worker_check_fails_when_the_scan_stays_on_threads(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pool_stopped_after: None) -> None:
    # What a frozen build whose workers silently fell back to threads would look like.
    monkeypatch.setattr(scan, "_PROCESSES_FROM", 10**6)
    with pytest.raises(selftest.CheckFailed, match="only 0 of 48 images were analysed in "
                                                    "worker processes"):
        selftest._SelfTest(tmp_path).worker_processes()


@pytest.mark.parametrize("value", ["0", "12345.6", "not a time", "nan", "inf", "-1",
                                   "9999999999"])
def test_a_launch_time_that_is_not_this_launch_is_ignored(
        monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    # "0" once gave "window shown 1796170408 s after launch".
    monkeypatch.setenv(selftest.LAUNCHED_AT_ENV, value)
    text = selftest.since_launch(time.time())
    assert "after the self-test started" in text and "ignored" in text
    assert "after launch" not in text


def test_the_launch_time_counts_when_it_is_this_launch(monkeypatch: pytest.MonkeyPatch) -> None:
    now = time.time()
    monkeypatch.setenv(selftest.LAUNCHED_AT_ENV, repr(now - 0.75))
    assert selftest.since_launch(now) == "0.75 s after launch"
    monkeypatch.delenv(selftest.LAUNCHED_AT_ENV)
    assert selftest.since_launch(now).endswith("s after the self-test started")
