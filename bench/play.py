"""A class pressing Play: N students, each doing what the page does in Play at a chosen speed.

The page in Play (static/js/ui player and refresh feed) sends `POST …/step {"steps": k}` with
k = round(speed × max(150 ms, last round trip) / 1000) (at least 1, at most 200), waits until
k steps' worth of time has passed, and repeats; after each step it asks for the output-only
decision boundary (`GET …/boundary?resolution=32&neurons=false`), one request in flight and at
most one per 250 ms. Each simulated student does exactly that on one keep-alive connection
(plus a second one for the boundary, as a browser would), after creating the page's default
network. Students arrive over the first 5 s.

The load comes from this process, on the same machine as the server: a minimal HTTP/1.1
client over asyncio streams keeps its own CPU share small (httpx would need about as much CPU
as the server it measures).

Goal (issue 14): 100 students for 60 s at 20 steps/s with 0 errors, step p99 ≤ 150 ms, every
student reaching ≥ 95 % of the asked speed, server RSS ≤ 200 MiB per worker.

    .venv/bin/python bench/play.py [--students 100] [--seconds 60] [--speed 20]
        [--workers 2] [--redis-servers 0] [--search]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load import memory_kib, pct
from tests.live import Server, redis_server

TARGET_INTERVAL_MS = 150.0  # static/js: the player's least time between two step requests
MAX_STEPS_PER_REQUEST = 200
BOUNDARY_INTERVAL_S = 0.25  # the refresh feed's least time between two boundary requests
BOUNDARY = "/boundary?resolution=32&neurons=false"


def steps_per_request(speed: float, last_ms: float) -> int:
    """The page's choice of k (static/js player: stepsPerRequest)."""
    interval = max(TARGET_INTERVAL_MS, last_ms)
    return max(1, min(MAX_STEPS_PER_REQUEST, round(speed * interval / 1000)))


class Connection:
    """One keep-alive HTTP/1.1 connection: just enough client for this benchmark."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, body: object = None) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        payload = b"" if body is None else json.dumps(body).encode()
        head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
        if body is not None:
            head += f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n"
        self.writer.write(head.encode() + b"\r\n" + payload)
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionError("the server closed the connection")
        status = int(status_line.split()[1])
        length = 0
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        return status, await self.reader.readexactly(length)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


@dataclass
class Tally:
    """What all students saw."""

    step_ms: list[float] = field(default_factory=list)
    boundary_ms: list[float] = field(default_factory=list)
    create_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    speeds: list[float] = field(default_factory=list)  # steps per second each student reached


async def student(port: int, seconds: float, speed: float, seed: int, tally: Tally) -> None:
    rng = random.Random(seed)
    await asyncio.sleep(rng.uniform(0.0, 5.0))
    steps_conn, pictures = Connection("127.0.0.1", port), Connection("127.0.0.1", port)
    try:
        await play(steps_conn, pictures, seconds, speed, tally)
    except (OSError, asyncio.IncompleteReadError) as exc:
        tally.errors.append(f"connection: {exc!r}")
    finally:
        steps_conn.close()
        pictures.close()


async def play(
    steps_conn: Connection, pictures: Connection, seconds: float, speed: float, tally: Tally
) -> None:
    """One student: create the page's default network, then Play at `speed` steps/s."""
    t0 = time.perf_counter()
    status, body = await steps_conn.request("POST", "/api/v1/networks", {})
    tally.create_ms.append((time.perf_counter() - t0) * 1e3)
    if status != 201:
        tally.errors.append(f"create {status}")
        return
    path = "/api/v1/networks/" + json.loads(body)["id"]
    wanted = asyncio.Event()
    playing = True

    async def feed() -> None:  # the page's refresh feed, boundary only
        last = -1e9
        while playing:
            await wanted.wait()
            wanted.clear()
            wait = last + BOUNDARY_INTERVAL_S - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            t = time.perf_counter()
            code, _ = await pictures.request("GET", path + BOUNDARY)
            tally.boundary_ms.append((time.perf_counter() - t) * 1e3)
            last = time.monotonic()
            if code != 200:
                tally.errors.append(f"boundary {code}")

    feeder = asyncio.create_task(feed())
    done, last_ms = 0, 0.0
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        k = steps_per_request(speed, last_ms)
        t = time.perf_counter()
        code, _ = await steps_conn.request("POST", path + "/step", {"steps": k})
        last_ms = (time.perf_counter() - t) * 1e3
        tally.step_ms.append(last_ms)
        if code != 200:
            tally.errors.append(f"step {code}")
            break
        done += k
        wanted.set()
        wait = k / speed - last_ms / 1e3
        if wait > 0.001:
            await asyncio.sleep(wait)
    tally.speeds.append(done / (time.monotonic() - start))
    playing = False
    wanted.set()
    feeder.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await feeder


async def classroom(ports: list[int], students: int, seconds: float, speed: float) -> Tally:
    tally = Tally()
    await asyncio.gather(
        *(student(ports[k % len(ports)], seconds, speed, k, tally) for k in range(students))
    )
    return tally


def worker_pids(pid: int) -> list[int]:
    """The server's worker processes (its children), or the server itself with one worker."""
    children = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        children += [int(c) for c in text]
    return children or [pid]


@contextlib.contextmanager
def servers(workers: int, redis_servers: int) -> Iterator[list[Server]]:
    env = {"BACKPROP_LENS_CREATES_PER_MINUTE": "0"}
    with tempfile.TemporaryDirectory() as tmp:
        if redis_servers:
            with redis_server() as url:
                started = [
                    Server({**env, "BACKPROP_LENS_STORE": url}, workers)
                    for _ in range(redis_servers)
                ]
                try:
                    yield started
                finally:
                    for s in started:
                        s.stop()
        else:
            server = Server({**env, "BACKPROP_LENS_STORE": f"sqlite:///{tmp}/play.db"}, workers)
            try:
                yield [server]
            finally:
                server.stop()


@dataclass
class Run:
    students: int
    speed: float
    tally: Tally
    rss_mib: list[float]

    @property
    def ok(self) -> bool:
        t = self.tally
        return (
            not t.errors
            and len(t.speeds) == self.students
            and pct(t.step_ms, 0.99) <= 150.0
            and min(t.speeds) >= 0.95 * self.speed
            and max(self.rss_mib) <= 200.0
        )


def run(students: int, seconds: float, speed: float, workers: int, redis_servers: int) -> Run:
    with servers(workers, redis_servers) as started:
        ports = [s.port for s in started]
        tally = asyncio.run(classroom(ports, students, seconds, speed))
        rss = [memory_kib(p, "VmHWM") / 1024 for s in started for p in worker_pids(s.proc.pid)]
    return Run(students, speed, tally, rss)


def error_summary(errors: list[str]) -> str:
    """How many errors, and of which kinds: "0", or "81 (boundary 503 × 81)"."""
    if not errors:
        return "0"
    kinds = Counter(errors).most_common(3)
    return f"{len(errors)} (" + ", ".join(f"{kind} × {n}" for kind, n in kinds) + ")"


def report(label: str, r: Run) -> str:
    t = r.tally
    if not t.step_ms:
        return f"| {label} | {r.students} | - | - | - | - | {len(t.errors)} | - | no |"
    slowest = min(t.speeds) if t.speeds else 0.0
    reached = sum(s >= 0.95 * r.speed for s in t.speeds)
    return (
        f"| {label} | {r.students} | {statistics.median(t.step_ms):.1f} | "
        f"{pct(t.step_ms, 0.99):.1f} | "
        f"{pct(t.boundary_ms, 0.99) if t.boundary_ms else 0:.1f} | "
        f"{reached}/{r.students} (slowest {slowest:.1f}/s) | {error_summary(t.errors)} | "
        f"{max(r.rss_mib):.0f} | {'yes' if r.ok else 'no'} |"
    )


def largest(seconds: float, speed: float, workers: int, redis_servers: int, hi: int) -> Run | None:
    """The largest class (to 10 students) that meets the goal, by bisection."""
    lo, best = 0, None  # lo: the largest class known to meet the goal
    while hi - lo > 10:
        mid = (lo + hi) // 2
        r = run(mid, seconds, speed, workers, redis_servers)
        if r.ok:
            lo, best = mid, r
        else:
            hi = mid
    return best


HEADER = (
    "| setup | students | step p50 ms | step p99 ms | boundary p99 ms | "
    "≥ 95 % of the speed | errors | peak RSS/worker MiB | goal met |\n"
    "|---|---:|---:|---:|---:|---|---:|---:|---|"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--speed", type=float, default=20.0, help="steps per second asked")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--redis-servers", type=int, default=0, help="0: one server on SQLite")
    parser.add_argument(
        "--search",
        action="store_true",
        help="also find the largest class meeting the goal for 1 and 2 workers and 2 servers "
        "on Redis (shorter runs of --seconds / 3 each)",
    )
    args = parser.parse_args()
    print(f"Play at {args.speed:g} steps/s, {args.seconds:g} s, default network (2-4-4-2)")
    print()
    print(HEADER)
    setup = (
        f"{args.redis_servers} servers × {args.workers} workers, Redis"
        if args.redis_servers
        else f"1 server × {args.workers} workers, SQLite"
    )
    first = run(args.students, args.seconds, args.speed, args.workers, args.redis_servers)
    print(report(setup, first))
    if not args.search:
        return
    short = max(10.0, args.seconds / 3)
    for label, workers, redis_n in (
        ("largest, 1 worker, SQLite", 1, 0),
        ("largest, 2 workers, SQLite", 2, 0),
        ("largest, 2 servers × 1 worker, Redis", 1, 2),
    ):
        r = largest(short, args.speed, workers, redis_n, hi=max(args.students * 2, 20))
        print(report(label, r) if r else f"| {label} | < 10 | | | | | | | no |")


if __name__ == "__main__":
    main()
