"""GET /organisations/{id}: the profile of one organisation."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from api.deps import Pagination, ReaderAccess, Store
from api.schemas.common import problem_responses
from api.schemas.organisations import OrganisationPublic
from graph.matching import Lang, localise_concepts
from graph.records import organisation_etag
from graph.views import organisation_iri, organisation_profile

router = APIRouter(tags=["organisations"])


@router.get(
    "/organisations/{org_id:path}",
    summary="Profile of one organisation: kind, place, units, projects, partners, offers, memberships",
    responses=problem_responses(401, 403, 404, 422),
)
def get_organisation(
    store: Store,
    _: ReaderAccess,
    response: Response,
    page: Pagination,
    org_id: Annotated[
        str,
        Path(
            description="The part of the organisation's IRI after https://w3id.org/innograph/id/org/: "
            "a slug of our tables (osim) or pic/ + a CORDIS PIC (pic/999918293).",
            openapi_examples={"partnership member": {"value": "osim"},
                              "CORDIS participant": {"value": "pic/999918293"}},
        ),
    ],
    lang: Annotated[Lang, Query(description="Language of the concept labels (kind, country, region, sectors ...): "
                                "en, the default, or ro where the vocabulary has Romanian labels.")] = "en",
) -> OrganisationPublic:
    """``limit`` and ``offset`` page the projects (newest start date first); partners are the top 50."""
    profile = organisation_profile(store, org_id, projects_limit=page.limit, projects_offset=page.offset)
    response.headers["ETag"] = organisation_etag(store, organisation_iri(org_id))  # If-Match of PATCH
    return OrganisationPublic.model_validate(localise_concepts(profile.model_dump(), lang, store))
