"""Every error the API returns, as ``application/problem+json`` (RFC 9457), from one place.

Why one place: the layers below raise the domain errors of ``common.errors`` and never
build responses; this module decides status codes, and FastAPI's own validation errors,
``HTTPException`` and unknown routes get the same shape. A client therefore parses one
format for every failure::

    {"type": "https://w3id.org/innograph/problem/validation", "title": "Invalid request",
     "status": 422, "detail": "query parameter limit: Input should be greater than or equal to 0",
     "instance": "/search", "errors": [{"location": "query.limit", "field": "limit", ...}]}

Bad input never becomes a 500: validation is 422, unknown things 404, refused queries
400/403, overload and time-outs 503. A 500 means a bug or a broken installation, is logged
with its traceback, and tells the client nothing about internals.
"""

from __future__ import annotations

import json
import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from api.auth import InvalidKeyError
from common.errors import (
    AuthenticationError,
    ComponentWarmingError,
    ConfigurationError,
    ConflictError,
    EngineUnavailableError,
    FetchRefusedError,
    IngestRejectedError,
    InnographError,
    InvalidInputError,
    NotFoundError,
    NotYourOrganisationError,
    OverloadedError,
    PayloadTooLargeError,
    PermissionDeniedError,
    PreconditionFailedError,
    PreconditionRequiredError,
    QueryError,
    QuerySyntaxError,
    QueryTimeoutError,
    RateLimitedError,
    RdfSyntaxError,
    ReadOnlyQueryError,
    SourceError,
    StoreError,
    StoreLockedError,
    UnavailableError,
)
from ontology._namespaces import BASE

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = f"{BASE}problem/"

#: Domain error -> (status, problem type slug, title). Looked up along the class's MRO, so
#: the most specific entry wins (StoreLockedError before StoreError).
STATUS: dict[type[InnographError], tuple[int, str, str]] = {
    NotFoundError: (404, "not-found", "Not found"),
    QuerySyntaxError: (400, "query-syntax", "The query does not parse"),
    ReadOnlyQueryError: (403, "read-only", "Only read queries are allowed here"),
    QueryTimeoutError: (503, "query-timeout", "The query ran out of time"),
    EngineUnavailableError: (503, "engine-unavailable", "The query engine is unavailable"),
    QueryError: (400, "query-failed", "The query failed"),
    IngestRejectedError: (422, "ingest-rejected", "Records were rejected"),
    SourceError: (422, "source-unreadable", "The source cannot be read"),
    InvalidInputError: (422, "invalid-input", "Invalid input"),
    ConflictError: (409, "conflict", "The request conflicts with the current state"),
    StoreLockedError: (503, "store-locked", "The store is in use by another process"),
    StoreError: (500, "store-error", "The store failed"),
    ConfigurationError: (500, "configuration", "innograph is misconfigured"),
    AuthenticationError: (401, "unauthenticated", "An API key is needed"),
    PermissionDeniedError: (403, "forbidden", "The API key's role is too low"),
    NotYourOrganisationError: (403, "not-your-organisation",
                               "A member key may change only its own organisation's records"),
    PreconditionFailedError: (412, "stale-version", "The record changed since it was read"),
    PreconditionRequiredError: (428, "if-match-required", "Send If-Match with the ETag of the version you edit"),
    FetchRefusedError: (403, "no-remote-fetch", "The server does not fetch from the network on a caller's behalf"),
    PayloadTooLargeError: (413, "too-large", "The request body is too large"),
    RdfSyntaxError: (400, "rdf-syntax", "The RDF document does not parse"),
    ComponentWarmingError: (503, "warming-up", "The server is still warming up"),
    OverloadedError: (503, "overloaded", "The server is busy with requests of this kind"),
    RateLimitedError: (429, "rate-limited", "Too many requests from this caller"),
    UnavailableError: (503, "not-ready", "The service is not ready"),
}
_RETRY_AFTER = {"query-timeout": "5", "store-locked": "30", "engine-unavailable": "10"}


def problem(
    request: Request,
    status: int,
    slug: str,
    title: str,
    detail: str,
    headers: dict[str, str] | None = None,
    **extensions: Any,
) -> JSONResponse:
    """A problem+json response; ``extensions`` add members such as ``errors`` or ``report``."""
    body: dict[str, Any] = {
        "type": f"{PROBLEM_BASE}{slug}",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        **{k: v for k, v in extensions.items() if v is not None},
    }
    return _ProblemResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


class _ProblemResponse(JSONResponse):
    """JSON that survives the caller's own bad input: a lone surrogate ("\\ud800" in a JSON string,
    echoed back in ``errors[].input``) cannot be encoded as UTF-8 and made the 422 itself a 500."""

    def render(self, content: Any) -> bytes:
        try:
            return super().render(content)
        except UnicodeEncodeError:
            return json.dumps(content, ensure_ascii=True, allow_nan=False, separators=(",", ":")).encode("ascii")


def _lookup(exc: InnographError) -> tuple[int, str, str]:
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 500, "internal", "Internal error"


async def innograph_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, InnographError)
    status, slug, title = _lookup(exc)
    headers: dict[str, str] = {}
    extensions: dict[str, Any] = {}
    if isinstance(exc, AuthenticationError):
        challenge = 'Bearer realm="innograph"'
        if isinstance(exc, InvalidKeyError):
            challenge += ', error="invalid_token"'
        headers["WWW-Authenticate"] = challenge
    if slug in _RETRY_AFTER:
        headers["Retry-After"] = _RETRY_AFTER[slug]
    if isinstance(exc, UnavailableError):
        headers["Retry-After"] = str(exc.retry_after_s)
    if isinstance(exc, InvalidInputError):
        extensions["errors"] = [{"location": exc.field, "field": exc.field.rsplit(".", 1)[-1],
                                 "message": exc.reason, "type": "invalid_input"}]
    extensions.update(getattr(exc, "extensions", None) or {})  # e.g. the ingest report
    detail = str(exc)
    if status >= 500 and status != 503:
        log.error("%s %s failed: %s", request.method, request.url.path, exc, exc_info=exc)
        if isinstance(exc, ConfigurationError):
            detail = f"innograph is misconfigured: {exc}"
        else:
            detail = "the server failed; the error is in its log"
    return problem(request, status, slug, title, detail, headers or None, **extensions)


def _field_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    out = []
    for error in exc.errors():
        loc = [str(part) for part in error.get("loc", ())]
        out.append(
            {
                "location": ".".join(loc),
                "field": next((part for part in reversed(loc[1:]) if not part.isdigit()), None),
                "message": error.get("msg", "invalid value"),
                "type": error.get("type"),
                "input": error.get("input") if isinstance(error.get("input"), (str, int, float, bool)) else None,
            }
        )
    return out


_WHERE = {"query": "query parameter", "path": "path parameter", "body": "body field", "header": "header"}


async def validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = _field_errors(exc)
    parts = []
    for error in errors:
        where, _, rest = error["location"].partition(".")
        parts.append(f"{_WHERE.get(where, where)} {rest or where}: {error['message']}")
    detail = "; ".join(parts) or "the request is not valid"
    return problem(request, 422, "validation", "Invalid request", detail, errors=errors)


async def http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    detail = exc.detail if isinstance(exc.detail, str) else phrase
    if status == 404 and detail == "Not Found":
        detail = f"no endpoint {request.method} {request.url.path}; the endpoints are listed at /docs"
    elif status == 405:
        allowed = allowed_methods(request)
        detail = f"{request.method} is not allowed on {request.url.path}; allowed: {', '.join(allowed)}"
        return problem(request, status, "method-not-allowed", "Method not allowed", detail, {"Allow": ", ".join(allowed)})
    elif status == 400 and detail == "There was an error parsing the body":  # FastAPI's words, for any cause
        detail = ("the body cannot be read: it must be JSON in UTF-8, nested at most a few hundred levels "
                  "(or the form the endpoint documents)")
    elif status == 413:
        if detail != phrase:  # a limit that names itself (api.security's cap on non-upload requests)
            return problem(request, 413, "too-large", "The request body is too large", detail)
        return await innograph_error(request, PayloadTooLargeError(request.app.state.settings.max_upload_bytes))
    slug = phrase.lower().replace(" ", "-")
    return problem(request, status, slug, phrase.capitalize(), detail, dict(exc.headers) if exc.headers else None)


def allowed_methods(request: Request) -> list[str]:
    """Every method some route of the application serves on this path.

    Why: Starlette's 405 names the methods of the first route whose path matched, but one path can
    have a route per method (the Graph Store, SPARQL): the ``Allow`` header must list them all.
    Each method is tried against the routes' own matching (included routers match for their routes).
    """
    methods = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]
    routes = request.app.router.routes
    return [m for m in methods
            if any(route.matches({**request.scope, "method": m})[0] is Match.FULL for route in routes)]


async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    log.exception("%s %s failed", request.method, request.url.path, exc_info=exc)
    return problem(request, 500, "internal", "Internal error", "the server failed; the error is in its log")


def install(app: FastAPI) -> None:
    """Register every handler on ``app``."""
    app.add_exception_handler(InnographError, innograph_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, unexpected_error)
