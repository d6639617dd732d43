"""Who can introduce whom: the one shortest-path algorithm, for /network/path and /match's explanations.

One breadth-first search from the source (``reach``: scipy's C search over the organisation
adjacency, every project and partnership a tie) gives the hops to every organisation; the
chains to one target are then walked over that search alone (``chains``): the organisations
on some shortest chain are found backwards from the target (a neighbour one hop nearer the
source), then enumerated forwards from the source, stronger ties first. So a matcher that has
searched once from the asker explains each result with a few array lookups, and /network/path
gives the same chains as the search from both ends it replaces.

``Collaboration`` is what the matcher reads: the whole network (no filter) of the current store
generation, hops from an asker (cached for the last few askers) and one introduction path per
result, each step naming the project or partnership that links it (``via_kind``).
"""

from __future__ import annotations

import itertools
import threading
from collections import OrderedDict
from functools import cached_property
from typing import Any

import numpy as np
from scipy.sparse import csgraph

from common.errors import InvalidInputError
from graph.network._analytics import MAX_PATH_DEPTH, FilteredNetwork, network, state
from graph.store import GraphStore

#: the matcher's reach: a chain of more than three introductions is no signal
MATCH_DEPTH = 3


def reach(net: FilteredNetwork, source: int, max_depth: int | None = None) -> np.ndarray:
    """Hops from ``source`` to every organisation (``inf``: not within ``max_depth``, or not at all)."""
    limit = np.inf if max_depth is None else max_depth
    hops: np.ndarray = csgraph.dijkstra(net.adjacency, unweighted=True, indices=source, limit=limit)
    return hops


def chains(net: FilteredNetwork, source: int, target: int, hops: np.ndarray, limit: int) -> list[list[int]]:
    """Up to ``limit`` shortest chains ``source`` -> ``target`` given ``hops = reach(net, source)``, stronger ties first."""
    if not np.isfinite(hops[target]) or source == target:
        return []
    length = int(hops[target])
    on_chain = np.zeros(len(hops), dtype=bool)
    on_chain[target] = True
    level = np.array([target])
    for step in range(length - 1, 0, -1):  # backwards: the neighbours one hop nearer the source
        near = net.adjacency[level].indices
        level = np.unique(near[hops[near] == step])
        on_chain[level] = True
    found: list[list[int]] = []

    def walk(path: list[int]) -> None:
        if len(found) >= limit:
            return
        u = path[-1]
        if u == target:
            found.append(list(path))
            return
        others, ids = net.neighbours(u)
        ok = on_chain[others] & (hops[others] == len(path))
        for k in np.argsort(-net.projects[ids[ok]], kind="stable"):
            walk([*path, int(others[ok][k])])

    walk([source])
    return found


def introduction_paths(
    store: GraphStore, net: FilteredNetwork, source: str, target: str, *, max_depth: int = 4, limit: int = 3
) -> dict[str, Any]:
    """Shortest chains source -> ... -> target, strongest ties first, with the projects linking each step.

    Why shortest: each intermediary is a person to ask; a chain one step longer than the
    shortest is rarely the better introduction. Among equally short chains those whose ties
    share more projects come first.
    """
    if not 1 <= max_depth <= MAX_PATH_DEPTH:
        raise InvalidInputError("max_depth", f"must be between 1 and {MAX_PATH_DEPTH}")
    s, t = net.vertex(source), net.vertex(target)
    if s == t:
        raise InvalidInputError("target", "is the same organisation as source")
    hops = reach(net, s)
    distance = hops[t]
    found = chains(net, s, t, hops, limit) if distance <= max_depth else []
    out = []
    for chain in found:
        steps = []
        for a, b in itertools.pairwise(chain):
            links, shared = net.shared_links(store, a, b)
            steps.append({"from": net.node(a), "to": net.node(b), "shared": shared, "via": links})
        out.append({"length": len(chain) - 1, "steps": steps})
    return {"source": net.node(s), "target": net.node(t),
            "distance": int(distance) if np.isfinite(distance) else None, "paths": out,
            "note": None if out else f"no chain of at most {max_depth} steps under this filter"}


class Collaboration:
    """The whole collaboration network as the matcher reads it: hops from an asker, one path per result."""

    def __init__(self, store: GraphStore, net: FilteredNetwork) -> None:
        self.store, self.net = store, net
        # A match with context.organisation asks for the distances and then a path to each result:
        # one search per asker serves them all; the last few askers are kept.
        self._searches: OrderedDict[tuple[str, int], tuple[np.ndarray, dict[str, int]]] = OrderedDict()
        self._lock = threading.Lock()

    def _search(self, origin: str, max_depth: int) -> tuple[np.ndarray, dict[str, int]] | None:
        source = self.net.data.index.get(origin)
        if source is None:
            return None
        key = (origin, max_depth)
        with self._lock:
            if key in self._searches:
                self._searches.move_to_end(key)
                return self._searches[key]
        hops = reach(self.net, source, max_depth)
        reached = np.flatnonzero(np.isfinite(hops) & (hops > 0))
        orgs = self.net.data.orgs
        found = (hops, {orgs[i]: int(hops[i]) for i in reached})
        with self._lock:
            self._searches[key] = found
            while len(self._searches) > 8:  # each holds an array and a dict of up to ~36k organisations
                self._searches.popitem(last=False)
        return found

    def distances(self, origin: str, max_depth: int = MATCH_DEPTH) -> dict[str, int]:
        """Organisation IRI -> ties (projects or partnerships) on the shortest chain from ``origin`` (itself excluded)."""
        found = self._search(origin, max_depth)
        return dict(found[1]) if found else {}

    def path(self, origin: str, target: str, max_depth: int = MATCH_DEPTH) -> list[dict[str, str]] | None:
        """The strongest shortest chain origin -> ... -> target, each step with the link it goes through, or None."""
        found, t = self._search(origin, max_depth), self.net.data.index.get(target)
        if found is None or t is None:
            return None
        best = chains(self.net, self.net.data.index[origin], t, found[0], limit=1)
        if not best:
            return None
        data, steps = self.net.data, []
        for a, b in itertools.pairwise(best[0]):
            link = self.net.shared_links(self.store, a, b, limit=1)[0][0]
            steps.append({"from": data.orgs[a], "to": data.orgs[b], "via_project": link["iri"], "via_kind": link["kind"],
                          "from_label": data.labels[a], "to_label": data.labels[b], "via_project_label": link["label"]})
        return steps

    @cached_property
    def org_projects(self) -> dict[str, set[str]]:
        """Organisation IRI -> the projects it takes part in (a member: its CORDIS record's too), partnerships aside."""
        return self._incidence()[0]

    @cached_property
    def project_orgs(self) -> dict[str, set[str]]:
        """Project IRI -> the organisations taking part in it (partnerships aside)."""
        return self._incidence()[1]

    def _incidence(self) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
        data = self.net.data
        by_org: dict[str, set[str]] = {}
        by_project: dict[str, set[str]] = {}
        for i, j in zip(data.inc_org.tolist(), data.inc_link.tolist(), strict=True):
            if not data.link_is_partnership[j]:
                by_org.setdefault(data.orgs[i], set()).add(data.links[j])
                by_project.setdefault(data.links[j], set()).add(data.orgs[i])
        return by_org, by_project


def collaboration(store: GraphStore) -> Collaboration:
    """The one collaboration network of ``store``'s current generation (shared with /network's unfiltered view)."""
    current = state(store)
    with current.lock:
        found = current.extra.get("collaboration")
    if isinstance(found, Collaboration):
        return found
    built = Collaboration(store, network(store))
    with current.lock:
        kept = current.extra.setdefault("collaboration", built)
    assert isinstance(kept, Collaboration)
    return kept
