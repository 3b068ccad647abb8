"""FastAPI dependencies: the store and the settings, shared through the app's state.

They are `async def` on purpose: FastAPI runs plain `def` dependencies in its thread pool,
and a thread hop per dependency would cost more than the work itself.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.execute import Executor
from app.settings import Settings
from app.store import Store


async def get_store(request: Request) -> Store:
    """The store opened by the app's lifespan."""
    store: Store = request.app.state.store
    return store


async def get_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


async def get_executor(request: Request) -> Executor:
    """Where computing routes run their work (inline or in worker processes)."""
    executor: Executor = request.app.state.executor
    return executor


StoreDep = Annotated[Store, Depends(get_store)]
ExecutorDep = Annotated[Executor, Depends(get_executor)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
