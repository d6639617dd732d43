"""The typed result of ``regional_indicators``: one definition for the graph and the API
(``api.schemas.indicators`` re-exports it; its field descriptions are the OpenAPI document's).

Why apart from ``_compute``'s ``YearTally``: the tally is an accumulator (exact ``Decimal`` sums,
year 0 and -1 for undated and all years, so the SPARQL check can compare it figure by figure);
these are the figures as they are answered (euro as numbers, ``year`` null off the axis).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from graph.indicators._compute import __doc__ as _DEFINITIONS
from graph.views import ConceptRef

#: How each figure is counted: the definitions part of ``_compute``'s docstring.
ABOUT = (_DEFINITIONS or "").split("Definitions", 1)[-1].strip()


class Collaborations(BaseModel):
    """Pairs of organisations, one located in the region, by where the other one is."""

    inside: int = Field(description="The other organisation is located in the region too.")
    rest_of_romania: int = Field(description="The other is located elsewhere in Romania (a county, or only the country).")
    abroad: int = Field(description="The other has another country.")
    unknown: int = Field(description="The other has no country.")


class YearFigures(BaseModel):
    """The indicators of one year (``year``: null for undated or all years, see the parent field)."""

    model_config = ConfigDict(from_attributes=True)

    year: int | None = Field(description="The year; null in `undated` and `all_years`.")
    active_organisations: int = Field(description="Located organisations taking part in an EU project running "
                                                  "this year.")
    active_by_kind: dict[str, int] = Field(description="The same by organisation kind (notation: HES, REC, PRC, PUB, "
                                                       "OTH, sme, ministry ...; `unknown` without one).")
    projects: int = Field(description="EU projects starting this year with a located participant.")
    participations: int = Field(description="Participations of located organisations in projects starting this year.")
    ec_contribution: float = Field(description="EU (EC) contribution of those participations, in euro.")
    collaborations: Collaborations
    new_offers: int = Field(description="Technology offers dated this year (dcterms:issued, else created).")
    new_requests: int = Field(description="Technology requests dated this year.")
    expressions_of_interest: int | None = Field(
        description="Expressions of interest received by the region's offers and requests; null where the inbox "
                    "store is not connected (never estimated).")


class RegionGapCell(BaseModel):
    """Supply against demand in one NACE section (the rule of GET /network/gaps)."""

    model_config = ConfigDict(frozen=True, from_attributes=True)

    field: ConceptRef
    research_units: int
    offers: int
    projects: int
    requests: int
    smes: int
    supply: int
    demand: int
    gap: int = Field(description="demand - supply")
    status: str = Field(description="unmet (demand, no supply), gap, covered or supply-only.")


class AreaIndicators(BaseModel):
    """The indicators of one area (a region, or the country)."""

    model_config = ConfigDict(from_attributes=True)

    region: ConceptRef
    level: int = Field(description="NUTS level: 0 country, 1 macro-region, 2 development region, 3 county.")
    years: list[YearFigures] = Field(description="One entry per year of the axis (every year a dated project runs "
                                                 "or a record is dated).")
    undated: YearFigures = Field(description="What has no date: projects without a start date, partnerships "
                                             "(collaborations), undated offers and requests.")
    all_years: YearFigures = Field(description="All years together (distinct organisations, projects and pairs).")
    gap: list[RegionGapCell] = Field(description="Region x NACE section supply-demand gap now (not per year), biggest first.")


class RegionIndicators(AreaIndicators):
    """A region's indicators with the national figures beside them."""

    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={"examples": [{
            "region": {"iri": "http://data.europa.eu/nuts/code/RO21", "notation": "RO21", "label": "Nord-Est"},
            "level": 2, "years": [], "undated": {
                "year": None, "active_organisations": 0, "active_by_kind": {}, "projects": 0, "participations": 0,
                "ec_contribution": 0.0, "collaborations": {"inside": 0, "rest_of_romania": 0, "abroad": 0,
                                                           "unknown": 0},
                "new_offers": 0, "new_requests": 0, "expressions_of_interest": None},
            "all_years": {
                "year": None, "active_organisations": 12, "active_by_kind": {"HES": 5, "REC": 3, "PRC": 4},
                "projects": 40, "participations": 52, "ec_contribution": 8123456.5,
                "collaborations": {"inside": 6, "rest_of_romania": 30, "abroad": 410, "unknown": 0},
                "new_offers": 0, "new_requests": 0, "expressions_of_interest": None},
            "gap": [], "national": None, "definitions": "See the description of GET /regions/{nuts}/indicators."}]},
    )

    national: AreaIndicators | None = Field(description="The same indicators for the whole country (RO).")
    definitions: str = Field(description="How each figure is counted.")
