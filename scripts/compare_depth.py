"""Checks the compare preset "deep-narrow vs shallow-wide" through the API.

Both networks are created on the same data and seed and stepped in lockstep, as the page's
compare mode does: A takes a step, B takes one on A's batch indices. The script prints each
network's parameter count and its train and test loss and accuracy at a few checkpoints, and
exits non-zero unless the deep network ends with a lower test loss and a higher test accuracy.

    .venv/bin/python scripts/compare_depth.py [--steps 600] [--seeds 0 1 2]
"""

from __future__ import annotations

import argparse
import itertools
import sys
from typing import Any

from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings

# The preset (static/js/model/compare-presets.js holds the same numbers).
DATA = {"kind": "spiral", "n": 300, "noise": 0.1, "classes": 2, "test_fraction": 0.2}
DEEP_LAYERS = [2, 8, 8, 8, 8, 2]
WIDE_LAYERS = [2, 52, 2]
DEEP = {"layers": DEEP_LAYERS, "activations": ["tanh"] * 4 + ["softmax"]}
WIDE = {"layers": WIDE_LAYERS, "activations": ["tanh", "softmax"]}
COMMON = {
    "loss": "cross_entropy",
    "init": "xavier",
    "optimizer": {"name": "adam", "learning_rate": 0.01},
    "batch_size": 10,
    "l2": 0,
}


def params(layers: list[int]) -> int:
    return sum(a * b + b for a, b in itertools.pairwise(layers))


def create(api: TestClient, arch: dict[str, Any], seed: int) -> str:
    body = {**COMMON, **arch, "seed": seed, "dataset": {**DATA, "seed": seed}}
    return str(api.post("/api/v1/networks", json=body).json()["id"])


def run(api: TestClient, seed: int, steps: int) -> list[tuple[int, Any, Any]]:
    """Steps both networks in lockstep; returns (step, A's trace, B's trace) four times."""
    a, b = create(api, DEEP, seed), create(api, WIDE, seed)
    rows = []
    for k in range(1, steps + 1):
        ta = api.post(f"/api/v1/networks/{a}/step", json={"steps": 1}).json()
        tb = api.post(f"/api/v1/networks/{b}/step", json={"batch": ta["batch"]}).json()
        assert ta["step"] == tb["step"] == k
        if k % (steps // 4) == 0:
            rows.append((k, ta, tb))
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--steps", type=int, default=600)
    ap.add_argument("--seeds", type=int, nargs="+", default=[0])
    args = ap.parse_args()
    deep, wide = DEEP_LAYERS, WIDE_LAYERS
    print(f"deep {deep}: {params(deep)} parameters; wide {wide}: {params(wide)} parameters")
    ok = True
    with TestClient(create_app(Settings(store="memory://"))) as api:
        for seed in args.seeds:
            rows = run(api, seed, args.steps)
            for k, ta, tb in rows:
                print(
                    f"seed {seed} step {k:5d}  deep test loss {ta['test']['loss']:.3f} "
                    f"acc {ta['test']['accuracy']:.3f}  |  wide test loss {tb['test']['loss']:.3f} "
                    f"acc {tb['test']['accuracy']:.3f}"
                )
            _, last_a, last_b = rows[-1]
            ok = ok and last_a["test"]["loss"] < last_b["test"]["loss"]
            ok = ok and last_a["test"]["accuracy"] > last_b["test"]["accuracy"]
    print("deep wins" if ok else "deep does NOT win")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
