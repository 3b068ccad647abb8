"""API latency and throughput: POST …/step (2-8-8-3) next to GET /api/v1/health, same server.

Starts one uvicorn server on loopback with a fresh SQLite store, then measures, alternating
the two endpoints so both see the same machine state:
  - p50 / p99 latency over sequential requests from one keep-alive client;
  - requests per second with 8 concurrent clients (threads, one keep-alive connection each).
Prints a markdown table and the ratios step/health. Goal (issue 14): step p50 <= 1.5x
health p50 and step throughput >= 50% of health's.

    .venv/bin/python bench/api.py [--requests 2000] [--seconds 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.live import Server


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def latencies(base: str, network: str, count: int) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {"step": [], "health": []}
    with httpx.Client(base_url=base) as client:
        for _ in range(50):  # warm-up: imports, caches, the SQLite page cache
            client.post(f"/api/v1/networks/{network}/step", json={})
            client.get("/api/v1/health")
        for _ in range(count):
            t0 = time.perf_counter()
            r = client.post(f"/api/v1/networks/{network}/step", json={})
            t1 = time.perf_counter()
            h = client.get("/api/v1/health")
            t2 = time.perf_counter()
            assert r.status_code == 200 and h.status_code == 200, (r.text, h.text)
            out["step"].append((t1 - t0) * 1e3)
            out["health"].append((t2 - t1) * 1e3)
    return out


def throughput(base: str, network: str, kind: str, seconds: float, clients: int = 8) -> float:
    done = [0] * clients
    stop = time.monotonic() + seconds

    def worker(k: int) -> None:
        with httpx.Client(base_url=base) as client:
            while time.monotonic() < stop:
                if kind == "step":
                    r = client.post(f"/api/v1/networks/{network}/step", json={})
                else:
                    r = client.get("/api/v1/health")
                assert r.status_code == 200, r.text
                done[k] += 1

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / (time.monotonic() - t0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--requests", type=int, default=2000, help="sequential requests per endpoint"
    )
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds per throughput run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        server = Server({"BACKPROP_LENS_STORE": f"sqlite:///{tmp}/bench.db"})
        base = server.url
        try:
            created = httpx.post(
                base + "/api/v1/networks",
                json={
                    "layers": [2, 8, 8, 3],
                    "activations": ["tanh", "tanh", "softmax"],
                    "dataset": {"kind": "blobs", "classes": 3, "n": 300},
                    "batch_size": 10,
                },
            )
            network = created.json()["id"]
            lat = latencies(base, network, args.requests)
            # Alternate the throughput runs, twice each, and keep the better of each pair.
            rps = {"step": 0.0, "health": 0.0}
            for _ in range(2):
                for kind in ("step", "health"):
                    rps[kind] = max(rps[kind], throughput(base, network, kind, args.seconds))
        finally:
            server.stop()
    p50 = {k: statistics.median(v) for k, v in lat.items()}
    p99 = {k: percentile(v, 0.99) for k, v in lat.items()}
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, {args.requests} requests each")
    print()
    print("| endpoint | p50 ms | p99 ms | req/s (8 clients) |")
    print("|---|---:|---:|---:|")
    for kind, label in (
        ("step", "POST …/step (2-8-8-3, batch 10)"),
        ("health", "GET /api/v1/health"),
    ):
        print(f"| {label} | {p50[kind]:.2f} | {p99[kind]:.2f} | {rps[kind]:.0f} |")
    ratio_p50 = p50["step"] / p50["health"]
    ratio_rps = rps["step"] / rps["health"]
    print()
    verdict = "met" if ratio_p50 <= 1.5 else "NOT met"
    print(f"step/health p50 latency: {ratio_p50:.2f}x (goal <= 1.5x: {verdict})")
    verdict = "met" if ratio_rps >= 0.5 else "NOT met"
    print(f"step/health throughput:  {ratio_rps:.0%} (goal >= 50%: {verdict})")


if __name__ == "__main__":
    main()
