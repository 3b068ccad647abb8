"""The REST API v1: one router per resource, thin routes that validate, load, call the domain,
save and encode.

`routes` is every route of the resources, in one flat list the app serves as it is. FastAPI
(0.165) matches a request through each included router's wrapper, which cost a step request
about 0.3 ms (a quarter of its time in-process) before any work began; flat, a request tries
plain path patterns only. The busiest routes come first: health, then a step.
"""

from __future__ import annotations

from starlette.routing import BaseRoute

from app.api import insight, meta, networks, stateless, training

routes: list[BaseRoute] = [
    route
    for module in (meta, training, networks, insight, stateless)
    for route in module.router.routes
]
