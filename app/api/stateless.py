"""POST /backprop: one forward and backward pass on weights given in the request."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.common import API_PREFIX, _413
from app.deps import ExecutorDep, SettingsDep
from app.domain import cost, stateless
from app.encode import JSONResponse, JSONRoute
from app.schemas import BackpropRequest, BackpropResult

router = APIRouter(prefix=API_PREFIX, route_class=JSONRoute)


@router.post("/backprop", response_model=BackpropResult, tags=["stateless"], responses=_413)
async def backprop(
    body: BackpropRequest, settings: SettingsDep, executor: ExecutorDep
) -> JSONResponse:
    """One forward and backward pass on the weights given; nothing is stored."""
    work = cost.backprop_cost(body.layers, len(body.x))
    out = await executor.compute_json(work, ("x",), stateless.backprop_view, body, settings.limits)
    return JSONResponse(out)
