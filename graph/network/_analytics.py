"""Partnership-network analytics for brokers: who works with whom, how strongly, under which filter.

The collaboration network has organisations as vertices; two are linked when they share a
project or a partnership. An edge carries ``projects`` (shared projects and partnerships) and
``ec_contribution``: the EU money both received in their shared projects, a measure of how much
joint work the tie stands for (partnerships carry no money). Filters:

- ``year_from`` / ``year_to``: keep projects starting in those years (partnerships have no
  date, so a period excludes them);
- ``fields``: keep projects under a EuroSciVoc field or of an H2020 programme part (``SC2``,
  ``LEIT``...). The CORDIS H2020 table gives programme parts, not EuroSciVoc fields;
- ``regions`` (NUTS, any level), ``countries``, ``kinds``: keep organisations. CORDIS H2020
  organisations have a country but no NUTS region; the CORDIS organisation directory places most
  named Romanian ones in a county, so a sub-national region keeps those and the organisations of
  our own tables; ``RO`` (the country) also keeps the Romanian ones located only by country.

Why cached per filter and generation: building the network of the whole H2020 data (36k
organisations, 800k edges) takes about a second, communities and betweenness several more;
each filtered network and what was computed on it is kept (the last ``CACHE_SIZE`` filters, and
always the whole network, which /match reads too) until the next ingest changes the store's
generation (``graph.store._generation``).

>>> from graph.store import GraphStore
>>> network(GraphStore(None)).summary()["organisations"]
0
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import igraph as ig
import numpy as np
import scipy.sparse as sp

from common.errors import InvalidInputError, NotFoundError
from common.memory import return_freed_memory
from graph.network._data import NetworkData, network_generation
from graph.store import GraphStore, PerGeneration
from graph.views import display_label, organisation_iri, resolve_with

CACHE_SIZE = 8
MAX_EGO_NODES = 500
MAX_PATH_DEPTH = 6


@dataclass(frozen=True)
class NetworkFilter:
    """Which part of the collaboration network to analyse (empty: all of it)."""

    year_from: int | None = None
    year_to: int | None = None
    regions: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()

    def describe(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in (None, ())}


WHOLE = NetworkFilter()


@dataclass
class FilteredNetwork:
    """The network under one filter: edges as arrays, adjacency as CSR, igraph built on demand."""

    data: NetworkData
    filter: NetworkFilter
    members: sp.csr_matrix  # organisations x links kept, 1 where the organisation takes part
    money: sp.csr_matrix  # the same, EU money received there as values
    src: np.ndarray
    dst: np.ndarray
    projects: np.ndarray
    ec: np.ndarray
    adjacency: sp.csr_matrix  # symmetric, value = edge id + 1
    lock: threading.Lock = field(default_factory=threading.Lock)
    cache: dict[str, Any] = field(default_factory=dict)

    # --- shape -------------------------------------------------------------------------------

    @property
    def active(self) -> np.ndarray:
        """Vertices with at least one partner."""
        return np.flatnonzero(np.diff(self.adjacency.indptr) > 0)

    def summary(self) -> dict[str, Any]:
        return {
            "organisations": len(self.active),
            "edges": len(self.src),
            "links": int((np.diff(self.members.tocsc().indptr) > 0).sum()),
            "filter": self.filter.describe(),
        }

    def neighbours(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """(partner vertices, edge ids) of vertex ``i``."""
        start, end = self.adjacency.indptr[i], self.adjacency.indptr[i + 1]
        return self.adjacency.indices[start:end], self.adjacency.data[start:end] - 1

    def weights(self) -> sp.csr_matrix:
        """The adjacency with shared projects as values (for sums over many rows at once)."""
        return self.cached("weights", lambda: sp.csr_matrix(
            (self.projects[self.adjacency.data - 1].astype(np.float64), self.adjacency.indices, self.adjacency.indptr),
            shape=self.adjacency.shape))

    def degree(self) -> np.ndarray:
        return np.diff(self.adjacency.indptr)

    def graph(self) -> ig.Graph:
        """The igraph view (vertex id = organisation index), built once."""
        with self.lock:
            if "graph" not in self.cache:
                g = ig.Graph(n=len(self.data.orgs), edges=np.column_stack([self.src, self.dst]).tolist())
                g.es["projects"] = self.projects.tolist()
                self.cache["graph"] = g
            return self.cache["graph"]

    def cached(self, key: str, compute: Any) -> Any:
        """``compute()`` once per filtered network (communities, betweenness ...)."""
        with self.lock:
            if key in self.cache:
                return self.cache[key]
        value = compute()
        with self.lock:
            return self.cache.setdefault(key, value)

    # --- vertices ----------------------------------------------------------------------------

    def vertex(self, org: str) -> int:
        """The vertex of an organisation id or IRI; ``NotFoundError`` when there is none."""
        iri = org if org.startswith("http") else organisation_iri(org).value
        i = self.data.index.get(iri)
        if i is None:
            raise NotFoundError(f"no organisation with id {org!r} ({iri})")
        return i

    def node(self, i: int, **extra: Any) -> dict[str, Any]:
        d = self.data
        return {"id": d.org_id(i), "iri": d.orgs[i], "label": d.labels[i], "kind": d.kinds[i],
                "country": d.countries[i], "region": d.region_code(i), "partners": int(self.degree()[i]), **extra}

    def edge(self, e: int) -> dict[str, Any]:
        return {"source": self.data.org_id(int(self.src[e])), "target": self.data.org_id(int(self.dst[e])),
                "projects": int(self.projects[e]), "ec_contribution": round(float(self.ec[e]), 2)}

    def shared_links(self, store: GraphStore, a: int, b: int, limit: int = 5) -> tuple[list[dict[str, Any]], int]:
        """The projects (and partnerships) ``a`` and ``b`` share, most EU money first."""
        both = np.intersect1d(self.members.getrow(a).indices, self.members.getrow(b).indices)
        money = np.asarray(self.money[[a, b]][:, both].sum(axis=0)).ravel() if len(both) else np.zeros(0)
        paid = {int(j): float(v) for j, v in zip(both, money, strict=True)}
        order = sorted(paid, key=lambda j: (-paid[j], j))
        out = []
        for j in order[:limit]:
            iri = self.data.links[j]
            out.append({"iri": iri, "label": display_label(store, iri) or iri.rsplit("/", 1)[-1],
                        "start_year": int(self.data.link_year[j]) or None,
                        "kind": "partnership" if self.data.link_is_partnership[j] else "project"})
        return out, len(order)


# --- building ------------------------------------------------------------------------------------


def _resolve(data: NetworkData, scheme: str, name: str, values: tuple[str, ...]) -> set[str]:
    return set(resolve_with(data.vocab, scheme, name, values))


def _field_concepts(data: NetworkData, values: tuple[str, ...]) -> set[str]:
    out = set()
    for value in values:
        programme = data.programmes.get(value.strip().upper())
        if programme:
            out.add(programme)
            continue
        try:
            out.add(data.vocab.resolve("euroscivoc", value).value)
        except ValueError as exc:
            parts = ", ".join(sorted(data.programmes)[:8]) or "none loaded"
            raise InvalidInputError("field", f"{exc}; nor is it an H2020 programme part ({parts} ...)") from None
    return out


def _node_mask(data: NetworkData, flt: NetworkFilter) -> np.ndarray:
    n = len(data.orgs)
    keep = np.ones(n, dtype=bool)
    if flt.kinds:
        kinds = set(flt.kinds)
        known = {k.removeprefix("https://w3id.org/innograph/vocab/org-kind/") for k in _resolve(data, "org-kind", "kind", flt.kinds)}
        keep &= np.array([data.kinds[i] in known or ("sme" in kinds and data.sme[i]) for i in range(n)], dtype=bool)
    if flt.countries:
        codes = {data.concepts.notations.get(c, c) for c in _resolve(data, "country", "country", flt.countries)}
        keep &= np.array([c in codes for c in data.countries], dtype=bool)
    if flt.regions:
        wanted = _resolve(data, "nuts2021", "region", flt.regions)
        countries = {data.concepts.notations.get(w, "") for w in wanted if len(data.concepts.notations.get(w, "")) == 2}
        located = np.array([
            (r is not None and bool(wanted & set(data.concepts.ancestors(r))))
            or (r is None and data.countries[i] in countries)
            for i, r in enumerate(data.regions)
        ], dtype=bool)
        keep &= located
    return keep


def _link_mask(data: NetworkData, flt: NetworkFilter) -> np.ndarray:
    keep = np.ones(len(data.links), dtype=bool)
    if flt.year_from is not None or flt.year_to is not None:
        if flt.year_from is not None and flt.year_to is not None and flt.year_from > flt.year_to:
            raise InvalidInputError("year_from", "is after year_to")
        keep &= data.link_year > 0
        if flt.year_from is not None:
            keep &= data.link_year >= flt.year_from
        if flt.year_to is not None:
            keep &= data.link_year <= flt.year_to
    if flt.fields:
        wanted = _field_concepts(data, flt.fields)
        ancestors = data.concepts.ancestors
        keep &= np.array([any(wanted & set(ancestors(c)) for c in cs) if cs else False for cs in data.link_concepts],
                         dtype=bool)
    return keep


def build_network(data: NetworkData, flt: NetworkFilter) -> FilteredNetwork:
    """The organisation-organisation network under ``flt`` (co-participation counted with scipy)."""
    n, m = len(data.orgs), len(data.links)
    rows = _node_mask(data, flt)[data.inc_org] & _link_mask(data, flt)[data.inc_link]
    org, link = data.inc_org[rows], data.inc_link[rows]
    members = sp.csr_matrix((np.ones(len(org)), (org, link)), shape=(n, m))
    money = sp.csr_matrix((data.inc_ec[rows], (org, link)), shape=(n, m))
    money.eliminate_zeros()
    shared = sp.triu(members @ members.T, k=1).tocsr()
    shared.sort_indices()
    coo = shared.tocoo()
    src, dst = coo.row.astype(np.int64), coo.col.astype(np.int64)
    paid = money @ members.T  # paid[i, j]: money i received in the projects it shares with j
    joint = sp.triu(paid + paid.T, k=1).tocoo()
    ec = np.zeros(len(src))
    if joint.nnz:  # joint's pattern lies inside shared's: place its values by linear index
        ec[np.searchsorted(src * n + dst, joint.row.astype(np.int64) * n + joint.col)] = joint.data
    ids = np.arange(1, len(src) + 1, dtype=np.int64)
    adjacency = sp.csr_matrix((np.concatenate([ids, ids]), (np.concatenate([src, dst]), np.concatenate([dst, src]))),
                              shape=(n, n))
    adjacency.sort_indices()
    return FilteredNetwork(data, flt, members, money, src.astype(np.int32), dst.astype(np.int32),
                           np.rint(coo.data).astype(np.int32), np.round(ec, 2), adjacency)


@dataclass
class _State:
    data: NetworkData
    networks: OrderedDict[NetworkFilter, FilteredNetwork] = field(default_factory=OrderedDict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    extra: dict[str, Any] = field(default_factory=dict)  # other per-generation results (supply/demand)


_STATES: weakref.WeakKeyDictionary[GraphStore, PerGeneration[_State]] = weakref.WeakKeyDictionary()
_STATES_LOCK = threading.Lock()


def state(store: GraphStore) -> _State:
    """The network data of ``store``'s current generation (rebuilt after each ingest, not after a member's record)."""
    with _STATES_LOCK:
        cached = _STATES.get(store)
        if cached is None:
            cached = _STATES[store] = PerGeneration(lambda s: _State(NetworkData.from_store(s)), key=network_generation)
    return cached.get(store)


def network(store: GraphStore, flt: NetworkFilter | None = None) -> FilteredNetwork:
    """The filtered network, from the cache when this filter was asked for since the last ingest."""
    flt = flt or NetworkFilter()
    current = state(store)
    with current.lock:
        found = current.networks.get(flt)
        if found is not None:
            current.networks.move_to_end(flt)
            return found
    built = build_network(current.data, flt)
    return_freed_memory()
    with current.lock:
        built = current.networks.setdefault(flt, built)  # two requests built it at once: one copy is kept
        while len(current.networks) > CACHE_SIZE:  # the whole network stays: /match reads it too
            del current.networks[next(f for f in current.networks if f != WHOLE)]
    return built


# --- ego networks (introduction paths: ``graph.network._paths``) ---------------------------------------------------------


def ego_network(net: FilteredNetwork, org: str, depth: int = 1, max_nodes: int = 50) -> dict[str, Any]:
    """The organisation, its partners (and theirs at depth 2), strongest ties first, at most ``max_nodes``.

    >>> ego_network(network(GraphStore(None)), "osim")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    common.errors.NotFoundError: no organisation with id 'osim' ...
    """
    if depth not in (1, 2):
        raise InvalidInputError("depth", "must be 1 or 2")
    if not 1 <= max_nodes <= MAX_EGO_NODES:
        raise InvalidInputError("max_nodes", f"must be between 1 and {MAX_EGO_NODES}")
    centre = net.vertex(org)
    kept: dict[int, int] = {centre: 0}
    first, edges = net.neighbours(centre)
    order = np.lexsort((first, -net.ec[edges], -net.projects[edges]))
    for v in first[order][: max_nodes - 1]:
        kept[int(v)] = 1
    total = {1: len(first), 2: 0}
    if depth == 2:  # partners of partners, by the projects they share with the partners kept
        level1 = [v for v, d in kept.items() if d == 1]
        strength = np.asarray(net.weights()[level1].sum(axis=0)).ravel() if level1 else np.zeros(len(kept))
        strength[list(kept)] = 0
        candidates = np.flatnonzero(strength > 0)
        total[2] = len(candidates)
        order = candidates[np.lexsort((candidates, -strength[candidates]))]
        for v in order[: max_nodes - len(kept)]:
            kept[int(v)] = 2
    nodes = [net.node(v, depth=d) for v, d in kept.items()]
    members = np.array(sorted(kept), dtype=np.int64)
    inside = np.isin(net.src, members) & np.isin(net.dst, members)
    edge_ids = np.flatnonzero(inside)
    return {"centre": net.data.org_id(centre), "depth": depth, "nodes": nodes,
            "edges": [net.edge(int(e)) for e in edge_ids],
            "partners": total[1], "second_degree": total[2] if depth == 2 else None,
            "truncated": len(kept) < 1 + total[1] + total[2]}
