"""Regional indicators: the fast path (cached facts) agrees with the named SPARQL queries, figure by figure,
on a real slice of the bundled data; illustrative records never count; unknown codes are refused."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from common.errors import NotFoundError
from graph.indicators import (
    ALL_YEARS,
    UNDATED,
    IndicatorFacts,
    indicator_facts,
    indicator_queries,
    monitored_codes,
    region_figures,
    regional_indicators,
    sparql_figures,
)
from graph.network import supply_demand
from graph.store import GraphStore
from tests.graph.indicators.indicators_fixtures import indicator_store_at


@pytest.fixture(scope="module")
def store(vocab_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    built = indicator_store_at(vocab_template, tmp_path_factory.mktemp("indicators"))
    yield built
    del built
    gc.collect()


@pytest.fixture(scope="module")
def facts(store: GraphStore) -> IndicatorFacts:
    return indicator_facts(store)


def compared_codes(facts: IndicatorFacts) -> list[str]:
    """The country, every development region, and the four counties with the most located organisations
    (each SPARQL comparison takes seconds; the counties are computed by the same code as the regions)."""
    counties = sorted((c for c in monitored_codes(facts) if len(c) == 5),
                      key=lambda c: -sum(c in p for p in facts.places.values()))[:4]
    return ["RO", *[c for c in monitored_codes(facts) if len(c) == 4], *counties]


def test_the_slice_exercises_every_indicator(facts: IndicatorFacts) -> None:
    """Guard against a vacuous comparison: the slice has located participants, funding, all kinds of pairs."""
    national = region_figures(facts, "RO").by_year[ALL_YEARS]
    assert national.active_organisations > 20 and national.ec_contribution > 0
    assert national.collaborations["inside"] > 0 and national.collaborations["abroad"] > 0
    regional = [region_figures(facts, c).by_year[ALL_YEARS] for c in monitored_codes(facts) if len(c) == 4]
    assert sum(r.collaborations["rest_of_romania"] for r in regional) > 0
    assert sum(1 for r in regional if r.active_organisations) >= 4
    assert facts.years and min(facts.years) >= 2000
    assert region_figures(facts, "RO").by_year[UNDATED].collaborations["inside"] > 0  # the partnership's pairs


def test_every_indicator_agrees_with_the_sparql_queries(store: GraphStore, facts: IndicatorFacts) -> None:
    codes = compared_codes(facts)
    assert len(codes) == 13
    for code in codes:
        fast = region_figures(facts, code).by_year
        slow = sparql_figures(store, facts, code).by_year
        assert sorted(fast) == sorted(slow), code
        for year in fast:
            assert fast[year] == slow[year], (code, year)


def test_national_totals_hold_every_region(facts: IndicatorFacts) -> None:
    """Funding is additive: the regions' EC money and participations add up to the country's, minus unplaced."""
    national = region_figures(facts, "RO").by_year[ALL_YEARS]
    regions = [region_figures(facts, c).by_year[ALL_YEARS] for c in monitored_codes(facts) if len(c) == 4]
    unplaced = region_figures(facts, "RO")
    by_place = [p for p in facts.places.values() if p == frozenset({"RO"})]
    assert sum(r.ec_contribution for r in regions) <= national.ec_contribution
    if not by_place:
        assert sum(r.ec_contribution for r in regions) == national.ec_contribution
    assert sum(r.participations for r in regions) <= national.participations
    assert unplaced.code == "RO"


def test_illustrative_records_never_count(store: GraphStore, facts: IndicatorFacts) -> None:
    assert facts.illustrative, "the slice loads the illustrative examples"
    assert not {r.iri for r in facts.records} & facts.illustrative
    assert not set(facts.places) & facts.illustrative
    report = regional_indicators(store, "RO21")  # the illustrative agro SME and its requests are in RO21
    assert report.all_years.new_requests == 0
    # the gap would count them (NACE section A: the SME and its two requests) if they were not excluded
    everything = supply_demand(store, level=2, depth=1, limit=10_000)["data"]
    assert any(c["region"]["code"] == "RO21" and c["field"]["notation"] == "A" and c["requests"] == 2 for c in everything)
    assert not any(cell.requests or cell.smes for cell in report.gap)


def test_expressions_of_interest_come_only_from_the_given_counter(store: GraphStore, facts: IndicatorFacts) -> None:
    plain = regional_indicators(store, "RO21")
    assert plain.all_years.expressions_of_interest is None and plain.years[0].expressions_of_interest is None
    seen: list[list[str]] = []

    def counter(items: object) -> dict[int, int]:
        seen.append(list(items))  # type: ignore[call-overload]
        return {2020: 3, 2021: 1}

    counted = regional_indicators(store, "RO21", interest=counter)
    assert counted.all_years.expressions_of_interest == 4
    assert {y.year: y.expressions_of_interest for y in counted.years}.get(2020) == 3
    assert seen, "the counter is asked"


def test_report_has_the_national_figures_and_a_gap(store: GraphStore) -> None:
    report = regional_indicators(store, "ro321")
    assert report.region.notation == "RO321" and report.level == 3
    assert report.national is not None and report.national.region.notation == "RO"
    assert report.national.all_years.active_organisations >= report.all_years.active_organisations
    assert [y.year for y in report.years] == sorted(y.year for y in report.years)
    assert all(cell.gap == cell.demand - cell.supply for cell in report.national.gap)


def test_unknown_codes_are_refused(facts: IndicatorFacts) -> None:
    with pytest.raises(NotFoundError, match="RO99"):
        region_figures(facts, "RO99")


def test_the_queries_are_parameterised_files() -> None:
    queries = indicator_queries()
    assert len(queries) == 4
    for name, text in queries.items():
        assert text.startswith("# question:"), name
        assert "?region" in text and "RO21" not in text, name
