"""The collaboration network: organisations linked by the projects they share.

Why in memory: "how far is this research unit from me" and "who can introduce me" are
breadth-first searches over ~36k organisations and ~145k participations; a sparse matrix of
the bipartite organisation-project graph, built once per store generation, answers them in
milliseconds (scipy's C search), where a SPARQL property path takes seconds.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict

import numpy as np
import pyoxigraph as ox
import scipy.sparse as sp
from scipy.sparse import csgraph

from graph.matching import _profile_queries as q
from graph.store import GraphStore
from graph.views import choose

LABEL_QUERY = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rov: <http://www.w3.org/ns/regorg#>
SELECT ?x ?label ?legal ?alt WHERE {
  { ?x skos:prefLabel ?label } UNION { ?x rov:legalName ?legal } UNION { ?x skos:altLabel ?alt }
}
"""

# A partnership member and its CORDIS organisation (data/union-of-innovation/cordis_links.csv, reviewed):
# one organisation in two records, so the member stands in its record's projects too.
CORDIS_RECORDS = """
PREFIX ig: <https://w3id.org/innograph/def#>
SELECT ?member ?record WHERE { ?member ig:cordisRecord ?record }
"""


class CollaborationNetwork:
    def __init__(self, store: GraphStore, org_projects: dict[str, set[str]], project_orgs: dict[str, set[str]]) -> None:
        self.store = store
        self.org_projects = org_projects
        self.project_orgs = project_orgs
        # A match with context.organisation asks for the distances and then a path to each result:
        # one search per origin serves them all (a 3-hop search over the H2020 network visits most
        # of its 36k organisations).
        self._searches: OrderedDict[tuple[str, int], tuple[dict[str, int], dict[str, tuple[str, str]]]] = OrderedDict()
        self._lock = threading.Lock()
        self._graph: tuple[sp.csr_matrix, list[str], dict[str, int], int] | None = None

    @classmethod
    def from_store(cls, store: GraphStore) -> CollaborationNetwork:
        org_projects: dict[str, set[str]] = defaultdict(set)
        project_orgs: dict[str, set[str]] = defaultdict(set)
        for row in store.select(q.CO_PARTICIPATION):
            org, project = row["org"].value, row["project"].value
            org_projects[org].add(project)
            project_orgs[project].add(org)
        # Why: without this a member asking /match (NASR, an RDA) is a node with no projects and gets no
        # network signal, though its own EU projects are in the graph under its PIC.
        for row in store.select(CORDIS_RECORDS):
            member, record = row["member"].value, row["record"].value
            for project in org_projects.get(record, set()).copy():
                org_projects[member].add(project)
                project_orgs[project].add(member)
        return cls(store, dict(org_projects), dict(project_orgs))  # plain dicts: a lookup adds nothing

    def _bfs(self, origin: str, max_depth: int) -> tuple[dict[str, int], dict[str, tuple[str, str]]]:
        key = (origin, max_depth)
        with self._lock:
            if key in self._searches:
                self._searches.move_to_end(key)
                return self._searches[key]
        found = self._search(origin, max_depth)
        with self._lock:
            self._searches[key] = found
            while len(self._searches) > 8:  # each holds dicts of up to ~36k organisations (~5 MB)
                self._searches.popitem(last=False)
        return found

    def _bipartite(self) -> tuple[sp.csr_matrix, list[str], dict[str, int], int]:
        """Organisations, then projects, as nodes of one graph with an edge per participation
        (built once); and how many nodes are organisations."""
        with self._lock:
            if self._graph is None:
                orgs = sorted(self.org_projects)
                nodes = orgs + sorted(self.project_orgs)
                index = {iri: i for i, iri in enumerate(nodes)}
                rows = [index[o] for o in orgs for _ in self.org_projects[o]]
                cols = [index[p] for o in orgs for p in self.org_projects[o]]
                ones = np.ones(2 * len(rows), dtype=np.int8)
                matrix = sp.csr_matrix((ones, (rows + cols, cols + rows)), shape=(len(nodes), len(nodes)))
                self._graph = (matrix, nodes, index, len(orgs))
            return self._graph

    def _search(self, origin: str, max_depth: int) -> tuple[dict[str, int], dict[str, tuple[str, str]]]:
        """Hops (projects in the chain) to every organisation within ``max_depth``, and each one's
        (previous organisation, project) on a shortest chain: a breadth-first search in C over the
        bipartite graph (organisation -> project -> organisation is one hop; ~10 ms where the
        Python search over the H2020 network took ~400 ms)."""
        matrix, nodes, index, n_orgs = self._bipartite()
        start = index.get(origin)
        if start is None:
            return {origin: 0}, {}
        steps, previous = csgraph.dijkstra(matrix, unweighted=True, indices=start, return_predecessors=True,
                                           limit=2 * max_depth)
        distances = {origin: 0}
        parents: dict[str, tuple[str, str]] = {}
        for i in np.flatnonzero(np.isfinite(steps[:n_orgs])):
            if i == start:
                continue
            project = int(previous[i])
            distances[nodes[i]] = int(steps[i]) // 2
            parents[nodes[i]] = (nodes[int(previous[project])], nodes[project])
        return distances, parents

    def distances(self, origin: str, max_depth: int = 3) -> dict[str, int]:
        """Organisation -> number of project hops from ``origin`` (origin itself excluded)."""
        distances, _ = self._bfs(origin, max_depth)
        return {org: hops for org, hops in distances.items() if org != origin}

    def path(self, origin: str, target: str, max_depth: int = 3) -> list[dict[str, str]] | None:
        """The chain origin -> ... -> target with the project linking each step, or None."""
        _, parents = self._bfs(origin, max_depth)
        if target not in parents:
            return None
        steps = []
        node = target
        while node != origin:
            previous, project = parents[node]
            steps.append({"from": previous, "to": node, "via_project": project})
            node = previous
        steps.reverse()
        for step in steps:
            for key in ("from", "to", "via_project"):
                step[f"{key}_label"] = self.label(step[key])
        return steps

    def label(self, iri: str) -> str:
        """The display name by the one rule of ``graph.views._labels.choose`` (the IRI when there is none)."""
        rows = list(self.store.select(LABEL_QUERY, {"x": ox.NamedNode(iri)}))
        found = [(rank, r[key].value) for r in rows for rank, key in enumerate(("label", "legal", "alt"))
                 if r[key] is not None]
        if not found:
            return iri
        return choose([(rank, "", text) for rank, text in found], frozenset(text for rank, text in found if rank == 2))
