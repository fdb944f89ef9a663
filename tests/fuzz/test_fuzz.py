"""A short run of the fuzz harness (the long one is run by hand: see tests/fuzz/harness.py).

Fixed seeds, so a failure here reproduces; every run generates its seed corpus afresh.
"""

from __future__ import annotations

import pytest

from tests.fuzz import harness


@pytest.mark.parametrize(("target", "cases"), [("images", 96), ("imports", 60), ("text", 300)])
def test_a_short_fuzz_run_finds_nothing(target: str, cases: int) -> None:
    report = harness.run([target], seed=20240501, cases=cases)
    assert report.cases[target] > 0
    assert not report.findings, "\n".join(str(f) for f in report.findings)
