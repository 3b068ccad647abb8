"""The REST API v1: one router per resource, thin routes that validate, load, call the domain,
save and encode."""

from __future__ import annotations

from fastapi import APIRouter

from app.api import insight, meta, networks, stateless, training
from app.encode import JSONRoute

router = APIRouter(prefix="/api/v1", route_class=JSONRoute)
for module in (meta, stateless, networks, training, insight):
    router.include_router(module.router)
