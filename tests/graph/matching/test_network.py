"""The matcher's collaboration network: hops, the three-hop limit and the chain of projects."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.matching import CollaborationNetwork
from graph.store import GraphStore
from tests.graph.linked_fixtures import linked_rows, linked_store_at

ORG = "https://w3id.org/innograph/id/org/"
PROJECT = "https://w3id.org/innograph/id/project/"


@pytest.fixture
def chain() -> CollaborationNetwork:
    """A-P1-B-P2-C-P3-D-P4-E, plus B and F both in P5 and G alone in P6."""
    links = {"P1": "AB", "P2": "BC", "P3": "CD", "P4": "DE", "P5": "BF", "P6": "G"}
    org_projects: dict[str, set[str]] = {}
    project_orgs: dict[str, set[str]] = {}
    for project, orgs in links.items():
        for org in orgs:
            org_projects.setdefault(ORG + org, set()).add(PROJECT + project)
            project_orgs.setdefault(PROJECT + project, set()).add(ORG + org)
    return CollaborationNetwork(GraphStore(None), org_projects, project_orgs)


def test_hops_count_projects_and_stop_at_three(chain: CollaborationNetwork) -> None:
    hops = chain.distances(ORG + "A")
    assert hops == {ORG + "B": 1, ORG + "F": 2, ORG + "C": 2, ORG + "D": 3}  # E is 4 hops away, G unreachable
    assert chain.distances(ORG + "A", max_depth=4)[ORG + "E"] == 4
    assert chain.distances(ORG + "A") == hops  # a cached search gives the same answer (and is not altered)


def test_the_path_names_each_step_and_its_project(chain: CollaborationNetwork) -> None:
    path = chain.path(ORG + "A", ORG + "D")
    assert path is not None
    assert [(s["from"], s["via_project"], s["to"]) for s in path] == [
        (ORG + "A", PROJECT + "P1", ORG + "B"), (ORG + "B", PROJECT + "P2", ORG + "C"),
        (ORG + "C", PROJECT + "P3", ORG + "D"),
    ]
    assert path[0]["from_label"] == ORG + "A"  # no label in the store: the IRI stands in
    assert chain.path(ORG + "A", ORG + "E") is None  # beyond three hops
    assert chain.path(ORG + "A", ORG + "G") is None


def test_an_unknown_origin_reaches_nobody(chain: CollaborationNetwork) -> None:
    assert chain.distances(ORG + "nobody") == {}
    assert chain.path(ORG + "nobody", ORG + "A") is None


def test_a_member_reaches_its_cordis_records_partners(vocab_template: Path, tmp_path: Path) -> None:
    """Issue 11: ADR Vest asking /match is one hop from the partners of its CORDIS record (ig:cordisRecord)."""
    links, rows = linked_rows()
    store = linked_store_at(vocab_template, tmp_path)
    network = CollaborationNetwork.from_store(store)
    member, record = ORG + "adr-vest", ORG + "pic/" + min(links["adr-vest"])
    projects = {r["rcn"] for r in rows if r["pic"] in links["adr-vest"]}
    in_projects = {r["pic"] for r in rows if r["rcn"] in projects}
    partners = {ORG + "pic/" + p for p in in_projects} - {record}
    other_members = {ORG + m for m, pics in links.items() if m != "adr-vest" and pics & in_projects}
    assert other_members == {ORG + "adr-sud-vest-oltenia"}  # through its own record, a partner of ADR Vest's
    hops = network.distances(member, max_depth=1)
    assert partners and {org for org, n in hops.items() if n == 1} == partners | {record} | other_members
    oltenia = ORG + "pic/954652467"  # ADR Sud-Vest Oltenia, in four projects with ADR Vest's record
    path = network.path(member, oltenia)
    assert path is not None and len(path) == 1 and path[0]["via_project"] in network.org_projects[record]
    assert "PIC 954652467" in path[0]["to_label"]  # no directory in this store: the honest placeholder
    nord_est = network.distances(ORG + "adr-nord-est", max_depth=2)  # another member, its own record's network
    assert len(nord_est) > len(hops) > 0
    assert network.distances(ORG + "osim") == {}  # no CORDIS record: no network, as before
