"""POST /backprop: one forward and backward pass on weights given in the request."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.common import _413
from app.deps import SettingsDep
from app.domain import stateless
from app.encode import JSONResponse, JSONRoute
from app.schemas import BackpropRequest, BackpropResult

router = APIRouter(route_class=JSONRoute)


@router.post("/backprop", response_model=BackpropResult, tags=["stateless"], responses=_413)
def backprop(body: BackpropRequest, settings: SettingsDep) -> JSONResponse:
    """One forward and backward pass on the weights given; nothing is stored."""
    return JSONResponse(stateless.backprop_view(body, settings.limits))
