"""Regional monitoring for the development agencies (issue 13, item 5).

Per NUTS region (development region, county, or the country for comparison) and year:
organisations active in EU projects by kind, EU funding received, collaborations inside the
region / with the rest of Romania / abroad, new offers and requests (and, through an optional
``InterestCounter``, the expressions of interest they received), and the region x field
supply-demand gap. ``_compute`` states every definition; ``queries/`` holds the same figures as
named SPARQL queries for analysts (``_sparql``), kept equal by a test.

>>> from graph.store import GraphStore
>>> regional_indicators(GraphStore(None), "RO21")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
common.errors.NotFoundError: no NUTS 2021 region with code 'RO21'; ...
"""

from graph.indicators._compute import (
    ALL_YEARS,
    SCOPES,
    UNDATED,
    InterestCounter,
    RegionFigures,
    YearTally,
    monitored_codes,
    region_figures,
)
from graph.indicators._compute import __doc__ as DEFINITIONS
from graph.indicators._facts import IndicatorFacts, build_facts, indicator_facts
from graph.indicators._model import (
    ABOUT,
    AreaIndicators,
    Collaborations,
    RegionGapCell,
    RegionIndicators,
    YearFigures,
)
from graph.indicators._report import regional_indicators
from graph.indicators._sparql import indicator_queries, sparql_figures

__all__ = [
    "ABOUT", "AreaIndicators", "Collaborations", "RegionGapCell", "YearTally",
    "ALL_YEARS", "DEFINITIONS", "SCOPES", "UNDATED", "IndicatorFacts", "InterestCounter", "RegionFigures", "RegionIndicators",
    "YearFigures", "build_facts", "indicator_facts", "indicator_queries", "monitored_codes", "region_figures",
    "regional_indicators", "sparql_figures",
]
