"""Where a step request's time goes: each part of `POST …/step` timed inside real requests.

Requests are driven straight through the ASGI app (no socket, no HTTP client), a step next to
a health check. The parts are timed in place, during those same requests (each part's function
wrapped with a timer): reading the record from the SQLite store (with its decode), the domain
call `run_steps` and inside it the core step, the scoring of the training and test sets and
the finiteness checks, encoding the answer as JSON, and the store's commit. What is left of
the request is the framework: middleware, routing, the body's parsing and validation, the
executor's bookkeeping and the response. Timed in place, each part pays the cache misses it
pays in a request (timed alone in a loop, the parts looked a third cheaper than they are).
Issue 14, goal 2 asks for this breakdown.

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
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import app.encode
import core
from app.domain import training
from app.main import create_app
from app.settings import Settings
from app.store.sqlite import SQLiteStore

NETWORK = {
    "layers": [2, 8, 8, 3],
    "activations": ["tanh", "tanh", "softmax"],
    "dataset": {"kind": "blobs", "classes": 3},
    "batch_size": 10,
}

# (label, owner, attribute): each is wrapped with a timer while the step requests run.
PARTS: list[tuple[str, Any, str]] = [
    ("store read and decode (SQLite)", SQLiteStore, "read"),
    ("core `train_step`", core, "train_step"),
    ("metrics on train and test (`core.evaluate`)", training, "metrics"),
    ("finiteness checks", training, "all_finite"),
    (
        "`run_steps` as a whole (the rows above from the core step, the batch, the answer)",
        training,
        "run_steps",
    ),
    ("JSON encoding of the answer", app.encode, "dumps"),
    ("store commit (SQLite)", SQLiteStore, "commit"),
]


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


@contextmanager
def timed(spent: dict[str, int]) -> Iterator[None]:
    """Wrap every part of PARTS with a timer adding its nanoseconds to `spent`."""
    originals = [(owner, name, getattr(owner, name)) for _, owner, name in PARTS]
    for label, owner, name in PARTS:
        fn = getattr(owner, name)

        def wrapper(
            *args: Any, _fn: Callable[..., Any] = fn, _label: str = label, **kwargs: Any
        ) -> Any:
            t0 = time.thread_time_ns()
            try:
                return _fn(*args, **kwargs)
            finally:
                spent[_label] += time.thread_time_ns() - t0

        setattr(owner, name, wrapper)
    try:
        yield
    finally:
        for owner, name, fn in originals:
            setattr(owner, name, fn)


async def main(rounds: int) -> None:
    folder = tempfile.mkdtemp()
    os.environ["BACKPROP_LENS_CREATES_PER_MINUTE"] = "0"
    app_ = create_app(Settings(store=f"sqlite:///{folder}/parts.db"))
    async with app_.router.lifespan_context(app_):
        created = await call(app_, "POST", "/api/v1/networks", json.dumps(NETWORK).encode())
        network = json.loads(created)["id"]
        step_path = f"/api/v1/networks/{network}/step"
        for _ in range(300):  # warm-up: caches, the SQLite page cache
            await call(app_, "POST", step_path, b"{}")
            await call(app_, "GET", "/api/v1/health")
        samples: dict[str, list[float]] = defaultdict(list)
        for _ in range(5):
            spent: dict[str, int] = defaultdict(int)
            with timed(spent):
                t0 = time.thread_time_ns()
                for _ in range(rounds):
                    await call(app_, "POST", step_path, b"{}")
                whole = time.thread_time_ns() - t0
            t0 = time.thread_time_ns()
            for _ in range(rounds):
                await call(app_, "GET", "/api/v1/health")
            health = time.thread_time_ns() - t0
            for label, ns in spent.items():
                samples[label].append(ns / rounds / 1e3)
            counted = sum(spent[label] for label in spent if "as a whole" not in label)
            inner = sum(
                spent[label]
                for label in (
                    "core `train_step`",
                    "metrics on train and test (`core.evaluate`)",
                    "finiteness checks",
                )
            )
            framework = whole - counted - (spent[PARTS[4][0]] - inner)
            samples["framework"].append(framework / rounds / 1e3)
            samples["whole"].append(whole / rounds / 1e3)
            samples["health"].append(health / rounds / 1e3)
    med = {label: statistics.median(values) for label, values in samples.items()}
    print(
        f"python {sys.version.split()[0]}, CPU µs per request (this thread), timed in place, "
        f"median of 5 × {rounds}\n"
    )
    print("| part of a step request | µs |\n|---|---:|")
    for label, _, _ in PARTS:
        print(f"| {label} | {med[label]:.0f} |")
    print(
        f"| framework: middleware, routing, body, validation, executor, response | "
        f"{med['framework']:.0f} |"
    )
    print(f"| **the whole step request** | **{med['whole']:.0f}** |")
    print(f"| the whole health request | {med['health']:.0f} |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2000)
    args = parser.parse_args()
    asyncio.run(main(args.rounds))
