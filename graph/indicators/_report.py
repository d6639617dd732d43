"""A region's indicators beside the national ones, with its region x field supply-demand gap.

Why the gap is not per year: it is a snapshot of who is where and works in what
(``graph.network.supply_demand``: research units, offers and projects against requests and SMEs, by
NACE section), reused as it is, with the illustrative records left out; the national row is
the sum of the macro-regions and the "Romania, no county found" row (each item is in one row).

>>> from graph.store import GraphStore
>>> regional_indicators(GraphStore(None), "RO")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
common.errors.NotFoundError: no NUTS 2021 region with code 'RO'; ...
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from graph.indicators._compute import ALL_YEARS, UNDATED, InterestCounter, YearTally, region_figures
from graph.indicators._facts import IndicatorFacts, indicator_facts
from graph.indicators._model import ABOUT, AreaIndicators, Collaborations, RegionGapCell, RegionIndicators, YearFigures
from graph.network import COUNTRY_ROW, SUPPLY, supply_demand
from graph.store import GraphStore
from graph.views import ConceptRef, concept_ref

GAP_MEASURES = ("research_units", "offers", "projects", "requests", "smes")


def _status(supply: int, demand: int) -> str:
    return "unmet" if demand and not supply else "gap" if demand > supply else "covered" if demand else "supply-only"


def _gap_table(store: GraphStore, facts: IndicatorFacts, level: int) -> dict[str, list[RegionGapCell]]:
    """Gap cells by region code at one NUTS level (0: the country), computed once per generation."""
    key = f"gap-{level}"
    with facts.lock:
        if key in facts.extra:
            return facts.extra[key]  # type: ignore[return-value]
    exclude = facts.illustrative
    table = supply_demand(store, level=max(level, 1), scheme="nace2", depth=1, limit=10**9, exclude=exclude)
    sums: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for cell in table["data"]:
        code = cell["region"]["code"] if level else cell["region"]["code"][:2]
        into = sums[code].setdefault(cell["field"]["iri"] or "", {"field": cell["field"], **dict.fromkeys(GAP_MEASURES, 0)})
        for measure in GAP_MEASURES:
            into[measure] += cell[measure]
    out: dict[str, list[RegionGapCell]] = {}
    for code, fields in sums.items():
        cells = []
        for entry in fields.values():
            supply = sum(entry[m] for m in SUPPLY)
            demand = entry["requests"] + entry["smes"]
            if supply or demand:
                ref = ConceptRef(iri=entry["field"]["iri"], notation=entry["field"]["notation"],
                                 label=entry["field"]["label"])
                cells.append(RegionGapCell(field=ref, **{m: entry[m] for m in GAP_MEASURES}, supply=supply, demand=demand,
                                     gap=demand - supply, status=_status(supply, demand)))
        out[code] = sorted(cells, key=lambda c: (-c.gap, c.field.notation or ""))
    with facts.lock:
        facts.extra[key] = out
    return out


def _answered(tally: YearTally) -> YearFigures:
    """A tally as it is answered: euro as a number, ``year`` None off the axis."""
    return YearFigures(
        year=None if tally.year in (UNDATED, ALL_YEARS) else tally.year,
        active_organisations=tally.active_organisations, active_by_kind=dict(tally.active_by_kind),
        projects=tally.projects, participations=tally.participations,
        ec_contribution=float(tally.ec_contribution), collaborations=Collaborations(**tally.collaborations),
        new_offers=tally.new_offers, new_requests=tally.new_requests,
        expressions_of_interest=tally.expressions_of_interest,
    )


def regional_indicators(store: GraphStore, code: str, *, interest: InterestCounter | None = None) -> RegionIndicators:
    """The indicators of ``code`` (RO21, RO216, RO ...), with the country's beside them.

    ``interest`` counts the expressions of interest the region's offers and requests received
    (the inbox's private store); without it those figures are ``None``.
    """
    facts = indicator_facts(store)
    area, checked = _area(store, facts, code, interest)
    national = _national(store, facts, checked[:2], interest)
    return RegionIndicators(**dict(area), national=national, definitions=ABOUT)


def _area(store: GraphStore, facts: IndicatorFacts, code: str,
          interest: InterestCounter | None) -> tuple[AreaIndicators, str]:
    """The indicators of one area, without the national ones, and its code as checked (RO321 for ro321)."""
    figures = region_figures(facts, code, interest)
    by_year = figures.by_year
    gap = _gap_table(store, facts, figures.level).get(figures.code if figures.level else COUNTRY_ROW[:2], [])
    return AreaIndicators(
        region=concept_ref(store, facts.region_iris[figures.code]),
        level=figures.level,
        years=[_answered(by_year[y]) for y in sorted(by_year) if y not in (UNDATED, ALL_YEARS)],
        undated=_answered(by_year[UNDATED]),
        all_years=_answered(by_year[ALL_YEARS]),
        gap=gap,
    ), figures.code


def _national(store: GraphStore, facts: IndicatorFacts, code: str, interest: InterestCounter | None) -> AreaIndicators:
    """The country's indicators: the same beside every region, so computed once per generation (they cost as
    much as all the regions together). With an ``interest`` counter (whose counts change between writes to the
    graph) they are computed afresh."""
    if interest is not None:
        return _area(store, facts, code, interest)[0]
    key = f"national-{code}"
    with facts.lock:
        cached = facts.extra.get(key)
    if not isinstance(cached, AreaIndicators):
        cached = _area(store, facts, code, None)[0]
        with facts.lock:
            facts.extra[key] = cached
    return cached
