"""GET /regions/{nuts}/indicators: regional monitoring for the development agencies, JSON or CSV.

Thin over ``graph.indicators`` (definitions there and in the endpoint's description). The
figures are computed from facts cached per store generation, so a warm answer takes
milliseconds; the national figures come beside the region's for comparison.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request

from api import warmup
from api.deps import ReaderAccess, Store
from api.routes.network import CSV, Format, _wants_csv, csv_response
from api.schemas.common import problem_responses
from api.schemas.indicators import AreaIndicators, RegionIndicators, YearFigures
from graph.indicators import ABOUT, regional_indicators
from graph.operations import Interests


def _network_warm(request: Request) -> None:
    """503 while the network data (the supply-demand gap reads it) is built at start, as /network does."""
    warmup.require(request, warmup.NETWORK)


router = APIRouter(tags=["regions"], dependencies=[Depends(_network_warm)])
NUTS_PATTERN = r"^[A-Za-z]{2}[A-Za-z0-9]{0,3}$"


def _rows(report: RegionIndicators) -> list[dict[str, Any]]:
    """One CSV row per area and year (then undated and all years), kinds as ``active_by_kind.X`` columns."""
    kinds = sorted({k for area in (report, report.national) if area
                    for y in (*area.years, area.all_years) for k in y.active_by_kind})
    rows = []
    for area in (report, report.national):
        if area is None:
            continue
        for label, figures in ((str(y.year), y) for y in area.years):
            rows.append(_row(area, label, figures, kinds))
        rows.append(_row(area, "undated", area.undated, kinds))
        rows.append(_row(area, "all", area.all_years, kinds))
    return rows


def _row(area: AreaIndicators, label: str, figures: YearFigures, kinds: list[str]) -> dict[str, Any]:
    data = figures.model_dump()
    by_kind = data.pop("active_by_kind")
    data.pop("year")
    return {"region": area.region.notation, "region_label": area.region.label, "year": label,
            **{k: v for k, v in data.items() if k != "collaborations"},
            **{f"active_by_kind.{k}": by_kind.get(k, 0) for k in kinds},
            **{f"collaborations.{k}": v for k, v in data["collaborations"].items()}}


@router.get(
    "/regions/{nuts}/indicators",
    summary="Yearly indicators of a region or county beside the national ones: EU projects and funding, "
            "collaborations, new offers and requests, supply-demand gap (JSON or CSV)",
    responses={**CSV, **problem_responses(401, 403, 404, 422, 503)},
    response_model=RegionIndicators,
    description="Per year of the region (NUTS 2021, any level) and of the country.\n\n" + ABOUT,
)
def get_region_indicators(
    request: Request,
    store: Store,
    _: ReaderAccess,
    nuts: Annotated[
        str,
        Path(
            pattern=NUTS_PATTERN,
            description="NUTS 2021 code, any case: RO21 (development region), RO216 (county), RO (the country).",
            openapi_examples={"development region": {"value": "RO21"},
                              "county": {"value": "RO321"}, "country": {"value": "RO"}},
        ),
    ],
    format: Format = None,
) -> Any:
    """The region's figures, then ``national``: the country's, for comparison."""
    ops = getattr(request.app.state, "ops", None)  # the inbox's private store: counts only leave it
    interest = Interests(ops, store).received_by_year if ops is not None else None
    report = regional_indicators(store, nuts, interest=interest)
    if _wants_csv(request, format):
        return csv_response(_rows(report), f"indicators-{report.region.notation}")
    return report
