"""Where a step request's time goes: each part of `POST …/step` timed alone, in one process.

The request is driven straight through the ASGI app (no socket, no HTTP client), next to a
health check the same way, so the difference is the step's own work. Then each part of that
work is timed on its own, in CPU time (time.process_time, so other processes on the machine
slow it less than wall time): reading the record from the SQLite store (with its decode), the
network and optimizer built from it, the dataset found in the cache, the batch chosen, the core
step, scoring the training and test sets, the finiteness checks, the whole domain call
(run_steps, which holds all of these and builds the answer), encoding the answer as JSON, and
the store's commit. What is left of the request is the framework: routing, the body's parsing
and validation, dependencies, middleware and the response. Issue 14, goal 2 asks for this
breakdown before any change.

    .venv/bin/python bench/step_parts.py [--rounds 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import core
from app.domain import training
from app.domain.data import network_data
from app.encode import dumps
from app.main import create_app
from app.schemas import StepRequest
from app.settings import Settings
from app.store import Change

NETWORK = {
    "layers": [2, 8, 8, 3],
    "activations": ["tanh", "tanh", "softmax"],
    "dataset": {"kind": "blobs", "classes": 3},
    "batch_size": 10,
}


async def call(app: Any, method: str, path: str, body: bytes = b"") -> bytes:
    """One request through the ASGI app; its response body."""
    headers = [(b"host", b"127.0.0.1"), (b"content-type", b"application/json")]
    headers.append((b"content-length", str(len(body)).encode()))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 8000),
    }
    sent = False
    out: list[bytes] = []

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.body":
            out.append(message.get("body", b""))

    await app(scope, receive, send)
    return b"".join(out)


def cpu_us(fn: Callable[[], Any], rounds: int) -> float:
    """Median CPU microseconds of fn() over 5 runs of `rounds` calls."""
    runs = []
    for _ in range(5):
        t0 = time.process_time()
        for _ in range(rounds):
            fn()
        runs.append((time.process_time() - t0) / rounds * 1e6)
    return statistics.median(runs)


async def main(rounds: int) -> None:
    folder = tempfile.mkdtemp()
    os.environ["BACKPROP_LENS_CREATES_PER_MINUTE"] = "0"
    app = create_app(Settings(store=f"sqlite:///{folder}/parts.db"))
    async with app.router.lifespan_context(app):
        created = await call(app, "POST", "/api/v1/networks", json.dumps(NETWORK).encode())
        network = json.loads(created)["id"]
        step_path = f"/api/v1/networks/{network}/step"

        async def request_us(method: str, path: str, body: bytes = b"") -> float:
            """Median CPU microseconds of one request, over 5 runs of `rounds`."""
            runs = []
            for _ in range(5):
                t0 = time.process_time()
                for _ in range(rounds):
                    await call(app, method, path, body)
                runs.append((time.process_time() - t0) / rounds * 1e6)
            return statistics.median(runs)

        for _ in range(200):  # warm-up: caches, the SQLite page cache
            await call(app, "POST", step_path, b"{}")
        store, limits = app.state.store, app.state.settings.limits
        record = store.read(network).record
        config, req = record.config, StepRequest()
        data = network_data(config, limits)
        net, optimizer = training.network_of(record), training.optimizer_of(config)
        state = core.OptimizerState(record.opt_t, record.buffers)
        batch = training.batch_of(record, data, None, None)
        x, y = data.x_train[batch], data.y_train[batch]
        step = core.train_step(net, optimizer, state, x, y, loss=config.loss, l2=config.l2)
        trace = step.trace
        answer = training.run_steps(store.read(network).record, req, limits).result

        def commit() -> None:
            snap = store.read(network)
            store.commit(network, snap.version, Change(result=None, record=snap.record))

        read_us = cpu_us(lambda: store.read(network), rounds)
        parts = {
            "store read and decode": read_us,
            "network and optimizer from the record": cpu_us(
                lambda: (training.network_of(record), training.optimizer_of(config)), rounds
            ),
            "dataset (cache)": cpu_us(lambda: network_data(config, limits), rounds),
            "batch choice": cpu_us(lambda: training.batch_of(record, data, None, None), rounds),
            "core train_step": cpu_us(
                lambda: core.train_step(
                    net, optimizer, state, x, y, loss=config.loss, l2=config.l2
                ),
                rounds,
            ),
            "metrics on train and test (core.evaluate)": cpu_us(
                lambda: training.metrics(step.network, data, config), rounds
            ),
            "finiteness checks": cpu_us(
                lambda: (
                    training.all_finite(
                        trace.loss_before, *core.flat_params(net.weights, net.biases)
                    )
                    and training.all_finite(*training._trace_arrays(trace))
                ),
                rounds,
            ),
            "JSON encoding of the answer": cpu_us(lambda: dumps(answer), rounds),
            "store commit (less its read)": cpu_us(commit, rounds) - read_us,
        }
        domain = cpu_us(lambda: training.run_steps(record, req, limits), rounds)
        whole_step = await request_us("POST", step_path, b"{}")
        health = await request_us("GET", "/api/v1/health")
    inside = domain + parts["store read and decode"] + parts["store commit (less its read)"]
    inside += parts["JSON encoding of the answer"]
    print(f"python {sys.version.split()[0]}, CPU µs per request (median of 5 × {rounds})\n")
    print("| part of a step request | CPU µs |\n|---|---:|")
    for name, us in parts.items():
        print(f"| {name} | {us:.0f} |")
    print(
        f"| **run_steps as a whole** (the rows from network to checks, and the answer) | "
        f"{domain:.0f} |"
    )
    print(
        f"| framework: routing, body, validation, dependencies, middleware, response | "
        f"{whole_step - inside:.0f} |"
    )
    print(f"| **the whole step request** | {whole_step:.0f} |")
    print(f"| the whole health request | {health:.0f} |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2000)
    args = parser.parse_args()
    asyncio.run(main(args.rounds))
