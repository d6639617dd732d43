"""GET /regions/{nuts}: supply and demand of a region."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from api.deps import ReaderAccess, Store
from api.schemas.common import problem_responses
from api.schemas.regions import RegionSummary
from graph.views import region_summary

router = APIRouter(tags=["regions"])


@router.get(
    "/regions/{nuts}",
    summary="Organisations, offers, requests, projects and EU money of a NUTS region and the regions under it",
    responses=problem_responses(401, 403, 404, 422),
)
def get_region(
    store: Store,
    _: ReaderAccess,
    nuts: Annotated[
        str,
        Path(
            max_length=16,
            description="NUTS 2021 code, any level, any case: RO (country), RO2 (macro-region), "
            "RO21 (development region), RO216 (county).",
            openapi_examples={"development region": {"value": "RO21"},
                              "country": {"value": "RO"}, "county": {"value": "RO321"}},
        ),
    ],
) -> RegionSummary:
    """Counts cover the region and every region under it (``skos:broader*``).

    CORDIS H2020 organisations have a country but no NUTS region; the CORDIS organisation directory
    places most named Romanian ones in a county (see each organisation's ``placement``). The country
    summary (``RO``) also includes the unplaced ones (``organisations_by_country_only``).
    """
    return region_summary(store, nuts)
