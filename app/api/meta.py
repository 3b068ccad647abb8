"""Meta: health, the dataset list and the catalog of every name, default and limit."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

import core
from app.deps import SettingsDep, StoreDep
from app.domain import catalog as catalog_
from app.encode import JSONResponse, JSONRoute
from app.schemas import ActivationCurveOut, ApiCatalog, Catalog, Health
from app.settings import Limits
from app.version import VERSION

router = APIRouter(route_class=JSONRoute)


@router.get("/health", response_model=Health, tags=["meta"])
async def health(store: StoreDep) -> JSONResponse:
    """Liveness: the server answers and which store it uses."""
    return JSONResponse({"status": "ok", "version": VERSION, "store": store.kind})


@router.get("/datasets", response_model=Catalog, tags=["meta"])
def datasets(settings: SettingsDep) -> JSONResponse:
    """The dataset generators with their parameters, and every accepted name."""
    return JSONResponse(catalog_.catalog(settings.limits))


@router.get("/catalog", response_model=ApiCatalog, tags=["meta"])
def catalog(settings: SettingsDep) -> JSONResponse:
    """Every name (core's order), default (a complete network body) and limit of this server."""
    return JSONResponse(catalog_.api_catalog(settings.limits))


_BOUND = 1e6  # as every number a request gives (schemas.Value)


@router.get("/activations/{name}", response_model=ActivationCurveOut, tags=["meta"])
def activation_curve(
    settings: SettingsDep,
    name: Annotated[
        str,
        Path(
            pattern=f"^({'|'.join(core.HIDDEN_ACTIVATIONS)})$",
            description="A hidden activation (softmax is not elementwise).",
        ),
    ],
    lo: Annotated[float, Query(ge=-_BOUND, le=_BOUND, description="Lowest z.")] = -6.0,
    hi: Annotated[float, Query(ge=-_BOUND, le=_BOUND, description="Highest z (> lo).")] = 6.0,
    resolution: Annotated[
        int, Query(ge=2, le=Limits().max_resolution, description="Points from lo to hi.")
    ] = 121,
) -> JSONResponse:
    """σ(z) and σ′(z) of one activation over [lo, hi], computed by the network's own table."""
    return JSONResponse(catalog_.activation_curve(name, lo, hi, resolution, settings.limits))
