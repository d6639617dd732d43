"""Expressions of interest: POST /offers/{id}/interest, /requests/{id}/interest, GET /inbox, answers.

Thin: the rules are in ``graph.operations`` (who may see and answer what, which records take
interest). Offers and requests are addressed by the ids of their IRIs (``.../id/offer/{id}``),
as in the tabular sources and search results.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Path, Query, Request

from api.auth import Principal
from api.deps import Pagination
from api.keys import Role
from api.routes._keyed import KeyAccess
from api.schemas.common import Problem, problem_responses
from api.schemas.interest import (
    InboxStats,
    InterestAccept,
    InterestCreate,
    InterestDecline,
    InterestOut,
    InterestPage,
    Reason,
)
from graph.operations import REASONS, Interests, Kind, Party

router = APIRouter(tags=["interest"])
RECORD_ID = r"^[a-z0-9][a-z0-9._-]{0,127}$"
INTEREST_ID = Annotated[str, Path(pattern=r"^[0-9a-f]{16}$", description="The expression of interest's id.",
                                   openapi_examples={"an expression": {"value": "8d1e0c55a2b94f17"}})]
ORG_ID = r"^[A-Za-z0-9][A-Za-z0-9._~/-]{0,199}$"
CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {"model": Problem, "description": "The record takes no interest now (withdrawn, expired, draft), or the "
          "same organisation already has a pending one, or it was already answered (problem+json)."}}


def _interests(request: Request) -> Interests:
    return Interests(request.app.state.ops, request.app.state.store)


def _party(caller: Principal) -> Party:
    return Party(caller.key_id or "", caller.organisation, caller.region, caller.role.allows(Role.editor))


def _express(request: Request, caller: Principal, kind: Kind, record_id: str, body: InterestCreate) -> InterestOut:
    out = _interests(request).express(_party(caller), kind, record_id, body.message,
                                      body.contact.model_dump(exclude_none=True))
    return InterestOut(**out)


@router.post("/offers/{offer_id}/interest", status_code=201, summary="Tell an offer's owner you are interested",
             responses={**problem_responses(401, 403, 404, 422), **CONFLICT})
def interest_in_offer(
    request: Request, caller: KeyAccess,
    offer_id: Annotated[str, Path(pattern=RECORD_ID, description="The offer's id (…/id/offer/{id}).",
                                  openapi_examples={"illustrative offer": {"value": "offer-heat-pump-grain-dryer"}})],
    body: Annotated[InterestCreate, Body()],
) -> InterestOut:
    """Needs a key bound to an organisation (a member key). The owner and the brokers of its region see it
    in GET /inbox; your contact is shown to the owner only if it accepts."""
    return _express(request, caller, "offer", offer_id, body)


@router.post("/requests/{request_id}/interest", status_code=201, summary="Tell a request's owner you can help",
             responses={**problem_responses(401, 403, 404, 422), **CONFLICT})
def interest_in_request(
    request: Request, caller: KeyAccess,
    request_id: Annotated[str, Path(pattern=RECORD_ID, description="The request's id (…/id/request/{id}).",
                                    openapi_examples={"illustrative request": {"value": "need-grain-drying-without-gas"}})],
    body: Annotated[InterestCreate, Body()],
) -> InterestOut:
    return _express(request, caller, "request", request_id, body)


@router.get("/inbox", summary="Expressions of interest received (or sent) by your organisation or region",
            responses=problem_responses(401, 403, 422))
def inbox(
    request: Request, caller: KeyAccess, page: Pagination,
    organisation: Annotated[str | None, Query(pattern=ORG_ID, description="One organisation's inbox (yours, one "
                                              "of your region as a broker, or any as an editor).")] = None,
    box: Annotated[Literal["received", "sent"], Query(description="received (default) or sent.")] = "received",
    status: Annotated[Literal["pending", "accepted", "declined"] | None, Query()] = None,
) -> InterestPage:
    data, count = _interests(request).inbox(_party(caller), organisation, box, status, page.limit, page.offset)
    return InterestPage(data=[InterestOut(**d) for d in data], count=count, limit=page.limit, offset=page.offset)


@router.get("/inbox/stats", summary="Received expressions by status, and declines counted by reason",
            responses=problem_responses(401, 403, 422))
def inbox_stats(
    request: Request, caller: KeyAccess,
    organisation: Annotated[str | None, Query(pattern=ORG_ID)] = None,
) -> InboxStats:
    return InboxStats(**_interests(request).stats(_party(caller), organisation))


@router.get("/interests/reasons", summary="The reasons an owner may give for declining (English and Romanian)")
def reasons() -> list[Reason]:
    return [Reason(code=code, label_en=labels["en"], label_ro=labels["ro"]) for code, labels in REASONS.items()]


@router.get("/interests/{interest_id}", summary="One expression of interest with its status history",
            responses=problem_responses(401, 403, 404, 422))
def get_interest(request: Request, caller: KeyAccess, interest_id: INTEREST_ID) -> InterestOut:
    return InterestOut(**_interests(request).get(_party(caller), interest_id))


@router.post("/interests/{interest_id}/accept", summary="Accept (owner only): contacts are shared",
             responses={**problem_responses(401, 403, 404, 422), **CONFLICT})
def accept_interest(request: Request, caller: KeyAccess, interest_id: INTEREST_ID,
                    body: Annotated[InterestAccept, Body()]) -> InterestOut:
    contact = body.contact.model_dump(exclude_none=True) if body.contact else None
    return InterestOut(**_interests(request).decide(_party(caller), interest_id, True, None, body.note, contact))


@router.post("/interests/{interest_id}/decline", summary="Decline with a reason (owner only)",
             responses={**problem_responses(401, 403, 404, 422), **CONFLICT})
def decline_interest(request: Request, caller: KeyAccess, interest_id: INTEREST_ID,
                     body: Annotated[InterestDecline, Body()]) -> InterestOut:
    return InterestOut(**_interests(request).decide(_party(caller), interest_id, False, body.reason, body.note, None))
