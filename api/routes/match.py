"""POST /match (supply for a need) and POST /match/demand (demand for an offer)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Query, Request

from api import warmup
from api.deps import ReaderAccess
from api.schemas.common import problem_responses
from api.schemas.match import MatchPageOut, MatchRequest
from graph.match_language import Lang, localise
from graph.matching import MatchContext, Matcher, MatchFilters
from graph.profiles import Direction

router = APIRouter(tags=["matching"])


def get_matcher(request: Request) -> Matcher:
    """The application's matcher (created with the app; its indexes load or build on first use)."""
    return request.app.state.matcher  # type: ignore[no-any-return]


MatcherDep = Annotated[Matcher, Depends(get_matcher)]
#: The language of the answer's words (graph.match_language); the ranking is the same in both.
LangQuery = Annotated[Lang, Query(
    description="Language of the readable words: concept and region labels, the 'understood' summary and the "
    "language name (en, the default, or ro; EuroSciVoc fields have English labels only).")]


def _run(matcher: Matcher, body: MatchRequest, direction: Direction, request: Request, lang: Lang) -> MatchPageOut:
    warmup.require(request, warmup.MODEL, warmup.MATCHING[direction], warmup.SIGNALS)  # 503, never a long wait
    page = matcher.match(
        body.text, direction, filters=MatchFilters(**body.filters.model_dump()),
        context=MatchContext(**body.context.model_dump()), limit=body.limit, offset=body.offset, mode=body.mode,
    )
    page = localise(page, lang, matcher.store)
    return MatchPageOut(data=page.data, count=page.count, limit=body.limit, offset=body.offset,  # type: ignore[arg-type]
                        understood=page.understood)


@router.post("/match", summary="Research units, organisations and offers that can meet a need",
             responses=problem_responses(401, 403, 422, 503))
def match_supply(
    request: Request, matcher: MatcherDep, _: ReaderAccess, body: Annotated[MatchRequest, Body()],
    lang: LangQuery = "en",
) -> MatchPageOut:
    """Hybrid retrieval (embeddings + BM25), re-ranked with graph evidence; every result explains itself.

    Romanian text works: the need's language is detected, a multilingual embedding model reads it,
    BM25 stems it in its own language with diacritics folded, and vocabulary concepts named in it
    (CAEN/NACE, NUTS, kinds, TRL) expand it with their English labels; ``understood`` says what was
    read (benchmarks/README.md has the measured Romanian/English gap). ``?lang=ro`` gives the labels
    and the summary in Romanian (the web UI asks in its own language).
    """
    return _run(matcher, body, "supply", request, lang)


@router.post("/match/demand", summary="SMEs and technology requests whose needs fit an offer",
             responses=problem_responses(401, 403, 422, 503))
def match_demand(
    request: Request, matcher: MatcherDep, _: ReaderAccess, body: Annotated[MatchRequest, Body()],
    lang: LangQuery = "en",
) -> MatchPageOut:
    """The same matching, the other way round: describe an offer, get requests and SMEs."""
    return _run(matcher, body, "demand", request, lang)
