"""PATCH /organisations/{id}: a member edits its own organisation's profile (If-Match required).

Who: a member key bound to that organisation, or an editor/admin for any (403
``not-your-organisation`` naming the rule otherwise). The ETag is the one ``GET
/organisations/{id}`` sends; 428 without If-Match, 412 when stale. Contact details are not
editable here: they are private and never in the graph. The rules of how the member's
statements sit beside the sources' are in ``graph.records._organisation``.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from api.routes.records import WRITE_RESPONSES, IfMatch, MemberAccess, Service, actor
from api.schemas.records import Codes, Description, Keywords
from graph.records import MAX_WEBSITE, OwnProfile, edit_organisation

router = APIRouter(tags=["records"])
Website = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_WEBSITE)]
Region = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)]


class OrganisationEdit(BaseModel):
    """The organisation's own statements; a field left out stays, null clears the member's value
    (the sources' values are never removed). Plain text: HTML is stored and returned as text."""

    model_config = ConfigDict(extra="forbid")
    description: Description | None = Field(default=None, description="What the organisation does (ro or en).")
    competences: Keywords | None = Field(default=None, description="Competences as short keywords.")
    fields: Codes | None = Field(default=None, description="EuroSciVoc fields: codes, labels or IRIs.")
    sectors: Codes | None = Field(default=None, description="NACE Rev. 2 / CAEN codes (01.11, 0111).")
    region: Region | None = Field(default=None, description="NUTS 2021 code (RO21, RO211).")
    website: Website | None = Field(default=None, description="Absolute http(s) address.")


class OwnProfilePublic(BaseModel):
    """What the organisation's members stated themselves; GET /organisations/{id} shows it merged."""

    organisation: str
    iri: str
    etag: str
    description: str | None
    website: str | None
    region: str | None
    competences: list[str]
    fields: list[str]
    sectors: list[str]


OrgId = Annotated[str, Path(description="The organisation's id, as in GET /organisations/{id} (osim, pic/999918293).",
                            max_length=200,
                            openapi_examples={"partnership member": {"value": "osim"},
                                              "CORDIS participant": {"value": "pic/999918293"}})]


@router.patch("/organisations/{org_id:path}", summary="Edit your organisation's profile (If-Match required)",
              responses={200: {"headers": {"ETag": {"schema": {"type": "string"}}}}, **WRITE_RESPONSES},
              name="edit_organisation")
def edit(request: Request, records: Service, principal: MemberAccess, response: Response, org_id: OrgId,
         body: OrganisationEdit, if_match: IfMatch = None) -> OwnProfilePublic:
    profile: OwnProfile = edit_organisation(records, org_id, actor(request, principal), if_match,
                                            body.model_dump(exclude_unset=True))
    response.headers["ETag"] = profile.etag
    return OwnProfilePublic.model_validate(asdict(profile))
