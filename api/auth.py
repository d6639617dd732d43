"""Who is calling and what they may do: API keys with roles reader < member < editor < admin.

A key is sent as ``Authorization: Bearer <key>`` or ``X-API-Key: <key>``. Without a key a
request is an anonymous reader when ``Settings.allow_anonymous_read`` is on (the default:
the graph holds public data), and is refused otherwise. A key that is sent but wrong is
always refused, even where anonymous reading is allowed: a typo must not silently
downgrade a client to anonymous.

- missing key where one is needed, unknown, malformed or revoked key: 401 with
  ``WWW-Authenticate: Bearer``; an anonymous caller asking for more than reading: 401 too,
  since a key would help;
- a valid key whose role is too low: 403.

A ``member`` key is bound to one organisation (``Principal.organisation``) and may change only
that organisation's records (``graph.records`` checks it); a key bound to a region
(``Principal.region``, a NUTS code) is a broker of that region.

Routes declare what they need with the ``Annotated`` aliases of ``api.deps``
(``ReaderAccess``, ``EditorAccess``, ``AdminAccess``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from api.keys import KeyStore, Role
from common.errors import AuthenticationError, PermissionDeniedError
from common.settings import Settings

bearer_scheme = HTTPBearer(
    auto_error=False,
    scheme_name="bearer",
    description="An innograph API key (`innograph keys create`) as a bearer token.",
)
api_key_scheme = APIKeyHeader(
    name="X-API-Key",
    auto_error=False,
    scheme_name="apiKey",
    description="The same API key in the X-API-Key header, for clients that cannot set Authorization.",
)


class InvalidKeyError(AuthenticationError):
    """A key was sent but is unknown, malformed or revoked (``error="invalid_token"``)."""


@dataclass(frozen=True)
class Principal:
    """The caller: a key's id, name, role and binding (organisation id, NUTS region), or the anonymous reader."""

    role: Role
    key_id: str | None = None
    name: str = "anonymous"
    organisation: str | None = None
    region: str | None = None

    @property
    def anonymous(self) -> bool:
        return self.key_id is None


ANONYMOUS = Principal(Role.reader)
HOW_TO_SEND = "send it as 'Authorization: Bearer <key>' or 'X-API-Key: <key>' (keys: `innograph keys create`)"


def authenticate(
    request: Request,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    api_key: Annotated[str | None, Depends(api_key_scheme)],
) -> Principal | None:
    """The caller of this request; None when no key was sent and anonymous reading is off.

    (``bearer`` and ``api_key`` are declared so that OpenAPI shows both schemes; the headers
    themselves are read by ``caller``, which the upload check also uses before a body is read.)
    """
    return caller(request)


def caller(request: Request) -> Principal | None:
    """The caller from the request's headers alone (see ``authenticate``)."""
    settings: Settings = request.app.state.settings
    keys: KeyStore = request.app.state.keys
    presented = None
    authorization = request.headers.get("authorization")
    if authorization:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise InvalidKeyError(f"the Authorization header must use the Bearer scheme: {HOW_TO_SEND}")
        presented = token.strip()
    api_key = request.headers.get("x-api-key")
    if api_key is not None:
        if presented is not None and presented != api_key:
            raise InvalidKeyError("Authorization and X-API-Key carry different keys: send one of them")
        presented = api_key
    if presented is None:
        return ANONYMOUS if settings.allow_anonymous_read else None
    record = keys.verify(presented)
    if record is None:
        raise InvalidKeyError("the API key is unknown, malformed or revoked")
    return Principal(record.role, record.id, record.name, record.organisation, record.region)


def admit(principal: Principal | None, needed: Role) -> Principal:
    """``principal`` if its role is ``needed`` or higher; else the 401 or 403 of the module docstring."""
    if principal is None:
        raise AuthenticationError(f"this endpoint needs an API key (role {needed} or higher): {HOW_TO_SEND}")
    if not principal.role.allows(needed):
        if principal.anonymous:
            raise AuthenticationError(
                f"anonymous callers may only read; this endpoint needs a key with role {needed} or higher: "
                f"{HOW_TO_SEND}"
            )
        raise PermissionDeniedError(
            f"key {principal.key_id} ({principal.name}) has role {principal.role}; "
            f"this needs role {needed} or higher"
        )
    return principal


def require_role(needed: Role) -> Callable[..., Principal]:
    """A dependency admitting callers whose role is ``needed`` or higher."""

    def dependency(principal: Annotated[Principal | None, Depends(authenticate)]) -> Principal:
        return admit(principal, needed)

    dependency.__name__ = f"require_{needed}"
    return dependency
