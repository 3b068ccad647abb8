"""Where networks live between requests: one interface, SQLite (default) and memory backends.

A change is read, compute, compare-and-set: `read` returns the record with its version,
the computation runs with no lock held (it may take seconds, in another process), and `commit`
writes only if the version is still the one read — otherwise the caller recomputes from the new
state. So concurrent steps never lose one, and no writer waits for another's computation.
`update(id, fn)` is that loop for callers that compute in place.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

import orjson

from app.records import NetworkRecord, pack, unpack

T = TypeVar("T")


class NotFoundError(LookupError):
    """No network has that id."""


class ContendedError(RuntimeError):
    """Other writers changed the network on every try; the caller may try again later."""


MAX_TRIES = 50  # compare-and-set attempts before ContendedError


@dataclass
class Change(Generic[T]):
    """What an update writes: the record (None: write nothing), history entries, and a result."""

    result: T
    record: NetworkRecord | None = None
    history: list[dict[str, Any]] = field(default_factory=list)
    clear_history: bool = False

    @property
    def writes(self) -> bool:
        """Whether committing this change writes anything."""
        return self.record is not None or bool(self.history) or self.clear_history


@dataclass(frozen=True)
class Snapshot:
    """A network as read, and the version a commit must still find."""

    record: NetworkRecord
    version: int


class Store(ABC):
    """Persistent networks and their training history."""

    kind: str

    def __init__(self, max_history: int) -> None:
        self.max_history = max_history

    @abstractmethod
    def create(self, record: NetworkRecord, history: list[dict[str, Any]] | None = None) -> None:
        """Store a new network."""

    @abstractmethod
    def get(self, network_id: str) -> NetworkRecord:
        """The network, or NotFoundError."""

    @abstractmethod
    def history(self, network_id: str) -> list[dict[str, Any]]:
        """The network's history entries, oldest first (at most max_history)."""

    @abstractmethod
    def read(self, network_id: str) -> Snapshot:
        """The network and its version, or NotFoundError."""

    @abstractmethod
    def commit(self, network_id: str, version: int, change: Change[Any]) -> bool:
        """Write `change` if the network is still at `version`; False if it moved on."""

    def update(self, network_id: str, fn: Callable[[NetworkRecord], Change[T]]) -> T:
        """Read the network, apply `fn`, write what it returns, as one compare-and-set loop."""
        for _ in range(MAX_TRIES):
            snap = self.read(network_id)
            change = fn(snap.record)
            if not change.writes or self.commit(network_id, snap.version, change):
                return change.result
        raise ContendedError(network_id)

    @abstractmethod
    def delete(self, network_id: str) -> bool:
        """Remove the network; False if there was none."""

    @abstractmethod
    def count(self) -> int:
        """How many networks are stored."""

    @abstractmethod
    def purge_idle(self, older_than: float) -> int:
        """Delete networks last written before the epoch time `older_than`; how many."""

    def close(self) -> None:  # noqa: B027 - most backends hold nothing to release
        """Release connections."""


class MemoryStore(Store):
    """A store in this process's memory (tests, demos); records are kept packed, as on disk."""

    kind = "memory"

    def __init__(self, max_history: int = 20_000) -> None:
        super().__init__(max_history)
        self._lock = threading.RLock()
        self._rows: dict[str, tuple[bytes, bytes, bytes, float]] = {}
        self._versions: dict[str, int] = {}
        self._history: dict[str, list[bytes]] = {}

    def create(self, record: NetworkRecord, history: list[dict[str, Any]] | None = None) -> None:
        with self._lock:
            self._rows[record.id] = (*pack(record), record.touched)
            self._versions[record.id] = 0
            entries = [orjson.dumps(h) for h in history or []]
            self._history[record.id] = entries[max(0, len(entries) - self.max_history) :]

    def get(self, network_id: str) -> NetworkRecord:
        with self._lock:
            row = self._rows.get(network_id)
        if row is None:
            raise NotFoundError(network_id)
        return unpack(*row[:3])

    def history(self, network_id: str) -> list[dict[str, Any]]:
        with self._lock:
            if network_id not in self._rows:
                raise NotFoundError(network_id)
            return [orjson.loads(h) for h in self._history[network_id]]

    def read(self, network_id: str) -> Snapshot:
        with self._lock:
            row = self._rows.get(network_id)
            version = self._versions.get(network_id, 0)
        if row is None:
            raise NotFoundError(network_id)
        return Snapshot(unpack(*row[:3]), version)

    def commit(self, network_id: str, version: int, change: Change[Any]) -> bool:
        with self._lock:
            if network_id not in self._rows:
                raise NotFoundError(network_id)
            if self._versions[network_id] != version:
                return False
            self._write(network_id, change)
            return True

    def _write(self, network_id: str, change: Change[Any]) -> None:
        if change.record is not None:
            self._rows[network_id] = (*pack(change.record), change.record.touched)
        self._versions[network_id] += 1
        entries = self._history[network_id]
        if change.clear_history:
            entries.clear()
        entries.extend(orjson.dumps(h) for h in change.history)
        del entries[: max(0, len(entries) - self.max_history)]

    def delete(self, network_id: str) -> bool:
        with self._lock:
            self._history.pop(network_id, None)
            self._versions.pop(network_id, None)
            return self._rows.pop(network_id, None) is not None

    def count(self) -> int:
        with self._lock:
            return len(self._rows)

    def purge_idle(self, older_than: float) -> int:
        with self._lock:
            old = [k for k, row in self._rows.items() if row[3] < older_than]
            for key in old:
                self.delete(key)
            return len(old)


_SCHEMA = """
CREATE TABLE IF NOT EXISTS networks (
    id TEXT PRIMARY KEY, config BLOB NOT NULL, state BLOB NOT NULL, arrays BLOB NOT NULL,
    touched REAL NOT NULL, version INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS networks_touched ON networks (touched);
CREATE TABLE IF NOT EXISTS history (
    id TEXT NOT NULL, seq INTEGER NOT NULL, entry BLOB NOT NULL, PRIMARY KEY (id, seq));
"""


class SQLiteStore(Store):
    """One SQLite file in WAL mode; survives restarts and is shared safely by worker processes."""

    kind = "sqlite"

    def __init__(self, path: str | Path, max_history: int = 20_000) -> None:
        super().__init__(max_history)
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._all_lock = threading.Lock()
        # Threads of this process take turns before SQLite's own lock: SQLite's busy handler
        # waits by sleeping, which turned a burst of 20 concurrent creations into 0.9 s each.
        self._write_lock = threading.Lock()
        conn = self._conn()
        conn.executescript(_SCHEMA)
        columns = {row[1] for row in conn.execute("PRAGMA table_info(networks)")}
        if "version" not in columns:  # a file written before compare-and-set
            conn.execute("ALTER TABLE networks ADD COLUMN version INTEGER NOT NULL DEFAULT 0")

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            # autocommit mode: transactions are opened explicitly with BEGIN IMMEDIATE.
            conn = sqlite3.connect(
                self.path, isolation_level=None, check_same_thread=False, timeout=30
            )
            conn.execute("PRAGMA journal_mode=WAL")
            # NORMAL in WAL mode: a committed step survives a killed process (not a power cut).
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=30000")
            self._local.conn = conn
            with self._all_lock:
                self._all.append(conn)
        return conn

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction: this process's threads one at a time, then BEGIN IMMEDIATE."""
        conn = self._conn()
        with self._write_lock:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def create(self, record: NetworkRecord, history: list[dict[str, Any]] | None = None) -> None:
        config, state, arrays = pack(record)
        with self._transaction() as conn:
            conn.execute(
                "INSERT INTO networks (id, config, state, arrays, touched) VALUES (?, ?, ?, ?, ?)",
                (record.id, config, state, arrays, record.touched),
            )
            self._append(conn, record.id, history or [])

    def get(self, network_id: str) -> NetworkRecord:
        row = (
            self._conn()
            .execute("SELECT config, state, arrays FROM networks WHERE id = ?", (network_id,))
            .fetchone()
        )
        if row is None:
            raise NotFoundError(network_id)
        return unpack(*row)

    def history(self, network_id: str) -> list[dict[str, Any]]:
        conn = self._conn()
        if conn.execute("SELECT 1 FROM networks WHERE id = ?", (network_id,)).fetchone() is None:
            raise NotFoundError(network_id)
        # _append trims only now and then, so older rows may linger: return the newest only.
        rows = conn.execute(
            "SELECT entry FROM history WHERE id = ? ORDER BY seq DESC LIMIT ?",
            (network_id, self.max_history),
        ).fetchall()
        return [orjson.loads(r[0]) for r in reversed(rows)]

    def read(self, network_id: str) -> Snapshot:
        row = (
            self._conn()
            .execute(
                "SELECT config, state, arrays, version FROM networks WHERE id = ?", (network_id,)
            )
            .fetchone()
        )
        if row is None:
            raise NotFoundError(network_id)
        return Snapshot(unpack(*row[:3]), row[3])

    def commit(self, network_id: str, version: int, change: Change[Any]) -> bool:
        # The write lock is held only for these few statements, never during a computation.
        with self._transaction() as conn:
            query = "SELECT version FROM networks WHERE id = ?"
            row = conn.execute(query, (network_id,)).fetchone()
            if row is None:
                raise NotFoundError(network_id)
            if row[0] != version:
                return False
            if change.record is not None:
                config, state, arrays = pack(change.record)
                if change.record.config_changed:
                    conn.execute(
                        "UPDATE networks SET config = ? WHERE id = ?", (config, network_id)
                    )
                conn.execute(
                    "UPDATE networks SET state = ?, arrays = ?, touched = ? WHERE id = ?",
                    (state, arrays, change.record.touched, network_id),
                )
            conn.execute("UPDATE networks SET version = version + 1 WHERE id = ?", (network_id,))
            if change.clear_history:
                conn.execute("DELETE FROM history WHERE id = ?", (network_id,))
            self._append(conn, network_id, change.history)
        return True

    def _append(
        self, conn: sqlite3.Connection, network_id: str, entries: list[dict[str, Any]]
    ) -> None:
        if not entries:
            return
        last = conn.execute(
            "SELECT COALESCE(MAX(seq), 0) FROM history WHERE id = ?", (network_id,)
        ).fetchone()[0]
        conn.executemany(
            "INSERT INTO history (id, seq, entry) VALUES (?, ?, ?)",
            [(network_id, last + k + 1, orjson.dumps(e)) for k, e in enumerate(entries)],
        )
        cutoff = last + len(entries) - self.max_history
        if cutoff > 0 and (last + len(entries)) % 256 < len(entries):  # trim now and then
            conn.execute("DELETE FROM history WHERE id = ? AND seq <= ?", (network_id, cutoff))

    def delete(self, network_id: str) -> bool:
        with self._transaction() as conn:
            cur = conn.execute("DELETE FROM networks WHERE id = ?", (network_id,))
            conn.execute("DELETE FROM history WHERE id = ?", (network_id,))
        return cur.rowcount > 0

    def count(self) -> int:
        return int(self._conn().execute("SELECT COUNT(*) FROM networks").fetchone()[0])

    def purge_idle(self, older_than: float) -> int:
        # Most calls find nothing: check with a read before taking the write lock.
        query = "SELECT id FROM networks WHERE touched < ?"
        if self._conn().execute(query + " LIMIT 1", (older_than,)).fetchone() is None:
            return 0
        with self._transaction() as conn:
            old = [r[0] for r in conn.execute(query, (older_than,))]
            for key in old:
                conn.execute("DELETE FROM networks WHERE id = ?", (key,))
                conn.execute("DELETE FROM history WHERE id = ?", (key,))
        return len(old)

    def close(self) -> None:
        with self._all_lock:
            for conn in self._all:
                conn.close()
            self._all.clear()
        self._local = threading.local()


def open_store(url: str, max_history: int = 20_000, idle_seconds: float = 7 * 86400) -> Store:
    """A store from its URL: `sqlite:///path/to/file.db`, `memory://` or `redis://host:port/db`."""
    if url.startswith(("redis://", "rediss://", "unix://")):
        from app.store_redis import RedisStore  # imported only when used

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


def now() -> float:
    """Wall-clock time as stored in records."""
    return time.time()
