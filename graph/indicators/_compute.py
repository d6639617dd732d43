"""Regional indicators per NUTS region and year, computed from the cached facts (``_facts``).

Definitions (the SPARQL queries in ``queries/`` state the same, and a test holds them equal):

- **Located in region R**: an organisation whose ``ig:region`` is R or lies under it
  (``skos:broader*``); for a country code (``RO``) also one without any region whose
  ``ig:country`` is the country R is an ``skos:exactMatch`` of. Illustrative records never count.
- **Year of a project**: the year of its earliest ``eurio:startDate``; it *runs* from that
  year to the year of its latest ``eurio:endDate`` (its start year when it has none). The year
  axis is every year in which a dated project runs. Year 0 ("undated") collects
  what has no date: projects without a start date and partnerships.
- **Active organisations in year Y**: located organisations taking part (``ig:participant``)
  in at least one project running in Y, by kind (``ig:kind`` notation; ``unknown`` without
  one; an organisation with two kinds counts under both and once in ``total``).
- **EU funding in year Y**: the EC contribution (``ig:ecContribution``, the largest amount
  stated for a participation) of the participations of located organisations in projects
  starting in Y (CORDIS gives the grant, not its yearly payments), with the number of those
  participations and of the projects.
- **Collaborations in year Y**: unordered pairs {a, b} of distinct organisations, a located
  in R, that take part in the same project starting in Y or (undated) are members of the same
  partnership (``org:member`` of memberships of one ``org:organization``). A pair counts once
  per year, under ``inside`` when b is located in R too, ``rest_of_romania`` when b is
  located in R's country but not in R, ``abroad`` when b has another country, ``unknown``
  when b has no country. All-years figures count each pair once, whatever the years.
- **New offers and requests in year Y**: offers (``ig:offers``) and requests (``ig:needs``)
  dated in Y (``dcterms:issued``, else ``dcterms:created``) and located in R: at their own
  ``ig:region`` when they state one, else at their owner's.
- **Expressions of interest**: counted by the private operational store of the inbox, not
  by the graph: pass ``interest`` (an ``InterestCounter``) to get them; otherwise they are
  ``None`` (not available), never invented.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from common.errors import NotFoundError
from graph.indicators._facts import IndicatorFacts, Participation

#: Given the IRIs of the offers and requests counted in a region, the number of expressions of
#: interest they received, per year (the inbox's store knows; the graph does not).
InterestCounter = Callable[[Sequence[str]], Mapping[int, int]]
SCOPES = ("inside", "rest_of_romania", "abroad", "unknown")
ALL_YEARS = -1
UNDATED = 0


@dataclass
class YearTally:
    """The indicators of one region in one year as they are summed (``year`` 0: undated, -1: all years);
    answered as ``graph.indicators.YearFigures``."""

    year: int
    active_organisations: int = 0
    active_by_kind: dict[str, int] = field(default_factory=dict)
    projects: int = 0
    participations: int = 0
    ec_contribution: Decimal = Decimal(0)
    collaborations: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SCOPES, 0))
    new_offers: int = 0
    new_requests: int = 0
    expressions_of_interest: int | None = None


@dataclass
class RegionFigures:
    """Every year of one region: ``by_year[y]`` for the axis years, 0 (undated) and -1 (all years)."""

    code: str
    level: int  # 0 country, 1 macro-region, 2 development region, 3 county
    by_year: dict[int, YearTally]


def nuts_level(code: str) -> int:
    return len(code) - 2


def _check(facts: IndicatorFacts, code: str) -> str:
    normal = code.strip().upper()
    if normal not in facts.region_iris:
        examples = ", ".join(sorted(facts.region_iris, key=lambda c: (len(c), c))[:4]) or "none loaded"
        raise NotFoundError(f"no NUTS 2021 region with code {code!r}; valid codes look like {examples} "
                            f"({len(facts.region_iris)} codes are loaded: see GET /vocabularies/nuts2021)")
    return normal


def monitored_codes(facts: IndicatorFacts) -> list[str]:
    """The development regions (NUTS 2) and counties (NUTS 3) in the store, extra-regio codes (``Z``) left out."""
    return sorted((c for c in facts.region_iris if nuts_level(c) in (2, 3) and "Z" not in c), key=lambda c: (len(c), c))


def _index(facts: IndicatorFacts) -> tuple[dict[str, set[str]], dict[str, list[Participation]]]:
    """Organisations by place and participations by organisation, built once per generation."""
    with facts.lock:
        cached = facts.extra.get("index")
        if cached is None:
            by_place: dict[str, set[str]] = defaultdict(set)
            for org, places in facts.places.items():
                for place in places:
                    by_place[place].add(org)
            by_org: dict[str, list[Participation]] = defaultdict(list)
            for part in facts.participations:
                by_org[part.org].append(part)
            cached = facts.extra["index"] = (by_place, by_org)
    return cached  # type: ignore[return-value]


def region_figures(facts: IndicatorFacts, code: str, interest: InterestCounter | None = None) -> RegionFigures:
    """The indicators of ``code`` (any case) for every year; ``NotFoundError`` for an unknown code."""
    code = _check(facts, code)
    nation = code[:2]
    by_place, by_org = _index(facts)
    located = by_place.get(code, set())
    axis = set(facts.years)
    active: dict[int, set[str]] = defaultdict(set)
    projects: dict[int, set[str]] = defaultdict(set)
    parts: dict[int, list[Decimal]] = defaultdict(list)
    pairs: dict[int, dict[str, set[tuple[str, str]]]] = defaultdict(lambda: defaultdict(set))

    def scope(other: str) -> str:
        places = facts.places.get(other, frozenset())
        if code in places:
            return "inside"
        if nation in places:
            return "rest_of_romania"
        return "abroad" if other in facts.countries else "unknown"

    def pair_with(org: str, others: Iterable[str], year: int) -> None:
        for other in others:
            if other != org:
                key = (org, other) if org < other else (other, org)
                where = scope(other)
                pairs[year][where].add(key)
                pairs[ALL_YEARS][where].add(key)

    for org in located:
        for part in by_org.get(org, ()):
            first, last = facts.project_years.get(part.project, (UNDATED, UNDATED))
            active[ALL_YEARS].add(org)
            for year in range(first, last + 1):
                if year in axis:
                    active[year].add(org)
            for year in (first, ALL_YEARS):
                projects[year].add(part.project)
                parts[year].append(part.ec)
            pair_with(org, facts.project_members.get(part.project, ()), first)
    for members in facts.partnership_members.values():
        for org in members & located:
            pair_with(org, members, UNDATED)
    figures = {year: YearTally(year) for year in (*facts.years, UNDATED, ALL_YEARS)}
    for year, orgs in active.items():
        by_kind: dict[str, int] = defaultdict(int)
        for org in orgs:
            for kind in facts.kinds_of(org):
                by_kind[kind] += 1
        figures[year].active_organisations = len(orgs)
        figures[year].active_by_kind = dict(sorted(by_kind.items()))
    for year, amounts in parts.items():
        figures[year].participations = len(amounts)
        figures[year].ec_contribution = sum(amounts, Decimal(0))
        figures[year].projects = len(projects[year])
    for year, scoped in pairs.items():
        figures[year].collaborations = {where: len(scoped.get(where, ())) for where in SCOPES}
    counted: list[str] = []
    for record in facts.records:
        if code in facts.record_place(record):
            counted.append(record.iri)
            for year in (record.year, ALL_YEARS):
                target = figures.setdefault(year, YearTally(year))
                if record.kind == "offers":
                    target.new_offers += 1
                else:
                    target.new_requests += 1
    if interest is not None:
        received = interest(counted)
        for year, target in figures.items():
            target.expressions_of_interest = sum(received.values()) if year == ALL_YEARS else received.get(year, 0)
    return RegionFigures(code, nuts_level(code), figures)
