"""Where a request's computation runs: small work inline, heavy work in bounded worker processes.

A request's cost (multiply-adds, estimated before it runs) decides. Small work runs at once on
the event loop: no thread hop, no GIL hand-off, a few hundred microseconds. Heavy work goes to
a small pool of worker processes (one by default), so it never holds this process's GIL or
event loop: health checks and small steps stay fast while it runs. Each heavy call has a time
budget; past it the worker is killed (and replaced) and the caller gets `BudgetExceededError`. A
worker's address space is capped, so a request that would take gigabytes fails alone. When
every worker is busy and the queue is full, `BusyError` says to come back later.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import pickle
import resource
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, TypeVar

T = TypeVar("T")


class BudgetExceededError(RuntimeError):
    """A heavy request ran past its time budget and was stopped."""

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = seconds


class BusyError(RuntimeError):
    """Every heavy worker is busy and the queue is full."""


class OutOfMemoryError(RuntimeError):
    """A heavy request needed more memory than a worker may have."""

    def __init__(self, mib: int) -> None:
        super().__init__(mib)
        self.mib = mib


def _serve(conn: Connection, memory_mib: int) -> None:
    # The worker's loop: run what it is sent, send back the result or the exception.
    os.nice(5)  # heavy work yields the CPU to the servers' short requests
    if memory_mib:
        limit = memory_mib * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    while True:
        try:
            fn, args = conn.recv()
        except EOFError:
            return
        try:
            reply: tuple[str, Any] = ("ok", fn(*args))
        except MemoryError:
            reply = ("memory", None)
        except Exception as exc:  # sent back and raised in the server
            reply = ("raise", exc)
        try:
            conn.send(reply)
        except (pickle.PicklingError, TypeError, AttributeError) as exc:
            conn.send(("raise", RuntimeError(f"unpicklable result: {exc!r}")))


class _Worker:
    def __init__(self, memory_mib: int) -> None:
        ctx = multiprocessing.get_context("forkserver")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(child, memory_mib), daemon=True)
        self.proc.start()
        child.close()

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()


class Runner:
    """Runs a request's computation inline or in a worker process, by its cost."""

    def __init__(
        self,
        *,
        inline_cost: float,
        processes: int = 1,
        budget_seconds: float = 20.0,
        memory_mib: int = 2048,
        queue: int = 8,
    ) -> None:
        self.inline_cost = inline_cost
        self.processes = processes
        self.budget_seconds = budget_seconds
        self.memory_mib = memory_mib
        self.queue = queue
        self._idle: list[_Worker] = []
        self._slots = asyncio.Semaphore(max(1, processes))
        self._pending = 0  # heavy calls running or queued

    def inline(self, cost: float) -> bool:
        """Whether work of `cost` runs at once on the event loop (else in a worker)."""
        return cost <= self.inline_cost or self.processes < 1

    async def run(self, cost: float, fn: Callable[..., T], *args: Any) -> T:
        """fn(*args), inline when `cost` is small, else in a worker within the time budget."""
        if self.inline(cost):
            return fn(*args)
        if self._pending >= self.processes + self.queue:
            raise BusyError()
        self._pending += 1
        try:
            async with self._slots:
                return await self._call(fn, args)
        finally:
            self._pending -= 1

    async def _call(self, fn: Callable[..., T], args: tuple[Any, ...]) -> T:
        worker = (
            self._idle.pop() if self._idle else await asyncio.to_thread(_Worker, self.memory_mib)
        )
        try:
            worker.conn.send((fn, args))
            ready = await asyncio.to_thread(worker.conn.poll, self.budget_seconds)
            if not ready:
                raise BudgetExceededError(self.budget_seconds)
            # Read in a thread: a large result (hundreds of MB) must not hold the event loop.
            kind, value = await asyncio.to_thread(worker.conn.recv)
        except BaseException:
            # Stopped (budget, cancellation) or broken: the worker may be mid-computation.
            worker.kill()
            raise
        self._idle.append(worker)
        if kind == "memory":
            raise OutOfMemoryError(self.memory_mib)
        if kind == "raise":
            raise value
        return value  # type: ignore[no-any-return]

    def close(self) -> None:
        """Stop every idle worker (a busy one ends with its call)."""
        for worker in self._idle:
            worker.kill()
        self._idle.clear()
