"""Insight: the chain rule for one weight, the gradient check, the decision boundary."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Body, Query

from app.api.common import NETWORK, NetworkId, _404, _409, _413
from app.deps import SettingsDep, StoreDep
from app.domain import insight
from app.encode import JSONResponse, JSONRoute
from app.schemas import BatchChoice, Boundary, ExplainResult, GradcheckResult
from app.settings import Limits

router = APIRouter(route_class=JSONRoute)


@router.get(
    NETWORK + "/explain",
    response_model=ExplainResult,
    tags=["insight"],
    responses={**_404, **_409},
)
def explain(
    network_id: NetworkId,
    store: StoreDep,
    settings: SettingsDep,
    layer: Annotated[int, Query(ge=0, description="Weight layer (0-based).")],
    i: Annotated[int, Query(ge=0, description="Neuron in layer − 1 (row of W).")],
    j: Annotated[int, Query(ge=0, description="Neuron in the layer (column of W).")],
    sample: Annotated[int | None, Query(ge=0, description="One training index.")] = None,
    of: Annotated[Literal["last", "next"] | None, Query(description="Last step or next.")] = None,
) -> JSONResponse:
    """The chain-rule decomposition of ∂L/∂W(layer)[i, j] with every factor's value."""
    record = store.get(network_id)
    return JSONResponse(insight.explain_view(record, layer, i, j, sample, of, settings.limits))


@router.post(
    NETWORK + "/gradcheck",
    response_model=GradcheckResult,
    tags=["insight"],
    responses={**_404, **_409, **_413},
)
def gradcheck(
    network_id: NetworkId,
    store: StoreDep,
    settings: SettingsDep,
    body: Annotated[BatchChoice | None, Body()] = None,
) -> JSONResponse:
    """Central finite differences against backprop for every parameter."""
    choice = body or BatchChoice()
    record = store.get(network_id)
    return JSONResponse(
        insight.gradcheck_view(record, choice.sample, choice.batch, settings.limits)
    )


@router.get(
    NETWORK + "/boundary",
    response_model=Boundary,
    tags=["insight"],
    responses={**_404, **_409},
)
def boundary(
    network_id: NetworkId,
    store: StoreDep,
    settings: SettingsDep,
    resolution: Annotated[
        int, Query(ge=2, le=Limits().max_resolution, description="Cells per side.")
    ] = 40,
    neurons: Annotated[
        bool, Query(description="false leaves out the hidden neurons' grids (output only).")
    ] = True,
) -> JSONResponse:
    """The output and every hidden neuron over a grid of the input plane (base64 uint8)."""
    insight.check_resolution(resolution, settings.limits)
    record = store.get(network_id)
    return JSONResponse(insight.boundary_view(record, resolution, settings.limits, neurons))
