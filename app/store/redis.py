"""A Redis-backed store, so many workers on many hosts share one classroom's networks.

Keys (prefix `bl:`): `net:{id}` a hash (config, state, arrays, touched, version, and sizes:
rec_bytes, config_bytes, hist_bytes, hist_n, so a commit reads them with the version);
`hist:{id}` a list of JSON history entries; `index` a sorted set id → last use (a write, or a
read at most once a minute), for counting, evicting and purging; `sizes` a hash id → bytes.
History bytes are exact until the list is trimmed, then estimated (the dropped entries taken
at the list's average size).
Each write bumps the hash's `version`: a step reads it with the record, computes with nothing
held, and commits with WATCH + MULTI … EXEC only if the version is unchanged (compare-and-set);
otherwise the step is recomputed from the new state.
Idle networks expire by TTL (refreshed on every use).
"""

from __future__ import annotations

from typing import Any, cast

import orjson
import redis

from app.store.base import Change, NotFoundError, Snapshot, Store
from app.store.records import NetworkRecord, pack, unpack

PREFIX = "bl:"
INDEX = PREFIX + "index"
SIZES = PREFIX + "sizes"
# KEYS: net, hist, index; ARGV: id, time, ttl. Records a use of a network that exists.
_TOUCH_LUA = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'touched', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[3])
redis.call('ZADD', KEYS[3], ARGV[2], ARGV[1])
return 1
"""


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
        self._touch = self.client.register_script(_TOUCH_LUA)
        self.client.ping()  # fail at start-up, with Redis's own message, not at the first request

    def _write(
        self,
        pipe: Any,
        record: NetworkRecord,
        config_bytes: int | None,
        history: tuple[list[bytes], int, int],
    ) -> None:
        """Write the record (its config too unless `config_bytes`, the stored one's length,
        is given) and history (entries, and the history's bytes after the write)."""
        config, state, arrays = pack(record)
        rec_bytes = (len(config) if config_bytes is None else config_bytes) + len(state)
        rec_bytes += len(arrays)
        mapping: dict[str, Any] = {
            "state": state,
            "arrays": arrays,
            "touched": record.touched,
            "rec_bytes": rec_bytes,
        }
        if config_bytes is None:
            mapping["config"], mapping["config_bytes"] = config, len(config)
        key = _net(record.id)
        pipe.hset(key, mapping=mapping)
        self._write_history(pipe, record.id, *history)
        pipe.hset(SIZES, record.id, rec_bytes + history[2])
        pipe.expire(key, self.ttl)
        pipe.zadd(INDEX, {record.id: record.touched})

    def _write_history(
        self, pipe: Any, network_id: str, entries: list[bytes], count: int, size: int
    ) -> None:
        hist = _hist(network_id)
        if entries:
            pipe.rpush(hist, *entries)
            pipe.ltrim(hist, -self.max_history, -1)
        pipe.hset(_net(network_id), mapping={"hist_n": count, "hist_bytes": size})
        pipe.expire(hist, self.ttl)

    def _history_after(
        self, entries: list[dict[str, Any]], count: int, size: int
    ) -> tuple[list[bytes], int, int]:
        """The encoded entries, and the length and bytes of a history of `count` entries and
        `size` bytes once they are appended and the oldest past max_history dropped."""
        encoded = [orjson.dumps(e) for e in entries[-self.max_history :]]
        count, size = count + len(encoded), size + sum(map(len, encoded))
        if count > self.max_history:
            count, size = self.max_history, size * self.max_history // count
        return encoded, count, size

    def create(self, record: NetworkRecord, history: list[dict[str, Any]] | None = None) -> None:
        pipe = self.client.pipeline(transaction=True)
        pipe.delete(_hist(record.id))
        self._write(pipe, record, None, self._history_after(history or [], 0, 0))
        pipe.execute()

    def _get(self, network_id: str) -> NetworkRecord:
        fields = ["config", "state", "arrays", "touched"]
        row = cast(list[bytes], self.client.hmget(_net(network_id), fields))
        if row[0] is None:
            raise NotFoundError(network_id)
        record = unpack(*row[:3])
        record.touched = float(row[3])
        return record

    def touch(self, network_id: str, at: float) -> None:
        keys = [_net(network_id), _hist(network_id), INDEX]
        self._touch(keys=keys, args=[network_id, at, self.ttl])

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
                    fields = ["touched", "version", "rec_bytes", "config_bytes", "hist_n"]
                    found = cast(list[bytes | None], pipe.hmget(key, [*fields, "hist_bytes"]))
                    if found[0] is None:
                        raise NotFoundError(network_id)
                    if int(found[1] or 0) != version:
                        return False
                    # A network written before sizes were kept has them measured now.
                    config_bytes = int(found[3] or pipe.hstrlen(key, "config"))
                    if change.clear_history:
                        before = (0, 0)
                    else:
                        count = found[4] if found[4] is not None else pipe.llen(_hist(network_id))
                        before = (int(count), int(found[5] or 0))
                    history = self._history_after(change.history, *before)
                    pipe.multi()
                    if change.clear_history:
                        pipe.delete(_hist(network_id))
                    if change.record is not None:
                        changed = change.record.config_changed
                        self._write(pipe, change.record, None if changed else config_bytes, history)
                    else:  # as in every backend: history is written even without a record
                        self._write_history(pipe, network_id, *history)
                        pipe.hset(SIZES, network_id, int(found[2] or 0) + history[2])
                    pipe.hincrby(key, "version", 1)
                    pipe.execute()
                    return True
                except redis.WatchError:
                    continue  # written between WATCH and EXEC: compare again

    def delete(self, network_id: str) -> bool:
        pipe = self.client.pipeline(transaction=True)
        pipe.delete(_net(network_id), _hist(network_id))
        pipe.zrem(INDEX, network_id)
        pipe.hdel(SIZES, network_id)
        removed, _, _ = pipe.execute()
        return bool(removed)

    def count(self) -> int:
        return int(self.client.zcard(INDEX))

    def usage(self) -> tuple[int, int]:
        # Networks expired by TTL stay counted until purge_idle forgets them.
        pipe = self.client.pipeline(transaction=True)
        pipe.zcard(INDEX)
        pipe.hvals(SIZES)
        count, sizes = pipe.execute()
        return int(count), sum(map(int, sizes))

    def least_used(self, before: float, limit: int) -> list[tuple[str, float, int]]:
        rows = cast(
            list[tuple[bytes, float]],
            self.client.zrangebyscore(
                INDEX, "-inf", f"({before}", start=0, num=limit, withscores=True
            ),
        )
        if not rows:
            return []
        sizes = cast(list[bytes | None], self.client.hmget(SIZES, [k for k, _ in rows]))
        return [(k.decode(), t, int(b or 0)) for (k, t), b in zip(rows, sizes, strict=True)]

    def purge_idle(self, older_than: float) -> int:
        old = cast(list[bytes], self.client.zrangebyscore(INDEX, "-inf", f"({older_than}"))
        for raw in old:
            self.delete(raw.decode())
        return len(old)

    def close(self) -> None:
        self.client.close()
