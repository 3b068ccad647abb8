"""Step throughput as the deployment scales: 1 vs 2 uvicorn workers on Redis; SQLite vs Redis.

Each configuration gets a fresh server (and a fresh store) on loopback. Load comes from
separate client processes (so the clients' Python does not share the servers' GIL), each
stepping its own 2-8-8-3 network with keep-alive, as students in a class do. Prints requests
per second and p50/p99 latency, plus the ratios, as a markdown table.

    .venv/bin/python bench/scale.py [--clients 8] [--seconds 8]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.live import redis_server, serve

NETWORK = {
    "layers": [2, 8, 8, 3],
    "activations": ["tanh", "tanh", "softmax"],
    "dataset": {"kind": "blobs", "classes": 3, "n": 300},
    "batch_size": 10,
}


def client(url: str, seconds: float, out: mp.Queue) -> None:  # type: ignore[type-arg]
    with httpx.Client(base_url=url, timeout=60) as http:
        network = http.post("/api/v1/networks", json=NETWORK).json()["id"]
        for _ in range(20):  # warm-up
            http.post(f"/api/v1/networks/{network}/step", json={})
        latencies = []
        stop = time.monotonic() + seconds
        while time.monotonic() < stop:
            t0 = time.perf_counter()
            r = http.post(f"/api/v1/networks/{network}/step", json={})
            latencies.append((time.perf_counter() - t0) * 1e3)
            if r.status_code != 200:
                raise SystemExit(f"step failed: {r.status_code} {r.text}")
    out.put(latencies)


def measure(url: str, clients: int, seconds: float) -> dict[str, float]:
    queue: mp.Queue = mp.Queue()  # type: ignore[type-arg]
    procs = [mp.Process(target=client, args=(url, seconds, queue)) for _ in range(clients)]
    for p in procs:
        p.start()
    latencies = [x for _ in procs for x in queue.get()]
    for p in procs:
        p.join()
    ordered = sorted(latencies)
    return {
        "rps": len(latencies) / seconds,
        "p50": statistics.median(ordered),
        "p99": ordered[int(0.99 * (len(ordered) - 1))],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=8.0)
    args = parser.parse_args()
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        env = {"BACKPROP_LENS_STORE": f"sqlite:///{tmp}/scale.db"}
        with serve(env, workers=1) as server:
            results["SQLite, 1 worker"] = measure(server.url, args.clients, args.seconds)
    for workers in (1, 2):
        with (
            redis_server() as redis_url,
            serve({"BACKPROP_LENS_STORE": redis_url}, workers) as server,
        ):
            label = f"Redis, {workers} worker{'s' if workers > 1 else ''}"
            results[label] = measure(server.url, args.clients, args.seconds)
    print(f"{args.clients} client processes, {args.seconds:g} s each, 2-8-8-3 networks, batch 10")
    print()
    print("| store, workers | steps/s | p50 ms | p99 ms |")
    print("|---|---:|---:|---:|")
    for label, r in results.items():
        print(f"| {label} | {r['rps']:.0f} | {r['p50']:.2f} | {r['p99']:.2f} |")
    print()
    one, two = results["Redis, 1 worker"], results["Redis, 2 workers"]
    sqlite = results["SQLite, 1 worker"]
    print(f"Redis 2 workers / 1 worker throughput: {two['rps'] / one['rps']:.2f}x")
    print(f"Redis / SQLite throughput (1 worker):  {one['rps'] / sqlite['rps']:.2f}x")


if __name__ == "__main__":
    main()
