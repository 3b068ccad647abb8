"""The Store interface: every backend (memory, SQLite) passes these same tests."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pytest
from pydantic import ValidationError

from app.schemas import NetworkConfig
from app.store import Change, NotFoundError, Store, pack, records
from app.store.records import NetworkRecord, config_json, config_of, new_id
from tests.api.conftest import STORE_MAX_HISTORY

CONFIG = NetworkConfig.model_validate(
    {
        "layers": [2, 3, 1],
        "activations": ["tanh", "linear"],
        "loss": "mse",
        "init": "xavier",
        "seed": 0,
        "dtype": "float64",
        "dataset": {"kind": "plane"},
        "optimizer": {"name": "sgd"},
        "batch_size": 10,
        "l2": 0.0,
    }
)


def make_record(value: float = 0.5, touched: float = 1000.0) -> NetworkRecord:
    """A small 2-3-1 record whose first weight matrix is filled with `value`."""
    return NetworkRecord(
        id=new_id(),
        config=CONFIG,
        params=[np.full((2, 3), value), np.arange(3.0), np.ones((3, 1)), np.zeros(1)],
        created=touched,
        touched=touched,
    )


def entries(*steps: int) -> list[dict[str, Any]]:
    return [{"step": s, "loss": 1.0 / (s + 1)} for s in steps]


def set_first_weights(value: float, result: str = "done") -> Callable[[NetworkRecord], Change[str]]:
    """An update that fills W0 with `value`, counts one step and logs it in the history."""

    def fn(record: NetworkRecord) -> Change[str]:
        record.params[0][:] = value
        record.step += 1
        return Change(result=result, record=record, history=entries(record.step))

    return fn


def test_get_returns_the_created_record(store: Store) -> None:
    record = make_record()
    store.create(record)
    got = store.get(record.id)
    assert got.id == record.id
    assert got.config == CONFIG
    for a, b in zip(got.params, record.params, strict=True):
        np.testing.assert_array_equal(a, b)
    assert (got.step, got.opt_t, got.diverged, got.last_params) == (0, 0, None, None)


def test_the_config_is_typed_on_both_sides_of_the_store(store: Store) -> None:
    # The store converts the config to and from its JSON; the domain sees a frozen model.
    record = make_record()
    store.create(record)
    got = store.get(record.id).config
    assert isinstance(got, NetworkConfig) and got == CONFIG
    assert json.loads(pack(record)[0]) == CONFIG.model_dump(mode="json")
    with pytest.raises(ValidationError, match="frozen"):
        got.l2 = 1.0  # type: ignore[misc]


def test_config_conversions_are_remembered_within_their_bounds() -> None:
    data = pack(make_record())[0]
    assert config_of(data) is config_of(data)  # parsed once
    assert config_json(config_of(data)) is data  # and not encoded again
    for k in range(records._CACHED + 10):
        config_of(CONFIG.model_copy(update={"l2": k / 1000}).model_dump_json().encode())
    assert len(records._BY_JSON) == records._CACHED == len(records._BY_ID)
    assert records._held == sum(len(d) for d in records._BY_JSON)


def test_get_of_an_unknown_id_raises_not_found(store: Store) -> None:
    with pytest.raises(NotFoundError):
        store.get(new_id())


def test_history_of_an_unknown_id_raises_not_found(store: Store) -> None:
    with pytest.raises(NotFoundError):
        store.history(new_id())


def test_update_of_an_unknown_id_raises_not_found(store: Store) -> None:
    with pytest.raises(NotFoundError):
        store.update(new_id(), set_first_weights(1.0))


def test_create_stores_the_given_history(store: Store) -> None:
    record = make_record()
    store.create(record, entries(1, 2))
    assert store.history(record.id) == entries(1, 2)


def test_new_network_has_an_empty_history(store: Store) -> None:
    record = make_record()
    store.create(record)
    assert store.history(record.id) == []


def test_update_writes_the_record_and_returns_the_result(store: Store) -> None:
    record = make_record()
    store.create(record)
    assert store.update(record.id, set_first_weights(7.0, result="ok")) == "ok"
    got = store.get(record.id)
    np.testing.assert_array_equal(got.params[0], np.full((2, 3), 7.0))
    assert got.step == 1


def test_update_keeps_optimizer_state_last_step_and_divergence(store: Store) -> None:
    record = make_record()
    store.create(record)

    def fn(r: NetworkRecord) -> Change[None]:
        r.opt_t = 3
        r.buffers = {"m": [p + 1 for p in r.params], "v": [p * 2 for p in r.params]}
        r.last_params = [p - 1 for p in r.params]
        r.last_batch = [4, 0, 2]
        r.diverged = "Training diverged at step 4"
        return Change(result=None, record=r)

    store.update(record.id, fn)
    got = store.get(record.id)
    assert (got.opt_t, got.last_batch, got.diverged) == (
        3,
        [4, 0, 2],
        "Training diverged at step 4",
    )
    assert sorted(got.buffers) == ["m", "v"]
    for k, p in enumerate(record.params):
        np.testing.assert_array_equal(got.buffers["m"][k], p + 1)
        np.testing.assert_array_equal(got.buffers["v"][k], p * 2)
        assert got.last_params is not None
        np.testing.assert_array_equal(got.last_params[k], p - 1)


def test_update_writes_a_changed_config_when_flagged(store: Store) -> None:
    record = make_record()
    store.create(record)

    def fn(r: NetworkRecord) -> Change[None]:
        r.config = r.config.model_copy(update={"l2": 0.5})
        r.config_changed = True
        return Change(result=None, record=r)

    store.update(record.id, fn)
    assert store.get(record.id).config == CONFIG.model_copy(update={"l2": 0.5})


def test_update_without_a_record_appends_history_only(store: Store) -> None:
    record = make_record()
    store.create(record)
    store.update(record.id, lambda r: Change(result=None, history=entries(1)))
    np.testing.assert_array_equal(store.get(record.id).params[0], record.params[0])
    assert store.history(record.id) == entries(1)


def test_update_appends_history_oldest_first(store: Store) -> None:
    record = make_record()
    store.create(record)
    store.update(record.id, lambda r: Change(result=None, history=entries(1, 2)))
    store.update(record.id, lambda r: Change(result=None, history=entries(3)))
    assert store.history(record.id) == entries(1, 2, 3)


def test_clear_history_empties_it_before_appending(store: Store) -> None:
    record = make_record()
    store.create(record, entries(1, 2, 3))
    store.update(record.id, lambda r: Change(result=None, history=entries(9), clear_history=True))
    assert store.history(record.id) == entries(9)


def test_history_keeps_the_newest_max_history_entries_of_many_updates(store: Store) -> None:
    record = make_record()
    store.create(record)
    total = 3 * STORE_MAX_HISTORY
    for k in range(1, total + 1):
        store.update(record.id, lambda r, k=k: Change(result=None, history=entries(k)))
    assert store.history(record.id) == entries(*range(total - STORE_MAX_HISTORY + 1, total + 1))


def test_history_keeps_the_newest_max_history_entries_of_one_update(store: Store) -> None:
    record = make_record()
    store.create(record)
    store.update(record.id, lambda r: Change(result=None, history=entries(*range(1, 13))))
    assert store.history(record.id) == entries(*range(13 - STORE_MAX_HISTORY, 13))


def test_create_keeps_the_newest_max_history_entries(store: Store) -> None:
    record = make_record()
    store.create(record, entries(*range(1, 13)))
    assert store.history(record.id) == entries(*range(13 - STORE_MAX_HISTORY, 13))


def test_update_that_raises_writes_nothing(store: Store) -> None:
    record = make_record(value=0.5)
    store.create(record, entries(1))

    def fails(r: NetworkRecord) -> Change[None]:
        r.params[0][:] = 99.0
        r.step = 42
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        store.update(record.id, fails)
    got = store.get(record.id)
    np.testing.assert_array_equal(got.params[0], np.full((2, 3), 0.5))
    assert got.step == 0
    assert store.history(record.id) == entries(1)


def test_store_still_updates_after_a_failed_update(store: Store) -> None:
    record = make_record()
    store.create(record)
    with pytest.raises(ZeroDivisionError):
        store.update(record.id, lambda r: Change(result=1 / 0))
    store.update(record.id, set_first_weights(2.0))
    assert store.get(record.id).step == 1


def test_delete_removes_the_network_and_its_history(store: Store) -> None:
    record = make_record()
    store.create(record, entries(1))
    assert store.delete(record.id) is True
    with pytest.raises(NotFoundError):
        store.get(record.id)
    with pytest.raises(NotFoundError):
        store.history(record.id)


def test_delete_of_an_unknown_id_returns_false(store: Store) -> None:
    assert store.delete(new_id()) is False


def test_count_follows_creates_and_deletes(store: Store) -> None:
    records = [make_record() for _ in range(3)]
    for r in records:
        store.create(r)
    assert store.count() == 3
    store.delete(records[0].id)
    assert store.count() == 2


def test_purge_idle_deletes_only_networks_touched_before_the_cutoff(store: Store) -> None:
    old, fresh = make_record(touched=100.0), make_record(touched=300.0)
    store.create(old)
    store.create(fresh)
    assert store.purge_idle(200.0) == 1
    with pytest.raises(NotFoundError):
        store.get(old.id)
    assert store.get(fresh.id).id == fresh.id
    assert store.count() == 1


def test_purge_idle_sees_the_touched_time_written_by_update(store: Store) -> None:
    record = make_record(touched=100.0)
    store.create(record)

    def touch(r: NetworkRecord) -> Change[None]:
        r.touched = 300.0
        return Change(result=None, record=r)

    store.update(record.id, touch)
    assert store.purge_idle(200.0) == 0
    assert store.count() == 1


def test_concurrent_updates_never_lose_one(store: Store) -> None:
    record = make_record()
    store.create(record)

    def count_one(r: NetworkRecord) -> Change[None]:
        r.step += 1
        r.params[1] = r.params[1] + 1.0
        return Change(result=None, record=r)

    def worker(_: int) -> None:
        for _ in range(10):
            store.update(record.id, count_one)

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(worker, range(8)))
    got = store.get(record.id)
    assert got.step == 80
    np.testing.assert_array_equal(got.params[1], np.arange(3.0) + 80.0)


def test_read_gives_the_record_and_a_version_that_commit_checks(store: Store) -> None:
    record = make_record()
    store.create(record)
    snap = store.read(record.id)
    assert snap.record.id == record.id
    snap.record.step = 7
    assert store.commit(record.id, snap.version, Change(result=None, record=snap.record))
    assert store.get(record.id).step == 7
    assert store.read(record.id).version != snap.version


def test_a_commit_from_a_stale_read_writes_nothing(store: Store) -> None:
    record = make_record()
    store.create(record)
    first, second = store.read(record.id), store.read(record.id)
    first.record.step = 1
    assert store.commit(record.id, first.version, Change(None, first.record, entries(1)))
    second.record.step = 99
    assert not store.commit(record.id, second.version, Change(None, second.record, entries(99)))
    assert store.get(record.id).step == 1
    assert [h["step"] for h in store.history(record.id)] == [1]


def test_commit_of_an_unknown_id_raises_not_found(store: Store) -> None:
    record = make_record()
    store.create(record)
    snap = store.read(record.id)
    store.delete(record.id)
    with pytest.raises(NotFoundError):
        store.commit(record.id, snap.version, Change(result=None, record=snap.record))


def test_read_compute_commit_loops_from_many_threads_never_lose_a_step(store: Store) -> None:
    record = make_record()
    store.create(record)

    def worker(_: int) -> None:
        for _ in range(10):
            while True:
                snap = store.read(record.id)
                snap.record.step += 1
                if store.commit(record.id, snap.version, Change(None, snap.record)):
                    break

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(worker, range(8)))
    assert store.get(record.id).step == 80


def test_no_lock_is_held_while_an_update_computes(store: Store) -> None:
    # A long computation on one network must not keep another network from being written.
    slow, other = make_record(), make_record()
    store.create(slow)
    store.create(other)
    computing, release = threading.Event(), threading.Event()

    def wait_inside(r: NetworkRecord) -> Change[None]:
        computing.set()
        assert release.wait(10)
        r.step += 1
        return Change(result=None, record=r)

    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(store.update, slow.id, wait_inside)
        assert computing.wait(10)
        store.update(other.id, set_first_weights(2.0))  # would block if a lock were held
        release.set()
        pending.result(10)
    assert store.get(other.id).step == 1
    assert store.get(slow.id).step == 1
