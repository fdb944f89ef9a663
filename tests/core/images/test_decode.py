"""Decoding helpers: the shared pixel budget and colour-mode names."""

from __future__ import annotations

import threading
import time

from PIL import Image

from robloxassets.core.images.decode import DecodeBudget, describe_mode, has_alpha


def test_decode_budget_serialises_big_decodes_only() -> None:
    budget = DecodeBudget(100)
    active: list[int] = []
    peak = [0]
    lock = threading.Lock()

    def work(pixels: int) -> None:
        with budget.hold(pixels):
            with lock:
                active.append(pixels)
                peak[0] = max(peak[0], sum(active))
            time.sleep(0.02)
            with lock:
                active.remove(pixels)

    threads = [threading.Thread(target=work, args=(p,)) for p in (60, 60, 10, 10, 60)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert not any(t.is_alive() for t in threads)
    assert peak[0] <= 100
    # One request above the whole budget still runs (alone) instead of waiting forever.
    with budget.hold(500):
        pass


def test_mode_names() -> None:
    assert describe_mode(Image.new("P", (1, 1))) == "palette"
    assert describe_mode(Image.new("LA", (1, 1))) == "greyscale + alpha"
    assert describe_mode(Image.new("I;16", (1, 1))) == "16-bit greyscale"
    assert describe_mode(Image.new("F", (1, 1))) == "32-bit float"
    assert describe_mode(Image.new("1", (1, 1))) == "black and white"
    rgb = Image.new("RGB", (1, 1))
    assert not has_alpha(rgb)
    rgb.info["transparency"] = (0, 0, 0)
    assert has_alpha(rgb)
