"""app.runner: small work inline, heavy work in worker processes with a time and memory budget."""

from __future__ import annotations

import asyncio
import os
import time

import pytest

from app.runner import BudgetExceededError, BusyError, OutOfMemoryError, Runner


def pid() -> int:
    return os.getpid()


def sleep_then_pid(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def fail(message: str) -> None:
    raise ValueError(message)


def allocate(mib: int) -> int:
    return len(bytearray(mib * 2**20))


def run(coro):  # type: ignore[no-untyped-def]
    return asyncio.run(coro)


def test_small_work_runs_in_this_process() -> None:
    runner = Runner(inline_cost=100)
    assert run(runner.run(100, pid)) == os.getpid()


def test_heavy_work_runs_in_another_process_which_is_reused() -> None:
    async def go() -> tuple[int, int]:
        runner = Runner(inline_cost=100)
        try:
            return await runner.run(101, pid), await runner.run(101, pid)
        finally:
            runner.close()

    first, second = run(go())
    assert first != os.getpid()
    assert first == second


def test_a_call_past_its_budget_is_stopped_and_the_worker_replaced() -> None:
    async def go() -> tuple[float, int, int]:
        runner = Runner(inline_cost=0, budget_seconds=3.0)
        try:
            stuck = await runner.run(1, pid)
            t0 = time.monotonic()
            with pytest.raises(BudgetExceededError):
                await runner.run(1, sleep_then_pid, 30.0)
            waited = time.monotonic() - t0
            return waited, stuck, await runner.run(1, pid)
        finally:
            runner.close()

    waited, before, after = run(go())
    assert waited < 20.0  # stopped at its budget, not after the 30 s it asked for
    assert after != before  # the stopped worker was killed; a new one answers


def test_an_exception_in_the_worker_is_raised_in_the_caller() -> None:
    async def go() -> None:
        runner = Runner(inline_cost=0)
        try:
            with pytest.raises(ValueError, match="layers\\[1\\] is wrong"):
                await runner.run(1, fail, "layers[1] is wrong")
            assert await runner.run(1, pid) != os.getpid()  # the worker survived
        finally:
            runner.close()

    run(go())


def test_a_call_that_needs_too_much_memory_fails_alone() -> None:
    async def go() -> int:
        runner = Runner(inline_cost=0, memory_mib=512)
        try:
            with pytest.raises(OutOfMemoryError):
                await runner.run(1, allocate, 2048)
            return await runner.run(1, allocate, 16)
        finally:
            runner.close()

    assert run(go()) == 16 * 2**20


def test_a_full_queue_is_refused_at_once() -> None:
    async def go() -> list[object]:
        runner = Runner(inline_cost=0, processes=1, queue=1)
        try:
            calls = [runner.run(1, sleep_then_pid, 0.5) for _ in range(3)]
            return await asyncio.gather(*calls, return_exceptions=True)
        finally:
            runner.close()

    results = run(go())
    assert sum(isinstance(r, BusyError) for r in results) == 1
    assert sum(isinstance(r, int) for r in results) == 2
