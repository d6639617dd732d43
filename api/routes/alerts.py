"""Saved needs that alert: POST/GET/DELETE /alerts, the Atom feed, the feed token.

Thin: the work is in ``graph.alerts`` (scoring state, incremental evaluation, feed, webhook).
An alert belongs to the API key that saved it; its feed is readable without headers by whoever
holds the feed URL (the token in it is the capability, revocable with POST .../feed-token).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Path, Query, Request, Response

from api import warmup
from api.deps import Pagination
from api.keys import Role
from api.routes._keyed import KeyAccess
from api.schemas.alerts import AlertCreate, AlertCreated, AlertOut, AlertPage, FeedAccess
from api.schemas.common import Problem, problem_responses
from common.errors import PermissionDeniedError
from graph.alerts import Alerts, atom_feed
from graph.matching import MatchContext, MatchFilters

router = APIRouter(tags=["alerts"])
ALERT_ID = Annotated[str, Path(pattern=r"^[0-9a-f]{16}$", description="The alert's id (from POST /alerts).",
                                openapi_examples={"an alert": {"value": "3f9c2a7b1d04e865"}})]
ATOM_TYPE = "application/atom+xml"


def _alerts(request: Request) -> Alerts:
    return request.app.state.alerts  # type: ignore[no-any-return]


def _feed_url(request: Request, alert_id: str, token: str) -> str:
    return f"{request.url_for('alert_feed', alert_id=alert_id)}?token={token}"


@router.post("/alerts", status_code=201, summary="Save a need and be told when new profiles enter its top 10",
             responses=problem_responses(401, 403, 422, 503))
def create_alert(request: Request, caller: KeyAccess, body: Annotated[AlertCreate, Body()]) -> AlertCreated:
    """Any key may save needs. The need is validated as POST /match validates it; the answer carries the
    current top 10 and the Atom feed URL (shown once). A webhook needs the admin role and an allow-listed host."""
    if body.webhook_url is not None and not caller.role.allows(Role.admin):
        raise PermissionDeniedError(f"key {caller.key_id} has role {caller.role}: only admins may set a webhook "
                                    "(for their integrations); follow the Atom feed instead")
    warmup.require(request, warmup.MODEL, warmup.MATCHING[body.direction], warmup.SIGNALS)
    alert, token = _alerts(request).create(
        caller.key_id or "", caller.organisation, body.text, body.direction,
        MatchFilters(**body.filters.model_dump()), MatchContext(**body.context.model_dump()), body.webhook_url)
    return AlertCreated(**alert, feed_url=_feed_url(request, alert["id"], token))


@router.get("/alerts", summary="The alerts saved with this key", responses=problem_responses(401, 403, 422))
def list_alerts(request: Request, caller: KeyAccess, page: Pagination) -> AlertPage:
    """Your own alerts (an admin key sees every alert)."""
    owner = None if caller.role.allows(Role.admin) else caller.key_id
    data, count = _alerts(request).of_key(owner, page.limit, page.offset)
    return AlertPage(data=[AlertOut(**a) for a in data], count=count, limit=page.limit, offset=page.offset)


@router.get("/alerts/{alert_id}", summary="One alert: its need, current top 10 and the profiles recorded",
            responses=problem_responses(401, 403, 404, 422))
def get_alert(request: Request, caller: KeyAccess, alert_id: ALERT_ID) -> AlertOut:
    alerts = _alerts(request)
    alerts.check_owner(alert_id, caller.key_id, caller.role.allows(Role.admin))
    return AlertOut(**alerts.get(alert_id))


@router.delete("/alerts/{alert_id}", status_code=204, summary="Delete an alert (its feed stops at once)",
               responses=problem_responses(401, 403, 404, 422))
def delete_alert(request: Request, caller: KeyAccess, alert_id: ALERT_ID) -> Response:
    alerts = _alerts(request)
    alerts.check_owner(alert_id, caller.key_id, caller.role.allows(Role.admin))
    alerts.delete(alert_id)
    return Response(status_code=204)


@router.post("/alerts/{alert_id}/feed-token", summary="Replace the feed URL's token (the old URL stops working)",
             responses=problem_responses(401, 403, 404, 422))
def rotate_feed_token(request: Request, caller: KeyAccess, alert_id: ALERT_ID) -> FeedAccess:
    alerts = _alerts(request)
    alerts.check_owner(alert_id, caller.key_id, caller.role.allows(Role.admin))
    return FeedAccess(feed_url=_feed_url(request, alert_id, alerts.rotate_token(alert_id)))


@router.get(
    "/alerts/{alert_id}/feed.atom", name="alert_feed", response_class=Response,
    summary="The alert's Atom feed, for feed readers (no headers: the token in the URL is the key)",
    responses={200: {"description": "An Atom 1.0 feed (RFC 4287).", "content": {ATOM_TYPE: {"schema": {"type": "string"}}}},
               404: {"model": Problem, "description": "No such alert, or the token is wrong or revoked."},
               **problem_responses(422)},
)
def alert_feed(
    request: Request, alert_id: ALERT_ID,
    token: Annotated[str, Query(min_length=1, max_length=200, description="The secret of the feed URL.")],
) -> Response:
    alert = _alerts(request).by_token(alert_id, token)
    body = atom_feed(alert, str(request.url_for("alert_feed", alert_id=alert_id)), str(request.base_url))
    return Response(body, media_type=ATOM_TYPE)
