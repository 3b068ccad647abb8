"""What a request costs before it runs, in work units of about a nanosecond each.

The server bounds each request by this estimate (BACKPROP_LENS_MAX_WORK) and decides by it
whether the request runs inline or in a worker process (`app.runner`). Counting parameters
alone misses where the time goes: a network of 1024-wide layers joined by single neurons has
few weights, yet every row passes 4,000 activations forward and back, and every step scores the
whole training and test set. So a row through the network costs its multiply-adds plus a
constant per neuron (activation, its derivative, the temporaries), and each request pays a fixed
per-step overhead (Python, small arrays). The constants were fitted on the development machine
(bench/attack.py and bench/play.py measure the result); they need to be right within a factor
of a few, not exact.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

# Work units per neuron a row passes (activation, derivative, temporaries), per step overhead,
# and per number in a response (building and encoding it).
PER_NEURON = 40.0
PER_STEP = 150_000.0
PER_NUMBER = 40.0
PER_PATH = 3_000.0  # a partial path kept at one layer of a path expansion (a Python step)


def row_cost(sizes: Sequence[int]) -> float:
    """One row through the network once: multiply-adds plus per-neuron work."""
    macs = sum(a * b for a, b in itertools.pairwise(sizes))
    return float(macs) + PER_NEURON * float(sum(sizes))


def n_params(sizes: Sequence[int]) -> int:
    """Weights and biases of a network with these layer sizes."""
    return sum((a + 1) * b for a, b in itertools.pairwise(sizes))


def trace_numbers(sizes: Sequence[int], rows: int) -> int:
    """Numbers in one step trace: z, h, dz, dh per row and neuron; dW, update per weight."""
    return 4 * rows * sum(sizes[1:]) + 4 * n_params(sizes)


def step_cost(sizes: Sequence[int], *, steps: int, rows: int, eval_rows: int) -> float:
    """`steps` updates on `rows`-row batches, each scored on `eval_rows` rows, and the trace."""
    per_step = (3 * rows + eval_rows) * row_cost(sizes) + PER_STEP
    return steps * per_step + PER_NUMBER * trace_numbers(sizes, rows)


def forward_cost(sizes: Sequence[int], rows: int) -> float:
    """A forward pass over `rows` rows and its response."""
    return rows * row_cost(sizes) + PER_STEP + PER_NUMBER * 2 * rows * sum(sizes[1:])


def backprop_cost(sizes: Sequence[int], rows: int) -> float:
    """A stateless forward + backward over `rows` rows and its full trace."""
    return 3 * rows * row_cost(sizes) + PER_STEP + PER_NUMBER * trace_numbers(sizes, rows)


def boundary_cost(sizes: Sequence[int], resolution: int, *, neurons: bool) -> float:
    """The output (and every neuron when asked) over a resolution² grid."""
    cells = resolution * resolution
    shown = sum(sizes[1:]) if neurons else sizes[-1]
    return cells * row_cost(sizes) + PER_STEP + PER_NUMBER * cells * shown


def paths_cost(sizes: Sequence[int], rows: int, layer: int, max_paths: int) -> float:
    """A path expansion of a weight of `layer`: at each layer above, every kept partial path
    (at most `max_paths`) times its branches (width + a skip edge) over every row, a Python
    step per kept path, and the listed paths' factors in the answer."""
    above = sizes[layer + 2 :]
    kept, work = 1, 0.0
    for width in above:
        work += kept * (width + 1) * (rows + 10)
        kept = min(kept * (width + 1), max_paths)
        work += kept * PER_PATH
    numbers = kept * rows * 2 * (len(above) + 1)
    return work + PER_STEP + PER_NUMBER * numbers


def gradcheck_cost(sizes: Sequence[int], rows: int, n_params: int) -> float:
    """Two forward passes per parameter (central differences) plus one backward pass."""
    return (2 * n_params + 3) * rows * row_cost(sizes) + PER_STEP * (1 + n_params / 100)


def dataset_rows(config: Mapping[str, Any]) -> int:
    """Samples in a stored network's dataset (train and test): what scoring it passes."""
    dataset = config["dataset"]
    return len(dataset["points"]) if dataset.get("kind") == "points" else int(dataset["n"])


def batch_rows(
    config: Mapping[str, Any], sample: int | None = None, batch: Sequence[int] | None = None
) -> int:
    """Rows of one step: one sample, the given batch, or the configured batch size."""
    if sample is not None:
        return 1
    return len(batch) if batch else min(int(config["batch_size"]), dataset_rows(config))


def network_step_cost(
    config: Mapping[str, Any],
    steps: int,
    sample: int | None = None,
    batch: Sequence[int] | None = None,
) -> float:
    """A step request on a stored network: its updates, the scoring after each, the trace."""
    rows = batch_rows(config, sample, batch)
    return step_cost(config["layers"], steps=steps, rows=rows, eval_rows=dataset_rows(config))
