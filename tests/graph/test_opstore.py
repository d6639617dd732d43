"""The operational store: versioned schema, transactions all-or-nothing, commits that survive a killed process."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from common.errors import StoreError
from graph.opstore import VERSION, OperationalStore


def test_a_new_file_gets_the_current_schema_in_wal_mode(tmp_path: Path) -> None:
    store = OperationalStore(tmp_path / "ops.sqlite")
    assert store.version == VERSION
    assert store.read("PRAGMA journal_mode")[0][0] == "wal"
    tables = {r[0] for r in store.read("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"alerts", "alert_hits", "interests", "interest_events", "profiles_seen"} <= tables
    store.close()
    assert OperationalStore(tmp_path / "ops.sqlite").version == VERSION  # reopening migrates nothing twice


def test_a_file_from_a_newer_innograph_is_refused(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / "ops.sqlite")
    db.execute(f"PRAGMA user_version={VERSION + 1}")
    db.close()
    with pytest.raises(StoreError, match=f"schema version {VERSION + 1}"):
        OperationalStore(tmp_path / "ops.sqlite")


def test_a_failed_transaction_leaves_nothing(tmp_path: Path) -> None:
    store = OperationalStore(tmp_path / "ops.sqlite")
    with pytest.raises(RuntimeError), store.transaction() as db:
        db.execute("INSERT INTO profiles_seen VALUES ('supply', 'x', 'y')")
        raise RuntimeError("half-way")
    assert store.read("SELECT count(*) FROM profiles_seen")[0][0] == 0


def test_a_commit_survives_a_sigkill(tmp_path: Path) -> None:
    """The process commits, says so, then blocks; it is killed; the row is there after reopening."""
    path = tmp_path / "ops.sqlite"
    script = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from graph.opstore import OperationalStore
        store = OperationalStore(Path({str(path)!r}))
        with store.transaction() as db:
            db.execute("INSERT INTO profiles_seen VALUES ('supply', 'committed', 'f')")
        print("committed", flush=True)
        db = store._db
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO profiles_seen VALUES ('supply', 'uncommitted', 'f')")
        print("writing", flush=True)
        time.sleep(60)
    """)
    root = Path(__file__).resolve().parents[2]
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=root,
                             env={**os.environ, "PYTHONPATH": str(root)})
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "committed"
    assert child.stdout.readline().strip() == "writing"
    child.send_signal(signal.SIGKILL)
    child.wait(10)
    store = OperationalStore(path)
    assert [r[0] for r in store.read("SELECT iri FROM profiles_seen")] == ["committed"]
