"""The per-process step-cost hints that choose between the event loop and the thread pool."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.schemas import StepRequest
from app.service import step_cost
from app.step_cost import StepCosts
from tests.api.helpers import create, step


def test_step_cost_is_rows_times_parameters() -> None:
    config = {"layers": [2, 4, 3], "batch_size": 10}
    params = 2 * 4 + 4 + 4 * 3 + 3
    assert step_cost(config, StepRequest()) == 10 * params
    assert step_cost(config, StepRequest(sample=3)) == params
    assert step_cost(config, StepRequest(batch=[1, 2, 3])) == 3 * params


def test_costs_forget_the_least_recently_stepped_network() -> None:
    costs = StepCosts(size=2)
    costs.put("a", 1)
    costs.put("b", 2)
    costs.put("a", 3)
    costs.put("c", 4)
    assert (costs.get("a"), costs.get("b"), costs.get("c")) == (3, None, 4)


def test_inline_and_pooled_steps_give_the_same_results(client: TestClient) -> None:
    a, b = create(client)["id"], create(client)["id"]
    inline = [step(client, a) for _ in range(3)]  # after the first, a has a hint: inline
    pooled = []
    for _ in range(3):
        client.app.state.step_costs = StepCosts()  # no hint: the thread pool
        pooled.append(step(client, b))
    assert client.app.state.step_costs.get(b) is not None
    assert [s["weights"] for s in inline] == [s["weights"] for s in pooled]
