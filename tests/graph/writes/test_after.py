"""``AfterWrite``: the order of its steps, what runs at once and what in the background, bursts
coalesced, failures logged and not raised, and stopping. The writers' side is in
``tests/api/test_after_write.py`` (over HTTP) and ``tests/cli/test_cli.py``."""

from __future__ import annotations

import logging
import threading
from typing import Any

import pyoxigraph as ox
import pytest

from graph.sparql import SparqlService, register, unregister
from graph.store import GraphStore, PerGeneration, store_generation
from graph.writes import AfterWrite, Write


class RecordingAlerts:
    """Stands in for ``graph.alerts.Alerts`` (whose real runs are in tests/api): records what was asked."""

    def __init__(self, fail: bool = False) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.fail = fail

    def evaluate_alerts(self, iris: set[str]) -> int:
        self.calls.append(("evaluate", sorted(iris), threading.current_thread().name))
        if self.fail:
            raise RuntimeError("the operational store is locked")
        return 0

    def after_write(self) -> int:
        self.calls.append(("diff", threading.current_thread().name))
        if self.fail:
            raise RuntimeError("the operational store is locked")
        return 0


def _write(store: GraphStore, n: int) -> None:
    store.oxigraph.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal(n), ox.NamedNode(f"urn:g{n}")))


def test_known_profiles_are_scored_at_once_and_others_diffed_in_the_background() -> None:
    store, alerts = GraphStore(None), RecordingAlerts()
    after = AfterWrite(store, alerts=alerts)  # type: ignore[arg-type]
    try:
        after(Write("records", profiles=frozenset({"urn:offer"})))
        assert alerts.calls[0][:2] == ("evaluate", ["urn:offer"])  # before the writer answers
        assert alerts.calls[0][2] == threading.current_thread().name
        assert after.wait(30)
        assert [c[0] for c in alerts.calls] == ["evaluate"]  # nothing left to diff
        after(Write("SPARQL update", bulk=True))
        assert after.wait(30)
        assert alerts.calls[-1] == ("diff", "after-write")
    finally:
        after.close()


def test_bursts_coalesce_into_one_follow_up_at_a_time() -> None:
    store = GraphStore(None)
    entered, release = threading.Event(), threading.Event()
    builds: list[object] = []

    def build(s: GraphStore) -> int:
        builds.append(store_generation(s))
        if len(builds) == 2:  # the first follow-up's rebuild: held until the burst has arrived
            entered.set()
            assert release.wait(30)
        return len(builds)

    cache = PerGeneration(build)
    cache.get(store)  # in use
    after = AfterWrite(store)
    try:
        _write(store, 1)
        after(Write("first", bulk=True))
        assert entered.wait(30)
        for n in range(2, 6):
            _write(store, n)
            after(Write(f"burst {n}", bulk=True))  # answers at once while the follow-up runs
        release.set()
        assert after.wait(30)
        assert after.followed == 2  # the burst of four became one follow-up
        assert len(builds) == 3 and not cache.stale_for(store)
    finally:
        release.set()
        after.close()


def test_failures_are_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    store, alerts = GraphStore(None), RecordingAlerts(fail=True)

    def broken(s: GraphStore) -> int:
        if store_generation(s)[2]:
            raise OSError("disk full")
        return 0

    cache = PerGeneration(broken)
    cache.get(store)
    _write(store, 1)
    after = AfterWrite(store, alerts=alerts, background=False)  # type: ignore[arg-type]
    with caplog.at_level(logging.ERROR):
        after(Write("records", profiles=frozenset({"urn:offer"}), bulk=True))
        after(Write("POST /ingest", bulk=True))
    assert after.followed == 2 and [c[0] for c in alerts.calls] == ["evaluate", "diff"]
    messages = " ".join(r.getMessage() for r in caplog.records)
    assert "scoring the changed profiles" in messages and f"rebuilding {cache.name} after a write failed" in messages


def test_the_replica_is_woken_unless_the_writer_did_it() -> None:
    store = GraphStore(None)
    service = SparqlService(store)
    woken: list[object] = []
    service.changed = lambda *a, **k: woken.append(a)  # type: ignore[method-assign]
    register(service)
    try:
        after = AfterWrite(store, background=False)
        after(Write("POST /ingest", bulk=True))
        assert len(woken) == 1
        after(Write("SPARQL update", bulk=True, replica_notified=True))
        assert len(woken) == 1
        AfterWrite(GraphStore(None), background=False)(Write("another store's write"))
        assert len(woken) == 1
    finally:
        unregister(service)


def test_background_follow_ups_go_through_the_runner_and_stop_at_close() -> None:
    store, ran = GraphStore(None), []
    after = AfterWrite(store, runner=lambda follow_up: ran.append(follow_up()))
    after(Write("Graph Store PUT", bulk=True))
    assert after.wait(30) and len(ran) == 1
    after.close()
    after(Write("after shutdown", bulk=True))  # dropped: the process is stopping
    assert after.wait(1) and len(ran) == 1 and after.followed == 1
