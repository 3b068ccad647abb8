"""Where networks live between requests: one interface (base), memory, SQLite and Redis
backends, and `open_store`, which picks one by URL."""

from __future__ import annotations

from app.store.base import (
    MAX_TRIES,
    Change,
    ContendedError,
    NotFoundError,
    Snapshot,
    Store,
    now,
)
from app.store.memory import MemoryStore
from app.store.records import NetworkRecord, config_json, new_id, pack, param_shapes, unpack
from app.store.sqlite import SQLiteStore


def open_store(url: str, max_history: int = 20_000, idle_seconds: float = 7 * 86400) -> Store:
    """A store from its URL: `sqlite:///path/to/file.db`, `memory://` or `redis://host:port/db`."""
    if url.startswith(("redis://", "rediss://", "unix://")):
        from app.store.redis import RedisStore  # imported only when used

        return RedisStore(url, max_history, idle_seconds)
    if url.startswith("memory://"):
        return MemoryStore(max_history)
    if url.startswith("sqlite:///"):
        return SQLiteStore(url.removeprefix("sqlite:///"), max_history)
    if url.startswith("sqlite://"):
        return SQLiteStore(url.removeprefix("sqlite://"), max_history)
    raise ValueError(
        f"BACKPROP_LENS_STORE={url!r} is not supported; use sqlite:///path/to/file.db, "
        "memory:// or redis://host:port/db"
    )


__all__ = [
    "MAX_TRIES",
    "Change",
    "ContendedError",
    "MemoryStore",
    "NetworkRecord",
    "NotFoundError",
    "SQLiteStore",
    "Snapshot",
    "Store",
    "config_json",
    "new_id",
    "now",
    "open_store",
    "pack",
    "param_shapes",
    "unpack",
]
