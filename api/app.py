"""The FastAPI application: ``create_app(settings)``.

Why a factory and no module-level ``app``: the store is opened once per application (RocksDB
allows one writer per folder), so tests build an app over their own store and
``innograph serve`` builds the one it serves. Everything a request needs hangs off
``app.state``: settings, the store, the key store, the per-generation caches, the ingest lock.

>>> from pathlib import Path
>>> app = create_app(Settings(data_dir=Path("/tmp/innograph-doctest")))  # doctest: +SKIP
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from api import errors, security, throttle, warmup
from api.keys import KeyStore, Role
from api.limits import AuthBeforeUpload, BodySizeLimit
from api.openapi_truth import declare_optional_security
from api.routes import ROUTERS
from api.routes.sparql import start_sparql_service, stop_sparql_service
from api.schemas.common import Problem
from api.throttle import Throttle
from common.settings import Settings, get_settings
from graph.alerts import Alerts, WebhookPolicy
from graph.matching import Matcher
from graph.operations import FILE_NAME as OPS_FILE
from graph.operations import OperationalStore
from graph.store import GraphStore, PerGeneration, store_stats
from graph.writes import AfterWrite, Write
from ingest.bundled import missing_base
from ingest.loading import ingest_path

log = logging.getLogger(__name__)

DESCRIPTION = """
A knowledge graph of regional innovation in Romania: organisations, research units, technology
offers and requests, EU projects and partnerships, under the innograph ontology.

**Access.** Reading is open unless the server sets `INNOGRAPH_ALLOW_ANONYMOUS_READ=false`;
loading data (`POST /ingest`) needs an API key of role *editor* (`innograph keys create --name N
--role editor`), sent as `Authorization: Bearer <key>` or `X-API-Key: <key>`. Roles:
reader < member < editor < admin (a member key edits only its own organisation's records).

**Lists** are `{data, count, limit, offset}`; `limit` (0-500) and `offset` page them.

**Errors** are `application/problem+json` (RFC 9457): `type`, `title`, `status`, `detail`,
`instance`, and for invalid input an `errors` list naming each field.
"""

TAGS = [
    {"name": "matching", "description": "Supply for a need, demand for an offer, each result explained."},
    {"name": "search", "description": "Find entities by name."},
    {"name": "organisations", "description": "Profiles of organisations."},
    {"name": "records", "description": "Members' own offers and requests: publish, edit (If-Match), renew, "
     "withdraw, history."},
    {"name": "regions", "description": "Supply and demand by NUTS region."},
    {"name": "vocabularies", "description": "The codes: regions, TRL, kinds, sectors, fields ..."},
    {"name": "ingest", "description": "Load data (role editor)."},
    {"name": "sparql", "description": "SPARQL 1.1 query, update and Graph Store protocols; a query page for people."},
    {"name": "cypher", "description": "Cypher over the property-graph projection (embedded LadybugDB or Neo4j)."},
    {"name": "network", "description": "Who works with whom: ties, ego networks, introduction paths, communities, "
     "centrality, brokers, region x field gaps (JSON or CSV)."},
    {"name": "alerts", "description": "Saved needs: told (Atom feed, webhook) when new profiles enter their top 10."},
    {"name": "interest", "description": "Expressions of interest in offers and requests; the inbox of owners "
     "and brokers."},
    {"name": "system", "description": "Health, readiness, statistics."},
]


def _version() -> str:
    try:
        return version("innograph")
    except PackageNotFoundError:
        return "0.1.0"


def load_base(store: GraphStore) -> list[str]:
    """Load the bundled ontology and vocabularies if the store lacks them, as ``innograph ingest`` does.

    A server holds the store's lock, so the CLI cannot do it while the server runs; without
    them every source would be rejected (its codes resolve against them). Returns the names
    of the graphs loaded: a write, which ``create_app`` follows like any other.
    """
    loaded = []
    for path, name in missing_base(store):
        log.warning("the store has no %s graph yet: loading %s", name, path)
        ingest_path(store, path, name=name)
        loaded.append(name or path.stem)
    return loaded


def _problem_openapi(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document, with every error response typed as problem+json."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes,
                         tags=app.openapi_tags)
    throttle.document(schema)  # the 429 and 503 of rate limits and slots
    security.document(schema)  # the 400 of the request guard, and the characters it refuses
    declare_optional_security(schema, app.state.settings)  # anonymous reading, when allowed
    problem_ref = {"$ref": "#/components/schemas/Problem"}
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            for status, response in operation.get("responses", {}).items():
                if status.isdigit() and int(status) >= 400:
                    response["content"] = {"application/problem+json": {"schema": problem_ref}}
                    if status == "422":
                        response["description"] = response.get("description") or "Invalid input"
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Problem"] = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(components["Problem"].pop("$defs", {}))
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)
    app.openapi_schema = schema
    return schema


def create_app(settings: Settings | None = None) -> FastAPI:
    """An application over the store of ``settings.data_dir`` (opened here, once)."""
    settings = settings or get_settings()
    store = GraphStore(settings.store_dir)
    loaded = load_base(store)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        start_sparql_service(app)
        # build indexes, model, network and projection in the background (api.warmup); /ready says when
        warmup.start(app)
        try:
            yield
        finally:
            app.state.after_write.close()
            stop_sparql_service(app)

    app = FastAPI(
        title="innograph",
        description=DESCRIPTION,
        version=_version(),
        openapi_tags=TAGS,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.store = store
    app.state.keys = KeyStore(settings.keys_file)
    app.state.ingest_lock = threading.Lock()
    app.state.stats_cache = PerGeneration(store_stats)
    app.state.matcher = Matcher(store, settings)
    # private operational data (alerts, interest), never in the RDF store: graph.operations
    app.state.ops = OperationalStore(settings.data_dir / OPS_FILE)
    app.state.alerts = Alerts(app.state.ops, app.state.matcher, WebhookPolicy(tuple(settings.alert_webhook_allow)))
    warmup.register(app)
    # what follows every write, whoever wrote (graph.writes); the server keeps warm what warm-up builds
    app.state.after_write = AfterWrite(
        store, settings=settings, alerts=app.state.alerts, matcher=app.state.matcher,
        keep_warm=settings.warm_on_start, projection=settings.warm_on_start, runner=warmup.follow_up_runner(app))
    if loaded:
        app.state.after_write(Write("start-up load", bulk=True))
    errors.install(app)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_upload_bytes)
    app.add_middleware(AuthBeforeUpload, routes={("POST", "/ingest"): Role.editor})
    app.add_middleware(Throttle, settings=settings)  # rate limit and slots before any route runs
    # Added last, so outermost: body cap, control characters, security headers and CORS apply to
    # every answer, the throttle's 429/503 included.
    security.install(app, settings)
    for router in ROUTERS:
        app.include_router(router)
    app.openapi = lambda: _problem_openapi(app)  # type: ignore[method-assign]
    return app
