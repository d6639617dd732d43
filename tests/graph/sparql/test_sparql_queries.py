"""The analyst query set answers its questions correctly on the bundled data.

Expected answers are computed independently, in Python, from the source files themselves
(a slice of the H2020 table, the partnership and illustrative CSVs), not from the store.
"""

from __future__ import annotations

import csv
import gc
import gzip
import json
import shutil
from collections import Counter, defaultdict
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.sparql import QueryRequest, execute
from graph.sparql._queryset import analyst_queries
from graph.store import GraphStore
from ingest.bundled import REPO_DATA
from ingest.loading import ingest_path
from tests.conftest import h2020_slice
from tests.graph.linked_fixtures import linked_rows, linked_store_at

ROWS = 4000
CYPHER = Path(__file__).resolve().parents[3] / "graph" / "cypher" / "queries"
QUERIES = {q.name: q for q in analyst_queries()}


@pytest.fixture(scope="module")
def store(vocab_template: Path, tmp_path_factory: pytest.TempPathFactory) -> GraphStore:
    path = tmp_path_factory.mktemp("analyst") / "store"
    shutil.copytree(vocab_template, path, ignore=shutil.ignore_patterns("LOCK"))
    loaded = GraphStore(path)
    for source, name in ((h2020_slice(path.parent / "h2020", rows=ROWS), "cordis-h2020"),
                         (REPO_DATA / "union-of-innovation", "union-of-innovation"),
                         (REPO_DATA / "illustrative", "illustrative")):
        assert ingest_path(loaded, source, name=name).ok
    gc.collect()
    return loaded


@pytest.fixture(scope="module")
def h2020(store: GraphStore) -> list[dict[str, str]]:
    folder = Path(str(store.path)).parent / "h2020"
    with gzip.open(folder / "h2020_participations.csv.gz", "rt", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def table(name: str) -> list[dict[str, str]]:
    rows = []
    for folder in ("union-of-innovation", "illustrative"):
        path = REPO_DATA / folder / f"{name}.csv"
        if path.exists():
            with path.open(encoding="utf-8") as handle:
                rows += list(csv.DictReader(handle))
    return rows


def run(store: GraphStore, name: str) -> list[dict[str, str]]:
    answer = execute(store.oxigraph, QueryRequest(QUERIES[name].text))
    assert answer.status == "ok", answer.message
    doc = json.loads(answer.body)
    return [{k: v["value"] for k, v in b.items()} for b in doc["results"]["bindings"]]


def pic(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def test_the_set_has_fifteen_questions_with_headers() -> None:
    assert len(QUERIES) >= 15
    for query in QUERIES.values():
        assert query.question.endswith("?") and query.question[0].isupper(), query.name
        # the Cypher suite's question it shares, when there is one
        assert query.cypher is None or (CYPHER / f"{query.cypher}.cypher").exists(), query.cypher


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_query_runs_with_only_its_own_prefixes(store: GraphStore, name: str) -> None:
    """Each file declares what it uses: it runs unchanged in YASGUI, rdflib or Virtuoso."""
    rdflib_graph = pytest.importorskip("rdflib").Dataset()
    rdflib_graph.query(QUERIES[name].text)  # parses with rdflib (no predeclared prefixes there)
    assert run(store, name) is not None


def test_participations_by_country(store: GraphStore, h2020: list[dict[str, str]]) -> None:
    got = [int(r["participations"]) for r in run(store, "participations-by-country")]
    assert got == sorted(Counter(r["country"] for r in h2020).values(), reverse=True)[:10]


def test_top_romanian_participants_and_coordinators(store: GraphStore, h2020: list[dict[str, str]]) -> None:
    projects: dict[str, set[str]] = defaultdict(set)
    coordinated: Counter[str] = Counter()
    for row in h2020:
        if row["country"] == "RO":
            projects[row["pic"]].add(row["rcn"])
            coordinated[row["pic"]] += row["role"] == "coordinator"
    top = run(store, "top-romanian-participants")
    assert [int(r["projects"]) for r in top] == sorted((len(p) for p in projects.values()), reverse=True)[:10]
    assert all(int(r["projects"]) == len(projects[pic(r["o"])]) for r in top)
    coordinators = {pic(r["o"]): int(r["coordinated"]) for r in run(store, "romanian-coordinators")}
    assert coordinators == {p: n for p, n in coordinated.items() if n}


def test_romanian_funding_by_kind(store: GraphStore, h2020: list[dict[str, str]]) -> None:
    expected: dict[str, float] = defaultdict(float)
    for row in h2020:
        if row["country"] == "RO" and row["contribution"] not in ("", "NA"):
            expected[row["type"]] += float(row["contribution"])
    got = {r["kind"].rsplit("/", 1)[-1]: float(r["contribution"]) for r in run(store, "romanian-funding-by-kind")}
    assert got.keys() == {k for k, v in expected.items() if v or k in got}
    for kind, total in got.items():
        assert total == pytest.approx(expected[kind], rel=1e-9)


def test_romanian_partner_countries_and_pairs(store: GraphStore, h2020: list[dict[str, str]]) -> None:
    by_project: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in h2020:
        by_project[row["rcn"]].append(row)
    countries: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    for rows in by_project.values():
        romanians = sorted({r["pic"] for r in rows if r["country"] == "RO"})
        if romanians:
            countries.update({r["country"] for r in rows if r["country"] != "RO"})
            pairs.update((a, b) for i, a in enumerate(romanians) for b in romanians[i + 1:])
    got = [int(r["projects"]) for r in run(store, "romanian-partner-countries")]
    assert got == sorted(countries.values(), reverse=True)[:10]
    top_pairs = [int(r["shared"]) for r in run(store, "frequent-romanian-pairs")]
    assert top_pairs == sorted(pairs.values(), reverse=True)[:10]


def test_projects_per_start_year_and_largest(store: GraphStore, h2020: list[dict[str, str]]) -> None:
    years = Counter({rcn: year for rcn, year in {(r["rcn"], r["start_year"]) for r in h2020}}.values())
    for project in table("projects"):
        if project.get("start_date"):
            years[project["start_date"][:4]] += 1
    assert {r["year"]: int(r["projects"]) for r in run(store, "projects-per-start-year")} == dict(years)
    costs = {r["rcn"]: float(r["total_cost"]) for r in h2020
             if r["country"] == "RO" and r["total_cost"] not in ("", "NA")}
    got = [float(r["cost"]) for r in run(store, "largest-romanian-projects")]
    assert got == pytest.approx(sorted(costs.values(), reverse=True)[:10])


def test_organisations_by_kind_and_biggest_project(store: GraphStore, h2020: list[dict[str, str]]) -> None:
    kinds = {r["kind"].rsplit("/", 1)[-1]: int(r["organisations"]) for r in run(store, "organisations-by-kind")}
    assert kinds["PRC"] == len({r["pic"] for r in h2020 if r["type"] == "PRC"})
    assert kinds["sme"] == sum(1 for o in table("organisations") if o["kind"] == "sme")
    rows = run(store, "organisations-in-a-project")
    biggest = Counter(r["rcn"] for r in h2020).most_common(1)[0][1]
    assert len(rows) == biggest and len({r["project"] for r in rows}) == 1


def test_partnership_questions(store: GraphStore) -> None:
    members = run(store, "partnership-members")
    assert len(members) == len(table("memberships")) and all(r["name"] for r in members)
    areas = {r["area"].rsplit("/", 1)[-1] for r in run(store, "partnership-action-areas")}
    assert areas == {a for p in table("partnerships") for a in p["action_areas"].split("|") if a}
    units = run(store, "units-of-organisations")
    assert len(units) == sum(1 for o in table("organisations") if o.get("parent_org_id"))


def test_supply_and_demand_questions(store: GraphStore) -> None:
    offers = {o["offer_id"]: int(o["trl"]) for o in table("offers") if o["trl"]}
    at_trl = run(store, "offers-at-trl")
    assert {pic(r["offer"]) for r in at_trl} == {o for o, trl in offers.items() if trl >= 6}
    assert all(int(r["level"]) == offers[pic(r["offer"])] for r in at_trl)
    requests = {r["request_id"]: r for r in table("requests")}
    matched = run(store, "offers-for-requests")
    assert ("need-cnc-unplanned-downtime", "offer-cnc-predictive-maintenance") in {
        (pic(r["request"]), pic(r["offer"])) for r in matched}
    assert all(offers[pic(r["offer"])] >= int(requests[pic(r["request"])]["desired_trl"]) for r in matched)
    unmet = {pic(r["request"]) for r in run(store, "requests-without-offers")}
    assert unmet == set(requests) - {pic(r["request"]) for r in matched}
    demand = {r["region"].rsplit("/", 1)[-1]: int(r["requests"]) for r in run(store, "demand-by-region")}
    assert demand == dict(Counter(r["nuts"] for r in requests.values() if r["nuts"]))
    competences = run(store, "competences-of-units")
    assert len(competences) == sum(len([c for c in (o.get("competences") or "").split("|") if c])
                                   for o in table("organisations") + table("research_units"))


def test_sources_and_runs(store: GraphStore) -> None:
    rows = run(store, "sources-and-runs")
    assert {r["graph"] for r in rows} == {g.value for g in store.named_graphs()} - {
        "https://w3id.org/innograph/graph/provenance"}
    for row in rows:
        assert int(row["triples"]) == store.count(ox.NamedNode(row["graph"]))


@pytest.fixture(scope="module")
def linked_store(vocab_template: Path, tmp_path_factory: pytest.TempPathFactory) -> GraphStore:
    """The partnership with its CORDIS links and the complete consortia of its members' H2020 projects."""
    return linked_store_at(vocab_template, tmp_path_factory.mktemp("linked"))


def test_partnership_members_own_eu_projects_and_partners(linked_store: GraphStore) -> None:
    """Issue 11: the members' EU record (ig:cordisRecord) gives their projects and partners, from the table itself."""
    links, rows = linked_rows()
    record_of = {p: member for member, pics in links.items() for p in pics}
    expected = {(record_of[r["pic"]], r["pic"], r["rcn"], r["role"]) for r in rows if r["pic"] in record_of}
    got = run(linked_store, "partnership-members-eu-projects")
    assert {(pic(r["member"]), pic(r["record"]), r["rcn"], r["role"].rsplit("/", 1)[-1]) for r in got} == expected
    assert {"adr-vest", "adr-nord-est", "adr-bucuresti-ilfov"} <= {pic(r["member"]) for r in got}
    assert all(r["name"] for r in got)
    partners: dict[tuple[str, str], set[str]] = defaultdict(set)
    by_project: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        by_project[row["rcn"]].add(row["pic"])
    for member, _, rcn, _ in expected:
        for other in by_project[rcn] - links[member]:
            partners[(member, other)].add(rcn)
    shared = {(pic(r["member"]), pic(r["partner"])): int(r["shared"]) for r in run(linked_store, "partnership-members-eu-partners")}
    assert shared == {key: len(rcns) for key, rcns in partners.items()}
    assert shared[("adr-vest", "954652467")] >= 4  # ADR Vest and ADR Sud-Vest Oltenia share four projects
