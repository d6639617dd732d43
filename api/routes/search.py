"""GET /search: entities by name."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import Pagination, ReaderAccess, Store
from api.schemas.common import problem_responses
from api.schemas.search import EntityKind, SearchHit, SearchResults
from graph.views import Entity, is_region, search

router = APIRouter(tags=["search"])

QUERY_EXAMPLES = {
    "acronym": {"summary": "An acronym", "value": "OSIM"},
    "no diacritics": {"summary": "Romanian name typed without diacritics",
                      "value": "agentia pentru dezvoltare regionala nord-est"},
    "words in any order": {"summary": "Words in any order", "value": "nord est"},
    "code": {"summary": "A NUTS or NACE code", "value": "RO21"},
}


def _href(entity: Entity) -> str | None:
    if entity.id is not None:
        return f"/organisations/{entity.id}"
    if is_region(entity):
        return f"/regions/{entity.iri.rsplit('/', 1)[-1]}"
    return None


@router.get(
    "/search",
    summary="Find organisations, projects, offers, requests, partnerships and concepts by name",
    responses=problem_responses(401, 403, 422),
)
def search_entities(
    store: Store,
    _: ReaderAccess,
    page: Pagination,
    q: Annotated[
        str,
        Query(min_length=2, max_length=200, description="Text to find in names, titles, acronyms and codes.",
              openapi_examples=QUERY_EXAMPLES),
    ],
    kind: Annotated[
        list[EntityKind] | None,
        Query(description="Only these kinds (repeat the parameter for several).",
              openapi_examples={"organisations": {"value": ["organisation"]},
                                "supply and demand": {"value": ["offer", "request"]}}),
    ] = None,
) -> SearchResults:
    """Case and diacritics do not matter (ș/ş, ț/ţ, ă, â, î match s, t, a, i). Results are ranked
    exact name > name starts with the query > a word starts with it > contains it > all its words
    appear, in any order; then organisations before other kinds, shorter names first.
    """
    result = search(store, q, [k.value for k in kind] if kind else None, page.limit, page.offset)
    hits = [
        SearchHit(
            iri=hit.entity.iri, kind=EntityKind(hit.entity.kind), label=hit.entity.label,
            matched_label=hit.matched_label, match=hit.match_name,
            id=hit.entity.id, scheme=hit.entity.scheme, href=_href(hit.entity),
        )
        for hit in result.hits
    ]
    return SearchResults(data=hits, count=result.count, limit=page.limit, offset=page.offset, query=q)
