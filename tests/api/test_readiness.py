"""The component registry (api.readiness) on its own: states, progress, the gate."""

from __future__ import annotations

import pytest

from api.readiness import Readiness, State
from common.errors import ComponentWarmingError


def test_states_progress_and_gate() -> None:
    registry = Readiness(retry_after_s=7)
    registry.add("a", "component a")
    registry.add("b", "component b")
    registry.add("c", "component c", required=False, gates=False)
    assert not registry.ready() and registry.progress() == 0.0
    with pytest.raises(ComponentWarmingError) as caught:
        registry.require("a", "c", "unknown")
    assert caught.value.retry_after_s == 7
    waiting = caught.value.extensions["components"]
    assert isinstance(waiting, list) and [c["name"] for c in waiting] == ["a"]  # c does not gate
    assert registry.run("a", lambda: None)
    registry.require("a")
    assert registry.progress() == 0.5
    assert not registry.run("b", lambda: 1 / 0)
    failed = registry.get("b")
    assert failed is not None and failed.state is State.failed and "ZeroDivisionError" in (failed.error or "")
    registry.require("b")  # a failed component lets the request try itself
    assert not registry.ready()
    registry.mark("b", State.ready)
    assert registry.ready() and registry.progress() == 1.0
    snapshot = {c["name"]: c for c in registry.snapshot()}
    assert snapshot["a"]["progress"] == 1.0 and snapshot["a"]["seconds"] is not None
    assert snapshot["c"]["state"] == "pending" and not snapshot["c"]["required"]


def test_a_build_reports_the_memory_it_kept() -> None:
    """The warm-up report gives each component's resident-memory change (issue 14: the network part's cost)."""
    registry = Readiness()
    registry.add("big", "a component that keeps 64 MB")
    kept: list[bytearray] = []
    assert registry.run("big", lambda: kept.append(bytearray(b"x" * (64 * 2**20))))
    delta = {c["name"]: c for c in registry.snapshot()}["big"]["rss_delta_mb"]
    assert delta is not None and 60 <= delta < 200
