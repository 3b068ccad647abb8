"""Training: steps and forward passes of a stored network."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body

from app.api.common import NETWORK, NetworkId, _404, _409, _413
from app.deps import SettingsDep, StoreDep
from app.domain import insight, training
from app.domain.errors import DivergedError
from app.encode import JSONResponse, JSONRoute
from app.schemas import ForwardRequest, ForwardResult, StepRequest, StepResult

router = APIRouter(route_class=JSONRoute)


@router.post(
    NETWORK + "/step",
    response_model=StepResult,
    tags=["training"],
    responses={**_404, **_409, **_413},
)
def step(
    network_id: NetworkId,
    store: StoreDep,
    settings: SettingsDep,
    body: Annotated[StepRequest | None, Body()] = None,
) -> JSONResponse:
    """Run `steps` updates (one sample, a batch, or the next shuffled batch); the last trace."""
    out = store.update(
        network_id, lambda r: training.run_steps(r, body or StepRequest(), settings.limits)
    )
    if out.get("diverged"):
        raise DivergedError(out["diverged"])
    return JSONResponse(out)


@router.post(
    NETWORK + "/forward",
    response_model=ForwardResult,
    tags=["training"],
    responses={**_404, **_409, **_413},
)
def forward(
    network_id: NetworkId, body: ForwardRequest, store: StoreDep, settings: SettingsDep
) -> JSONResponse:
    """The forward trace of the inputs `x` (rows of features)."""
    return JSONResponse(insight.forward_view(store.get(network_id), body.x, settings.limits))
