"""Pacing below the limits, and waiting as the server says (retry-after, reset, backoff)."""

from __future__ import annotations

import time

import pytest

from robloxassets.core.cloud.assets import AssetsApi
from robloxassets.core.cloud.client import Client
from robloxassets.core.cloud.errors import Kind
from robloxassets.core.cloud.ratelimit import (
    MARGIN_FIXED,
    MARGIN_SHARE,
    Backoff,
    Limit,
    Pacer,
    reset_after,
    retry_after,
    scaled_limits,
)
from tests.cloudfixtures import make_client
from tests.fakeroblox import FakeRoblox, Reply


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_up_to_the_limit_then_one_window_later() -> None:
    clock = Clock()
    pacer = Pacer({"create": Limit(3, 10.0)}, clock=clock)
    takes = []
    for _ in range(3):
        takes.append(pacer.try_take("create"))
        clock.now += 1
    assert takes == [0, 0, 0]
    wait = pacer.try_take("create")
    assert wait == pytest.approx(10.0 * (1 + MARGIN_SHARE) + MARGIN_FIXED - 3)
    clock.now += wait
    assert pacer.try_take("create") == 0
    assert pacer.try_take("create") > 0  # the second of the first three is not old enough
    assert pacer.try_take("unknown bucket") == 0


def test_in_any_window_at_most_count_start() -> None:
    clock = Clock()
    pacer = Pacer({"b": Limit(5, 1.0)}, clock=clock)
    starts = []
    while len(starts) < 23:
        wait = pacer.try_take("b")
        if wait <= 0:
            starts.append(clock.now)
        else:
            clock.now += wait
    for i, start in enumerate(starts):
        in_window = [s for s in starts[i:] if s < start + 1.0]
        assert len(in_window) <= 5


def test_headers_and_blocks() -> None:
    clock = Clock()
    pacer = Pacer({"b": Limit(100, 60.0)}, clock=clock)
    pacer.observe("b", {"x-ratelimit-remaining": "5, 0;w=60", "x-ratelimit-reset": "12"})
    assert pacer.delay("b") == 12
    pacer.observe("b", {"x-ratelimit-remaining": "3"})
    assert pacer.delay("b") == 12  # remaining above 0 does not lift a block
    pacer.block("b", 10_000)
    assert pacer.delay("b") == 300  # garbled values are capped


def test_retry_after_forms() -> None:
    assert retry_after({"retry-after": "3"}) == 3
    assert retry_after({"retry-after": "0"}) is None  # means nothing: back off instead
    assert retry_after({}) is None
    assert retry_after({"retry-after": "soon"}) is None
    when = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 30))
    assert 25 < retry_after({"retry-after": when}) <= 31
    assert reset_after({"x-ratelimit-reset": "0"}) is None
    assert reset_after({"x-ratelimit-reset": "4, 50"}) == 50


def test_backoff_grows_with_jitter_and_a_cap() -> None:
    backoff = Backoff(base=1, cap=8)
    assert backoff.delay(0, rng=lambda: 0) == 0.5 and backoff.delay(0, rng=lambda: 1) == 1
    assert backoff.delay(2, rng=lambda: 1) == 4
    assert backoff.delay(10, rng=lambda: 1) == 8
    assert len({backoff.delay(3) for _ in range(20)}) > 1


def test_scaled_limits_keep_the_counts() -> None:
    limits = scaled_limits(6.0)
    assert limits["create"] == Limit(120, 6.0) and limits["operation"] == Limit(100, 6.0)


def _asset(fake: FakeRoblox, client: Client) -> int:
    from tests.core.cloud.test_client import create

    op = create(client)
    while not op.done:
        op = AssetsApi(client).operation(op.path)
    return op.asset.asset_id


def test_reads_wait_out_a_429_for_its_retry_after(fake: FakeRoblox, client: Client) -> None:
    asset_id = _asset(fake, client)
    client.pacer = Pacer({"asset": Limit(100, 60.0)})
    fake.script("asset", Reply(429, {"code": "RESOURCE_EXHAUSTED"}, {"retry-after": "1"}))
    notices = []
    client.notify = notices.append
    AssetsApi(client).get(asset_id)
    reads = [r["at"] for r in fake.requests if r["route"] == "asset"]
    assert len(reads) == 2 and reads[1] - reads[0] >= 0.95
    assert notices[0].kind is Kind.RATE_LIMITED and "waiting 1 s" in notices[0].message


def test_retry_after_zero_uses_the_reset_header(fake: FakeRoblox, client: Client) -> None:
    asset_id = _asset(fake, client)
    client.pacer = Pacer({"asset": Limit(100, 60.0)})
    fake.script("asset", Reply(429, {}, {"retry-after": "0", "x-ratelimit-reset": "1"}))
    AssetsApi(client).get(asset_id)
    reads = [r["at"] for r in fake.requests if r["route"] == "asset"]
    assert reads[1] - reads[0] >= 0.95


def test_retry_after_zero_without_reset_backs_off(fake: FakeRoblox) -> None:
    with make_client(fake) as client:
        asset_id = _asset(fake, client)
        client.pacer = Pacer({"asset": Limit(100, 60.0)})
        fake.script("asset", *[Reply(429, {}, {"retry-after": "0"})] * 4)
        AssetsApi(client).get(asset_id)
    reads = [r["at"] for r in fake.requests if r["route"] == "asset"]
    assert len(reads) == 5
    # Backoff(base=0.01): 0.005-0.01, 0.01-0.02, 0.02-0.04, 0.04-0.05 (the cap)
    assert reads[-1] - reads[0] >= 0.07


def test_a_window_enforced_by_the_server_is_never_exceeded(fake: FakeRoblox) -> None:
    fake.limit("asset", 5, 1.0, retry_after="0")
    with make_client(fake) as client:
        asset_id = _asset(fake, client)
        client.pacer = Pacer({"asset": Limit(5, 1.0)})
        started = time.monotonic()
        for _ in range(12):
            AssetsApi(client).get(asset_id)
        elapsed = time.monotonic() - started
    assert fake.refused_429 == 0
    assert elapsed >= 2.0  # 12 reads at 5 a second: the 6th and the 11th wait a window
