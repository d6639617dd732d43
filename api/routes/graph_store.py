"""The SPARQL 1.1 Graph Store HTTP Protocol at ``/rdf-graphs/service``.

``?graph=IRI`` names a graph, ``?default`` the store's own default graph (where updates
without ``GRAPH`` write; queries see the union of all graphs instead). GET and HEAD need
role reader; PUT (replace), POST (merge) and DELETE need role editor, and admin for the
ontology and vocabulary graphs, which every source is validated against (as ``POST /ingest``).
The provenance graph is innograph's own record of writes: readable, never writable.

Every write is recorded as an ``ig:UpdateRun`` with ``prov:generated`` the graph, so a graph
created here survives the store's recovery like one written by ingest. PUT diffs against the
stored version (one transaction; a re-PUT of the same data writes only the PROV record).
Bodies: Turtle, N-Triples, JSON-LD or RDF/XML by ``Content-Type`` (415 otherwise); 400 with
the parser's message when they do not parse.
"""

from __future__ import annotations

from typing import Annotated

import pyoxigraph as ox
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from api.deps import EditorAccess, ReaderAccess
from api.keys import Role
from api.routes._sparql_lifecycle import get_service
from api.schemas.common import problem_responses
from api.schemas.sparql import WriteResult
from common.errors import InvalidInputError, PermissionDeniedError
from graph.sparql import WriteOutcome, choose, graph_iri, parse_rdf, rdf_format, serialize_graph
from graph.writes import AfterWrite, Write
from ontology._namespaces import GRAPH, PREFIXES

router = APIRouter(tags=["sparql"])
PATH = "/rdf-graphs/service"
GraphParam = Annotated[str | None, Query(description="IRI of the named graph.",
                                         examples=[f"{GRAPH}illustrative"])]
DefaultParam = Annotated[str | None, Query(description="Present (empty) to address the default graph.")]
_BODY = {"requestBody": {"content": {t: {"schema": {"type": "string"}} for t in (
    "text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml")}}}


def _target(graph: str | None, default: str | None) -> ox.NamedNode | None:
    """The named graph, or None for the default graph."""
    if (graph is None) == (default is None):
        raise InvalidInputError("query.graph", "name exactly one graph: ?graph=IRI or ?default")
    return None if graph is None else graph_iri(graph)


def _check_role(graph: ox.NamedNode | None, role: Role) -> None:
    name = graph.value if graph is not None else ""
    local = name[len(str(GRAPH)):] if name.startswith(str(GRAPH)) else ""
    if (local == "ontology" or local.startswith("vocab-")) and not role.allows(Role.admin):
        raise PermissionDeniedError(f"the {local!r} graph holds what every source is validated against: "
                                    "writing it needs role admin")


def _followed(request: Request, method: str, outcome: WriteOutcome) -> WriteOutcome:
    """The one after-write step (``graph.writes``): saved needs and caches see the graph; the service woke the replica."""
    after: AfterWrite = request.app.state.after_write
    after(Write(f"Graph Store {method}", bulk=True, replica_notified=True))
    return outcome


async def _body(request: Request) -> tuple[list, str]:  # type: ignore[type-arg]
    media = request.headers.get("content-type", "")
    fmt = rdf_format(media)
    if fmt is None:
        raise HTTPException(415, f"unsupported Content-Type {media or 'none'!r}: send text/turtle, "
                                 "application/n-triples, application/ld+json or application/rdf+xml")
    data = await request.body()
    return await run_in_threadpool(parse_rdf, data, fmt), media


@router.api_route(PATH, methods=["GET", "HEAD"], summary="Get a graph (Graph Store Protocol)",
                  operation_id="get_graph",
                  responses={**problem_responses(401, 403, 404, 422), 406: {"description": "No RDF format accepted."},
                             200: {"content": {"text/turtle": {}}}}, response_class=Response)
async def get_graph(request: Request, _: ReaderAccess, graph: GraphParam = None, default: DefaultParam = None
                    ) -> Response:
    """The whole graph, in Turtle, N-Triples, JSON-LD or RDF/XML by ``Accept`` (no row cap)."""
    target = _target(graph, default)
    choice = choose(request.headers.get("accept"), request.query_params.get("format"))
    if choice.graph is None:
        raise HTTPException(406, "accept text/turtle, application/n-triples, application/ld+json or "
                                 "application/rdf+xml")
    service = get_service(request)
    triples = await run_in_threadpool(service.get_graph, target)
    body = await run_in_threadpool(serialize_graph, choice.graph, triples, PREFIXES, False)
    return Response(b"" if request.method == "HEAD" else body, media_type=choice.graph.media_type,
                    headers={"Vary": "Accept"})


@router.put(PATH, summary="Replace a graph (role editor)", status_code=200, openapi_extra=_BODY,
            responses={**problem_responses(400, 401, 403, 422), 201: {"description": "Created."},
                       415: {"description": "Unsupported Content-Type."}})
async def put_graph(request: Request, response: Response, caller: EditorAccess, graph: GraphParam = None,
                    default: DefaultParam = None) -> WriteResult:
    """The graph holds exactly the request body afterwards; 201 when it did not exist."""
    target = _target(graph, default)
    _check_role(target, caller.role)
    triples, media = await _body(request)
    outcome = _followed(request, "PUT", await run_in_threadpool(get_service(request).put_graph, target, triples,
                                                                caller.key_id, media))
    if outcome.created:
        response.status_code = 201
    return WriteResult.model_validate(outcome.as_dict())


@router.post(PATH, summary="Add to a graph (role editor)", openapi_extra=_BODY,
             responses={**problem_responses(400, 401, 403, 422), 415: {"description": "Unsupported Content-Type."}})
async def post_graph(request: Request, response: Response, caller: EditorAccess, graph: GraphParam = None,
                     default: DefaultParam = None) -> WriteResult:
    """The body's triples are added to the graph (created if missing: 201)."""
    target = _target(graph, default)
    _check_role(target, caller.role)
    triples, media = await _body(request)
    outcome = _followed(request, "POST", await run_in_threadpool(get_service(request).post_graph, target, triples,
                                                                 caller.key_id, media))
    if outcome.created:
        response.status_code = 201
    return WriteResult.model_validate(outcome.as_dict())


@router.delete(PATH, summary="Delete a graph (role editor)", responses=problem_responses(401, 403, 404, 422))
async def delete_graph(request: Request, caller: EditorAccess, graph: GraphParam = None,
                       default: DefaultParam = None) -> WriteResult:
    """The graph is dropped (the default graph: emptied); 404 if it does not exist."""
    target = _target(graph, default)
    _check_role(target, caller.role)
    outcome = _followed(request, "DELETE", await run_in_threadpool(get_service(request).delete_graph, target,
                                                                   caller.key_id))
    return WriteResult.model_validate(outcome.as_dict())
