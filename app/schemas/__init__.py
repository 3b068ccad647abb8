"""Pydantic schemas of the HTTP API, named by role (…Create, …Public, …Result): shared types,
request bodies and response bodies. Every model is importable from `app.schemas`."""

from __future__ import annotations

from app.schemas.requests import *  # noqa: F403
from app.schemas.responses import *  # noqa: F403
from app.schemas.types import *  # noqa: F403
