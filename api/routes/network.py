"""GET /network/...: the collaboration network for brokers, as JSON or CSV.

Thin over ``graph.network``: the filtered networks, the one path algorithm (shared with /match), metrics, gaps.
Every list takes the same filters, pages with ``limit``/``offset`` (up to ``MAX_EXPORT`` rows a
page, so a broker can export a whole table in one request) and answers CSV for ``?format=csv``
or ``Accept: text/csv``. Results are cached until the next ingest.
"""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any, Literal

import numpy as np
from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from api import warmup
from api.deps import Page, ReaderAccess, Store
from api.schemas.common import problem_responses
from api.schemas.network import (
    BrokerPage,
    CentralityPage,
    CommunityPage,
    EdgePage,
    EgoNetwork,
    GapPage,
    IntroductionPaths,
    MemberPage,
    NetworkSummary,
)
from graph.network import (
    MAX_EGO_NODES,
    MAX_PATH_DEPTH,
    NetworkFilter,
    ego_network,
    introduction_paths,
    metrics,
    network,
    supply_demand,
)


def _network_warm(request: Request) -> None:
    """503 while the network data is built at start (api.warmup), instead of building it in the request."""
    warmup.require(request, warmup.NETWORK)


router = APIRouter(prefix="/network", tags=["network"], dependencies=[Depends(_network_warm)])
MAX_EXPORT = 10_000
CSV: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {"schema": {"type": "string"}}},
          "description": "JSON, or CSV with ?format=csv or Accept: text/csv"},
}
ERRORS = problem_responses(401, 403, 422, 503)
RESOLUTION_DOC = (f"Higher: more, smaller communities. Taken to the nearest of {', '.join(map(str, metrics.RESOLUTIONS))} "
                  "(each computed once per filter; the answer's `resolution` says which).")
ERRORS_404 = problem_responses(401, 403, 404, 422, 503)


def network_filter(
    year_from: Annotated[int | None, Query(ge=1950, le=2100, description="Projects starting in or after this year.")] = None,
    year_to: Annotated[int | None, Query(ge=1950, le=2100, description="Projects starting in or before this year.")] = None,
    region: Annotated[list[str] | None, Query(max_length=20, description="NUTS 2021 codes (RO21, RO321; RO also keeps "
                                              "organisations located only by country).")] = None,
    country: Annotated[list[str] | None, Query(max_length=50, description="CORDIS country codes (RO, DE, EL).")] = None,
    field: Annotated[list[str] | None, Query(max_length=20, description="EuroSciVoc field (code or label) or H2020 "
                                             "programme part (SC2, LEIT, ERC ...) of the projects kept.")] = None,
    kind: Annotated[list[str] | None, Query(max_length=20, description="Organisation kinds (PRC, HES, REC, sme, "
                                            "university ...).")] = None,
) -> NetworkFilter:
    def clean(values: list[str] | None) -> tuple[str, ...]:
        return tuple(sorted({v.strip() for v in values or [] if v.strip()}))[:50]

    return NetworkFilter(year_from, year_to, clean(region), clean(country), clean(field), clean(kind))


def export_page(
    limit: Annotated[int, Query(ge=0, le=MAX_EXPORT, description=f"Rows per page (0-{MAX_EXPORT}).")] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000, description="Rows to skip.")] = 0,
) -> Page:
    return Page(limit, offset)


Filter = Annotated[NetworkFilter, Depends(network_filter)]
Paging = Annotated[Page, Depends(export_page)]
Format = Annotated[Literal["json", "csv"] | None, Query(description="json (default) or csv; or send Accept: text/csv.")]


def _wants_csv(request: Request, fmt: str | None) -> bool:
    if fmt is not None:
        return fmt == "csv"
    accept = request.headers.get("accept", "").lower()
    if "text/csv" not in accept:
        return False
    json_at = accept.find("application/json")
    return json_at < 0 or accept.find("text/csv") < json_at


def _flat(value: Any) -> str:
    if isinstance(value, dict):
        return ":".join(_flat(v) for v in value.values() if v is not None)
    if isinstance(value, list):
        return "|".join(_flat(v) for v in value)
    return "" if value is None else str(value)


def _flatten(row: dict[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and prefix == "":
            out.update(_flatten(value, f"{name}."))
        else:
            out[name] = _flat(value)
    return out


def csv_response(rows: list[dict[str, Any]], name: str) -> Response:
    """Rows as CSV (nested objects as ``a.b`` columns, lists joined with ``|``)."""
    flat = [_flatten(row) for row in rows]
    columns: dict[str, None] = {}
    for row in flat:
        columns.update(dict.fromkeys(row))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(flat)
    return Response(buffer.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})


def _answer(request: Request, fmt: str | None, model: type[BaseModel], body: dict[str, Any],
            rows: list[dict[str, Any]], name: str) -> Any:
    if _wants_csv(request, fmt):
        return csv_response(rows, name)
    return model.model_validate(body)


@router.get("", summary="Size of the collaboration network under a filter", responses=ERRORS)
def get_summary(store: Store, _: ReaderAccess, flt: Filter) -> NetworkSummary:
    """Organisations linked by shared projects and partnerships; see the filters' descriptions."""
    return NetworkSummary.model_validate(network(store, flt).summary())


@router.get("/edges", summary="Ties between organisations, strongest first", responses={**CSV, **ERRORS},
            response_model=EdgePage)
def get_edges(request: Request, store: Store, _: ReaderAccess, flt: Filter, page: Paging, format: Format = None) -> Any:
    """Each tie with the number of shared projects and the EU money both received in them."""
    net = network(store, flt)
    order = net.cached("edge-order", lambda: np.lexsort((np.arange(len(net.src)), -net.ec, -net.projects)))
    rows = [net.edge(int(e)) for e in order[page.offset : page.offset + page.limit]]
    body = {"data": rows, "count": len(order), "limit": page.limit, "offset": page.offset, "filter": flt.describe()}
    return _answer(request, format, EdgePage, body, rows, "edges")


@router.get("/ego/{org_id:path}", summary="An organisation's partners (and theirs), for a picture",
            responses={**CSV, **ERRORS_404}, response_model=EgoNetwork)
def get_ego(
    request: Request, store: Store, _: ReaderAccess, flt: Filter,
    org_id: Annotated[str, Path(max_length=300, description="Organisation id (osim, pic/999918293).",
                                openapi_examples={"partnership member": {"value": "osim"},
                                                  "CORDIS participant": {"value": "pic/999993856"}})],
    depth: Annotated[int, Query(ge=1, le=2, description="1: partners; 2: partners of partners too.")] = 1,
    max_nodes: Annotated[int, Query(ge=1, le=MAX_EGO_NODES, description="Most organisations, strongest ties first.")] = 50,
    communities: Annotated[bool, Query(description="Add each node's Leiden community (computed on the "
                                                   "whole filtered network: slow the first time).")] = False,
    format: Format = None,
) -> Any:
    net = network(store, flt)
    ego = ego_network(net, org_id, depth, max_nodes)
    if communities:
        member = metrics.membership(net)
        for node in ego["nodes"]:
            node["community"] = int(member[net.vertex(node["id"])])
    return _answer(request, format, EgoNetwork, ego, ego["edges"], "ego")


@router.get("/path", summary="Who can introduce me: shortest chains between two organisations",
            responses={**CSV, **ERRORS_404}, response_model=IntroductionPaths)
def get_path(
    request: Request, store: Store, _: ReaderAccess, flt: Filter,
    source: Annotated[str, Query(max_length=300, description="Your organisation id.")],
    target: Annotated[str, Query(max_length=300, description="The organisation you want to reach.")],
    max_depth: Annotated[int, Query(ge=1, le=MAX_PATH_DEPTH, description="Longest chain looked for.")] = 4,
    limit: Annotated[int, Query(ge=1, le=20, description="Most chains (all equally short).")] = 3,
    format: Format = None,
) -> Any:
    """Each step names the projects the two organisations share, the best-funded first."""
    found = introduction_paths(store, network(store, flt), source, target, max_depth=max_depth, limit=limit)
    rows = [{"path": n, "step": k, "from": s["from"]["id"], "from_label": s["from"]["label"], "to": s["to"]["id"],
             "to_label": s["to"]["label"], "shared": s["shared"], "via": [v["label"] for v in s["via"]]}
            for n, p in enumerate(found["paths"]) for k, s in enumerate(p["steps"])]
    return _answer(request, format, IntroductionPaths, found, rows, "paths")


@router.get("/communities", summary="Communities (Leiden), largest first", responses={**CSV, **ERRORS},
            response_model=CommunityPage)
def get_communities(
    request: Request, store: Store, _: ReaderAccess, flt: Filter, page: Paging,
    resolution: Annotated[float, Query(gt=0, le=10, description=RESOLUTION_DOC)] = 1.0,
    format: Format = None,
) -> Any:
    """Computed on the whole filtered network (about 10 s on all of H2020 the first time, then cached)."""
    found = metrics.communities(network(store, flt), resolution=resolution, limit=page.limit, offset=page.offset)
    body = {**found, "limit": page.limit, "offset": page.offset, "filter": flt.describe()}
    return _answer(request, format, CommunityPage, body, found["data"], "communities")


@router.get("/communities/{community}", summary="Members of one community", responses={**CSV, **ERRORS_404},
            response_model=MemberPage)
def get_community(
    request: Request, store: Store, _: ReaderAccess, flt: Filter, page: Paging,
    community: Annotated[int, Path(openapi_examples={"first community": {"value": 0}},
                                         ge=0, le=10_000_000)],
    resolution: Annotated[float, Query(gt=0, le=10, description=RESOLUTION_DOC)] = 1.0,
    format: Format = None,
) -> Any:
    found = metrics.community_members(network(store, flt), community, resolution=resolution, limit=page.limit,
                                      offset=page.offset)
    body = {**found, "limit": page.limit, "offset": page.offset, "filter": flt.describe()}
    return _answer(request, format, MemberPage, body, found["data"], f"community-{community}")


@router.get("/centrality", summary="Organisations by degree, strength, EU money or betweenness",
            responses={**CSV, **ERRORS}, response_model=CentralityPage)
def get_centrality(
    request: Request, store: Store, _: ReaderAccess, flt: Filter, page: Paging,
    sort: Annotated[metrics.Sort, Query(description="Ranking measure.")] = "betweenness",
    betweenness: Annotated[bool, Query(description="Also give betweenness when sorting by another measure "
                                                   "(about 10 s the first time on all of H2020).")] = True,
    format: Format = None,
) -> Any:
    """Betweenness is exact up to 3,000 organisations and sampled above (see betweenness_method)."""
    found = metrics.centrality(network(store, flt), sort=sort, limit=page.limit, offset=page.offset,
                               with_betweenness=betweenness)
    body = {**found, "limit": page.limit, "offset": page.offset, "filter": flt.describe()}
    return _answer(request, format, CentralityPage, body, found["data"], "centrality")


@router.get("/brokers", summary="Brokers between regions or countries", responses={**CSV, **ERRORS},
            response_model=BrokerPage)
def get_brokers(
    request: Request, store: Store, _: ReaderAccess, flt: Filter, page: Paging,
    by: Annotated[metrics.GroupBy, Query(description="Group organisations by NUTS 2 region (country where "
                                                     "unknown) or by country.")] = "region",
    between: Annotated[list[str] | None, Query(max_length=20, description="Only brokers spanning at least two of "
                                                                          "these groups (RO21, RO, DE ...).")] = None,
    format: Format = None,
) -> Any:
    found = metrics.brokers(network(store, flt), by=by, between=tuple(between or ()), limit=page.limit,
                            offset=page.offset)
    body = {**found, "limit": page.limit, "offset": page.offset, "filter": flt.describe()}
    return _answer(request, format, BrokerPage, body, found["data"], "brokers")


@router.get("/gaps", summary="Region x field: supply against demand, biggest gaps first",
            responses={**CSV, **ERRORS}, response_model=GapPage)
def get_gaps(
    request: Request, store: Store, _: ReaderAccess, page: Paging,
    level: Annotated[int, Query(ge=1, le=3, description="NUTS level: 2 = the 8 development regions, 3 = counties.")] = 2,
    scheme: Annotated[Literal["nace2", "euroscivoc"], Query(description="Fields as NACE sectors or EuroSciVoc.")] = "nace2",
    depth: Annotated[int, Query(ge=0, le=6, description="Hierarchy depth of the columns; 0 = all fields.")] = 1,
    field: Annotated[str | None, Query(max_length=200, description="Only this field (code or label).")] = None,
    country_only: Annotated[bool, Query(description="Add the row of Romanian organisations known only by "
                                                    "country (CORDIS).")] = True,
    format: Format = None,
) -> Any:
    """Supply: research units, offers, projects. Demand: requests, SMEs. gap = demand - supply."""
    found = supply_demand(store, level=level, scheme=scheme, depth=depth, field=field, country_only=country_only,
                          limit=page.limit, offset=page.offset)
    body = {**found, "limit": page.limit, "offset": page.offset}
    return _answer(request, format, GapPage, body, found["data"], "gaps")
