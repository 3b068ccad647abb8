"""Benchmark one full train step of the core against PyTorch CPU eager, side by side.

One step = forward, cross-entropy loss, backward, SGD update, on two networks:
2-8-8-3 (tanh, tanh, softmax; batch 64) and 784-256-128-10 (relu, relu, softmax;
batch 128), in float64 and float32. The core runs two ways: `train_step` (the trace,
the updates and a new network each step: `res = train_step(net, ...)`,
`net = res.network`) and the public loop a notebook user writes (`net.forward`,
`net.backward`, then `w -= lr * g.dW` and `b -= lr * g.db` per layer). All three sides
run in this one process on one thread each and alternate in rounds (the order rotates
each round), so drift in machine load hits them alike. Each round starts every side from
the same weights and batch and times a short run of training steps; torch's step is
zero_grad, forward, cross_entropy, backward, SGD step. The table reports medians of
per-step times after warm-up rounds, and each core path's ratio to torch's.

    python bench/core_step.py              # full run (about 30 s)
    python bench/core_step.py --quick      # a short run, for a smoke check
    python bench/core_step.py --core-only  # the core alone, even with PyTorch installed

Results, machine notes and what they mean: docs/benchmarks.md ("Core train step").

PyTorch is a benchmark-only extra (`pip install -e '.[bench]'`), never a runtime
dependency: without it the script says so and times the core alone.
"""

from __future__ import annotations

import os

# One thread each. BLAS libraries read these once, when they are loaded, so they must be
# set before numpy (OpenBLAS) or torch (MKL, OpenMP) is imported; torch.set_num_threads(1)
# below covers torch's intra-op pool as well.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import gc  # noqa: E402
import platform  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import MLP, SGD, flat_params, init_state, train_step  # noqa: E402

try:
    import torch
except ImportError:
    torch = None

LEARNING_RATE = 0.1
WARMUP_ROUNDS = 5


@dataclass(frozen=True)
class Case:
    """One benchmarked configuration."""

    sizes: tuple[int, ...]
    activations: tuple[str, ...]
    batch: int
    goals: dict[str, float]  # per core path, the largest acceptable ratio core/torch
    steps: int  # training steps per side per round: short, so load drift hits both alike
    rounds: int  # rounds in a full run (a fifth with --quick)

    @property
    def name(self) -> str:
        return "-".join(str(s) for s in self.sizes)


PATHS = ("train_step", "loop")
CASES = (
    Case((2, 8, 8, 3), ("tanh", "tanh", "softmax"), 64, {"train_step": 0.3, "loop": 0.4}, 10, 1000),
    Case(
        (784, 256, 128, 10),
        ("relu", "relu", "softmax"),
        128,
        {"train_step": 1.0, "loop": 1.0},
        3,
        200,
    ),
)
DTYPES = (np.float64, np.float32)


def make_problem(case: Case, dtype: type[np.floating[Any]]) -> tuple[MLP, np.ndarray, np.ndarray]:
    """The seeded starting network and one batch (x, y) for `case`."""
    net = MLP.init(list(case.sizes), list(case.activations), seed=0, dtype=dtype)
    rng = np.random.default_rng(1)
    x = rng.standard_normal((case.batch, case.sizes[0])).astype(dtype)
    y = rng.integers(0, case.sizes[-1], case.batch)
    return net, x, y


class CoreSide:
    """The core in a training loop: `res = train_step(net, ...)`, `net = res.network`."""

    def __init__(self, net: MLP, x: np.ndarray, y: np.ndarray) -> None:
        self.start, self.x, self.y = net.copy(), x, y
        self.optimizer = SGD(learning_rate=LEARNING_RATE)
        self.state = init_state(self.optimizer, flat_params(net.weights, net.biases))
        self.result: Any = None
        self.reset()

    def reset(self) -> None:
        """Back to the starting network (train_step never changes its input).

        The last result stays held until the next step replaces it, as in a loop: dropping
        megabytes of arrays at once lets glibc hand the pages back to the kernel, and the
        next step would then page-fault them in again (see docs/benchmarks.md).
        """
        self.net = self.start

    def step(self) -> None:
        self.result = train_step(
            self.net,
            self.optimizer,
            self.state,
            self.x,
            self.y,
            loss="cross_entropy",
            compute_loss_after=False,
        )
        self.net = self.result.network


class LoopSide(CoreSide):
    """The public loop: forward, backward, and a manual SGD update of the network in place."""

    def reset(self) -> None:
        self.net = self.start.copy()  # the loop changes its network's arrays

    def step(self) -> None:
        net = self.net
        trace = net.forward(self.x)
        grads = net.backward(trace, self.y, loss="cross_entropy")
        for w, b, g in zip(net.weights, net.biases, grads.layers, strict=True):
            w -= LEARNING_RATE * g.dW
            b -= LEARNING_RATE * g.db
        self.result = grads


class TorchSide:
    """The same network in torch: nn.Linear layers holding core's weights (transposed)."""

    def __init__(self, case: Case, net: MLP, x: np.ndarray, y: np.ndarray) -> None:
        assert torch is not None
        dtype = torch.float64 if net.dtype == np.float64 else torch.float32
        act = {"tanh": torch.nn.Tanh, "relu": torch.nn.ReLU}
        modules: list[torch.nn.Module] = []
        for k, w in enumerate(net.weights):
            linear = torch.nn.Linear(w.shape[0], w.shape[1], dtype=dtype)
            modules.append(linear)
            if case.activations[k] != "softmax":  # softmax lives inside cross_entropy
                modules.append(act[case.activations[k]]())
        self.model = torch.nn.Sequential(*modules)
        self.linears = [m for m in modules if isinstance(m, torch.nn.Linear)]
        # Core's W is (n_in, n_out); torch's Linear.weight is (n_out, n_in).
        self.start = [
            (torch.tensor(w.T.copy(), dtype=dtype), torch.tensor(b, dtype=dtype))
            for w, b in zip(net.weights, net.biases, strict=True)
        ]
        self.reset()
        self.optimizer = torch.optim.SGD(self.model.parameters(), lr=LEARNING_RATE)
        self.x = torch.from_numpy(x)
        self.y = torch.from_numpy(y.astype(np.int64))

    def reset(self) -> None:
        """Back to the starting weights (the core's, transposed)."""
        with torch.no_grad():
            for linear, (w, b) in zip(self.linears, self.start, strict=True):
                linear.weight.copy_(w)
                linear.bias.copy_(b)

    def step(self) -> None:
        self.optimizer.zero_grad(set_to_none=True)
        loss = torch.nn.functional.cross_entropy(self.model(self.x), self.y)
        loss.backward()
        self.optimizer.step()

    def params(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """(W, b) per layer in core's layout."""
        return [(m.weight.detach().numpy().T, m.bias.detach().numpy()) for m in self.linears]


def check_same_update(core: CoreSide, side: TorchSide) -> tuple[bool, float]:
    """Whether one core step and one torch step from the start give the same parameters."""
    core.reset()
    core.step()
    side.reset()
    side.step()
    after = core.net
    tol = 1e-10 if after.dtype == np.float64 else 1e-5
    ok, gap = True, 0.0
    mine = flat_params(after.weights, after.biases)
    theirs = [p for pair in side.params() for p in pair]
    for a, b in zip(mine, theirs, strict=True):
        ok &= bool(np.allclose(a, b, rtol=tol, atol=tol))
        gap = max(gap, float(np.max(np.abs(a - b))))
    return ok, gap


def time_steps(step: Callable[[], None], count: int) -> list[float]:
    """Seconds per call of `step`, one sample per call."""
    out = []
    clock = time.perf_counter
    for _ in range(count):
        t0 = clock()
        step()
        out.append(clock() - t0)
    return out


def bench_case(
    case: Case, dtype: type[np.floating[Any]], rounds: int, steps: int
) -> dict[str, Any]:
    """Alternating rounds of `steps` training steps per side, each round from the start."""
    net, x, y = make_problem(case, dtype)
    core, loop = CoreSide(net, x, y), LoopSide(net, x, y)
    side = TorchSide(case, net, x, y) if torch is not None else None
    result: dict[str, Any] = {"case": case, "dtype": np.dtype(dtype).name}
    sides: list[tuple[str, Any]] = [("train_step", core), ("loop", loop)]
    if side is not None:
        checks = [check_same_update(core, side), check_same_update(loop, side)]
        result["same"] = (all(ok for ok, _ in checks), max(gap for _, gap in checks))
        sides.append(("torch", side))
    times: dict[str, list[float]] = {name: [] for name, _ in sides}
    faults = dict.fromkeys(times, 0)
    gc.collect()
    gc.disable()  # as timeit does: a collection would land on one side only
    try:
        # The first rounds are the warm-up: caches, allocator pools, torch's lazy setup.
        for r in range(-WARMUP_ROUNDS, rounds):
            k = r % len(sides)
            for name, s in sides[k:] + sides[:k]:
                s.reset()
                before = minor_faults()
                sample = time_steps(s.step, steps)
                if r >= 0:
                    times[name] += sample
                    faults[name] += minor_faults() - before
    finally:
        gc.enable()
    result["us"] = {name: statistics.median(t) * 1e6 for name, t in times.items()}
    result["faults"] = {name: faults[name] / len(times[name]) for name in times}
    return result


def minor_faults() -> int:
    """Page faults served without I/O so far: fresh pages the allocator got from the kernel."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def blas_info() -> str:
    """The BLAS numpy loaded (and torch's OpenMP), with the kernel OpenBLAS picked."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return f"{blas['name']} {blas['version']} (threadpoolctl, if installed, names the kernel)"
    parts = []
    for lib in threadpool_info():
        kernel = f", {lib['architecture']} kernel" if lib.get("architecture") else ""
        version = f" {lib['version']}" if lib.get("version") else ""
        name = Path(lib["filepath"]).name
        parts.append(
            f"{lib['internal_api']}{version} ({name}{kernel}, {lib['num_threads']} thread)"
        )
    return "; ".join(parts)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a short run (a smoke check)")
    parser.add_argument("--rounds", type=int, default=None, help="rounds per case (override)")
    parser.add_argument(
        "--core-only", action="store_true", help="time the core alone, even with PyTorch installed"
    )
    args = parser.parse_args(argv)
    global torch
    if args.core_only and torch is not None:
        torch = None
        print("--core-only: timing the core alone")
    elif torch is None:
        print("PyTorch not installed: timing the core alone")
    else:
        torch.set_num_threads(1)
    print(f"machine: {cpu_model()}, {os.cpu_count()} CPU(s), Python {platform.python_version()}")
    versions = f"numpy {np.__version__}"
    if torch is not None:
        versions += f", torch {torch.__version__} ({torch.get_num_threads()} thread)"
    print(f"{versions}; BLAS: {blas_info()}")
    coretype = {
        k: os.environ[k] for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if k in os.environ
    }
    print(f"OpenBLAS overrides: {coretype or 'none'}")
    tuning = {k: v for k, v in os.environ.items() if k.startswith("MALLOC_")}
    print(f"glibc malloc tuning: {tuning or 'none (the default)'}")
    print("rounds rotate the sides (core train_step, core loop, torch); each runs a short chain")
    print("of steps per round;")
    print(f"medians of per-step times, after {WARMUP_ROUNDS} warm-up rounds\n")

    results = []
    for case in CASES:
        rounds = args.rounds or (case.rounds // 5 if args.quick else case.rounds)
        for dtype in DTYPES:
            res = bench_case(case, dtype, rounds, case.steps)
            results.append(res)
            if "same" in res:
                ok, gap = res["same"]
                print(
                    f"check {case.name} {res['dtype']}: one core step (each path) == "
                    "one torch step: "
                    f"{'yes' if ok else 'NO'} (largest parameter gap {gap:.2e})"
                )

    print()
    print(
        "| network | dtype | batch | core path | core median µs | torch median µs | core/torch "
        "| goal | met? |"
    )
    print("|---|---|---:|---|---:|---:|---:|---:|---|")
    for res in results:
        case = res["case"]
        torch_us = res["us"].get("torch")
        for path in PATHS:
            core_us, goal = res["us"][path], case.goals[path]
            if torch_us is None:
                cells = ("—", "—", f"≤ {goal}×", "—")
            else:
                ratio = core_us / torch_us
                met = "yes" if ratio <= goal else "no"
                cells = (f"{torch_us:.1f}", f"{ratio:.3f}×", f"≤ {goal}×", met)
            print(
                f"| {case.name} | {res['dtype']} | {case.batch} | {path} | {core_us:.1f} | "
                + " | ".join(cells)
                + " |"
            )
    print("\nminor page faults per timed step (fresh memory from the kernel):")
    for res in results:
        counts = ", ".join(f"{name} {count:.0f}" for name, count in res["faults"].items())
        print(f"  {res['case'].name} {res['dtype']}: {counts}")


if __name__ == "__main__":
    main()
