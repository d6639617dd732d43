"""A limit on request bodies, checked before anything reads them.

Why our own middleware: Starlette parses a multipart upload completely (to temporary files)
before the route runs, so a size check in the route comes after the damage. This ASGI
middleware refuses a declared ``Content-Length`` above ``Settings.max_upload_bytes`` at once,
and counts the bytes of bodies sent without one (chunked), stopping at the limit. Both give
the same 413 problem response as every other error (``api.errors``).
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.auth import admit, caller
from api.errors import innograph_error, problem
from api.keys import Role
from common.errors import InnographError, PayloadTooLargeError


class BodySizeLimit:
    """Refuse request bodies larger than ``max_bytes`` with 413."""

    def __init__(self, app: ASGIApp, max_bytes: int, detail: str | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.detail = detail  # None: the upload limit's message (PayloadTooLargeError)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            if self.detail is None:
                response = await innograph_error(Request(scope), PayloadTooLargeError(self.max_bytes))
            else:
                response = problem(Request(scope), 413, "too-large", "The request body is too large", self.detail)
            response.headers["Connection"] = "close"
            await response(scope, receive, send)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    # FastAPI re-raises an HTTPException met while reading the body; api.errors
                    # turns a 413 into the PayloadTooLargeError problem.
                    raise HTTPException(413, self.detail)
            return message

        await self.app(scope, limited, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class AuthBeforeUpload:
    """Check the caller of an upload route before its body is read, not after.

    Why: FastAPI reads a multipart body (up to ``max_upload_bytes``) before it runs a route's
    dependencies, so a caller without a key could make the server receive 100 MB only to be
    told 401. For the routes in ``routes`` the same check as the route's own ``EditorAccess``
    (``api.auth.caller`` and ``admit``) runs on the headers first; the route still checks again.
    """

    def __init__(self, app: ASGIApp, routes: dict[tuple[str, str], Role]) -> None:
        self.app = app
        self.routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        needed = self.routes.get((scope.get("method", ""), scope.get("path", ""))) if scope["type"] == "http" else None
        if needed is not None:
            request = Request(scope)
            try:
                admit(caller(request), needed)
            except InnographError as exc:
                response = await innograph_error(request, exc)
                response.headers["Connection"] = "close"  # the unread body must not be taken for a request
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
