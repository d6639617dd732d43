"""What keeps the HTTP surface safe for the server and for the browsers that use it, in one place.

Why one module: these are cross-cutting rules that every route must follow and none should
re-implement, and ``api.app`` wires them in with one call (``install(app, settings)``):

- ``text_body``: a text request body (a SPARQL query or update, a form) is UTF-8; another
  declared charset is 415, undecodable bytes 400, never a ``UnicodeDecodeError`` (500).
- ``RequestGuard`` (ASGI middleware, outermost): refuses before any route or body parser runs
  a body over ``INNOGRAPH_MAX_REQUEST_BYTES`` on routes that are not uploads (413, on the
  declared ``Content-Length`` or while a chunked body streams in), and NUL or other control
  characters in the path or query string (400), which no identifier or query parameter of
  this API contains and which some layers below (C libraries, logs, RocksDB keys) mishandle.
- ``SecurityHeaders``: ``Content-Security-Policy`` (scripts, styles and data only from this
  server; no framing), ``X-Content-Type-Options: nosniff``, ``Referrer-Policy``,
  ``X-Frame-Options``, ``Cross-Origin-Opener-Policy`` on every response.
- CORS for read endpoints only, for the origins of ``INNOGRAPH_CORS_ORIGINS`` (none by
  default): YASGUI or a notebook on another origin may query ``/sparql``; no origin may write.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl, unquote

from fastapi import FastAPI
from fastapi._compat import field_annotation_is_sequence
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import problem
from api.limits import BodySizeLimit
from common.settings import Settings

#: Routes whose bodies are uploads, bounded by ``max_upload_bytes`` instead (``api.limits``).
UPLOAD_ROUTES = frozenset({"/ingest", "/rdf-graphs/service", "/sparql/update"})

#: Parameters the SPARQL protocols repeat on purpose (their routes read them from the raw query
#: string), and the result-format names SPARQLWrapper sends twice (``format=tsv&format=text/tab-...``).
REPEATABLE = frozenset({"default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri",
                        "format", "output", "results"})
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CHARSET = re.compile(r";\s*charset\s*=\s*\"?([^\";\s]+)", re.IGNORECASE)


async def text_body(request: Request, what: str) -> str:
    """The request body as text: UTF-8 (the SPARQL protocol's only encoding), or a 4xx problem."""
    declared = _CHARSET.search(request.headers.get("content-type", ""))
    if declared and declared.group(1).lower().replace("_", "-") not in ("utf-8", "utf8", "us-ascii"):
        raise HTTPException(415, f"{what} is declared as {declared.group(1)}; send it as UTF-8 (charset=utf-8)")
    data = await request.body()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise HTTPException(400, f"{what} is not UTF-8: byte {data[exc.start]:#04x} at offset {exc.start} "
                                 "cannot be decoded; send UTF-8") from None


class RequestGuard:
    """Refuse oversized non-upload bodies (413) and control characters in the target (400), early."""

    def __init__(self, app: ASGIApp, max_bytes: int, uploads: Iterable[str] = UPLOAD_ROUTES) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.uploads = frozenset(uploads)
        self._capped = BodySizeLimit(app, max_bytes, _too_large(max_bytes))
        self._lists: frozenset[str] | None = None  # list-valued query parameters, read from the routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        target = scope.get("path", "") + "?" + scope.get("query_string", b"").decode("latin-1")
        if _CONTROL.search(target) or _CONTROL.search(_unquoted(target)):
            response = problem(Request(scope), 400, "bad-request", "Bad request",
                               "the path or query string holds a NUL or another control character; identifiers "
                               "and parameters of this API never do (percent-encode line breaks in a query)")
            await response(scope, receive, send)
            return
        repeated = self._repeated(scope)
        if repeated:
            response = problem(Request(scope), 400, "bad-request", "Bad request",
                               f"the parameter '{repeated}' was sent more than once with different values; it "
                               "takes one value")
            await response(scope, receive, send)
            return
        if scope.get("path", "") in self.uploads:
            await self.app(scope, receive, send)
            return
        await self._capped(scope, receive, send)


    def _repeated(self, scope: Scope) -> str | None:
        """The first parameter sent twice with different values that no route takes as a list.

        FastAPI would silently keep the last value. The same value twice is harmless and some
        clients send it (SPARQLWrapper repeats ``format``), so only a contradiction is refused.
        """
        pairs = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        if len(pairs) == len({name for name, _ in pairs}):
            return None
        if self._lists is None:
            self._lists = REPEATABLE | _list_parameters(scope.get("app"))
        seen: dict[str, str] = {}
        for name, value in pairs:
            if seen.get(name, value) != value and name not in self._lists:
                return str(name)
            seen[name] = value
        return None


def _list_parameters(app: object) -> frozenset[str]:
    """Names of the query parameters that some route declares as a list (``?region=RO21&region=RO22``)."""
    names: set[str] = set()

    def walk(dependant: Dependant) -> None:
        for param in dependant.query_params:
            if field_annotation_is_sequence(param.field_info.annotation):
                names.add(param.alias)
        for sub in dependant.dependencies:
            walk(sub)

    def visit(routes: Iterable[object]) -> None:
        for route in routes:
            if isinstance(route, APIRoute):
                walk(route.dependant)
            inner = getattr(route, "original_router", route)  # an included router (FastAPI >= 0.16x)
            visit(getattr(inner, "routes", []) if inner is not app else [])

    visit(getattr(app, "routes", []))
    return frozenset(names)


def _unquoted(target: str) -> str:
    """The target with percent-escapes decoded, except the line breaks and tabs a query may carry."""
    if "%" not in target:
        return ""
    path, _, query = target.partition("?")
    return unquote(path) + "?" + unquote(re.sub(r"%0[9aAdD]", "", query))


def _too_large(limit: int) -> str:
    return (f"the request body is larger than the limit of {limit:,} bytes for this endpoint "
            "(INNOGRAPH_MAX_REQUEST_BYTES; uploads have INNOGRAPH_MAX_UPLOAD_BYTES)")


#: The policy of every page and response: everything from this server, nothing inline but styles
#: (YASGUI and cytoscape.js set styles from script), no plug-ins, no framing by other sites.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
       "font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; "
       "form-action 'self'; frame-ancestors 'none'")
#: FastAPI's /docs and /redoc pages load Swagger UI / ReDoc from their CDN with an inline script.
DOCS_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
            "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
            "font-src 'self' https://fonts.gstatic.com; img-src 'self' data: https://fastapi.tiangolo.com "
            "https://cdn.redoc.ly; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; "
            "frame-ancestors 'none'")
DOCS_PATHS = frozenset({"/docs", "/docs/oauth2-redirect", "/redoc"})
HEADERS = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"strict-origin-when-cross-origin"),
           (b"x-frame-options", b"DENY"), (b"cross-origin-opener-policy", b"same-origin")]

#: POST routes that only read (queries, matching): open to the CORS origins like every GET.
READ_POSTS = frozenset({"/sparql", "/match", "/match/demand", "/cypher"})
_CORS_HEADERS = "Accept, Content-Type, Authorization, X-API-Key"
_EXPOSED = "X-Innograph-Truncated, X-Innograph-Row-Cap, Retry-After, Content-Disposition"


class SecurityHeaders:
    """Security headers on every response; CORS for the read routes and the configured origins."""

    def __init__(self, app: ASGIApp, cors_origins: Iterable[str] = ()) -> None:
        self.app = app
        self.origins = frozenset(o.rstrip("/") for o in cors_origins)

    def _cors_origin(self, scope: Scope, method: str) -> str | None:
        """The origin to echo when ``method`` on this path may be called from it, else None."""
        if not self.origins:
            return None
        origin = next((v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"origin"), None)
        if origin is None or ("*" not in self.origins and origin not in self.origins):
            return None
        readable = method in ("GET", "HEAD") or (method == "POST" and scope.get("path") in READ_POSTS)
        return origin if readable else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        requested = headers.get(b"access-control-request-method")
        if scope["method"] == "OPTIONS" and requested is not None and headers.get(b"origin") is not None:
            await self._preflight(scope, requested.decode("latin-1").upper(), send)
            return
        origin = self._cors_origin(scope, scope["method"])
        policy = DOCS_CSP if scope.get("path") in DOCS_PATHS else CSP

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in HEADERS if k not in present]
                if b"content-security-policy" not in present:
                    extra.append((b"content-security-policy", policy.encode()))
                if origin is not None:
                    extra += [(b"access-control-allow-origin", origin.encode("latin-1")),
                              (b"access-control-expose-headers", _EXPOSED.encode()), (b"vary", b"Origin")]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, with_headers)

    async def _preflight(self, scope: Scope, method: str, send: Send) -> None:
        """Answer a CORS preflight: 204 with the grant for read routes, 403 (no grant) otherwise."""
        origin = self._cors_origin(scope, method)
        headers = [(k, v) for k, v in HEADERS] + [(b"vary", b"Origin"), (b"content-length", b"0")]
        if origin is not None:
            headers += [(b"access-control-allow-origin", origin.encode("latin-1")),
                        (b"access-control-allow-methods", b"GET, HEAD, POST"),
                        (b"access-control-allow-headers", _CORS_HEADERS.encode()),
                        (b"access-control-max-age", b"600")]
        await send({"type": "http.response.start", "status": 204 if origin else 403, "headers": headers})
        await send({"type": "http.response.body", "body": b""})


def install(app: FastAPI, settings: Settings) -> None:
    """Wire the guards of this module into ``app`` (called once by ``api.app.create_app``)."""
    app.add_middleware(RequestGuard, max_bytes=settings.max_request_bytes)
    app.add_middleware(SecurityHeaders, cors_origins=settings.cors_origins)  # outermost: on every response


#: What ``RequestGuard`` refuses in a parameter, said as a pattern so that the OpenAPI document
#: and its clients know it: no control character; a SPARQL ``query``/``update`` text may carry
#: tabs and line breaks (percent-encoded, as ``_unquoted`` allows).
NO_CONTROL = r"^[^\x00-\x1f\x7f]*$"
NO_CONTROL_BUT_LINES = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
_TEXT_PARAMETERS = frozenset({"query", "update"})


def document(schema: dict[str, Any]) -> None:
    """Say in the OpenAPI document what ``RequestGuard`` refuses, on every operation.

    Why: the guard answers 400 before any route runs, so without this every operation would
    return a status its document does not list, for a request its document calls valid
    (schemathesis' "undocumented status code" and "schema-valid request rejected").
    """
    bad_request = {"description": "Bad request: a control character in the path or query string, a parameter "
                                  "sent twice with different values, or a body that cannot be read"}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            operation.setdefault("responses", {}).setdefault("400", dict(bad_request))
            for parameter in operation.get("parameters", []):
                if parameter.get("in") in ("path", "query"):
                    pattern = NO_CONTROL_BUT_LINES if parameter.get("name") in _TEXT_PARAMETERS else NO_CONTROL
                    _forbid_control(parameter.get("schema", {}), pattern)


def _forbid_control(schema: dict[str, Any], pattern: str) -> None:
    """Add ``pattern`` to a string schema (or the items of an array, or each branch of anyOf)."""
    for branch in schema.get("anyOf", []):
        _forbid_control(branch, pattern)
    if schema.get("type") == "array":
        _forbid_control(schema.get("items", {}), pattern)
    elif schema.get("type") == "string" and "pattern" not in schema and "enum" not in schema:
        schema["pattern"] = pattern
