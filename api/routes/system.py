"""Liveness, readiness and store statistics.

``/health`` and ``/ready`` need no key: orchestrators and load balancers probe them; nor does ``/config``,
which the web UI reads before anything else.
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from api import warmup
from api.deps import ReaderAccess, Store
from api.readiness import Readiness as Readiness_
from api.schemas.common import problem_responses
from api.schemas.system import ClientConfig, Health, IriPrefixes, Readiness, StoreStatistics
from common.errors import UnavailableError
from graph.store import PerGeneration, StoreStats
from ontology import IRI_PREFIXES

router = APIRouter(tags=["system"])


@router.get("/health", summary="The process is alive")
def health(request: Request) -> Health:
    """Answers as long as the process serves requests; says nothing about the data (see /ready)."""
    return Health(status="ok", version=request.app.version)


@router.get("/config", summary="The IRI scheme: where organisation, offer, request and project IRIs start")
def config() -> ClientConfig:
    """The part of an IRI after its kind's prefix is the id the API's paths take (``ontology`` owns the
    scheme): the web UI turns the organisation IRIs of /match results into profile links with it."""
    return ClientConfig(iri_prefixes=IriPrefixes(**IRI_PREFIXES))


@router.get("/ready", summary="Every component is built: store, indexes, model, projection, replica",
            responses=problem_responses(503))
def ready(request: Request, store: Store) -> Readiness:
    """503 (problem+json with `components`, `progress` and `Retry-After`) until the ontology and every
    bundled vocabulary are in the store and every component the server builds at start (matching
    indexes, embedding model, network data, Cypher projection, SPARQL replica) is ready.
    Use /health for liveness: it answers while this still says 503."""
    missing = warmup.check_store(request.app)
    registry: Readiness_ = request.app.state.readiness
    if missing:
        raise UnavailableError(
            f"the store lacks the base graphs {', '.join(missing)}; restart the server to load them",
            retry_after_s=30, components=registry.snapshot(), progress=registry.progress())
    if not registry.ready():
        waiting = [c["description"] for c in registry.snapshot() if c["required"] and c["state"] != "ready"]
        raise UnavailableError(
            f"not ready: {', '.join(waiting)}", retry_after_s=registry.retry_after_s,
            components=registry.snapshot(), progress=registry.progress())
    return Readiness(status="ready", graphs=len(store.named_graphs()), missing=[], progress=registry.progress(),
                     components=registry.snapshot())  # type: ignore[arg-type]


@router.get("/stats", summary="Quads, entities per class, sources", responses=problem_responses(401, 403))
def stats(request: Request, store: Store, _: ReaderAccess) -> StoreStatistics:
    """What ``innograph stats --json`` prints; cached until the next ingest (it takes ~1 s on the full data)."""
    cache: PerGeneration[StoreStats] = request.app.state.stats_cache
    return StoreStatistics.model_validate(cache.get(store).as_dict())
