"""The cost model: what a request will cost, estimated before it runs."""

from __future__ import annotations

from app import cost

ATTACK = [2, 1024, 1, 1024, 1, 1024, 1, 1024, 2]  # few weights, many neurons per row


def test_a_row_costs_its_multiply_adds_plus_work_per_neuron() -> None:
    assert cost.row_cost([2, 3, 1]) == 2 * 3 + 3 * 1 + cost.PER_NEURON * 6


def test_neurons_count_not_only_parameters() -> None:
    # About as many parameters (14,341 against 12,802), but 16× the neurons per row.
    dense = [2, 64, 64, 64, 64, 2]
    assert cost.row_cost(ATTACK) > 3 * cost.row_cost(dense)


def test_scoring_the_datasets_is_counted_every_step() -> None:
    small = cost.step_cost([2, 8, 8, 3], steps=10, rows=10, eval_rows=0)
    scored = cost.step_cost([2, 8, 8, 3], steps=10, rows=10, eval_rows=5000)
    assert scored > 10 * small


def test_cost_grows_with_steps_rows_resolution_and_shown_neurons() -> None:
    assert cost.step_cost(ATTACK, steps=2, rows=3, eval_rows=10) > cost.step_cost(
        ATTACK, steps=1, rows=3, eval_rows=10
    )
    assert cost.backprop_cost(ATTACK, 1024) > cost.backprop_cost(ATTACK, 10)
    assert cost.boundary_cost(ATTACK, 200, neurons=True) > cost.boundary_cost(
        ATTACK, 200, neurons=False
    )
    assert cost.boundary_cost(ATTACK, 100, neurons=False) > cost.boundary_cost(
        ATTACK, 50, neurons=False
    )
    assert cost.gradcheck_cost([2, 900, 2], 1024, 4502) > cost.gradcheck_cost([2, 900, 2], 8, 4502)


def test_the_trace_counts_every_number_it_returns() -> None:
    # z, h, dz, dh for 2 rows × (3 + 1) neurons, and dW, db, their updates: 4 × 13 weights.
    assert cost.trace_numbers([2, 3, 1], rows=2) == 4 * 2 * 4 + 4 * (3 * 3 + 4 * 1)
