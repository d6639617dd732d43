"""GET /vocabularies, GET /vocabularies/{scheme}: the codes sources and filters use."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from api.deps import Pagination, ReaderAccess, Store
from api.schemas.common import problem_responses
from api.schemas.vocabularies import Concept, Scheme, SchemeConcepts, SchemeList
from graph.views import list_schemes, scheme_concepts

router = APIRouter(tags=["vocabularies"])


@router.get("/vocabularies", summary="The SKOS concept schemes", responses=problem_responses(401, 403))
def get_vocabularies(store: Store, _: ReaderAccess) -> SchemeList:
    """nuts2021, trl, org-kind, nace2, euroscivoc, country, role, member-role, ipr-status, action-area."""
    schemes = [Scheme.model_validate(s, from_attributes=True) for s in list_schemes(store)]
    return SchemeList(data=schemes, count=len(schemes))


@router.get(
    "/vocabularies/{scheme}",
    summary="The concepts of one scheme: notation, labels by language, broader",
    responses=problem_responses(401, 403, 404, 422),
)
def get_vocabulary(
    store: Store,
    _: ReaderAccess,
    page: Pagination,
    scheme: Annotated[
        str,
        Path(max_length=64, description="Local name of the scheme, as listed by GET /vocabularies.",
             openapi_examples={"TRL": {"value": "trl"}, "regions": {"value": "nuts2021"},
                               "sectors": {"value": "nace2"}}),
    ],
) -> SchemeConcepts:
    info, concepts, count = scheme_concepts(store, scheme, limit=page.limit, offset=page.offset)
    return SchemeConcepts(
        scheme=Scheme.model_validate(info, from_attributes=True),
        data=[Concept.model_validate(c, from_attributes=True) for c in concepts],
        count=count, limit=page.limit, offset=page.offset,
    )
