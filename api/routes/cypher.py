"""POST /cypher: Cypher over the property-graph projection, read-only unless the key is admin.

The engines live on ``app.state`` (created on first use, one per engine name), and the
embedded projection is rebuilt first when an ingest changed the store since it was built.
"""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import APIRouter, Body, Request

from api import warmup
from api.deps import ReaderAccess, SettingsDep, Store
from api.keys import Role
from api.schemas.common import problem_responses
from api.schemas.cypher import CypherRequest, CypherResponse
from common.settings import Settings
from graph.cypher import (
    CypherEngine,
    check_no_fetch,
    check_read_only,
    ensure_projection,
    open_engine,
    run_cypher,
)

router = APIRouter(tags=["cypher"])
_engines_lock = threading.Lock()


def _engine(request: Request, settings: Settings, name: str) -> CypherEngine:
    """The application's engine called ``name``: one driver or database handle per app, not per request."""
    with _engines_lock:
        engines: dict[str, CypherEngine] = getattr(request.app.state, "cypher_engines", None) or {}
        request.app.state.cypher_engines = engines
        if name not in engines:
            engines[name] = open_engine(settings, name)
        return engines[name]


@router.post(
    "/cypher",
    summary="Run a Cypher query (read-only unless admin) on the embedded projection or Neo4j",
    responses=problem_responses(400, 401, 403, 422, 503),
)
def cypher(
    request: Request, store: Store, settings: SettingsDep, principal: ReaderAccess,
    body: Annotated[CypherRequest, Body()],
) -> CypherResponse:
    """The graph as nodes and relationships (mapping: README "Cypher"): `Organisation`, `Project`,
    `Region`, `Sector`, `Field`, `TechnologyOffer` ... joined by `PARTICIPATES_IN`, `LOCATED_IN`,
    `IN_SECTOR`, `BROADER` ...

    Write clauses (CREATE, MERGE, SET, DELETE, LOAD, COPY, CALL of a procedure not known to be
    read-only ...) are refused with 403 unless the key has role admin; an admin's writes change the
    projection only until its next rebuild. The query is stopped at its time limit (503), and a
    result longer than the row limit is cut and marked `truncated`, never silently.
    """
    check_no_fetch(body.query)  # any role: the server reads no file or URL for a caller
    admin = principal.role.allows(Role.admin)
    if not admin:
        check_read_only(body.query)  # refuse before anything is opened or rebuilt
    name = body.engine or settings.cypher_engine
    if name == "embedded":
        warmup.require(request, warmup.CYPHER)  # 503 while the projection is built at start, not a 25 s wait
    engine = _engine(request, settings, name)
    ensure_projection(store, settings, name)
    row_cap = min(body.limit or settings.cypher_row_cap, settings.cypher_row_cap)
    result = run_cypher(
        engine, body.query, body.parameters, admin=admin,
        timeout_s=min(body.timeout_s or settings.cypher_timeout_s, settings.cypher_timeout_s), row_cap=row_cap,
    )
    notice = None
    if result.truncated:
        total = f" of {result.total_rows:,}" if result.total_rows is not None else ""
        notice = f"result cut at {row_cap:,} rows{total}: raise `limit` (at most {settings.cypher_row_cap:,}) or narrow the query"
    return CypherResponse(**result.as_dict(), notice=notice)
