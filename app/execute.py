"""Where a request's computation runs, and how its result reaches the store.

Every computing route goes through here. Its cost is estimated first (`app.domain.cost`): past
BACKPROP_LENS_MAX_WORK it is refused with a 422 before anything runs; cheap work runs at once
on the event loop; dearer work runs in a worker process (`app.runner`) within a time budget, so
health checks and the class's small steps stay fast meanwhile. A change to a stored network is
read → compute → compare-and-set: no store lock is held while computing, and a step that lost
the race to another worker is recomputed from the new state. Within this process, requests on
one network take turns (a lock per network), so they do not race each other for nothing.
A change may grow the store (a first Adam step, history): when the store is past
BACKPROP_LENS_MAX_STORE_BYTES (looked at once a second), the least recently used idle networks
are deleted first, and the change is refused (429) only if none is idle.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from app.domain import room
from app.domain.limits import check_limit
from app.encode import encoded_call
from app.runner import Runner
from app.settings import Limits
from app.store import MAX_TRIES, Change, ContendedError, NetworkRecord, Store

T = TypeVar("T")


class NetworkLocks:
    """One asyncio lock per network id while someone holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, network_id: str) -> AsyncIterator[None]:
        lock, users = self._locks.get(network_id) or (asyncio.Lock(), 0)
        self._locks[network_id] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[network_id]
            if users == 1:
                del self._locks[network_id]
            else:
                self._locks[network_id] = (lock, users - 1)


def check_work(work: float, loc: tuple[str | int, ...], limits: Limits) -> None:
    """InputError when a request's estimated work is past BACKPROP_LENS_MAX_WORK."""
    subject = (
        f"this request's estimated work, {work:.3g} units (about {work / 1e9:.1f} s of one core)"
    )
    check_limit(
        limits,
        "max_work",
        round(work),
        loc,
        subject=subject,
        hint="ask for fewer steps, rows or cells",
    )


class Executor:
    """Runs requests' computations for one app: its runner, its store, its locks."""

    USAGE_EVERY = 1.0  # seconds between looks at the store's size

    def __init__(
        self,
        store: Store,
        limits: Limits,
        exclusive: Callable[[], contextlib.AbstractContextManager[Any]] = contextlib.nullcontext,
    ) -> None:
        self.store = store
        self.limits = limits
        self.exclusive = exclusive  # the store's creation lock, shared by the workers
        self._usage: tuple[float, int] = (-math.inf, 0)  # (when, bytes stored)
        self.runner = Runner(
            inline_cost=limits.inline_work,
            processes=limits.heavy_workers,
            budget_seconds=limits.max_seconds,
            memory_mib=limits.worker_memory_mib,
        )
        self.locks = NetworkLocks()

    async def compute(
        self, work: float, loc: tuple[str | int, ...], fn: Callable[..., T], *args: Any
    ) -> T:
        """fn(*args), refused past the work limit, inline or in a worker by its cost."""
        check_work(work, loc, self.limits)
        return await self.runner.run(work, fn, *args)

    async def compute_json(
        self, work: float, loc: tuple[str | int, ...], fn: Callable[..., Any], *args: Any
    ) -> Any:
        """fn(*args) as a JSON response's content, like `compute`; heavy work comes back
        already encoded by its worker (bytes, which JSONResponse sends as they are), so the
        event loop never spends a second encoding a large answer while health checks wait."""
        check_work(work, loc, self.limits)
        if self.runner.inline(work):
            return fn(*args)
        return await self.runner.run(work, encoded_call, fn, *args)

    async def change(
        self,
        network_id: str,
        work_of: Callable[[NetworkRecord], tuple[float, tuple[str | int, ...]]],
        fn: Callable[..., Change[T]],
        *args: Any,
    ) -> T:
        """fn(record, *args) on the stored network, committed by compare-and-set."""
        await self._room(network_id)
        async with self.locks.hold(network_id):
            for _ in range(MAX_TRIES):
                snap = self.store.read(network_id)
                work, loc = work_of(snap.record)
                change = await self.compute(work, loc, fn, snap.record, *args)
                if not change.writes or self.store.commit(network_id, snap.version, change):
                    return change.result
        raise ContendedError(network_id)

    async def _room(self, network_id: str) -> None:
        """StoreFullError when the store is past its byte bound and no idle network can go."""
        at, stored = self._usage
        if time.monotonic() - at >= self.USAGE_EVERY:
            stored = (await asyncio.to_thread(self.store.usage))[1]
            self._usage = (time.monotonic(), stored)
        if stored > self.limits.max_store_bytes:
            await asyncio.to_thread(self._evict, network_id)

    def _evict(self, network_id: str) -> None:
        with self.exclusive():
            room.make_room(self.store, self.limits, 0, adding=0, keep=network_id)
        self._usage = (time.monotonic(), self.store.usage()[1])

    def close(self) -> None:
        """Stop the worker processes."""
        self.runner.close()
