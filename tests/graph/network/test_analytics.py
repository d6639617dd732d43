"""Network analytics on small real data: the partnership, the illustrative examples and a slice
of CORDIS H2020, checked against counts made directly from the CORDIS rows."""

from __future__ import annotations

import csv
import gzip
import itertools
import shutil
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from common.errors import InvalidInputError, NotFoundError
from graph.network import NetworkFilter, ego_network, introduction_paths, network, supply_demand
from graph.network import _metrics as metrics
from graph.store import GraphStore
from ingest.bundled import REPO_DATA
from ingest.loading import ingest_path
from tests.conftest import h2020_slice

ROWS = 2000


@pytest.fixture(scope="module")
def loaded(vocab_template: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[GraphStore, Path]:
    data = tmp_path_factory.mktemp("network")
    shutil.copytree(vocab_template, data / "store", ignore=shutil.ignore_patterns("LOCK"))
    store = GraphStore(data / "store")
    h2020 = h2020_slice(data / "h2020", rows=ROWS)
    shutil.copy(REPO_DATA / "cordis" / "h2020_participations" / "programme_parts.csv.gz", h2020)
    for source, name in ((h2020, "cordis-h2020"), (REPO_DATA / "union-of-innovation", "union-of-innovation"),
                         (REPO_DATA / "illustrative", "illustrative")):
        assert ingest_path(store, source, name=name).ok
    return store, h2020 / "h2020_participations.csv.gz"


@pytest.fixture(scope="module")
def store(loaded: tuple[GraphStore, Path]) -> GraphStore:
    return loaded[0]


@pytest.fixture(scope="module")
def rows(loaded: tuple[GraphStore, Path]) -> list[dict[str, str]]:
    with gzip.open(loaded[1], "rt", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def expected_pairs(rows: list[dict[str, str]]) -> dict[tuple[str, str], tuple[int, float]]:
    """(pic, pic) -> (shared projects, EU money both received in them), straight from the table."""
    money: dict[tuple[str, str], float] = defaultdict(float)
    for row in rows:
        amount = row["contribution"]
        money[(row["rcn"], row["pic"])] += float(amount) if amount.replace(".", "", 1).isdigit() else 0.0
    members: dict[str, set[str]] = defaultdict(set)
    for rcn, pic in money:
        members[rcn].add(pic)
    pairs: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0, 0.0])
    for rcn, pics in members.items():
        for a, b in itertools.combinations(sorted(pics), 2):
            pairs[(a, b)][0] += 1
            pairs[(a, b)][1] += money[(rcn, a)] + money[(rcn, b)]
    return {k: (int(v[0]), v[1]) for k, v in pairs.items()}


def test_edges_and_weights_equal_the_co_participations_of_the_cordis_rows(store: GraphStore, rows: list) -> None:
    net = network(store)
    expected = expected_pairs(rows)
    partnership = 13 * 12 // 2  # the Union of innovation's members are linked to each other
    assert len(net.src) == len(expected) + partnership
    pic = {i: net.data.org_id(i).removeprefix("pic/") for i in range(len(net.data.orgs))}
    for e in range(0, len(net.src), 97):
        a, b = sorted((pic[int(net.src[e])], pic[int(net.dst[e])]))
        if (a, b) in expected:
            projects, ec = expected[(a, b)]
            assert net.projects[e] == projects
            assert net.ec[e] == pytest.approx(ec, abs=0.05)


def test_the_network_is_cached_per_filter(store: GraphStore) -> None:
    assert network(store) is network(store)
    flt = NetworkFilter(countries=("RO",))
    assert network(store, flt) is network(store, flt) and network(store, flt) is not network(store)


def test_an_ingest_rebuilds_the_network(store_dir: Path) -> None:
    fresh = GraphStore(store_dir)
    assert ingest_path(fresh, REPO_DATA / "union-of-innovation").ok
    before = network(fresh)
    assert network(fresh) is before and len(before.src) == 13 * 12 // 2
    assert ingest_path(fresh, REPO_DATA / "illustrative").ok
    after = network(fresh)
    assert after is not before and len(after.data.orgs) > len(before.data.orgs)


def test_filters_keep_periods_countries_fields_and_kinds(store: GraphStore, rows: list) -> None:
    everything = network(store)
    recent = network(store, NetworkFilter(year_from=2019))
    assert 0 < len(recent.src) < len(everything.src)
    years = {int(y) for y in everything.data.link_year[recent.members.nonzero()[1]]}
    assert min(years) >= 2019  # and partnerships (no date) are gone
    assert ego_network(recent, "osim")["partners"] == 0
    romanian = network(store, NetworkFilter(countries=("RO",)))
    assert {romanian.data.countries[int(v)] for v in romanian.active} == {"RO"}
    sc = network(store, NetworkFilter(fields=("SC2",)))
    kept = {sc.data.links[j] for j in set(sc.members.nonzero()[1].tolist())}
    assert kept and all(any(c.endswith("/sc2") for c in sc.data.link_concepts[sc.data.link_index[k]]) for k in kept)
    universities = network(store, NetworkFilter(kinds=("HES",)))
    assert {universities.data.kinds[int(v)] for v in universities.active} == {"HES"}
    nord_est = network(store, NetworkFilter(regions=("RO2",)))
    assert {nord_est.data.region_code(int(v)) for v in nord_est.active} <= {"RO21", "RO22"}


@pytest.mark.parametrize("flt, field", [
    (NetworkFilter(regions=("RO99",)), "region"), (NetworkFilter(countries=("XX",)), "country"),
    (NetworkFilter(fields=("no such field at all",)), "field"), (NetworkFilter(kinds=("wizard",)), "kind"),
    (NetworkFilter(year_from=2020, year_to=2015), "year_from"),
])
def test_bad_filters_name_the_field(store: GraphStore, flt: NetworkFilter, field: str) -> None:
    with pytest.raises(InvalidInputError) as error:
        network(store, flt)
    assert error.value.field == field


def test_ego_network_keeps_the_strongest_ties_within_the_node_limit(store: GraphStore) -> None:
    net = network(store)
    hub = int(net.degree().argmax())
    hub_id = net.data.org_id(hub)
    ego = ego_network(net, hub_id, depth=1, max_nodes=10)
    assert len(ego["nodes"]) == 10 and ego["truncated"] and ego["partners"] == net.degree()[hub]
    _, ids = net.neighbours(hub)
    weakest_kept = min(e["projects"] for e in ego["edges"] if hub_id in (e["source"], e["target"]))
    assert weakest_kept >= sorted(net.projects[ids].tolist(), reverse=True)[8]
    two = ego_network(net, "adr-nord-est", depth=2, max_nodes=500)
    assert {n["depth"] for n in two["nodes"]} == {0, 1} and two["partners"] == 12  # the partnership only
    with pytest.raises(NotFoundError):
        ego_network(net, "no-such-organisation")
    with pytest.raises(InvalidInputError):
        ego_network(net, hub_id, depth=3)


def test_introduction_paths_are_shortest_and_name_the_linking_projects(store: GraphStore) -> None:
    net = network(store)
    hub = int(net.degree().argmax())
    partner = int(net.neighbours(hub)[0][0])
    far = next(int(v) for v in net.neighbours(partner)[0] if int(v) not in set(net.neighbours(hub)[0].tolist()) | {hub})
    found = introduction_paths(store, net, net.data.org_id(far), net.data.org_id(hub), limit=5)
    assert found["distance"] == 2 and 1 <= len(found["paths"]) <= 5
    chains = set()
    for path in found["paths"]:
        assert path["length"] == 2
        assert path["steps"][0]["from"]["id"] == net.data.org_id(far) and path["steps"][-1]["to"]["id"] == net.data.org_id(hub)
        for step in path["steps"]:
            assert step["shared"] >= len(step["via"]) >= 1
            # H2020 projects without a title are described, not numbered (issue 11): "H2020 project, SC1, 2016-2019, RCN n"
            assert all(v["label"].startswith("H2020 project, ") and ", RCN " in v["label"] for v in step["via"])
        chains.add(tuple(s["to"]["id"] for s in path["steps"]))
    assert len(chains) == len(found["paths"])
    none = introduction_paths(store, net, "osim", net.data.org_id(hub), max_depth=3)
    assert none["paths"] == [] and none["note"]


def test_partnership_members_form_one_community(store: GraphStore) -> None:
    net = network(store)
    member = metrics.membership(net)
    adrs = {int(member[net.vertex(f"adr-{r}")]) for r in ("nord-est", "vest", "centru", "sud-est")}
    assert len(adrs) == 1
    found = metrics.communities(net, limit=5)
    sizes = [c["size"] for c in found["data"]]
    assert sizes == sorted(sizes, reverse=True) and found["modularity"] > 0.3
    members = metrics.community_members(net, found["data"][0]["community"], limit=3)
    assert members["count"] == sizes[0] and len(members["data"]) == 3


def test_sampled_betweenness_agrees_with_exact(store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> None:
    net = network(store)
    exact, method = metrics.betweenness(net)
    assert method == "exact"
    monkeypatch.setattr(metrics, "EXACT_LIMIT", 10)
    sampled, method = metrics.betweenness(net, samples=len(net.active) // 3)
    assert method.startswith("sampled")
    top = np.argsort(-exact)[:20]
    assert np.corrcoef(exact[net.active], sampled[net.active])[0, 1] > 0.8
    assert len(set(top.tolist()) & set(np.argsort(-sampled)[:20].tolist())) >= 12
    ranked = metrics.centrality(net, sort="degree", limit=5)
    assert [r["degree"] for r in ranked["data"]] == sorted((r["degree"] for r in ranked["data"]), reverse=True)


def test_brokers_span_the_groups_asked_for(store: GraphStore) -> None:
    net = network(store)
    found = metrics.brokers(net, by="country", between=("RO", "DE"), limit=10)
    assert found["count"] > 0
    for row in found["data"]:
        groups = {g["group"] for g in row["partner_groups"]} | {row["group"]}
        assert {"RO", "DE"} <= groups
    regions = metrics.brokers(net, by="region", limit=50)
    assert all(0 <= r["diversity"] <= 1 and r["groups_spanned"] >= 2 for r in regions["data"])
    with pytest.raises(InvalidInputError):
        metrics.brokers(net, between=("ZZ",))


def test_the_region_field_matrix_shows_the_grain_farm_as_unmet_demand(store: GraphStore) -> None:
    matrix = supply_demand(store, limit=500)
    cell = next(c for c in matrix["data"] if c["region"]["code"] == "RO21" and c["field"]["notation"] == "A")
    assert (cell["requests"], cell["smes"], cell["supply"], cell["status"]) == (2, 1, 0, "unmet")
    assert matrix["data"][0]["gap"] == max(c["gap"] for c in matrix["data"])
    centre = next(c for c in matrix["data"] if c["region"]["code"] == "RO12" and c["field"]["notation"] == "C")
    assert centre["research_units"] >= 1 and centre["offers"] >= 1
    counties = supply_demand(store, level=3, field="A", limit=100)
    assert counties["count"] == 43 and counties["unplaced"]  # 42 counties + RO; units placed at region level
    everything = supply_demand(store, depth=0, limit=100)
    romania = next(c for c in everything["data"] if c["region"]["code"] == "RO")
    assert romania["research_units"] > 0 and romania["projects"] > 0  # CORDIS rows, by country only
    with pytest.raises(InvalidInputError):
        supply_demand(store, field="ZZ99")
    with pytest.raises(InvalidInputError):
        supply_demand(store, level=4)
