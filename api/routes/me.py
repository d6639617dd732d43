"""Who am I (``GET /me``) and my organisation's records (``GET /me/records``).

Why: a member keeps its offers and requests through the API (``api.routes.records``) and must find
them again from any browser, drafts, expired and withdrawn ones included, each with the ETag an
edit needs and how much interest it received; and a client (the web UI's "My organisation") must
learn which organisation its key acts for before it shows anything. Both need a key (401 without):
they are about the caller.

Who may list what (``GET /me/records``), each refusal naming its rule:

- a member key lists its own organisation's records (``?organisation=`` may only repeat it:
  403 ``not-your-organisation``, rule ``member-own-organisation``);
- an editor or admin key lists any organisation's (``?organisation=``, else the one it is bound to);
- a reader key lists none (403, rule ``records-list-needs-member``): it acts for no organisation.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from api.auth import Principal
from api.deps import Pagination
from api.keys import Role
from api.routes._keyed import KeyAccess
from api.routes.records import Service
from api.schemas.common import problem_responses
from api.schemas.me import InterestCounts, MePublic, MyRecord, MyRecordsPage, OrganisationRef, RegionRef
from common.errors import InvalidInputError, NoOrganisationError, NotYourOrganisationError
from graph.operations import Interests
from graph.records import organisation_records
from graph.store import GraphStore
from graph.views import display_label, organisation_iri
from ontology._namespaces import NUTS

router = APIRouter(tags=["records"])
ORG_ID = r"^[A-Za-z0-9][A-Za-z0-9._~/-]{0,199}$"
#: The rule a reader key meets on GET /me/records (named in the 403).
READER_RULE = ("rule records-list-needs-member: GET /me/records lists the records of the organisation a key acts "
               "for; key {key} ({name}) has role reader and acts for none. Use a member key of the organisation "
               "(innograph keys create --role member --organisation <id>), or an editor key with ?organisation=")


def _organisation(store: GraphStore, org_id: str) -> OrganisationRef:
    iri = organisation_iri(org_id)
    return OrganisationRef(id=org_id, iri=iri.value, label=display_label(store, iri.value))


@router.get("/me", summary="Who am I: the key's name, role, organisation and region",
            responses=problem_responses(401, 422))
def who_am_i(request: Request, caller: KeyAccess) -> MePublic:
    """The key of this request as the server sees it (its secret is never returned): which organisation it
    acts for (with its display name) and which region it is a broker of."""
    store: GraphStore = request.app.state.store
    region = None
    if caller.region is not None:
        region = RegionRef(code=caller.region, label=display_label(store, f"{NUTS}{caller.region}"))
    return MePublic(key_id=caller.key_id or "", key_name=caller.name, role=caller.role.value,
                    organisation=_organisation(store, caller.organisation) if caller.organisation else None,
                    region=region, may_change_any_organisation=caller.role.allows(Role.editor))


def whose_records(caller: Principal, organisation: str | None) -> str:
    """The organisation whose records ``caller`` may list, asked for as ``organisation`` (see the module)."""
    if not caller.role.allows(Role.member):
        raise NoOrganisationError(READER_RULE.format(key=caller.key_id, name=caller.name))
    if caller.role.allows(Role.editor):
        chosen = organisation or caller.organisation
        if chosen is None:
            raise InvalidInputError("organisation", "an editor key acts for every organisation: say whose records "
                                    "to list with ?organisation=<id>")
        return chosen
    if caller.organisation is None:
        raise NoOrganisationError(READER_RULE.format(key=caller.key_id, name=caller.name).replace(
            "has role reader and acts for none", "is a member key bound to no organisation"))
    if organisation is not None and organisation != caller.organisation:
        raise NotYourOrganisationError(
            f"rule member-own-organisation: key {caller.key_id} is a member key of organisation "
            f"{caller.organisation!r} and may list only that organisation's records, not {organisation!r} "
            "(editors may list any organisation's records)")
    return caller.organisation


@router.get("/me/records", summary="My organisation's offers and requests, any status, with ETags and interest",
            responses=problem_responses(401, 403, 404, 422))
def my_records(
    request: Request, caller: KeyAccess, records: Service, page: Pagination,
    kind: Annotated[Literal["offer", "request"] | None, Query(description="Only offers, or only requests.")] = None,
    status: Annotated[Literal["draft", "published", "expired", "withdrawn"] | None, Query(
        description="Only records of this status (expired: published, but past the expiry date).")] = None,
    organisation: Annotated[str | None, Query(pattern=ORG_ID, description="Editors: whose records (an organisation "
                                              "id); a member key may give only its own.")] = None,
) -> MyRecordsPage:
    """Newest change first. Drafts, expired and withdrawn records are listed too (matching leaves them out);
    each carries its ETag (If-Match for PATCH, renew, DELETE) and the expressions of interest it received, by
    status (the messages themselves are in GET /inbox)."""
    org_id = whose_records(caller, organisation)
    found, count = organisation_records(records, org_id, kind, status, page.limit, page.offset)
    interest = Interests(request.app.state.ops, records.store).received_per_target([r.iri for r in found])
    data = []
    for record in found:
        by_status = interest.get(record.iri, {})
        counts = InterestCounts(total=sum(by_status.values()), pending=by_status.get("pending", 0),
                                accepted=by_status.get("accepted", 0), declined=by_status.get("declined", 0))
        data.append(MyRecord.model_validate({**asdict(record), "interest": counts}))
    return MyRecordsPage(organisation=_organisation(records.store, org_id), data=data, count=count,
                         limit=page.limit, offset=page.offset)
