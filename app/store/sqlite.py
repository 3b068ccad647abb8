"""The default store: one SQLite file in WAL mode, shared safely by worker processes.

`touched` is a network's last use; `rec_bytes` the length of its config, state and arrays,
`hist_bytes` of its history rows (rows past max_history linger until the next trim and are
counted: they are on disk). Both are kept up to date by the writes themselves.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson

from app.store.base import Change, NotFoundError, Snapshot, Store
from app.store.records import NetworkRecord, pack, unpack

_SCHEMA = """
CREATE TABLE IF NOT EXISTS networks (
    id TEXT PRIMARY KEY, config BLOB NOT NULL, state BLOB NOT NULL, arrays BLOB NOT NULL,
    touched REAL NOT NULL, version INTEGER NOT NULL DEFAULT 0,
    rec_bytes INTEGER NOT NULL DEFAULT 0, hist_bytes INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS history (
    id TEXT NOT NULL, seq INTEGER NOT NULL, entry BLOB NOT NULL, PRIMARY KEY (id, seq));
"""
_USE_INDEX = (
    "CREATE INDEX IF NOT EXISTS networks_use ON networks (touched, id, rec_bytes, hist_bytes)"
)


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
        if "rec_bytes" not in columns:
            self._add_sizes()
        # Use and size in one index: finding the least recently used networks, and summing
        # the sizes, never reads a row (whose later columns sit behind megabytes of blobs).
        conn.execute(_USE_INDEX)
        conn.execute("DROP INDEX IF EXISTS networks_touched")  # the same, before sizes were kept

    def _add_sizes(self) -> None:
        """Add and fill the size columns of a file written before sizes were kept."""
        with self._transaction() as tx:
            columns = {row[1] for row in tx.execute("PRAGMA table_info(networks)")}
            if "rec_bytes" not in columns:  # unless another worker did it first
                for column in ("rec_bytes", "hist_bytes"):
                    tx.execute(f"ALTER TABLE networks ADD COLUMN {column} INTEGER DEFAULT 0")
                tx.execute(
                    "UPDATE networks SET rec_bytes = length(config) + length(state) + "
                    "length(arrays), hist_bytes = (SELECT COALESCE(SUM(length(entry)), 0) "
                    "FROM history WHERE history.id = networks.id)"
                )

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
        size = len(config) + len(state) + len(arrays)
        with self._transaction() as conn:
            added = self._append(conn, record.id, (history or [])[-self.max_history :])
            conn.execute(
                "INSERT INTO networks (id, config, state, arrays, touched, rec_bytes, hist_bytes) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (record.id, config, state, arrays, record.touched, size, added),
            )

    def _get(self, network_id: str) -> NetworkRecord:
        row = (
            self._conn()
            .execute(
                "SELECT config, state, arrays, touched FROM networks WHERE id = ?", (network_id,)
            )
            .fetchone()
        )
        if row is None:
            raise NotFoundError(network_id)
        record = unpack(*row[:3])
        record.touched = row[3]
        return record

    def touch(self, network_id: str, at: float) -> None:
        with self._transaction() as conn:
            conn.execute("UPDATE networks SET touched = ? WHERE id = ?", (at, network_id))

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
        # One UPDATE of the row (SQLite rewrites a whole row, blobs included, per UPDATE).
        sets, values = ["version = version + 1"], []
        if change.record is not None:
            config, state, arrays = pack(change.record)
            size = len(state) + len(arrays)
            if change.record.config_changed:
                sets.append("config = ?, rec_bytes = ?")
                values += [config, len(config) + size]
            else:  # length() of a stored blob reads its header only
                sets.append("rec_bytes = length(config) + ?")
                values.append(size)
            sets.append("state = ?, arrays = ?, touched = ?")
            values += [state, arrays, change.record.touched]
        # The write lock is held only for these few statements, never during a computation.
        with self._transaction() as conn:
            query = "SELECT version FROM networks WHERE id = ?"
            row = conn.execute(query, (network_id,)).fetchone()
            if row is None:
                raise NotFoundError(network_id)
            if row[0] != version:
                return False
            if change.clear_history:
                conn.execute("DELETE FROM history WHERE id = ?", (network_id,))
            added = self._append(conn, network_id, change.history)
            sets.append("hist_bytes = ?" if change.clear_history else "hist_bytes = hist_bytes + ?")
            conn.execute(
                f"UPDATE networks SET {', '.join(sets)} WHERE id = ?",
                (*values, added, network_id),
            )
        return True

    def _append(
        self, conn: sqlite3.Connection, network_id: str, entries: list[dict[str, Any]]
    ) -> int:
        """Append history entries (trimming now and then); the bytes the history grew by."""
        if not entries:
            return 0
        last = conn.execute(
            "SELECT COALESCE(MAX(seq), 0) FROM history WHERE id = ?", (network_id,)
        ).fetchone()[0]
        rows = [(network_id, last + k + 1, orjson.dumps(e)) for k, e in enumerate(entries)]
        conn.executemany("INSERT INTO history (id, seq, entry) VALUES (?, ?, ?)", rows)
        added = sum(len(row[2]) for row in rows)
        cutoff = last + len(entries) - self.max_history
        if cutoff > 0 and (last + len(entries)) % 256 < len(entries):  # trim now and then
            where = "FROM history WHERE id = ? AND seq <= ?"
            added -= conn.execute(
                f"SELECT COALESCE(SUM(length(entry)), 0) {where}", (network_id, cutoff)
            ).fetchone()[0]
            conn.execute(f"DELETE {where}", (network_id, cutoff))
        return int(added)

    def delete(self, network_id: str) -> bool:
        with self._transaction() as conn:
            cur = conn.execute("DELETE FROM networks WHERE id = ?", (network_id,))
            conn.execute("DELETE FROM history WHERE id = ?", (network_id,))
        return cur.rowcount > 0

    def count(self) -> int:
        return int(self._conn().execute("SELECT COUNT(*) FROM networks").fetchone()[0])

    def usage(self) -> tuple[int, int]:
        query = "SELECT COUNT(*), COALESCE(SUM(rec_bytes + hist_bytes), 0) FROM networks"
        count, size = self._conn().execute(query).fetchone()
        return int(count), int(size)

    def least_used(self, before: float, limit: int) -> list[tuple[str, float, int]]:
        query = (
            "SELECT id, touched, rec_bytes + hist_bytes FROM networks WHERE touched < ? "
            "ORDER BY touched LIMIT ?"
        )
        return [tuple(row) for row in self._conn().execute(query, (before, limit))]

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
