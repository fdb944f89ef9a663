"""Upload queue benchmark against the fake Roblox (tests/fakeroblox.py) in another process.

    python benchmarks/upload_bench.py [--count 200] [--rounds 3] [--window 6]

1. Overhead, server answering at once (one poll per operation, no limits on either side):
   the queue sending already-prepared items with one send worker, against a bare loop of the
   same requests (a requests.Session posting the same multipart bodies and polling once) in
   the same round; the difference per upload is what the queue adds (state written before and
   after every step, the catalogue entry, events, thread hand-offs).
2. Overlap: the whole queue (preparation on 2 threads + sending) against preparation alone
   and sending alone, to show the first hides behind the second.
3. Rate limit: the server enforces 120 creates per window (a sliding window, 429 with
   retry-after 0 beyond it) and answers each create already done, so only creates count. The
   window is scaled from 60 s to ``--window`` seconds: the counts (a burst of 120, then wait)
   are what the pacer gets right or wrong, and they stay; durations shrink tenfold while each
   request's own time and the pacer's fixed 50 ms margin do not, so the scaled run is the
   harsher test of the 1.05 ratio. The shortest time the limit allows is measured by a bare
   loop that sends 120, waits until the first is a window old, and sends the rest.

Prints the figures; nothing is asserted. The server runs in its own process so its Python
time does not count against the client's.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402

GOOD_KEY = "test-key-" + "k3y" * 20


class Server:
    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "tests.fakeroblox", *args],
                                     cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True)
        assert self.proc.stdout is not None and self.proc.stdin is not None
        self.url = self.proc.stdout.readline().strip()

    def stats(self) -> dict[str, object]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write("stats\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(10)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def make_images(folder: Path, count: int, size: int) -> list[str]:
    """Drawing-like images with some noise, ``size`` px square, each different."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"decal_{size}_{i:04d}.png"
        if not path.exists():
            # Flat shapes over light grain: compresses like a drawn decal, not like noise.
            image = Image.effect_noise((size, size), 6).convert("RGB")
            draw = ImageDraw.Draw(image)
            draw.rectangle((i % (size // 2), 0, size // 2, size // 3), fill=(i % 255, 80, 160))
            draw.ellipse((size // 4, size // 4, size * 3 // 4, size * 3 // 4),
                         outline=(255, 255, (i * 7) % 255), width=max(2, size // 40))
            image.save(path)
        paths.append(str(path))
    return paths


def fresh_home() -> str:
    home = tempfile.mkdtemp(prefix="upload-bench-")
    os.environ["ROBLOXASSETS_HOME"] = home
    return home


def client_for(url: str, window: float | None):
    from robloxassets.core.cloud.apikey import ApiKey
    from robloxassets.core.cloud.client import Client
    from robloxassets.core.cloud.ratelimit import Pacer, scaled_limits
    from robloxassets.core.cloud.urls import Endpoints

    pacer = Pacer(scaled_limits(window)) if window else Pacer({})
    return Client(ApiKey(GOOD_KEY, "entered"), Endpoints(url, url), pacer=pacer)


def queue_files(files: list[str]):
    from robloxassets.core.cloud.assets import Creator
    from robloxassets.core.upload.model import UploadOptions
    from robloxassets.core.upload.queue import UploadQueue

    queue = UploadQueue()
    started = time.perf_counter()
    added = queue.add(files, UploadOptions(Creator("user", 4242)))
    assert len(added.added) == len(files), added.skipped[:3]
    return queue, time.perf_counter() - started


def prepare_in_place(queue) -> float:
    """Prepare every queued item as the runner would, and record it (for send-only runs)."""
    from robloxassets.core.catalog.store import Catalog
    from robloxassets.core.upload.model import State
    from robloxassets.core.upload.prepare import prepare_file
    from robloxassets.core.upload.store import UploadStore

    started = time.perf_counter()
    with Catalog() as catalog:
        store = UploadStore(catalog)
        for item in sorted(store.items([State.QUEUED]), key=lambda i: i.id):
            p = prepare_file(item.source_path, item.id, item.max_side)
            store.move(item.id, State.QUEUED, from_=(State.QUEUED,), prepared_path=p.path,
                       prepared_sha256=p.sha256, width=p.width, height=p.height,
                       content_type=p.content_type)
    return time.perf_counter() - started


def prepare_alone(files: list[str], workers: int) -> float:
    import concurrent.futures as cf

    from robloxassets.core.upload.prepare import prepare_file

    out = Path(tempfile.mkdtemp(prefix="prep-"))
    started = time.perf_counter()
    with cf.ThreadPoolExecutor(workers) as pool:
        list(pool.map(lambda pair: prepare_file(pair[1], pair[0], 1024, out),
                      enumerate(files)))
    return time.perf_counter() - started


def run_queue(queue, url: str, window: float | None, send_workers: int
              ) -> tuple[float, object, float]:
    from robloxassets.core.upload.runner import PollSchedule, RunnerConfig

    # The server answers at once, so there is no reason to wait before the first poll.
    config = RunnerConfig(send_workers=send_workers, poll=PollSchedule(first=0.0),
                          find_image_ids=False)
    with client_for(url, window) as client:
        runner = queue.runner(client, config=config)
        started, cpu = time.perf_counter(), time.process_time()
        report = runner.run()
        return time.perf_counter() - started, report, time.process_time() - cpu


def bodies(files: list[str]) -> list[bytes]:
    from robloxassets.core.upload.prepare import prepare_file

    out = Path(tempfile.mkdtemp(prefix="bodies-"))
    return [Path(prepare_file(f, i, 1024, out).path).read_bytes() for i, f in enumerate(files)]


def bare_loop(url: str, datas: list[bytes], poll: bool, limit: tuple[int, float] | None
              ) -> tuple[float, int, float]:
    """The same requests from a plain loop: no queue, no database. With ``limit`` it sends
    ``count`` at once, then waits until the first is a window old (exactly at the limit)."""
    session = requests.Session()
    headers = {"x-api-key": GOOD_KEY}
    refused = 0
    started, cpu = time.perf_counter(), time.process_time()
    first_sent = None
    for number, data in enumerate(datas):
        if limit and number and number % limit[0] == 0:
            assert first_sent is not None
            pause = first_sent + limit[1] * (number // limit[0]) - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
        while True:
            meta = json.dumps({"assetType": "Image", "displayName": f"Decal {number}",
                               "description": "", "creationContext": {
                                   "creator": {"userId": "4242"}, "expectedPrice": 0}})
            sent_at = time.perf_counter()
            answer = session.post(f"{url}/assets/v1/assets", headers=headers, timeout=30,
                                  files={"request": (None, meta),
                                         "fileContent": ("d.png", data, "image/png")})
            if answer.status_code == 429:
                refused += 1
                time.sleep(0.05)
                continue
            answer.raise_for_status()
            if first_sent is None:
                first_sent = sent_at
            break
        op = answer.json()
        if poll and not op.get("done"):
            session.get(f"{url}/assets/v1/{op['path']}", headers=headers,
                        timeout=30).raise_for_status()
    return time.perf_counter() - started, refused, time.process_time() - cpu


def overhead(count: int, rounds: int, size: int) -> None:
    files = make_images(Path(tempfile.gettempdir()) / "upload-bench-images-v2", count, size)
    print(f"\n1+2. {count} uploads of {size} x {size} PNGs, server answering at once "
          "(one poll each), no rate limits")
    rows = []
    for round_number in range(1, rounds + 1):
        with Server("--polls", "1") as server:
            datas = bodies(files)
            bare, _, bare_cpu = bare_loop(server.url, datas, poll=True, limit=None)
            fresh_home()
            queue, add_time = queue_files(files)
            prep_seq = prepare_in_place(queue)
            send1, report1, send1_cpu = run_queue(queue, server.url, None, send_workers=1)
            assert report1.creates == count, report1
            fresh_home()
            queue, _ = queue_files(files)
            prepare_in_place(queue)
            send2, _, _ = run_queue(queue, server.url, None, send_workers=2)
            prep2 = prepare_alone(files, 2)
            fresh_home()
            queue, _ = queue_files(files)
            full, report, _ = run_queue(queue, server.url, None, send_workers=2)
            assert report.creates == count and not report.stopped, report
            stats = server.stats()
        per = (send1 - bare) / count * 1000
        per_cpu = (send1_cpu - bare_cpu) / count * 1000
        rows.append((per, full, prep2, send2, per_cpu))
        print(f"  round {round_number}: bare loop {bare:.2f} s ({bare / count * 1000:.1f} ms, "
              f"{bare_cpu / count * 1000:.1f} ms CPU each); queue, prepared, 1 sender "
              f"{send1:.2f} s -> overhead {per:.1f} ms/upload wall, {per_cpu:.1f} ms CPU; "
              f"2 senders {send2:.2f} s")
        print(f"           add (hash + rows) {add_time:.2f} s; preparation alone "
              f"{prep_seq:.2f} s on 1 thread, {prep2:.2f} s on 2; whole queue {full:.2f} s "
              f"(prepare + send would be {prep2 + send2:.2f} s one after the other); "
              f"server saw {stats['creates']} creates, violations {stats['violations']}")
    print(f"  median overhead {statistics.median(r[0] for r in rows):.1f} ms/upload wall, "
          f"{statistics.median(r[4] for r in rows):.1f} ms CPU (target < 20); median whole "
          f"queue {statistics.median(r[1] for r in rows):.2f} s "
          f"vs preparation alone {statistics.median(r[2] for r in rows):.2f} s + sending "
          f"alone {statistics.median(r[3] for r in rows):.2f} s")


def rate_limited(count: int, rounds: int, window: float, workers: int) -> None:
    files = make_images(Path(tempfile.gettempdir()) / "upload-bench-images-v2", count, 128)
    print(f"\n3. {count} uploads, server enforcing 120 creates per {window:g} s (scaled from "
          "60 s), retry-after 0, operations done at create")
    ratios = []
    for round_number in range(1, rounds + 1):
        with Server("--polls", "0", "--create-limit", f"120/{window}") as server:
            datas = bodies(files)
            bare, bare_refused, _ = bare_loop(server.url, datas, poll=False,
                                           limit=(120, window + 0.02))
        results = {}
        for prepared in (True, False):
            with Server("--polls", "0", "--create-limit", f"120/{window}") as server:
                fresh_home()
                queue, _ = queue_files(files)
                if prepared:
                    prepare_in_place(queue)
                elapsed, report, _ = run_queue(queue, server.url, window,
                                               send_workers=workers)
                stats = server.stats()
            assert report.creates == count and not report.stopped, report
            results[prepared] = (elapsed, stats["refused"])
        floor = window * ((count - 1) // 120)
        ratio = results[True][0] / bare
        ratios.append(ratio)
        print(f"  round {round_number}: bare loop at the limit {bare:.2f} s ({bare_refused} "
              f"refused; the limit's floor is {floor:.0f} s + sending); queue on prepared "
              f"items {results[True][0]:.2f} s -> ratio {ratio:.3f} (target <= 1.05), 429s: "
              f"{results[True][1]} (target <= 1); queue preparing as it goes "
              f"{results[False][0]:.2f} s ({results[False][0] / bare:.3f}), 429s: "
              f"{results[False][1]}")
    print(f"  median ratio {statistics.median(ratios):.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--window", type=float, default=6.0)
    parser.add_argument("--size", type=int, default=512, help="image side for part 1+2")
    parser.add_argument("--only", choices=("overhead", "rate"), default=None)
    parser.add_argument("--send-workers", type=int, default=2,
                        help="creates on the wire at once in part 3 (the app's default: 2)")
    args = parser.parse_args()
    print(f"upload benchmark: {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
          f"thread {threading.current_thread().name}")
    if args.only in (None, "overhead"):
        overhead(args.count, args.rounds, args.size)
    if args.only in (None, "rate"):
        rate_limited(args.count, args.rounds, args.window, args.send_workers)


if __name__ == "__main__":
    main()
