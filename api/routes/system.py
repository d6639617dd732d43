"""Liveness, readiness and store statistics.

``/health`` and ``/ready`` need no key: orchestrators and load balancers probe them.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request

from api.deps import ReaderAccess, Store
from api.schemas.common import problem_responses
from api.schemas.system import Health, Readiness, StoreStatistics
from graph.bundled import base_sources
from graph.generation import PerGeneration
from graph.stats import StoreStats
from ingest._keys import graph_iri

router = APIRouter(tags=["system"])


@router.get("/health", summary="The process is alive")
def health(request: Request) -> Health:
    """Answers as long as the process serves requests; says nothing about the data (see /ready)."""
    return Health(status="ok", version=request.app.version)


@router.get("/ready", summary="The store is open and the vocabularies are loaded", responses=problem_responses(503))
def ready(store: Store) -> Readiness:
    """503 until the ontology and every bundled vocabulary are in the store (loaded at start-up)."""
    # empty counts as missing: a graph name can outlive its quads
    missing = [name or path.stem for path, name in base_sources() if store.count(graph_iri(name or path.stem)) == 0]
    if missing:
        raise HTTPException(503, f"the store lacks the base graphs {', '.join(missing)}; restart the server to load them")
    return Readiness(status="ready", graphs=len(store.named_graphs()), missing=[])


@router.get("/stats", summary="Quads, entities per class, sources", responses=problem_responses(401, 403))
def stats(request: Request, store: Store, _: ReaderAccess) -> StoreStatistics:
    """What ``innograph stats --json`` prints; cached until the next ingest (it takes ~1 s on the full data)."""
    cache: PerGeneration[StoreStats] = request.app.state.stats_cache
    return StoreStatistics.model_validate(cache.get(store).as_dict())
