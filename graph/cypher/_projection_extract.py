"""Read the property graph out of the RDF store, following ``graph.cypher._projection_mapping``.

Why one query per property pattern family instead of one wide SELECT with OPTIONALs: wide
OPTIONAL joins over 38k organisations multiply rows whenever a property has two values;
``?s ?key ?o`` rows are assembled in Python in one pass, and a multi-valued single property
is resolved by a fixed rule (labels by language, booleans true-wins, others the smallest),
so the same store always gives the same graph, byte for byte.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from graph.cypher._projection_mapping import NODES, PREFIXES, RELS, NodeSpec, Prop, RelSpec
from graph.store import GraphStore
from graph.views import pick_label

Row = dict[str, Any]
_CODE_PATH = re.compile(r"^\?s ([\w:]+)/skos:notation \?o$")


@dataclass
class NodeTable:
    """The nodes of one label: one dict per node (``iri`` + every property, None when absent)."""

    spec: NodeSpec
    rows: list[Row]


@dataclass
class RelTable:
    """The relationships of one type between one pair of labels: ``from``, ``to`` + properties."""

    spec: RelSpec
    from_label: str
    to_label: str
    rows: list[Row]


@dataclass
class ProjectionData:
    nodes: list[NodeTable]
    rels: list[RelTable]
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)

    def summary(self) -> dict[str, int]:
        """Nodes per label and relationships per type."""
        out: dict[str, int] = {t.spec.label: len(t.rows) for t in self.nodes}
        for rel in self.rels:
            out[rel.spec.type] = out.get(rel.spec.type, 0) + len(rel.rows)
        return out


def pattern_query(pattern: str) -> str:
    """``?s ?o`` for one pattern, over every subject (members are filtered in Python, duplicates
    from the union of graphs too: DISTINCT costs the engine more than a Python set)."""
    return f"{PREFIXES}SELECT ?s ?o WHERE {{ {pattern} }}"


def convert(prop: Prop, values: list[ox.NamedNode | ox.Literal]) -> Any:
    """The one value of a property, by the mapping's rules; None when there is none."""
    if not values:
        return None
    if prop.type == "STRING[]":
        return sorted({v.value for v in values})
    if prop.label:
        literals = [v for v in values if isinstance(v, ox.Literal)]
        return pick_label(literals)
    if prop.type == "BOOLEAN":
        return any(v.value in ("true", "1") for v in values)
    converted = sorted({_scalar(prop, v) for v in values})
    return converted[0]


def _scalar(prop: Prop, term: ox.NamedNode | ox.Literal) -> Any:
    text = term.value
    if prop.type == "INT64":
        return int(float(text))
    if prop.type == "DOUBLE":
        return float(text)
    if prop.type == "DATE":
        return dt.date.fromisoformat(text[:10])
    return text


class _Facts:
    """Values by pattern, each pattern queried once per extraction (``name`` serves 11 labels)."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.cache: dict[str, dict[str, list[ox.NamedNode | ox.Literal]]] = {}

    def __call__(self, pattern: str) -> dict[str, list[ox.NamedNode | ox.Literal]]:
        if pattern in self.cache:
            return self.cache[pattern]
        found: dict[str, set[ox.NamedNode | ox.Literal]] = defaultdict(set)
        path = _CODE_PATH.match(pattern)
        if path:
            # a code through a concept (ig:kind/skos:notation): the links, joined here with the small
            # table of notations, cost a third of the property path on 150k participations
            codes = self("?s skos:notation ?o")
            for subject, concepts in self(f"?s {path.group(1)} ?o").items():
                for concept in concepts:
                    found[subject].update(codes.get(concept.value, ()))
        else:
            for row in self.store.select(pattern_query(pattern)):
                subject, value = row[0], row[1]
                if isinstance(subject, ox.NamedNode) and isinstance(value, (ox.NamedNode, ox.Literal)):
                    found[subject.value].add(value)
        self.cache[pattern] = {s: list(v) if len(v) == 1 else sorted(v, key=str) for s, v in found.items()}
        return self.cache[pattern]

    def members(self, pattern: str) -> list[str]:
        query = f"{PREFIXES}SELECT ?s WHERE {{ {pattern} FILTER(isIRI(?s)) }}"
        return sorted({row[0].value for row in self.store.select(query)})


def _nodes(spec: NodeSpec, facts: _Facts) -> NodeTable:
    iris = facts.members(spec.members)
    rows: list[Row] = [{"iri": iri} for iri in iris]
    for prop in spec.props:
        if prop.iri_after is not None:
            prefix = prop.iri_after
            for row in rows:
                row[prop.name] = row["iri"].removeprefix(prefix) if row["iri"].startswith(prefix) else None
            continue
        values = facts(prop.pattern)
        for row in rows:
            value = convert(prop, values.get(row["iri"], []))
            row[prop.name] = prop.default if value is None else value
    return NodeTable(spec, rows)


def _rels(spec: RelSpec, facts: _Facts, label_of: dict[str, str]) -> list[RelTable]:
    tables = {pair: RelTable(spec, pair[0], pair[1], []) for pair in spec.pairs}

    def add(start: str, end: str, props: dict[str, Any]) -> None:
        table = tables.get((label_of.get(start, ""), label_of.get(end, "")))
        if table is not None:  # a reference to something that is not a node of the graph is dropped
            table.rows.append({"from": start, "to": end, **props})

    if spec.via:
        # the n-ary resources are those with both ends (the end properties' domain is the resource's
        # class): asking for ``via`` as well would read 150k participations a third time
        starts, ends = facts(spec.start), facts(spec.end)
        values = [(prop, facts(prop.pattern)) for prop in spec.props]
        for resource in sorted(starts.keys() & ends.keys()):
            start, end = starts[resource], ends[resource]  # functional ends: the smallest IRI if two
            add(start[0].value, end[0].value, {p.name: convert(p, found.get(resource, [])) for p, found in values})
    else:
        for start_iri, ends_of in facts(spec.pattern).items():
            for end_term in ends_of:
                add(start_iri, end_term.value, {})
    for table in tables.values():
        table.rows.sort(key=_sort_key)
    return list(tables.values())


def _sort_key(row: Row) -> tuple[str, ...]:
    return tuple("" if v is None else str(v) for v in row.values())


def extract(store: GraphStore, nodes: Iterable[NodeSpec] = NODES, rels: Iterable[RelSpec] = RELS) -> ProjectionData:
    """The whole projection of ``store`` in memory (72k nodes, 260k relationships on the bundled data)."""
    started = time.perf_counter()
    facts = _Facts(store)
    tables = [_nodes(spec, facts) for spec in nodes]
    label_of: dict[str, str] = {}
    for table in tables:
        for row in table.rows:
            label_of.setdefault(row["iri"], table.spec.label)  # first label wins: labels are disjoint
    rel_tables = [table for spec in rels for table in _rels(spec, facts, label_of)]
    data = ProjectionData(tables, rel_tables, time.perf_counter() - started)
    data.counts = data.summary()
    return data
