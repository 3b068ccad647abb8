"""A classroom on one server: 100 students creating a network and stepping it, with think time.

Part 1: N simulated students (asyncio, one keep-alive connection each) on one loopback
server with the default SQLite store; each creates a network, then for `--seconds` steps it,
sometimes asks `explain` or the boundary, and thinks 0.2–1.0 s between requests (a student
clicking Step, or the page in slow play); students arrive over the first 5 s. Reports
requests per second, p50/p99 latency per kind, errors (must be 0) and the server's peak
resident memory (VmHWM).
Part 2: the server's resident memory with 10,000 stored small networks, per store.

    .venv/bin/python bench/load.py [--students 100] [--seconds 60] [--stored 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.live import Server

SMALL = {"layers": [2, 4, 4, 2], "activations": ["tanh", "tanh", "softmax"]}


def memory_kib(pid: int, field: str) -> int:
    """VmHWM (peak) or VmRSS (now) of a process, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} not found for pid {pid}")


async def student(
    url: str, seconds: float, seed: int, lat: dict[str, list[float]], errors: list[str]
) -> None:
    rng = random.Random(seed)
    await asyncio.sleep(rng.uniform(0.0, 5.0))  # a class does not all click at the same instant
    async with httpx.AsyncClient(base_url=url, timeout=60) as http:
        body = {**SMALL, "dataset": {"kind": rng.choice(["circle", "xor", "gauss", "moons"])}}
        t0 = time.perf_counter()
        r = await http.post("/api/v1/networks", json=body)
        lat["create"].append((time.perf_counter() - t0) * 1e3)
        if r.status_code != 201:
            errors.append(f"create {r.status_code}")
            return
        network = r.json()["id"]
        stop = time.monotonic() + seconds
        while time.monotonic() < stop:
            await asyncio.sleep(rng.uniform(0.2, 1.0))
            roll = rng.random()
            if roll < 0.8:
                kind, req = "step", http.post(f"/api/v1/networks/{network}/step", json={})
            elif roll < 0.9:
                path = f"/api/v1/networks/{network}/explain?layer=1&i=1&j=0"
                kind, req = "explain", http.get(path)
            else:
                kind, req = "boundary", http.get(f"/api/v1/networks/{network}/boundary")
            t0 = time.perf_counter()
            r = await req
            lat[kind].append((time.perf_counter() - t0) * 1e3)
            if r.status_code != 200:
                errors.append(f"{kind} {r.status_code}")


async def classroom(
    url: str, students: int, seconds: float
) -> tuple[dict[str, list[float]], list[str], float]:
    lat: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    t0 = time.monotonic()
    await asyncio.gather(*(student(url, seconds, k, lat, errors) for k in range(students)))
    return lat, errors, time.monotonic() - t0


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def fill(url: str, count: int) -> None:
    sem = asyncio.Semaphore(16)
    async with httpx.AsyncClient(base_url=url, timeout=60) as http:

        async def one() -> None:
            async with sem:
                r = await http.post("/api/v1/networks", json=SMALL)
                assert r.status_code == 201, r.text

        await asyncio.gather(*(one() for _ in range(count)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--stored", type=int, default=10_000)
    args = parser.parse_args()
    env = {"BACKPROP_LENS_MAX_NETWORKS": str(args.stored + 1000)}
    with tempfile.TemporaryDirectory() as tmp:
        server = Server({**env, "BACKPROP_LENS_STORE": f"sqlite:///{tmp}/class.db"})
        try:
            idle = memory_kib(server.proc.pid, "VmRSS")
            lat, errors, wall = asyncio.run(classroom(server.url, args.students, args.seconds))
            peak = memory_kib(server.proc.pid, "VmHWM")
        finally:
            server.stop()
        total = sum(len(v) for v in lat.values())
        print(
            f"{args.students} students for {args.seconds:g} s, think time 0.2-1.0 s, SQLite store"
        )
        print()
        print("| request | count | p50 ms | p99 ms |")
        print("|---|---:|---:|---:|")
        for kind in ("create", "step", "explain", "boundary"):
            v = lat.get(kind, [])
            if v:
                print(f"| {kind} | {len(v)} | {statistics.median(v):.1f} | {pct(v, 0.99):.1f} |")
        print()
        print(f"requests/s: {total / wall:.0f}; errors: {len(errors)} {sorted(set(errors))[:5]}")
        print(f"server memory: {idle / 1024:.0f} MiB idle, {peak / 1024:.0f} MiB peak (VmHWM)")
        print()
        print(f"| store | RSS with {args.stored} stored 2-4-4-2 networks | on disk |")
        print("|---|---:|---:|")
        for store in (f"sqlite:///{tmp}/stored.db", "memory://"):
            server = Server({**env, "BACKPROP_LENS_STORE": store})
            try:
                asyncio.run(fill(server.url, args.stored))
                rss = memory_kib(server.proc.pid, "VmRSS")
            finally:
                server.stop()
            disk = Path(f"{tmp}/stored.db").stat().st_size if store.startswith("sqlite") else 0
            on_disk = f"{disk / 2**20:.1f} MiB" if disk else "-"
            print(f"| {store.split(':')[0]} | {rss / 1024:.0f} MiB | {on_disk} |")


if __name__ == "__main__":
    main()
