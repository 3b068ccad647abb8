"""What stands between the network and the application: every request is checked here first.

- `middleware.Guard`: Host (421), JSON writes (415) from this site (403), body size (413)
  read whole before the route runs, creation rate (429).
- `headers.SecurityHeaders`: security headers on every response.
- `validation`: request bodies validated fail-fast, at most a few errors per 422.

`install(app, settings)` wires the middleware into an app whose routes are already included.
"""

from __future__ import annotations

from fastapi import FastAPI

from app.guard.headers import SecurityHeaders
from app.guard.middleware import Guard
from app.settings import Settings

__all__ = ["Guard", "SecurityHeaders", "install"]


def install(app: FastAPI, settings: Settings) -> None:
    """Guard `app` (call after any inner middleware, such as CORS, is added)."""
    app.add_middleware(Guard, settings=settings)
    app.add_middleware(SecurityHeaders)
