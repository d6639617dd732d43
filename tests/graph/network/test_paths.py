"""The one path algorithm and the matcher's view of the network (moved here from tests/graph/matching/test_network.py
when the matcher's own network was removed): hops, the three-hop limit, the chain and the link of each step."""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

import igraph as ig
import numpy as np
import pytest

from graph.network import Collaboration, introduction_paths, network
from graph.network._analytics import WHOLE, FilteredNetwork, build_network
from graph.network._data import NetworkData
from graph.network._paths import chains, reach
from graph.store import GraphStore
from ingest.bundled import REPO_DATA
from tests.graph.linked_fixtures import linked_rows, linked_store_at

ORG = "https://w3id.org/innograph/id/org/"
PROJECT = "https://w3id.org/innograph/id/project/"


def network_of(links: dict[str, str], partnerships: frozenset[str] = frozenset()) -> FilteredNetwork:
    """The whole network of ``links`` (link name -> its member letters); ``partnerships`` are flagged as such."""
    orgs = sorted({ORG + o for members in links.values() for o in members})
    names = sorted(links)
    index = {iri: i for i, iri in enumerate(orgs)}
    pairs = sorted((index[ORG + o], j) for j, name in enumerate(names) for o in links[name])
    n = len(orgs)
    data = NetworkData(
        orgs=orgs, index=index, labels=list(orgs), kinds=[None] * n, countries=[None] * n, regions=[None] * n,
        sme=[False] * n, org_concepts=[frozenset()] * n, links=[PROJECT + name for name in names],
        link_index={PROJECT + name: j for j, name in enumerate(names)},
        link_is_partnership=np.array([name in partnerships for name in names], dtype=bool),
        link_year=np.zeros(len(names), dtype=np.int32), link_concepts=[frozenset()] * len(names),
        inc_org=np.array([p[0] for p in pairs], dtype=np.int32), inc_link=np.array([p[1] for p in pairs], dtype=np.int32),
        inc_ec=np.zeros(len(pairs)),
    )
    return build_network(data, WHOLE)


@pytest.fixture
def chain() -> Collaboration:
    """A-P1-B-P2-C-P3-D-P4-E, plus B and F both in P5 and G alone in P6."""
    return Collaboration(GraphStore(None), network_of({"P1": "AB", "P2": "BC", "P3": "CD", "P4": "DE", "P5": "BF",
                                                       "P6": "G"}))


def test_hops_count_projects_and_stop_at_three(chain: Collaboration) -> None:
    hops = chain.distances(ORG + "A")
    assert hops == {ORG + "B": 1, ORG + "F": 2, ORG + "C": 2, ORG + "D": 3}  # E is 4 hops away, G unreachable
    assert chain.distances(ORG + "A", max_depth=4)[ORG + "E"] == 4
    assert chain.distances(ORG + "A") == hops  # a cached search gives the same answer (and is not altered)


def test_the_path_names_each_step_and_its_project(chain: Collaboration) -> None:
    path = chain.path(ORG + "A", ORG + "D")
    assert path is not None
    assert [(s["from"], s["via_project"], s["to"]) for s in path] == [
        (ORG + "A", PROJECT + "P1", ORG + "B"), (ORG + "B", PROJECT + "P2", ORG + "C"),
        (ORG + "C", PROJECT + "P3", ORG + "D"),
    ]
    assert {s["via_kind"] for s in path} == {"project"}
    assert path[0]["from_label"] == ORG + "A"  # no label in the store: the IRI stands in
    assert chain.path(ORG + "A", ORG + "E") is None  # beyond three hops
    assert chain.path(ORG + "A", ORG + "G") is None


def test_an_unknown_origin_reaches_nobody(chain: Collaboration) -> None:
    assert chain.distances(ORG + "nobody") == {}
    assert chain.path(ORG + "nobody", ORG + "A") is None


def test_a_partnership_is_a_tie_and_the_path_says_so() -> None:
    """One network for /match and /network: G, alone in its project, reaches D through the partnership U."""
    net = Collaboration(GraphStore(None), network_of({"P1": "AB", "P2": "BC", "P3": "CD", "P6": "G", "U": "DG"},
                                                     partnerships=frozenset({"U"})))
    assert net.distances(ORG + "G") == {ORG + "D": 1, ORG + "C": 2, ORG + "B": 3}
    path = net.path(ORG + "G", ORG + "B")
    assert path is not None
    assert [(s["via_project"], s["via_kind"]) for s in path] == [
        (PROJECT + "U", "partnership"), (PROJECT + "P3", "project"), (PROJECT + "P2", "project")]
    assert PROJECT + "U" not in net.project_orgs and net.org_projects[ORG + "G"] == {PROJECT + "P6"}


def test_chains_are_every_shortest_chain_stronger_ties_first() -> None:
    """Checked against igraph's enumeration of all shortest paths on a small lattice of projects."""
    links = {f"P{k}": "".join(chr(65 + (k * 7 + i * 3) % 19) for i in range(3)) for k in range(30)}
    net = network_of(links)
    g = ig.Graph(n=len(net.data.orgs), edges=np.column_stack([net.src, net.dst]).tolist())
    for s, t in itertools.permutations(range(len(net.data.orgs)), 2):
        hops = reach(net, s)
        found = chains(net, s, t, hops, limit=1000)
        expected = {tuple(p) for p in g.get_all_shortest_paths(s, to=t)} if np.isfinite(hops[t]) else set()
        assert {tuple(c) for c in found} == expected and len(found) == len(expected)
        for chain in found[:1]:  # the first chain takes the strongest tie at each step
            for a, b in itertools.pairwise(chain):
                others, ids = net.neighbours(a)
                ok = [net.projects[e] for v, e in zip(others, ids, strict=True)
                      if any(c[: chain.index(a) + 2] == (*chain[: chain.index(a) + 1], v) for c in map(tuple, found))]
                assert net.projects[ids[list(others).index(b)]] == max(ok)


def test_a_member_reaches_its_cordis_records_partners(vocab_template: Path, tmp_path: Path) -> None:
    """Issue 11: ADR Vest asking /match is one hop from the partners of its CORDIS record (ig:cordisRecord),
    and, in the one network, from the other members of its partnership."""
    links, rows = linked_rows()
    store = linked_store_at(vocab_template, tmp_path)
    whole = network(store)
    collaboration = Collaboration(store, whole)
    member, record = ORG + "adr-vest", ORG + "pic/" + min(links["adr-vest"])
    with (REPO_DATA / "union-of-innovation" / "memberships.csv").open(encoding="utf-8") as handle:
        partnership = {ORG + m["org_id"] for m in csv.DictReader(handle) if m["partnership_id"] == "union-of-innovation"}
    projects = {r["rcn"] for r in rows if r["pic"] in links["adr-vest"]}
    in_projects = {r["pic"] for r in rows if r["rcn"] in projects}
    partners = {ORG + "pic/" + p for p in in_projects} - {record}
    other_members = {ORG + m for m, pics in links.items() if m != "adr-vest" and pics & in_projects}
    assert other_members == {ORG + "adr-sud-vest-oltenia"}  # through its own record, a partner of ADR Vest's
    hops = collaboration.distances(member, max_depth=1)
    assert partners and {org for org, n in hops.items() if n == 1} == partners | {record} | other_members | (
        partnership - {member})
    oltenia = ORG + "pic/954652467"  # ADR Sud-Vest Oltenia, in four projects with ADR Vest's record
    path = collaboration.path(member, oltenia)
    assert path is not None and len(path) == 1 and path[0]["via_project"] in collaboration.org_projects[record]
    assert "PIC 954652467" in path[0]["to_label"]  # no directory in this store: the honest placeholder
    nord_est = collaboration.distances(ORG + "adr-nord-est", max_depth=2)  # another member, its own record's network
    assert len(nord_est) > len(hops) > 0
    # Before the one network the matcher ignored partnerships and OSIM (no CORDIS record) had no network; now it is
    # one hop from every other member and reaches their records' partners through them, as /network/path says.
    osim = collaboration.distances(ORG + "osim", max_depth=1)
    assert set(osim) == partnership - {ORG + "osim"}
    path = collaboration.path(ORG + "osim", oltenia)
    assert path is not None and path[0]["via_kind"] == "partnership" and path[-1]["to"] == oltenia
    shown = introduction_paths(store, whole, "osim", "pic/954652467", limit=1)
    assert [s["to"]["iri"] for s in shown["paths"][0]["steps"]] == [s["to"] for s in path]
