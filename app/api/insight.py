"""Insight: the chain rule for one weight, the gradient check, the decision boundary."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Body, Query

from app.api.common import API_PREFIX, NETWORK, NetworkId, _404, _409, _413
from app.deps import ExecutorDep, SettingsDep, StoreDep
from app.domain import cost, insight
from app.encode import JSONResponse, JSONRoute
from app.schemas import BatchChoice, Boundary, ExplainResult, GradcheckResult
from app.settings import Limits

router = APIRouter(prefix=API_PREFIX, route_class=JSONRoute)


@router.get(
    NETWORK + "/explain",
    response_model=ExplainResult,
    tags=["insight"],
    responses={**_404, **_409},
)
async def explain(
    network_id: NetworkId,
    store: StoreDep,
    settings: SettingsDep,
    executor: ExecutorDep,
    layer: Annotated[int, Query(ge=0, description="Weight layer (0-based).")],
    i: Annotated[int, Query(ge=0, description="Neuron in layer − 1 (row of W).")],
    j: Annotated[int, Query(ge=0, description="Neuron in the layer (column of W).")],
    sample: Annotated[int | None, Query(ge=0, description="One training index.")] = None,
    of: Annotated[Literal["last", "next"] | None, Query(description="Last step or next.")] = None,
    form: Annotated[
        Literal["backprop", "paths", "note"],
        Query(
            description="paths: also the sum over every path to the outputs (`paths`); note: "
            "also the lecture note's derivation, for a first-layer weight of a two-layer "
            "network (`derivation`)."
        ),
    ] = "backprop",
    max_paths: Annotated[
        int | None,
        Query(
            ge=1,
            le=Limits().max_paths,
            description="form=paths: the most paths listed (default BACKPROP_LENS_MAX_PATHS); "
            "the rest are summed.",
        ),
    ] = None,
) -> JSONResponse:
    """The chain-rule decomposition of ∂L/∂W(layer)[i, j] with every factor's value."""
    record = store.get(network_id)
    sizes, rows = record.config.layers, cost.batch_rows(record.config, sample)
    work = cost.backprop_cost(sizes, rows)
    if form == "paths":
        work += cost.paths_cost(sizes, rows, layer, max_paths or settings.limits.max_paths)
    args = (record, layer, i, j, sample, of, settings.limits, form, max_paths)
    out = await executor.compute_json(work, ("layer",), insight.explain_view, *args)
    return JSONResponse(out)


@router.post(
    NETWORK + "/gradcheck",
    response_model=GradcheckResult,
    tags=["insight"],
    responses={**_404, **_409, **_413},
)
async def gradcheck(
    network_id: NetworkId,
    store: StoreDep,
    settings: SettingsDep,
    executor: ExecutorDep,
    body: Annotated[BatchChoice | None, Body()] = None,
) -> JSONResponse:
    """Central finite differences against backprop for every parameter."""
    choice = body or BatchChoice()
    record = store.get(network_id)
    insight.check_gradcheck(record, choice.batch, settings.limits)
    sizes = record.config.layers
    rows = cost.batch_rows(record.config, choice.sample, choice.batch)
    work = cost.gradcheck_cost(sizes, rows, cost.n_params(sizes))
    args = (record, choice.sample, choice.batch, settings.limits)
    return JSONResponse(
        await executor.compute_json(work, ("batch",), insight.gradcheck_view, *args)
    )


@router.get(
    NETWORK + "/boundary",
    response_model=Boundary,
    tags=["insight"],
    responses={**_404, **_409},
)
async def boundary(
    network_id: NetworkId,
    store: StoreDep,
    settings: SettingsDep,
    executor: ExecutorDep,
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
    work = cost.boundary_cost(record.config.layers, resolution, neurons=neurons)
    args = (record, resolution, settings.limits, neurons)
    return JSONResponse(
        await executor.compute_json(work, ("resolution",), insight.boundary_view, *args)
    )
