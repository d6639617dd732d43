"""innograph's own exception hierarchy.

Why one hierarchy: the CLI turns these into exit codes and the API maps them to HTTP
problem responses in one place, so every layer raises the domain error and none of them
formats a response itself::

    InnographError
    ├── ConfigurationError        bad settings (422 at start-up, exit 2)
    ├── SourceError               a source cannot be read at all (empty, truncated, not UTF-8 ...)
    │   └── UnknownSourceKindError
    ├── IngestRejectedError       --strict run with rejected records: nothing written
    ├── StoreError                the on-disk store cannot be opened or written
    │   └── StoreLockedError      another process holds the store
    ├── QueryError                a query is refused or fails
    │   ├── QuerySyntaxError      the parser's message (400)
    │   ├── ReadOnlyQueryError    an update sent to a read-only entry point (403)
    │   ├── QueryTimeoutError     stopped after its time limit (503/504)
    │   └── EngineUnavailableError  a query engine cannot be reached or opened (Neo4j down, no projection)
    ├── NotFoundError             an entity, graph or scheme that does not exist (404)
    ├── AuthenticationError       no API key, or an unknown or revoked one (401)
    ├── PermissionDeniedError     the key's role is too low for the operation (403)
    │   ├── NotYourOrganisationError  a member key acting on another organisation's record (403)
    │   └── NoOrganisationError       a key acting for no organisation asks for "my records" (403)
    ├── PreconditionFailedError   If-Match names a version that is no longer current (412)
    ├── PreconditionRequiredError an edit without If-Match (428)
    ├── FetchRefusedError         the request would make the server fetch a URL (SERVICE, LOAD ...) (403)
    ├── PayloadTooLargeError      a request body above the configured limit (413)
    ├── RdfSyntaxError            an uploaded RDF document does not parse (400)
    ├── InvalidInputError         a well-formed request with a value the service refuses (422)
    ├── ConflictError             the request conflicts with the state of the resource (409)
    └── UnavailableError          retry later (Retry-After)
        ├── ComponentWarmingError a component the request needs is still warming up (503)
        ├── OverloadedError       every slot for this kind of request is taken (503)
        └── RateLimitedError      the caller's rate is exceeded (429)
"""

from __future__ import annotations

from typing import ClassVar


class InnographError(Exception):
    """Root of every error innograph raises on purpose."""


class ConfigurationError(InnographError):
    """A setting is missing, malformed or insecure."""


class SourceError(InnographError):
    """A whole source cannot be read (as opposed to single rejected records)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class UnknownSourceKindError(SourceError):
    """innograph cannot tell which pipeline reads this file."""


class IngestRejectedError(InnographError):
    """Records were rejected in a strict run, so nothing was written."""


class StoreError(InnographError):
    """The RDF store cannot be opened, read or written."""


class StoreLockedError(StoreError):
    """The store directory is in use by another process."""


class QueryError(InnographError):
    """A query was refused or failed."""


class QuerySyntaxError(QueryError):
    """The query does not parse; the message is the parser's."""


class ReadOnlyQueryError(QueryError):
    """An update was sent where only read queries are allowed."""


class QueryTimeoutError(QueryError):
    """The query ran longer than its limit and was stopped."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"query stopped after its time limit of {seconds:g} s")
        self.seconds = seconds


class EngineUnavailableError(QueryError):
    """The engine a query needs cannot be reached or opened: Neo4j down, Cypher projection not built."""


class NotFoundError(InnographError):
    """The requested entity, graph or vocabulary does not exist."""


class InvalidInputError(InnographError):
    """A request is well-formed but its values make no sense (unknown region code, empty need ...)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class ConflictError(InnographError):
    """The request is valid but conflicts with the resource's state: a withdrawn offer, an answer given
    twice, a record loaded from a source file edited through the API."""


class AuthenticationError(InnographError):
    """No API key was sent where one is needed, or the key is unknown or revoked."""


class PermissionDeniedError(InnographError):
    """The caller is known, but its role does not allow the operation."""


class NotYourOrganisationError(PermissionDeniedError):
    """A member key (bound to one organisation) asked to change another organisation's record."""

    extensions: ClassVar[dict[str, str]] = {"rule": "member-own-organisation"}


class NoOrganisationError(PermissionDeniedError):
    """A key that acts for no organisation (a reader key) asked for an organisation's own records."""

    extensions: ClassVar[dict[str, str]] = {"rule": "records-list-needs-member"}


class PreconditionFailedError(InnographError):
    """The version the client edited (If-Match) is no longer the current one: re-read, then edit."""


class PreconditionRequiredError(InnographError):
    """An edit came without If-Match: without it a client could overwrite a change it never saw."""


class FetchRefusedError(InnographError):
    """The request would make the server fetch from the network on the caller's behalf (SPARQL
    ``SERVICE`` or ``LOAD``, Cypher ``LOAD CSV``, a remote JSON-LD context ...): refused, whoever asks."""


class RdfSyntaxError(InnographError):
    """An RDF document sent to the API (Graph Store Protocol) does not parse; the parser's message."""


class PayloadTooLargeError(InnographError):
    """A request body is larger than ``Settings.max_upload_bytes``."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"the request body is larger than the limit of {limit:,} bytes (INNOGRAPH_MAX_UPLOAD_BYTES); "
            "split the source into smaller files or raise the limit"
        )
        self.limit = limit



class UnavailableError(InnographError):
    """The server cannot take this request now; the caller should retry after ``retry_after_s`` (503/429).

    ``extensions`` are added to the problem response (what is warming, how far it got).
    """

    def __init__(self, message: str, *, retry_after_s: int = 5, **extensions: object) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s
        self.extensions = {k: v for k, v in extensions.items() if v is not None}


class ComponentWarmingError(UnavailableError):
    """A component the request needs (matching index, Cypher projection ...) is still being built (503)."""


class OverloadedError(UnavailableError):
    """Every slot for this kind of request is taken (503)."""


class RateLimitedError(UnavailableError):
    """This caller sent more requests than its rate allows (429)."""
