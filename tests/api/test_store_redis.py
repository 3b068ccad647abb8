"""What only the Redis store does: idle networks expire by TTL, refreshed by every write."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from app.store import Change, NotFoundError
from app.store.redis import RedisStore
from tests.api.test_store import make_record, set_first_weights


@pytest.fixture
def redis_store(redis_url: str) -> Iterator[RedisStore]:
    store = RedisStore(redis_url, max_history=5, ttl_seconds=100)
    store.client.flushdb()
    yield store
    store.close()


def test_a_created_network_and_its_history_carry_the_idle_ttl(redis_store: RedisStore) -> None:
    record = make_record()
    redis_store.create(record, [{"step": 1}])
    for key in (f"bl:net:{record.id}", f"bl:hist:{record.id}"):
        assert 90 <= redis_store.client.ttl(key) <= 100


def test_a_write_refreshes_the_ttl(redis_store: RedisStore) -> None:
    record = make_record()
    redis_store.create(record)
    redis_store.client.expire(f"bl:net:{record.id}", 5)
    redis_store.update(record.id, set_first_weights(0.25))
    assert redis_store.client.ttl(f"bl:net:{record.id}") > 90


def test_an_expired_network_is_gone_and_purge_forgets_it(redis_url: str) -> None:
    store = RedisStore(redis_url, ttl_seconds=1)
    store.client.flushdb()
    record = make_record(touched=time.time())
    store.create(record)
    deadline = time.monotonic() + 10
    while store.client.exists(f"bl:net:{record.id}") and time.monotonic() < deadline:
        time.sleep(0.1)
    with pytest.raises(NotFoundError):
        store.get(record.id)
    with pytest.raises(NotFoundError):
        store.update(record.id, lambda r: Change(result=None, record=r))
    assert store.purge_idle(time.time() + 1) == 1
    assert store.count() == 0
    store.close()
