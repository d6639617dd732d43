"""The same indicators from the named SPARQL queries in ``queries/``: the analysts' path and the baseline.

Why both: an analyst (ministry, agency) can run each ``.rq`` file unchanged in YASGUI or
``innograph sparql`` with ``?region`` (and ``?nation``) bound to NUTS IRIs; the product computes
the figures from cached facts in milliseconds (``_compute``); a test holds the two equal on the
bundled data and ``benchmarks/bench_indicators.py`` times one against the other. Values are
bound through pyoxigraph ``substitutions``, never written into the query text.

>>> sorted(indicator_queries())  # doctest: +NORMALIZE_WHITESPACE
['indicator-active-organisations', 'indicator-collaborations', 'indicator-eu-funding',
 'indicator-new-offers-requests']
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from graph.indicators._compute import SCOPES, RegionFigures, YearTally, nuts_level
from graph.indicators._facts import IndicatorFacts
from graph.store import GraphStore
from graph.views import entity_queries as q

QUERY_DIR = Path(__file__).resolve().parent / "queries"


@lru_cache(maxsize=1)
def indicator_queries() -> dict[str, str]:
    """Every indicator query by file name (without ``.rq``)."""
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted(QUERY_DIR.glob("*.rq"))}


def _int(term: object) -> int:
    return int(getattr(term, "value", "0") or 0)


def sparql_figures(store: GraphStore, facts: IndicatorFacts, code: str) -> RegionFigures:
    """``region_figures`` of ``code`` (checked against ``facts``' codes first) computed by the SPARQL queries.

    Expressions of interest are not in the graph, so they stay ``None`` here.
    """
    code = code.strip().upper()
    region = ox.NamedNode(facts.region_iris[code])
    nation = ox.NamedNode(facts.region_iris[code[:2]])
    queries = indicator_queries()
    figures: dict[int, YearTally] = {year: YearTally(year) for year in (*facts.years, 0, -1)}

    def at(year_term: object) -> YearTally:
        year = _int(year_term)
        return figures.setdefault(year, YearTally(year))

    for row in q.select(store, queries["indicator-active-organisations"], region=region):
        target, kind, count = at(row["year"]), row["kind"].value, _int(row["organisations"])
        if kind == "*":
            target.active_organisations = count
        else:
            target.active_by_kind[kind] = count
    for target in figures.values():
        target.active_by_kind = dict(sorted(target.active_by_kind.items()))
    for row in q.select(store, queries["indicator-eu-funding"], region=region):
        target = at(row["year"])
        target.participations = _int(row["participations"])
        target.projects = _int(row["projects"])
        target.ec_contribution = Decimal(row["ec_contribution"].value)
    for row in q.select(store, queries["indicator-collaborations"], region=region, nation=nation):
        scope = row["scope"].value
        if scope in SCOPES:
            at(row["year"]).collaborations[scope] = _int(row["pairs"])
    for row in q.select(store, queries["indicator-new-offers-requests"], region=region):
        target = at(row["year"])
        if row["kind"].value == "offers":
            target.new_offers = _int(row["records"])
        else:
            target.new_requests = _int(row["records"])
    return RegionFigures(code, nuts_level(code), figures)
