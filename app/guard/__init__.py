"""What stands between the network and the application: every request is checked here first.

- `middleware.Guard`: body size (413), creation rate (429), security headers.
- `validation`: request bodies validated fail-fast, at most a few errors per 422.

`install(app, settings)` wires all of it into an app whose routes are already included.
"""

from __future__ import annotations

from fastapi import FastAPI

from app.guard.middleware import Guard
from app.settings import Settings

__all__ = ["Guard", "install"]


def install(app: FastAPI, settings: Settings) -> None:
    """Guard `app` (call after its routes and any inner middleware are added)."""
    app.add_middleware(
        Guard,
        max_body=settings.limits.max_body_bytes,
        creates_per_minute=settings.limits.creates_per_minute,
    )
