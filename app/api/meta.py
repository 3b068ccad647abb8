"""Meta: health, the dataset list and the catalog of every name, default and limit."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.common import API_PREFIX
from app.deps import SettingsDep, StoreDep
from app.domain import catalog as catalog_
from app.encode import JSONResponse, JSONRoute
from app.schemas import ApiCatalog, Catalog, Health
from app.version import VERSION

router = APIRouter(prefix=API_PREFIX, route_class=JSONRoute)


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
