"""Training: steps and forward passes of a stored network."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body

from app.api.common import NETWORK, NetworkId, _404, _409, _413
from app.deps import ExecutorDep, SettingsDep, StoreDep
from app.domain import cost, insight, training
from app.domain.errors import DivergedError
from app.encode import JSONResponse, JSONRoute
from app.schemas import ForwardRequest, ForwardResult, StepRequest, StepResult
from app.store import NetworkRecord

router = APIRouter(route_class=JSONRoute)


@router.post(
    NETWORK + "/step",
    response_model=StepResult,
    tags=["training"],
    responses={**_404, **_409, **_413},
)
async def step(
    network_id: NetworkId,
    executor: ExecutorDep,
    settings: SettingsDep,
    body: Annotated[StepRequest | None, Body()] = None,
) -> JSONResponse:
    """Run `steps` updates (one sample, a batch, or the next shuffled batch); the last trace."""
    req = body or StepRequest()
    steps = req.steps if req.apply else 1

    def work(record: NetworkRecord) -> tuple[float, tuple[str, ...]]:
        return cost.network_step_cost(record.config, steps, req.sample, req.batch), ("steps",)

    out = await executor.change(network_id, work, training.run_steps, req, settings.limits)
    if out.get("diverged"):
        raise DivergedError(out["diverged"])
    return JSONResponse(out)


@router.post(
    NETWORK + "/forward",
    response_model=ForwardResult,
    tags=["training"],
    responses={**_404, **_409, **_413},
)
async def forward(
    network_id: NetworkId,
    body: ForwardRequest,
    store: StoreDep,
    settings: SettingsDep,
    executor: ExecutorDep,
) -> JSONResponse:
    """The forward trace of the inputs `x` (rows of features)."""
    record = store.get(network_id)
    work = cost.forward_cost(record.config.layers, len(body.x))
    out = await executor.compute(
        work, ("x",), insight.forward_view, record, body.x, settings.limits
    )
    return JSONResponse(out)
