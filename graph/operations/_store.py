"""The operational store: private data of the service's users, kept apart from the graph.

Why not the RDF store: saved needs, feed tokens, expressions of interest and the contact
details in them are private to the people who wrote them. Everything in the Oxigraph store is
public by design (anonymous SPARQL, Cypher, exports and the Graph Store read all of it), so
these rows live in a SQLite file of their own, ``<data_dir>/operational.sqlite``, that no query
language of the API can reach.

Why SQLite in WAL mode with ``synchronous=FULL``: a write the API acknowledged must survive a
crash of the process or the machine (FULL syncs the WAL at every commit), readers do not block
the single writer, and the standard library has it. The schema is versioned with
``PRAGMA user_version``: ``MIGRATIONS[n]`` takes a file from version n to n+1, each in one
transaction, so an old file is upgraded in place at open and a newer one is refused.

>>> store = OperationalStore(Path("/tmp/ig-doctest/operational.sqlite"))  # doctest: +SKIP
>>> with store.transaction() as db:  # doctest: +SKIP
...     db.execute("SELECT count(*) FROM alerts").fetchone()
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from common.errors import StoreError

FILE_NAME = "operational.sqlite"

#: Each entry upgrades the schema by one version (index 0: empty file -> version 1).
MIGRATIONS: list[str] = [
    """
    CREATE TABLE alerts (
        id TEXT PRIMARY KEY,
        key_id TEXT NOT NULL,              -- the API key that saved the need (its owner)
        organisation TEXT,                 -- the key's organisation binding, if any
        direction TEXT NOT NULL,           -- supply (a need) or demand (an offer)
        text TEXT NOT NULL,
        filters TEXT NOT NULL,             -- JSON, as POST /match
        context TEXT NOT NULL,             -- JSON, as POST /match
        created TEXT NOT NULL,
        feed_token_hash TEXT NOT NULL,     -- sha256 of the feed capability (the token is shown once)
        webhook_url TEXT,
        state BLOB NOT NULL,               -- the saved query's scoring state (graph.alerts._state)
        top TEXT NOT NULL                  -- JSON [[iri, score], ...]: the current top 10
    );
    CREATE INDEX alerts_by_key ON alerts(key_id);
    CREATE TABLE alert_hits (
        alert_id TEXT NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
        profile TEXT NOT NULL,
        name TEXT NOT NULL,
        score REAL NOT NULL,
        summary TEXT NOT NULL,             -- JSON: the explanation summary
        found TEXT NOT NULL,
        PRIMARY KEY (alert_id, profile)
    );
    CREATE TABLE alert_deliveries (
        alert_id TEXT NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        outcome TEXT NOT NULL
    );
    CREATE TABLE profiles_seen (
        direction TEXT NOT NULL,
        iri TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        PRIMARY KEY (direction, iri)
    );
    CREATE TABLE interests (
        id TEXT PRIMARY KEY,
        target_kind TEXT NOT NULL,          -- offer or request
        target_id TEXT NOT NULL,
        target_iri TEXT NOT NULL,
        target_title TEXT NOT NULL,
        owner_org TEXT NOT NULL,            -- organisation id of the owner
        owner_regions TEXT NOT NULL,        -- '|RO213|RO21|RO2|RO|': the owner's NUTS codes, for brokers
        from_key TEXT NOT NULL,
        from_org TEXT NOT NULL,
        message TEXT NOT NULL,
        contact TEXT NOT NULL,              -- JSON: the sender's contact, shown after acceptance
        reply_contact TEXT,                 -- JSON: the owner's contact, given when accepting
        status TEXT NOT NULL,
        reason TEXT,
        created TEXT NOT NULL,
        updated TEXT NOT NULL
    );
    CREATE INDEX interests_by_owner ON interests(owner_org);
    CREATE INDEX interests_by_sender ON interests(from_org);
    CREATE TABLE interest_events (
        interest_id TEXT NOT NULL REFERENCES interests(id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        status TEXT NOT NULL,
        actor TEXT NOT NULL,                -- organisation id of who changed it
        reason TEXT,
        note TEXT
    );
    """,
]
VERSION = len(MIGRATIONS)


class OperationalStore:
    """One SQLite file, one connection guarded by a lock (writes are small and rare)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=10)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._lock = threading.RLock()
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: the operational store cannot be opened ({exc})") from exc

    def _migrate(self) -> None:
        version = int(self._db.execute("PRAGMA user_version").fetchone()[0])
        if version > VERSION:
            raise StoreError(f"{self.path} has schema version {version}; this innograph knows up to {VERSION}")
        for number in range(version, VERSION):
            with self.transaction() as db:
                for statement in _statements(MIGRATIONS[number]):
                    db.execute(statement)
                db.execute(f"PRAGMA user_version={number + 1}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """The connection inside BEGIN IMMEDIATE ... COMMIT (ROLLBACK on any exception)."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def read(self, sql: str, parameters: tuple[object, ...] | dict[str, object] = ()) -> list[sqlite3.Row]:
        """Rows of one read query (as ``sqlite3.Row``: by name or position)."""
        with self._lock:
            cursor = self._db.execute(sql, parameters)
            cursor.row_factory = sqlite3.Row
            return list(cursor.fetchall())

    @property
    def version(self) -> int:
        return int(self.read("PRAGMA user_version")[0][0])

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _statements(script: str) -> list[str]:
    """The statements of a migration (none of ours has a ';' inside a literal)."""
    lines = [line.split("--", 1)[0] for line in script.splitlines()]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
