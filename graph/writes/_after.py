"""``AfterWrite``: the one step that follows every write of the store, whoever wrote.

Why one step: what followed a write used to depend on the writer (the CLI refreshed the Cypher
projection, ``POST /ingest`` woke the replica and evaluated saved needs, SPARQL update woke the
replica only, so saved needs never saw profiles written by it, and start-up loading did
nothing). Every writer now says what it wrote (a ``Write``) and this step does the rest, in order:

1. **SPARQL replica**: woken at once (``notify_store_changed``), unless the writer did it itself
   under its write lock with the update's text (``SparqlService``, ``replica_notified=True``).
2. **Saved needs** (``graph.alerts``): a writer that knows the changed offers and requests
   (members' records, whose matching rows were updated in place) has them scored at once,
   in milliseconds; any other write is diffed by fingerprint (``Alerts.after_write``), which
   needs the rebuilt matching index: seconds, so in the background (step 3).
3. **In the background**, one follow-up at a time, bursts coalesced into one: the saved-need
   diff; the matching indexes and their graph signals after a bulk write (``keep_warm``: the
   server keeps warm what its warm-up built); every per-generation cache someone had built
   (``graph.store.refresh_stale``: indicator facts, statistics, network data, search index);
   the Cypher projections someone had built (``projection``). So the first request after a
   write finds them built instead of paying 18-37 s for the indicator facts.

Every failure is logged, never raised: the write has landed and been acknowledged, and each of
these catches up by itself (caches rebuild on use, alerts at the next write's fingerprint diff).
The CLI runs the follow-up in its own thread before it exits (``background=False``).

>>> from graph.store import GraphStore
>>> after = AfterWrite(GraphStore(None), background=False)
>>> after(Write("doctest", bulk=True))
>>> after.followed
1
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from common.settings import Settings
from graph.alerts import Alerts, after_write_alerts
from graph.cypher import refresh_projection
from graph.matching import Matcher
from graph.sparql import notify_store_changed
from graph.store import GraphStore, refresh_stale

log = logging.getLogger(__name__)

#: Runs one background follow-up (e.g. through ``api.readiness.Readiness.run``, which reports it on /ready).
Runner = Callable[[Callable[[], object]], object]


@dataclass(frozen=True)
class Write:
    """What a writer says about the write it just made.

    ``profiles``: IRIs of the offers and requests it changed, when it knows them (members'
    records); None: unknown, the saved needs diff every profile. ``bulk``: it may have changed
    many profiles (an ingest, a SPARQL update, a graph), so the matching indexes are rebuilt
    rather than updated in place. ``replica_notified``: it woke the SPARQL replica itself.
    """

    writer: str
    profiles: frozenset[str] | None = None
    bulk: bool = False
    replica_notified: bool = False


@dataclass
class _Pending:
    """The coalesced follow-up of the writes since the last one started."""

    writers: list[str] = field(default_factory=list)
    diff_alerts: bool = False
    bulk: bool = False

    def add(self, write: Write) -> None:
        self.writers.append(write.writer)
        self.diff_alerts = self.diff_alerts or write.profiles is None
        self.bulk = self.bulk or write.bulk


class AfterWrite:
    """The follow-up of the writes of one process over one store; call it with a ``Write`` after each write."""

    def __init__(self, store: GraphStore, *, settings: Settings | None = None, alerts: Alerts | None = None,
                 matcher: Matcher | None = None, keep_warm: bool = False, projection: bool = False,
                 background: bool = True, runner: Runner | None = None) -> None:
        self.store = store
        self.settings = settings
        self.alerts = alerts
        self.matcher = matcher
        self.keep_warm = keep_warm
        self.projection = projection
        self.background = background
        self.runner = runner
        self.followed = 0  # follow-ups completed: tests and logs read it
        self._cond = threading.Condition()
        self._pending: _Pending | None = None
        self._running = False
        self._closed = False
        self._thread: threading.Thread | None = None

    # --- the step ----------------------------------------------------------------------------

    def __call__(self, write: Write) -> None:
        """Follow ``write``: replica and known profiles now (milliseconds), the rest in the background."""
        if not write.replica_notified:
            self._safely("waking the SPARQL replica", lambda: notify_store_changed(self.store))
        if write.profiles is not None and write.profiles and self.alerts is not None:
            alerts = self.alerts
            self._safely("scoring the changed profiles against the saved needs",
                         lambda: alerts.evaluate_alerts(set(write.profiles or ())))
        if not self.background:
            job = _Pending()
            job.add(write)
            self._follow(job)
            return
        with self._cond:
            if self._closed:
                return
            if self._pending is None:
                self._pending = _Pending()
            self._pending.add(write)
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="after-write", daemon=True)
                self._thread.start()
            self._cond.notify_all()

    def _safely(self, what: str, step: Callable[[], object]) -> None:
        try:
            step()
        except Exception:  # the write has landed: what follows it catches up by itself
            log.exception("after a write, %s failed; it catches up on next use or at the next write", what)

    # --- the background follow-up ------------------------------------------------------------

    def _loop(self) -> None:
        while True:
            with self._cond:
                while self._pending is None and not self._closed:
                    self._cond.wait()
                if self._closed:
                    return
                job, self._pending, self._running = self._pending, None, True
            try:
                assert job is not None
                if self.runner is not None:
                    self.runner(functools.partial(self._follow, job))
                else:
                    self._follow(job)
            except Exception:  # a runner that raises must not end the loop
                log.exception("the follow-up of %s failed", ", ".join(job.writers) if job else "a write")
            finally:
                with self._cond:
                    self._running = False
                    self._cond.notify_all()

    def _follow(self, job: _Pending) -> None:
        started = time.perf_counter()
        steps: list[tuple[str, Callable[[], object]]] = []
        if job.diff_alerts and self.alerts is not None:
            steps.append(("diffing the profiles for the saved needs", lambda: after_write_alerts(self.alerts)))
        if job.bulk and self.keep_warm and self.matcher is not None:
            steps.append(("re-warming the matching indexes", self._warm_matching))
        steps.append(("rebuilding the per-generation caches", lambda: refresh_stale(self.store)))
        if self.projection and self.settings is not None:
            settings = self.settings
            steps.append(("refreshing the Cypher projection", lambda: refresh_projection(self.store, settings)))
        for what, step in steps:
            if self._closed:
                return
            self._safely(what, step)
        self.followed += 1
        log.info("after %s: followed up in %.1f s", ", ".join(job.writers), time.perf_counter() - started)

    def _warm_matching(self) -> None:
        matcher = self.matcher
        assert matcher is not None
        for direction in ("supply", "demand"):
            matcher.index(direction)
        matcher.concepts()
        matcher.network()

    # --- waiting and stopping ----------------------------------------------------------------

    def wait(self, timeout_s: float = 600) -> bool:
        """Block until no follow-up is pending or running; False if ``timeout_s`` passed first."""
        deadline = time.monotonic() + timeout_s
        with self._cond:
            while self._pending is not None or self._running:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
        return True

    def close(self, timeout_s: float = 120) -> None:
        """Stop after the step under way (at shutdown); pending follow-ups are dropped, caches die with the process."""
        with self._cond:
            self._closed = True
            self._pending = None
            self._cond.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join(timeout_s)
            if thread.is_alive():
                log.warning("the after-write follow-up did not stop within %.0f s", timeout_s)
