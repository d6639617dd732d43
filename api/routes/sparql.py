"""The SPARQL 1.1 Protocol at ``/sparql``, updates at ``/sparql/update``, and the query page.

Thin, like every router: the work is in ``graph.sparql``. What this module decides:

- **Query** (role reader): ``GET /sparql?query=``, ``POST`` form ``query=``, or ``POST`` with
  ``Content-Type: application/sparql-query``; ``default-graph-uri`` / ``named-graph-uri``
  set the dataset; the format comes from ``format=`` or ``Accept`` (406 when we have none of
  the accepted types); ``timeout=`` lowers the server's limit (a higher one is 422). A cut
  answer carries ``X-Innograph-Truncated: true``. Malformed: 400 with the parser's message;
  an update sent here: 403 naming ``/sparql/update``; past the limit: 503 ``query-timeout``.
- **No query**: people (``Accept: text/html``) get the YASGUI page; programs the SPARQL
  Service Description (Turtle, or another RDF format by ``Accept``).
- **Update** (role editor): form ``update=`` or ``application/sparql-update``; answered with
  the PROV run recorded for it.

``start_sparql_service(app)`` / ``stop_sparql_service(app)`` are called from the
application's lifespan; without them the service starts at its first request.
"""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from api.deps import EditorAccess, ReaderAccess, SettingsDep
from api.routes._sparql_lifecycle import get_service, start_sparql_service, stop_sparql_service
from api.routes._sparql_page import page_html, ui_router
from api.routes.graph_store import router as graph_store_router
from api.schemas.common import problem_responses
from api.schemas.sparql import WriteResult
from api.security import text_body
from common.errors import InvalidInputError, ReadOnlyQueryError
from common.settings import Settings
from graph.sparql import QueryRequest, accepted_names, choose, describe
from graph.writes import AfterWrite, Write

router = APIRouter(tags=["sparql"])
router.include_router(graph_store_router)
router.include_router(ui_router)

SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
FORM = "application/x-www-form-urlencoded"
__all__ = ["router", "start_sparql_service", "stop_sparql_service"]


# --- queries -----------------------------------------------------------------------------------

def _timeout(settings: Settings, value: str | None) -> float:
    if value in (None, ""):
        return settings.query_timeout_s
    try:
        seconds = float(value)
    except ValueError:
        raise InvalidInputError("query.timeout", f"{value!r} is not a number of seconds") from None
    if not 0 < seconds <= settings.query_timeout_s:
        raise InvalidInputError(
            "query.timeout", f"must be above 0 and at most the server's limit of {settings.query_timeout_s:g} s"
        )
    return seconds


#: Parameters the protocol allows once (two queries in one request: 400, SPARQL 1.1 Protocol 2.1.4);
#: the middleware (api.security) sees the query string only, this also the form body.
_SINGLE = ("query", "update", "timeout")


async def _params(request: Request) -> dict[str, list[str]]:
    """Query-string parameters, plus the form fields of a form POST (both may carry them)."""
    params: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        params.setdefault(key, []).append(value)
    if request.method == "POST" and _media(request) == FORM:
        body = await text_body(request, "the form")
        try:
            fields = parse_qs(body, keep_blank_values=True, errors="strict")
        except UnicodeDecodeError as exc:
            raise HTTPException(400, f"the form's percent-encoded bytes are not UTF-8: {exc.reason}") from None
        for key, values in fields.items():
            params.setdefault(key, []).extend(values)
    for key in _SINGLE:
        if len(set(params.get(key, []))) > 1:  # the same value twice is harmless
            raise HTTPException(400, f"the parameter '{key}' was sent {len(params[key])} times with different "
                                     "values; send it once")
    return params


def _first(params: dict[str, list[str]], key: str) -> str | None:
    values = params.get(key)
    return values[0] if values else None


def _media(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


async def _answer(request: Request, settings: Settings, params: dict[str, list[str]], query: str) -> Response:
    service = get_service(request)
    choice = choose(request.headers.get("accept"), _first(params, "format"))
    if choice.results is None and choice.graph is None:
        raise HTTPException(406, f"none of the accepted media types can be served; we serve {accepted_names()} "
                                 "(or use format=json|xml|csv|tsv|turtle|ntriples|jsonld|rdfxml)")
    sparql = QueryRequest(
        query,
        results_format=choice.results.name if choice.results else None,
        graph_format=choice.graph.name if choice.graph else None,
        default_graphs=tuple(params.get("default-graph-uri", [])),
        named_graphs=tuple(params.get("named-graph-uri", [])),
        row_cap=settings.query_row_cap,
        base_iri=str(request.url_for("sparql_query")),
    )
    timeout_s = _timeout(settings, _first(params, "timeout"))
    answer = await run_in_threadpool(service.query, sparql, timeout_s)
    if answer.status == "not-acceptable":
        kind = "SELECT/ASK results" if answer.kind in ("select", "ask") else "graphs (CONSTRUCT/DESCRIBE)"
        raise HTTPException(406, f"no accepted media type can carry {kind}; we serve {accepted_names()}")
    headers = {"X-Innograph-Row-Cap": str(settings.query_row_cap), "Vary": "Accept"}
    if answer.truncated:
        headers["X-Innograph-Truncated"] = "true"
    media = answer.media_type + ("; charset=utf-8" if "charset" not in answer.media_type else "")
    return Response(answer.body, media_type=media, headers=headers)


def _description(request: Request, settings: Settings) -> Response:
    service = get_service(request)
    endpoint = str(request.url_for("sparql_query"))
    text = describe(endpoint, service.store.named_graphs(), timeout_s=settings.query_timeout_s,
                    row_cap=settings.query_row_cap, update_endpoint=str(request.url_for("sparql_update")),
                    ui=endpoint)
    choice = choose(request.headers.get("accept"), None)
    if choice.graph is None or choice.graph.name == "turtle":
        return Response(text, media_type="text/turtle; charset=utf-8", headers={"Vary": "Accept"})
    import pyoxigraph as ox

    from graph.sparql import serialize_graph

    triples = [q.triple for q in ox.parse(text.encode(), format=ox.RdfFormat.TURTLE)]
    body = serialize_graph(choice.graph, triples, {}, truncated=False)
    return Response(body, media_type=choice.graph.media_type, headers={"Vary": "Accept"})


EXAMPLE = "SELECT ?kind (COUNT(?o) AS ?n) WHERE { ?o ig:kind ?kind } GROUP BY ?kind ORDER BY DESC(?n)"
_QUERY_DOC: dict[str, Any] = {
    "parameters": [
        {"name": "default-graph-uri", "in": "query", "schema": {"type": "array", "items": {"type": "string"}},
         "description": "The default graph is the merge of these graphs (default: the union of all graphs)."},
        {"name": "named-graph-uri", "in": "query", "schema": {"type": "array", "items": {"type": "string"}},
         "description": "The named graphs GRAPH ?g ranges over (default: all)."},
        {"name": "format", "in": "query", "schema": {"type": "string", "enum": [
            "json", "xml", "csv", "tsv", "turtle", "ntriples", "jsonld", "rdfxml"]},
         "description": "Result format, for browsers that cannot set Accept (wins over Accept)."},
        {"name": "timeout", "in": "query", "schema": {"type": "number"},
         "description": "Seconds before the query is stopped; at most the server's limit (INNOGRAPH_QUERY_TIMEOUT_S)."},
    ],
}


@router.get(
    "/sparql", name="sparql_query", summary="SPARQL 1.1 query (GET), the service description, or the query page",
    responses={**problem_responses(400, 401, 403, 422, 503), 406: {"description": "No acceptable format."},
               200: {"content": {"application/sparql-results+json": {}, "text/turtle": {}, "text/html": {}}}},
    openapi_extra=_QUERY_DOC, response_class=Response,
)
async def sparql_get(
    request: Request, settings: SettingsDep, _: ReaderAccess,
    query: Annotated[str | None, Query(description="The SPARQL query; without it: description or page.",
                                       examples=[EXAMPLE])] = None,
) -> Response:
    """SPARQL 1.1 Protocol query via GET; see the module documentation for every outcome."""
    params = await _params(request)
    if query is None:
        accept = request.headers.get("accept", "")
        if "text/html" in accept and "format" not in params:
            return HTMLResponse(page_html(request, settings))
        return _description(request, settings)
    return await _answer(request, settings, params, query)


@router.post(
    "/sparql", summary="SPARQL 1.1 query (POST form or application/sparql-query)",
    responses={**problem_responses(400, 401, 403, 422, 503), 406: {"description": "No acceptable format."},
               200: {"content": {"application/sparql-results+json": {}, "text/turtle": {}}}},
    openapi_extra={**_QUERY_DOC, "requestBody": {"content": {
        SPARQL_QUERY: {"schema": {"type": "string"}},
        FORM: {"schema": {"type": "object", "properties": {"query": {"type": "string"}}, "required": ["query"]}},
    }}},
    response_class=Response,
)
async def sparql_post(request: Request, settings: SettingsDep, _: ReaderAccess) -> Response:
    """SPARQL 1.1 Protocol query via POST; updates are refused here (send them to /sparql/update)."""
    media = _media(request)
    params = await _params(request)
    if media == SPARQL_QUERY:
        query = await text_body(request, "the query")
    elif media == FORM and "query" in params:
        query = params["query"][0]
    elif media == SPARQL_UPDATE or "update" in params:
        raise ReadOnlyQueryError("this endpoint only reads: send updates to /sparql/update with an API key of "
                                 "role editor")
    else:
        raise HTTPException(415 if media not in (FORM, "") else 400,
                            f"send the query as form field 'query' ({FORM}) or as the body ({SPARQL_QUERY})")
    return await _answer(request, settings, params, query)


@router.post(
    "/sparql/update", name="sparql_update", summary="SPARQL 1.1 update (role editor)",
    responses=problem_responses(400, 401, 403, 422),
    openapi_extra={"requestBody": {"content": {
        SPARQL_UPDATE: {"schema": {"type": "string"}},
        FORM: {"schema": {"type": "object", "properties": {"update": {"type": "string"}}, "required": ["update"]}},
    }}},
)
async def sparql_update(request: Request, caller: EditorAccess) -> WriteResult:
    """Run the update on the store of record, with its PROV record, in one transaction.

    Graphs the update creates are vouched for by the run (they survive the store's recovery).
    ``LOAD`` and ``SERVICE`` are refused (the server fetches nothing for a caller);
    ``using-graph-uri`` / ``using-named-graph-uri`` set the dataset of the update's ``WHERE``
    (400 together with ``USING`` / ``WITH``); relative IRIs resolve against this endpoint.
    """
    media = _media(request)
    params = await _params(request)
    if media == SPARQL_UPDATE:
        text = await text_body(request, "the update")
    elif media == FORM and "update" in params:
        text = params["update"][0]
    else:
        raise HTTPException(415 if media not in (FORM, "") else 400,
                            f"send the update as form field 'update' ({FORM}) or as the body ({SPARQL_UPDATE})")
    service = get_service(request)
    outcome = await run_in_threadpool(
        partial(service.update, using=tuple(params.get("using-graph-uri", [])),
                using_named=tuple(params.get("using-named-graph-uri", [])),
                base_iri=str(request.url_for("sparql_update"))),
        text, caller.key_id)
    after: AfterWrite = request.app.state.after_write  # saved needs and caches see it (the service woke the replica)
    after(Write("SPARQL update", bulk=True, replica_notified=True))
    return WriteResult.model_validate(outcome.as_dict())
