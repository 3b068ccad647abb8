"""Fixtures for the API tests: apps on a memory store, small limits, and every store backend."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Limits, Settings
from app.store import MemoryStore, SQLiteStore, Store
from tests.api.helpers import create
from tests.live import redis_server

STORE_MAX_HISTORY = 5

SMALL_LIMITS = Limits(
    max_width=16,
    max_layers=3,
    max_params=200,
    max_steps=5,
    max_resolution=20,
    max_body_bytes=4096,
)


@pytest.fixture
def client() -> Iterator[TestClient]:
    """The app on a memory store; `with` so the lifespan opens and closes the store."""
    with TestClient(create_app(Settings(store="memory://"))) as c:
        yield c


@pytest.fixture
def small_client() -> Iterator[TestClient]:
    """The app with small limits, so every bound is easy to exceed."""
    with TestClient(create_app(Settings(store="memory://", limits=SMALL_LIMITS))) as c:
        yield c


@pytest.fixture
def client_with() -> Iterator[Callable[..., TestClient]]:
    """Make apps on a memory store with some limits changed: `client_with(max_networks=2)`."""
    with ExitStack() as stack:

        def make(**limits: int | float) -> TestClient:
            settings = Settings(store="memory://", limits=Limits(**limits))
            return stack.enter_context(TestClient(create_app(settings)))

        yield make


@pytest.fixture
def network(client: TestClient) -> str:
    """The id of a fresh network with the defaults (2-4-4-2 tanh on the circle dataset)."""
    return str(create(client)["id"])


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """One throwaway redis-server for the session (each test flushes it first)."""
    with redis_server() as url:
        yield url


@pytest.fixture(params=["memory", "sqlite", "redis"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """Each store backend, keeping at most STORE_MAX_HISTORY history entries per network."""
    backend: Store
    if request.param == "memory":
        backend = MemoryStore(max_history=STORE_MAX_HISTORY)
    elif request.param == "sqlite":
        backend = SQLiteStore(tmp_path / "x.db", max_history=STORE_MAX_HISTORY)
    else:
        from app.store.redis import RedisStore  # needs the redis package only here

        backend = RedisStore(request.getfixturevalue("redis_url"), STORE_MAX_HISTORY)
        backend.client.flushdb()
    yield backend
    backend.close()
