"""Members' offers and requests: POST/GET/PATCH/DELETE /offers[/{id}], renew, history; same for /requests.

Who may do what: reading is as for every GET; creating and changing needs a key of role
member or higher, and a member key only for its own organisation's records (403
``not-your-organisation`` naming the rule); editors and admins act for any organisation.
Every answer that carries a record carries its ``ETag``; ``PATCH``, ``DELETE`` and
``.../renew`` need ``If-Match`` with it (428 without, 412 when stale). The work is in
``graph.records`` (validation, one transaction, PROV, history, the indexes following).
"""

# no ``from __future__ import annotations``: the routes are made in a function, and FastAPI must see
# the body model of each (a closure variable) as a type, not as a name to look up in this module.
import hashlib
import hmac
import logging
import os
import secrets
import threading
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Request, Response

from api.auth import Principal, require_role
from api.deps import ReaderAccess
from api.keys import KeyStore, Role
from api.schemas.common import Problem, problem_responses
from api.schemas.records import (
    ChangePublic,
    HistoryPublic,
    OfferCreate,
    OfferUpdate,
    RecordPublic,
    RequestCreate,
    RequestUpdate,
)
from graph.records import Actor, Kind, Record, RecordService, matcher_follower
from graph.writes import AfterWrite, Write

log = logging.getLogger(__name__)
router = APIRouter(tags=["records"])
MemberAccess = Annotated[Principal, Depends(require_role(Role.member))]
_service_lock = threading.Lock()

RecordId = Annotated[str, Path(
    pattern=r"^[a-z0-9][a-z0-9._-]{0,127}$",
    description="The record's id (its IRI's last part): a member record's id starts with its organisation's id.",
    openapi_examples={"an illustrative offer": {"value": "offer-heat-pump-grain-dryer"},
                      "a member's record": {"value": "osim-3f9a1c2e"}},
)]
IfMatch = Annotated[str | None, Header(description="The ETag of the version you edit (from GET, POST or PATCH). "
                                                   "Required: 428 without it, 412 if the record changed since.")]
_ETAG = {"ETag": {"description": "The version of the record: send it as If-Match to change it.",
                  "schema": {"type": "string"}}}
_EXTRA: dict[int | str, dict[str, Any]] = {
    409: {"model": Problem, "description": "The record was withdrawn, or was loaded from a source file (problem+json)."},
    412: {"model": Problem, "description": "If-Match is stale: the record changed since it was read (problem+json)."},
    428: {"model": Problem, "description": "If-Match is missing (problem+json)."},
}
WRITE_RESPONSES = {**problem_responses(401, 403, 404, 422), **_EXTRA}


def service(request: Request) -> RecordService:
    """The app's record service (made on first use; its changes move the app's matcher along)."""
    state = request.app.state
    with _service_lock:
        if getattr(state, "records", None) is None:
            after: AfterWrite = state.after_write  # replica, saved needs, background caches (graph.writes)
            state.records = RecordService(state.store, state.settings.record_expiry_months, matcher_follower(
                state.matcher, lambda iri: after(Write("records", profiles=frozenset({iri.value})))))
    return state.records  # type: ignore[no-any-return]


Service = Annotated[RecordService, Depends(service)]


def pseudonym(request: Request, key_id: str) -> str:
    """A key's pseudonym in the public PROV records: HMAC of its id with a secret of the data folder.

    Why: key bindings (which key acts for which organisation) are operational data, and anonymous
    SPARQL reads the provenance graph; the pseudonym links a record's changes to one key without
    naming it. The secret (``<data_dir>/agent-pseudonyms.key``, 0600) never leaves the data folder.
    """
    path = request.app.state.settings.data_dir / "agent-pseudonyms.key"
    with _service_lock:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(secrets.token_bytes(32))
        secret = path.read_bytes()
    return hmac.new(secret, key_id.encode(), hashlib.sha256).hexdigest()[:16]


def actor(request: Request, principal: Principal) -> Actor:
    return Actor(principal.key_id, principal.organisation, principal.role.allows(Role.editor),
                 pseudonym(request, principal.key_id) if principal.key_id else None)


def _answer(record: Record, response: Response) -> RecordPublic:
    response.headers["ETag"] = record.etag
    return RecordPublic.model_validate(asdict(record))


def _history(request: Request, records: RecordService, kind: Kind, record_id: str,
             principal: Principal) -> HistoryPublic:
    changes = records.history(kind, record_id)
    org = records.owner(kind, record_id)[1]
    known: dict[str, tuple[str, str]] = {}
    if principal.role.allows(Role.editor) or (principal.organisation == org and not principal.anonymous):
        keys: KeyStore = request.app.state.keys
        known = {pseudonym(request, k.id): (k.id, k.name) for k in keys.list()}
    data = [ChangePublic(**asdict(c), by_key=known.get(c.by, (None, None))[0], by_name=known.get(c.by, (None, None))[1])
            for c in changes]
    return HistoryPublic(data=data, count=len(data))


def _routes(kind: Kind, create_model: type[OfferCreate | RequestCreate],
            update_model: type[OfferUpdate | RequestUpdate]) -> None:
    base = f"/{kind}s"
    noun = "offer" if kind == "offer" else "request (need)"

    @router.post(base, status_code=201, summary=f"Publish a {noun} (role member: own organisation)",
                 responses={201: {"headers": _ETAG}, **WRITE_RESPONSES}, name=f"create_{kind}")
    def create(request: Request, records: Service, principal: MemberAccess, response: Response,
               body: create_model) -> RecordPublic:  # type: ignore[valid-type]
        values = body.model_dump(exclude={"organisation"}, exclude_none=True)  # type: ignore[attr-defined]
        record = records.create(kind, actor(request, principal), body.organisation, values)  # type: ignore[attr-defined]
        response.headers["Location"] = f"{base}/{record.id}"
        return _answer(record, response)

    @router.get(f"{base}/{{record_id}}", summary=f"One {noun}, with its status and ETag",
                responses={200: {"headers": _ETAG}, **problem_responses(401, 403, 404, 422)}, name=f"get_{kind}")
    def read(records: Service, _: ReaderAccess, response: Response, record_id: RecordId) -> RecordPublic:
        return _answer(records.get(kind, record_id), response)

    @router.patch(f"{base}/{{record_id}}", summary=f"Change a {noun} (If-Match required)",
                  responses={200: {"headers": _ETAG}, **WRITE_RESPONSES}, name=f"update_{kind}")
    def update(request: Request, records: Service, principal: MemberAccess, response: Response, record_id: RecordId,
               body: update_model, if_match: IfMatch = None) -> RecordPublic:  # type: ignore[valid-type]
        values = body.model_dump(exclude_unset=True)  # type: ignore[attr-defined]
        record = records.update(kind, record_id, actor(request, principal), if_match, values)
        return _answer(record, response)

    @router.delete(f"{base}/{{record_id}}", summary=f"Withdraw a {noun}: out of matching, kept with its history",
                   responses={200: {"headers": _ETAG}, **WRITE_RESPONSES}, name=f"withdraw_{kind}")
    def withdraw(request: Request, records: Service, principal: MemberAccess, response: Response, record_id: RecordId,
                 if_match: IfMatch = None) -> RecordPublic:
        return _answer(records.withdraw(kind, record_id, actor(request, principal), if_match), response)

    @router.post(f"{base}/{{record_id}}/renew", summary=f"Renew a {noun}: expiry moved 12 months from today",
                 responses={200: {"headers": _ETAG}, **WRITE_RESPONSES}, name=f"renew_{kind}")
    def renew(request: Request, records: Service, principal: MemberAccess, response: Response, record_id: RecordId,
              if_match: IfMatch = None) -> RecordPublic:
        return _answer(records.renew(kind, record_id, actor(request, principal), if_match), response)

    @router.get(f"{base}/{{record_id}}/history", summary=f"Every change of a {noun}: when, by which key, what",
                responses=problem_responses(401, 403, 404, 422), name=f"history_{kind}")
    def history(request: Request, records: Service, principal: ReaderAccess, record_id: RecordId) -> HistoryPublic:
        return _history(request, records, kind, record_id, principal)


_routes("offer", OfferCreate, OfferUpdate)
_routes("request", RequestCreate, RequestUpdate)
