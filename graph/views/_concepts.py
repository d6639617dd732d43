"""The concept table: every SKOS concept's label, notation and ``skos:broader`` parents, read from the store.

Why here, among the read models: matching (filters, explanations), the collaboration network
(country and region codes, field filters) and the regional indicators all walk the same
hierarchies; the table sits below all three so that none has to import another for it.

>>> from graph.store import GraphStore
>>> Concepts.from_store(GraphStore(None)).ancestors("https://example.org/c")
['https://example.org/c']
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from graph.store import GraphStore

CONCEPTS = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?c ?label ?notation ?broader WHERE {
  ?c a skos:Concept .
  OPTIONAL { ?c skos:prefLabel ?label FILTER(LANG(?label) = "en" || LANG(?label) = "") }
  OPTIONAL { ?c skos:notation ?notation }
  OPTIONAL { ?c skos:broader ?broader }
}
"""


@dataclass
class Concepts:
    """Labels and ``skos:broader`` ancestors of every concept, for filters and explanations."""

    labels: dict[str, str] = field(default_factory=dict)
    notations: dict[str, str] = field(default_factory=dict)
    parents: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def from_store(cls, store: GraphStore) -> Concepts:
        concepts = cls()
        for row in store.select(CONCEPTS):
            iri = row["c"].value
            if row["label"] is not None:
                concepts.labels.setdefault(iri, row["label"].value)
            if row["notation"] is not None:
                concepts.notations.setdefault(iri, row["notation"].value)
            if row["broader"] is not None and row["broader"].value not in concepts.parents[iri]:
                concepts.parents[iri].append(row["broader"].value)
        return concepts

    def ancestors(self, iri: str) -> list[str]:
        """``iri`` and everything above it, nearest first."""
        out, frontier = [iri], [iri]
        while frontier:
            frontier = [p for c in frontier for p in self.parents.get(c, []) if p not in out]
            out.extend(frontier)
        return out
