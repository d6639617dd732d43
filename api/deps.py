"""Dependencies of the routes, as ``Annotated`` aliases (full-stack-fastapi-template style).

Why aliases: a route's signature then says what it needs in its own words
(``store: Store, _: EditorAccess, page: Pagination``) and the wiring lives here once.
The store and settings are the ones ``api.app.create_app`` put on ``app.state``, so tests
build an app over their own store and nothing reads global state.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query, Request

from api.auth import Principal, require_role
from api.keys import Role
from common.settings import Settings
from graph.store import GraphStore

#: Largest page any list endpoint returns.
MAX_LIMIT = 500
#: Largest offset accepted (beyond it a client is scanning, and should narrow its query).
MAX_OFFSET = 1_000_000


def get_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def get_store(request: Request) -> GraphStore:
    return request.app.state.store  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Page:
    """Which slice of a list to return."""

    limit: int
    offset: int


def pagination(
    limit: Annotated[
        int,
        Query(ge=0, le=MAX_LIMIT, description=f"Most items to return (0-{MAX_LIMIT}; 0 gives only the count)."),
    ] = 20,
    offset: Annotated[
        int, Query(ge=0, le=MAX_OFFSET, description="Items to skip before the first one returned.")
    ] = 0,
) -> Page:
    return Page(limit, offset)


SettingsDep = Annotated[Settings, Depends(get_settings)]
Store = Annotated[GraphStore, Depends(get_store)]
Pagination = Annotated[Page, Depends(pagination)]
ReaderAccess = Annotated[Principal, Depends(require_role(Role.reader))]
EditorAccess = Annotated[Principal, Depends(require_role(Role.editor))]
AdminAccess = Annotated[Principal, Depends(require_role(Role.admin))]
