"""What the server has warmed up, and the gate that answers 503 instead of building inside a request.

Why: on a fresh machine the matching index takes minutes to build and the Cypher projection
tens of seconds. Built inside the first request, that request hangs; a load balancer told
"ready" sends traffic to a server that cannot answer. So the server builds each component at
start in a background thread (``warm_up``), in order, logging a line as each one is ready;
``/ready`` lists every component with its state, and a request that needs a component still
warming gets ``ComponentWarmingError`` (503 problem, ``Retry-After``, the progress) at once.

States: ``pending`` (waiting for its turn) -> ``building`` -> ``ready`` or ``failed``. A failed
component does not gate requests: the request builds it itself and reports the real error.
With ``Settings.warm_on_start=False`` nothing is warmed, nothing is required beyond the store,
and components are built on first use, as before (tests, benchmarks).

>>> registry = Readiness()
>>> component = registry.add("model", "the embedding model")
>>> registry.run("model", lambda: None)
True
>>> registry.ready()
True
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from common.errors import ComponentWarmingError
from common.memory import return_freed_memory, rss_mb

log = logging.getLogger(__name__)


class State(StrEnum):
    pending = "pending"
    building = "building"
    ready = "ready"
    failed = "failed"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class Component:
    """One thing the server builds before it can answer every request quickly."""

    name: str
    description: str
    required: bool = True
    gates: bool = True  # requests needing it get 503 while it is pending or building
    state: State = State.pending
    registered_at: str = field(default_factory=_now)
    started_at: str | None = None
    finished_at: str | None = None
    seconds: float | None = None
    #: resident set after the build minus before, freed heap returned both times (other threads
    #: allocate meanwhile: an estimate)
    rss_delta_mb: float | None = None
    error: str | None = None
    progress: Callable[[], float | None] | None = None  # 0..1 where measurable
    _started: float | None = None

    def as_dict(self) -> dict[str, Any]:
        elapsed = (round(time.monotonic() - self._started, 1)
                   if self._started is not None and self.state is State.building else None)
        progress = 1.0 if self.state is State.ready else (self.progress() if self.progress else None)
        return {
            "name": self.name, "description": self.description, "state": self.state.value,
            "required": self.required, "progress": None if progress is None else round(progress, 3),
            "registered_at": self.registered_at, "started_at": self.started_at, "finished_at": self.finished_at,
            "seconds": self.seconds, "elapsed_seconds": elapsed, "rss_delta_mb": self.rss_delta_mb,
            "error": self.error,
        }


class Readiness:
    """The components of one application, in the order they are built."""

    def __init__(self, retry_after_s: int = 5) -> None:
        self._components: dict[str, Component] = {}
        self._lock = threading.Lock()
        self.retry_after_s = retry_after_s

    def add(self, name: str, description: str, *, required: bool = True, gates: bool = True,
            progress: Callable[[], float | None] | None = None) -> Component:
        with self._lock:
            component = self._components[name] = Component(name, description, required, gates, progress=progress)
            return component

    def get(self, name: str) -> Component | None:
        return self._components.get(name)

    def run(self, name: str, build: Callable[[], object]) -> bool:
        """Build ``name`` now (in the calling thread); log its outcome; True if it is ready."""
        component = self._components[name]
        component.state, component.started_at, component._started = State.building, _now(), time.monotonic()
        log.info("warming up: %s ...", component.description)
        return_freed_memory()  # so that neither figure counts heap freed but kept by earlier work
        rss = rss_mb()
        try:
            build()
        except Exception as exc:  # a failed warm-up must not kill the server: the request retries
            component.state, component.error = State.failed, f"{type(exc).__name__}: {exc}"
            log.exception("warming up %s failed; requests that need it will build it themselves", name)
            return False
        finally:
            component.finished_at = _now()
            component.seconds = round(time.monotonic() - component._started, 2)
            return_freed_memory()
            after = rss_mb()
            component.rss_delta_mb = round(after - rss, 1) if rss is not None and after is not None else None
        component.state = State.ready
        done = sum(c.state is State.ready for c in self._components.values())
        log.info("ready: %s in %.1f s, RSS %+.0f MB (%d of %d components ready)", component.description,
                 component.seconds, component.rss_delta_mb or 0.0, done, len(self._components))
        if self.ready():
            log.info("ready: every required component is built; /ready answers 200")
        return True

    def mark(self, name: str, state: State, error: str | None = None) -> None:
        """Set a component's state directly (the store, checked at start; a component not warmed)."""
        component = self._components[name]
        component.state, component.error, component.finished_at = state, error, _now()

    def require(self, *names: str) -> None:
        """Raise ``ComponentWarmingError`` if one of ``names`` is still pending or building."""
        waiting = [c for n in names if (c := self._components.get(n)) is not None and c.gates
                   and c.state in (State.pending, State.building)]
        if waiting:
            what = ", ".join(c.description for c in waiting)
            raise ComponentWarmingError(
                f"the server is still warming up ({what}); try again in a few seconds, or watch GET /ready",
                retry_after_s=self.retry_after_s,
                components=[c.as_dict() for c in waiting], progress=self.progress(),
            )

    def ready(self) -> bool:
        return all(c.state is State.ready for c in self._components.values() if c.required)

    def progress(self) -> float:
        """The share of required components that are ready (0..1)."""
        required = [c for c in self._components.values() if c.required]
        return round(sum(c.state is State.ready for c in required) / len(required), 3) if required else 1.0

    def snapshot(self) -> list[dict[str, Any]]:
        return [c.as_dict() for c in self._components.values()]
