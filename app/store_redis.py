"""A Redis-backed store, so many workers on many hosts share one classroom's networks.

Keys (prefix `bl:`): `net:{id}` a hash (config, state, arrays, touched); `hist:{id}` a list of
JSON history entries; `index` a sorted set id → last write time, for counting and purging.
Each write bumps the hash's `version`: a step reads it with the record, computes with nothing
held, and commits with WATCH + MULTI … EXEC only if the version is unchanged (compare-and-set);
otherwise the step is recomputed from the new state.
Idle networks expire by TTL (refreshed on every write).
"""

from __future__ import annotations

from typing import Any, cast

import orjson
import redis

from app.records import NetworkRecord, pack, unpack
from app.store import Change, NotFoundError, Snapshot, Store

PREFIX = "bl:"
INDEX = PREFIX + "index"


def _net(network_id: str) -> str:
    return f"{PREFIX}net:{network_id}"


def _hist(network_id: str) -> str:
    return f"{PREFIX}hist:{network_id}"


class RedisStore(Store):
    """Networks in Redis; safe for any number of processes and hosts."""

    kind = "redis"

    def __init__(self, url: str, max_history: int = 20_000, ttl_seconds: float = 7 * 86400) -> None:
        super().__init__(max_history)
        self.client = redis.Redis.from_url(url, socket_timeout=30, socket_connect_timeout=10)
        self.ttl = max(1, int(ttl_seconds))
        self.client.ping()  # fail at start-up, with Redis's own message, not at the first request

    def _write(
        self,
        pipe: Any,
        record: NetworkRecord,
        entries: list[dict[str, Any]],
        clear: bool,
        with_config: bool,
    ) -> None:
        config, state, arrays = pack(record)
        mapping: dict[str, Any] = {"state": state, "arrays": arrays, "touched": record.touched}
        if with_config:
            mapping["config"] = config
        key = _net(record.id)
        pipe.hset(key, mapping=mapping)
        self._write_history(pipe, record.id, entries, clear)
        pipe.expire(key, self.ttl)
        pipe.zadd(INDEX, {record.id: record.touched})

    def _write_history(
        self, pipe: Any, network_id: str, entries: list[dict[str, Any]], clear: bool
    ) -> None:
        hist = _hist(network_id)
        if clear:
            pipe.delete(hist)
        if entries:
            pipe.rpush(hist, *(orjson.dumps(e) for e in entries))
            pipe.ltrim(hist, -self.max_history, -1)
        pipe.expire(hist, self.ttl)

    def create(self, record: NetworkRecord, history: list[dict[str, Any]] | None = None) -> None:
        pipe = self.client.pipeline(transaction=True)
        self._write(pipe, record, history or [], clear=True, with_config=True)
        pipe.execute()

    def get(self, network_id: str) -> NetworkRecord:
        row = cast(list[bytes], self.client.hmget(_net(network_id), ["config", "state", "arrays"]))
        if row[0] is None:
            raise NotFoundError(network_id)
        return unpack(*row)

    def history(self, network_id: str) -> list[dict[str, Any]]:
        pipe = self.client.pipeline(transaction=True)
        pipe.exists(_net(network_id))
        pipe.lrange(_hist(network_id), 0, -1)
        exists, rows = pipe.execute()
        if not exists:
            raise NotFoundError(network_id)
        return [orjson.loads(r) for r in rows]

    def read(self, network_id: str) -> Snapshot:
        fields = ["config", "state", "arrays", "version"]
        row = cast(list[bytes], self.client.hmget(_net(network_id), fields))
        if row[0] is None:
            raise NotFoundError(network_id)
        return Snapshot(unpack(*row[:3]), int(row[3] or 0))

    def commit(self, network_id: str, version: int, change: Change[Any]) -> bool:
        key = _net(network_id)
        with self.client.pipeline(transaction=True) as pipe:
            while True:
                try:
                    pipe.watch(key)  # type: ignore[no-untyped-call]
                    found = cast(list[bytes | None], pipe.hmget(key, ["config", "version"]))
                    if found[0] is None:
                        raise NotFoundError(network_id)
                    if int(found[1] or 0) != version:
                        return False
                    pipe.multi()
                    if change.record is not None:
                        self._write(
                            pipe,
                            change.record,
                            change.history,
                            change.clear_history,
                            change.record.config_changed,
                        )
                    else:  # as in every backend: history is written even without a record
                        self._write_history(pipe, network_id, change.history, change.clear_history)
                    pipe.hincrby(key, "version", 1)
                    pipe.execute()
                    return True
                except redis.WatchError:
                    continue  # written between WATCH and EXEC: compare again

    def delete(self, network_id: str) -> bool:
        pipe = self.client.pipeline(transaction=True)
        pipe.delete(_net(network_id), _hist(network_id))
        pipe.zrem(INDEX, network_id)
        removed, _ = pipe.execute()
        return bool(removed)

    def count(self) -> int:
        return int(self.client.zcard(INDEX))

    def purge_idle(self, older_than: float) -> int:
        old = cast(list[bytes], self.client.zrangebyscore(INDEX, "-inf", f"({older_than}"))
        for raw in old:
            self.delete(raw.decode())
        return len(old)

    def close(self) -> None:
        self.client.close()
