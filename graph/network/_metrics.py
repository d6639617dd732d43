"""Communities, centrality and brokers of a filtered collaboration network.

Why these measures:

- **Communities** (Leiden, ``leidenalg`` on ``igraph``, modularity weighted by shared
  projects, fixed seed so a page is stable): groups of organisations that work mostly with
  each other, the "consortia families" a broker wants to know before suggesting a partner.
- **Degree** (partners), **strength** (shared projects) and **EC** (EU money of the ties).
- **Betweenness**: how often an organisation lies on the shortest chains between others, i.e.
  how much it can introduce. Exact betweenness is O(V·E): about 3·10^10 steps on the full
  H2020 network (36k organisations, 800k ties), hours on two cores. Above ``EXACT_LIMIT``
  vertices it is *estimated* from ``samples`` random source vertices (Brandes & Pich 2007:
  shortest paths from a uniform sample of sources, scaled by n/k), which ranks the top
  organisations reliably; the response says which method was used.
- **Brokers** between regions or countries: betweenness times the diversity of the groups
  (NUTS development region where known, else country) its partners belong to
  (1 - Σ share², Blau's index), so a broker both sits on many chains and spans many groups.

>>> from graph.network._analytics import network
>>> from graph.store import GraphStore
>>> communities(network(GraphStore(None)))["count"]
0
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any, Literal

import leidenalg
import numpy as np

from common.errors import InvalidInputError, NotFoundError
from graph.network._analytics import FilteredNetwork

EXACT_LIMIT = 3000
SAMPLES = 300
SEED = 42
Sort = Literal["betweenness", "degree", "strength", "ec"]
GroupBy = Literal["region", "country"]


# --- communities ---------------------------------------------------------------------------------


RESOLUTIONS = (0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0)


def snap_resolution(resolution: float) -> float:
    """The value of ``RESOLUTIONS`` nearest to ``resolution`` on a log scale.

    Why: each new resolution is a new Leiden run (10-15 s on all of H2020) and a new cache entry,
    so a caller could keep a core busy with 1.01, 1.02 ...; ten values cover the useful range
    (communities barely change between 1.0 and 1.1) and each is computed once per filter.

    >>> snap_resolution(7.41), snap_resolution(1.1), snap_resolution(0.3)
    (10.0, 1.0, 0.25)
    """
    if resolution <= 0:
        raise ValueError("resolution must be positive")
    return min(RESOLUTIONS, key=lambda r: abs(math.log(r / resolution)))


def membership(net: FilteredNetwork, resolution: float = 1.0) -> np.ndarray:
    """Community of every vertex (-1: no partner under this filter); community 0 is the largest."""
    resolution = snap_resolution(resolution)

    def compute() -> np.ndarray:
        active = net.active
        out = np.full(len(net.data.orgs), -1, dtype=np.int64)
        if not len(active):
            return out
        sub = net.graph().subgraph(active.tolist())
        partition = leidenalg.find_partition(
            sub, leidenalg.RBConfigurationVertexPartition, weights="projects", resolution_parameter=resolution,
            seed=SEED, n_iterations=2,
        )
        raw = np.array(partition.membership)
        sizes = np.bincount(raw)
        rank = np.empty(len(sizes), dtype=np.int64)
        rank[np.lexsort((np.arange(len(sizes)), -sizes))] = np.arange(len(sizes))
        out[active] = rank[raw]
        return out

    return net.cached(f"membership:{resolution}", compute)  # type: ignore[no-any-return]


def communities(net: FilteredNetwork, *, resolution: float = 1.0, limit: int = 20, offset: int = 0,
                min_size: int = 2) -> dict[str, Any]:
    """Communities, largest first, each with its strongest members, countries, regions and kinds."""
    resolution = snap_resolution(resolution)
    summary = net.cached(f"communities:{resolution}:{min_size}", lambda: _summarise(net, resolution, min_size))
    return {**summary, "data": summary["data"][offset : offset + limit]}


def _summarise(net: FilteredNetwork, resolution: float, min_size: int) -> dict[str, Any]:
    member = membership(net, resolution)
    found = member[member >= 0]
    sizes = np.bincount(found) if len(found) else np.zeros(0, dtype=np.int64)
    shown = [c for c in range(len(sizes)) if sizes[c] >= min_size]
    strength = _strength(net)
    same = member[net.src] == member[net.dst]
    internal = np.bincount(member[net.src][same], minlength=len(sizes)) if len(sizes) else sizes
    data = []
    for c in shown:
        vertices = np.flatnonzero(member == c)
        top = vertices[np.lexsort((vertices, -strength[vertices]))][:5]
        data.append({
            "community": c, "size": int(sizes[c]), "internal_edges": int(internal[c]),
            "top_members": [net.node(int(v), strength=int(strength[v])) for v in top],
            "countries": _top_counts(net.data.countries[v] for v in vertices),
            "regions": _top_counts(net.data.region_code(int(v)) for v in vertices),
            "kinds": _top_counts(net.data.kinds[v] for v in vertices),
        })
    return {"data": data, "count": len(shown), "modularity": _modularity(net, member),
            "resolution": resolution, "method": "Leiden (leidenalg), modularity weighted by shared projects, seed 42"}


def community_members(net: FilteredNetwork, community: int, *, resolution: float = 1.0, limit: int = 20,
                      offset: int = 0) -> dict[str, Any]:
    """The organisations of one community, strongest first."""
    member = membership(net, resolution)
    vertices = np.flatnonzero(member == community)
    if not len(vertices):
        raise NotFoundError(f"no community {community} under this filter (communities are numbered from 0, largest first)")
    strength = _strength(net)
    ordered = vertices[np.lexsort((vertices, -strength[vertices]))]
    return {"data": [net.node(int(v), strength=int(strength[v]), community=community)
                     for v in ordered[offset : offset + limit]], "count": len(vertices)}


def _modularity(net: FilteredNetwork, member: np.ndarray) -> float | None:
    active = net.active
    if not len(active) or not len(net.src):
        return None
    return round(float(net.graph().subgraph(active.tolist()).modularity(member[active].tolist(), weights="projects")), 4)


def _top_counts(values: Any, top: int = 5) -> list[dict[str, Any]]:
    counts = Counter(v for v in values if v)
    return [{"value": value, "organisations": n} for value, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]]


# --- centrality ----------------------------------------------------------------------------------


def _strength(net: FilteredNetwork) -> np.ndarray:
    n = len(net.data.orgs)
    return np.bincount(net.src, net.projects, n) + np.bincount(net.dst, net.projects, n)


def betweenness(net: FilteredNetwork, samples: int = SAMPLES) -> tuple[np.ndarray, str]:
    """Normalised betweenness of every vertex, exact on small networks, sampled on large ones."""

    def compute() -> tuple[np.ndarray, str]:
        n_all = len(net.data.orgs)
        active = net.active
        n = len(active)
        out = np.zeros(n_all)
        if n < 3:
            return out, "exact"
        g = net.graph()
        if n <= EXACT_LIMIT:
            raw, method = np.array(g.betweenness(vertices=active.tolist(), directed=False)), "exact"
        else:
            rng = np.random.default_rng(SEED)
            sources = rng.choice(active, size=samples, replace=False)
            raw = np.array(g.betweenness(vertices=active.tolist(), directed=False, sources=sources.tolist(),
                                         targets=active.tolist()))
            raw = raw * (n / samples)  # unbiased: each source is in the sample with probability k/n
            method = f"sampled: shortest paths from {samples} random sources of {n} (Brandes-Pich), seed {SEED}"
        out[active] = raw / ((n - 1) * (n - 2) / 2)
        return out, method

    return net.cached(f"betweenness:{samples}", compute)  # type: ignore[no-any-return]


def centrality(net: FilteredNetwork, *, sort: Sort = "betweenness", limit: int = 20, offset: int = 0,
               with_betweenness: bool = True) -> dict[str, Any]:
    """Organisations ranked by one centrality, each with all of them."""
    degree = net.degree()
    strength = _strength(net)
    n = len(net.data.orgs)
    ec = np.bincount(net.src, net.ec, n) + np.bincount(net.dst, net.ec, n)
    needs_b = with_betweenness or sort == "betweenness"
    between, method = betweenness(net) if needs_b else (np.zeros(n), None)
    key = {"betweenness": between, "degree": degree, "strength": strength, "ec": ec}[sort]
    active = net.active
    ordered = active[np.lexsort((active, -degree[active], -key[active]))]
    data = [net.node(int(v), degree=int(degree[v]), strength=int(strength[v]), ec_contribution=round(float(ec[v]), 2),
                     betweenness=round(float(between[v]), 8) if needs_b else None)
            for v in ordered[offset : offset + limit]]
    return {"data": data, "count": len(active), "sort": sort, "betweenness_method": method}


# --- brokers -------------------------------------------------------------------------------------


def groups(net: FilteredNetwork, by: GroupBy) -> list[str | None]:
    """The group of every vertex: development region (NUTS 2, or coarser when only that is known)
    or country for ``region``; country for ``country``."""
    d = net.data
    if by == "country":
        return list(d.countries)
    out: list[str | None] = []
    for i in range(len(d.orgs)):
        code = d.region_code(i)
        out.append(code[:4] if code else d.countries[i])
    return out


def brokers(net: FilteredNetwork, *, by: GroupBy = "region", between: tuple[str, ...] = (), limit: int = 20,
            offset: int = 0) -> dict[str, Any]:
    """Organisations linking groups: betweenness x diversity of their partners' groups."""
    ranked = net.cached(f"brokers:{by}:{','.join(sorted(g.upper() for g in between))}",
                        lambda: _rank_brokers(net, by, between))
    return {**ranked, "data": ranked["data"][offset : offset + limit]}


def _rank_brokers(net: FilteredNetwork, by: GroupBy, between: tuple[str, ...]) -> dict[str, Any]:
    names = groups(net, by)
    labels = sorted({g for g in names if g})
    if between:
        unknown = [g for g in between if g.upper() not in labels]
        if unknown:
            raise InvalidInputError("between", f"no organisation of group {unknown[0]!r} under this filter "
                                               f"(groups look like {', '.join(labels[:6])})")
    wanted = {g.upper() for g in between}
    code = {g: k for k, g in enumerate(labels)}
    group_of = np.array([code.get(g, -1) if g else -1 for g in names], dtype=np.int64)
    # partner groups per vertex: both directions of every edge
    ends = np.concatenate([net.src, net.dst])
    other = group_of[np.concatenate([net.dst, net.src])]
    ok = other >= 0
    if wanted:
        ok &= np.isin(other, [code[g] for g in wanted])
    pair_keys, counts = np.unique(ends[ok].astype(np.int64) * max(len(labels), 1) + other[ok], return_counts=True)
    per_vertex: dict[int, dict[str, int]] = {}
    for key, count in zip(pair_keys.tolist(), counts.tolist(), strict=True):
        per_vertex.setdefault(key // max(len(labels), 1), {})[labels[key % max(len(labels), 1)]] = count
    between_v, method = betweenness(net)
    rows = []
    for v, partner_groups in per_vertex.items():
        spanned = set(partner_groups) | ({names[v]} if names[v] in wanted else set())
        if len(spanned) < 2:
            continue
        total = sum(partner_groups.values())
        diversity = 1.0 - sum((c / total) ** 2 for c in partner_groups.values())
        own = names[v]
        outside = sum(c for g, c in partner_groups.items() if g != own) / total
        rows.append((between_v[v] * diversity, diversity, outside, v, partner_groups))
    rows.sort(key=lambda r: (-r[0], -r[1], r[3]))
    data = [
        net.node(r[3], group=names[r[3]], score=round(float(r[0]), 10), betweenness=round(float(between_v[r[3]]), 8),
                 diversity=round(r[1], 4), outside_share=round(r[2], 4), groups_spanned=len(r[4]),
                 partner_groups=[{"group": g, "partners": c} for g, c in
                                 sorted(r[4].items(), key=lambda kv: (-kv[1], kv[0]))[:8]])
        for r in rows
    ]
    return {"data": data, "count": len(rows), "by": by, "between": sorted(wanted), "betweenness_method": method,
            "note": "region = NUTS development region where known; CORDIS H2020 organisations have only a "
                    "country, so they are grouped by country."}
