"""Where a request's computation runs, and how its result reaches the store.

Every computing route goes through here. Its cost is estimated first (`app.cost`): past
BACKPROP_LENS_MAX_WORK it is refused with a 422 before anything runs; cheap work runs at once
on the event loop; dearer work runs in a worker process (`app.runner`) within a time budget, so
health checks and the class's small steps stay fast meanwhile. A change to a stored network is
read → compute → compare-and-set: no store lock is held while computing, and a step that lost
the race to another worker is recomputed from the new state. Within this process, requests on
one network take turns (a lock per network), so they do not race each other for nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from app.records import NetworkRecord
from app.runner import Runner
from app.service import InputError
from app.settings import Limits
from app.store import MAX_TRIES, Change, ContendedError, Store

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
    if work > limits.max_work:
        raise InputError(
            loc,
            f"this request would cost about {work:.3g} work units (about "
            f"{work / 1e9:.1f} s of one core), past the limit of {limits.max_work:.3g} per "
            "request (BACKPROP_LENS_MAX_WORK); ask for fewer steps, rows or cells",
        )


class Executor:
    """Runs requests' computations for one app: its runner, its store, its locks."""

    def __init__(self, store: Store, limits: Limits) -> None:
        self.store = store
        self.limits = limits
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

    async def change(
        self,
        network_id: str,
        work_of: Callable[[NetworkRecord], tuple[float, tuple[str | int, ...]]],
        fn: Callable[..., Change[T]],
        *args: Any,
    ) -> T:
        """fn(record, *args) on the stored network, committed by compare-and-set."""
        async with self.locks.hold(network_id):
            for _ in range(MAX_TRIES):
                snap = self.store.read(network_id)
                work, loc = work_of(snap.record)
                change = await self.compute(work, loc, fn, snap.record, *args)
                if not change.writes or self.store.commit(network_id, snap.version, change):
                    return change.result
        raise ContendedError(network_id)

    def close(self) -> None:
        """Stop the worker processes."""
        self.runner.close()
