"""Bounded cost per request: per-caller rate limits and a fixed number of slots per expensive kind.

Why a middleware keyed on paths: a Leiden run, a betweenness pass, a SPARQL or Cypher query can
each hold a core for seconds. Their time limits stop one runaway request, but not twenty
at once; so each kind gets ``Settings.*_slots`` slots, and a request that finds none free within
``slot_wait_s`` gets a 503 ``overloaded`` problem with ``Retry-After`` instead of queueing
behind the others until every caller times out. The rate limit (a token bucket per API key, or
per client address for anonymous callers, refilled each second) answers 429 with the seconds
until the next request would be admitted. Both are checked on the headers, before any body is
read, and both give the same problem responses as every other error (``api.errors``).

Client addresses are the socket's peer: behind a reverse proxy, every anonymous caller shares
the proxy's bucket (rate-limit there, or give callers keys).
"""

from __future__ import annotations

import asyncio
import math
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from api.auth import caller
from api.errors import innograph_error
from api.schemas.common import problem_responses
from common.errors import InnographError, OverloadedError, RateLimitedError
from common.settings import Settings

UNCOUNTED = frozenset({"/health", "/ready"})
ANALYTICS = ("/network/communities", "/network/centrality", "/network/brokers", "/network/gaps")
MAX_BUCKETS = 10_000


def kind_of(path: str, query: str = "") -> str | None:
    """Which slot pool a request draws on; None for cheap requests.

    An ego network is cheap, unless it asks for each node's community (a Leiden run).
    """
    if path == "/sparql" or path.startswith("/sparql/"):
        return "sparql"
    if path == "/cypher":
        return "cypher"
    if path.startswith(ANALYTICS):
        return "analytics"
    if path.startswith("/network/ego/") and _asks_communities(query):
        return "analytics"
    return None


def _asks_communities(query: str) -> bool:
    return any(value.lower() in ("true", "t", "1", "yes", "y", "on")  # what the route's bool accepts
               for name, value in parse_qsl(query) if name == "communities")


@dataclass
class _Bucket:
    tokens: float
    stamp: float


class RateLimiter:
    """Token buckets: ``per_minute`` requests a minute, bursts up to ``per_minute``."""

    def __init__(self) -> None:
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def take(self, who: str, per_minute: int) -> float:
        """0 if ``who`` may go on; else the seconds until it may."""
        if per_minute <= 0:
            return 0.0
        now, rate = time.monotonic(), per_minute / 60.0
        with self._lock:
            bucket = self._buckets.get(who)
            if bucket is None:
                if len(self._buckets) >= MAX_BUCKETS:  # forget the callers who are back to a full bucket
                    self._buckets = {k: b for k, b in self._buckets.items()
                                     if b.tokens + (now - b.stamp) * rate < per_minute}
                if len(self._buckets) >= MAX_BUCKETS:  # many busy callers: keep the most recent half
                    recent = sorted(self._buckets.items(), key=lambda item: item[1].stamp)[-(MAX_BUCKETS // 2):]
                    self._buckets = dict(recent)
                bucket = self._buckets[who] = _Bucket(float(per_minute), now)
            bucket.tokens = min(float(per_minute), bucket.tokens + (now - bucket.stamp) * rate)
            bucket.stamp = now
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return 0.0
            return (1.0 - bucket.tokens) / rate


class Throttle:
    """The middleware: rate limit first, then a slot of the request's kind for as long as it runs."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self.limiter = RateLimiter()
        self.sizes = {"sparql": settings.sparql_slots, "cypher": settings.cypher_slots,
                      "analytics": settings.analytics_slots}
        self._slots: dict[str, asyncio.Semaphore] = {}

    def _caller(self, request: Request) -> tuple[str, int]:
        try:
            principal = caller(request)
        except InnographError:  # a bad key: counted by address; the route answers 401
            principal = None
        if principal is not None and not principal.anonymous:
            return f"key:{principal.key_id}", self.settings.rate_limit_key
        client = request.client.host if request.client else "unknown"
        return f"addr:{client}", self.settings.rate_limit_anonymous

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") in UNCOUNTED:
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        who, per_minute = self._caller(request)
        wait = self.limiter.take(who, per_minute)
        if wait > 0:
            await self._refuse(request, scope, receive, send, RateLimitedError(
                f"more than {per_minute} requests a minute from this caller"
                f"{'' if who.startswith('key:') else ' (send an API key for a higher limit)'}",
                retry_after_s=max(1, math.ceil(wait)), limit_per_minute=per_minute))
            return
        kind = kind_of(scope.get("path", ""), scope.get("query_string", b"").decode("latin-1"))
        if kind is None:
            await self.app(scope, receive, send)
            return
        slots = self._slots.get(kind)
        if slots is None:
            slots = self._slots[kind] = asyncio.Semaphore(self.sizes[kind])
        deadline = time.monotonic() + self.settings.slot_wait_s
        while slots.locked() and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        if slots.locked():  # (polling, not wait_for: a cancelled acquire must not leak a slot)
            await self._refuse(request, scope, receive, send, OverloadedError(
                f"all {self.sizes[kind]} slots for {kind} requests are busy; try again shortly",
                retry_after_s=2, kind=kind, slots=self.sizes[kind]))
            return
        await slots.acquire()  # free: returns at once, without yielding to another request
        try:
            await self.app(scope, receive, send)
        finally:
            slots.release()

    @staticmethod
    async def _refuse(request: Request, scope: Scope, receive: Receive, send: Send, exc: InnographError) -> None:
        response = await innograph_error(request, exc)
        response.headers["Connection"] = "close"  # an unread body must not be taken for the next request
        await response(scope, receive, send)


def document(schema: dict[str, Any]) -> None:
    """Add to the OpenAPI document the 429 every counted operation may give, and the 503 of slotted ones."""
    retry = {"Retry-After": {"description": "Seconds to wait before retrying.", "schema": {"type": "integer"}}}
    for path, operations in schema.get("paths", {}).items():
        if path in UNCOUNTED:
            continue
        statuses = ["429"] + (["503"] if kind_of(path) else [])
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status in statuses:
                described = responses.setdefault(status, {"description": problem_responses(int(status))[int(status)]
                                                          ["description"]})
                described.setdefault("headers", {}).update(retry)
