"""Resolve codes and labels written in source files to the concepts of the bundled vocabularies.

Why: a data steward writes ``RO21``, ``01.11``, ``TRL 6`` or ``nanotechnology``; the
graph must hold the concept IRI, and an unknown code must be rejected with a message
naming the scheme, not silently become a dangling IRI.

>>> vocabularies().resolve("nuts2021", "ro21").value
'http://data.europa.eu/nuts/code/RO21'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import pyoxigraph as ox

from ontology._files import vocabulary_files
from ontology._keys import fold
from ontology._namespaces import VOCAB

SCHEMES_QUERY = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?scheme ?concept ?notation ?label WHERE {
  ?concept skos:inScheme ?scheme .
  OPTIONAL { ?concept skos:notation ?notation }
  OPTIONAL { ?concept skos:prefLabel|skos:altLabel ?label }
}
"""

_CAEN_CLASS = re.compile(r"^([0-9]{2})([0-9])([0-9])$")
_CAEN_GROUP = re.compile(r"^([0-9]{2})([0-9])$")
_TRL = re.compile(r"^(?:trl)?\s*([1-9])$", re.IGNORECASE)


def _norm(text: str) -> str:
    return " ".join(fold(text).lower().split())


@dataclass
class Scheme:
    """Notations and labels of one concept scheme."""

    name: str
    by_notation: dict[str, ox.NamedNode] = field(default_factory=dict)
    by_label: dict[str, ox.NamedNode] = field(default_factory=dict)
    iris: set[str] = field(default_factory=set)


class Vocabularies:
    """Lookup tables over every bundled SKOS scheme, keyed by the scheme's local name."""

    def __init__(self, schemes: dict[str, Scheme]) -> None:
        self.schemes = schemes

    def resolve(self, scheme: str, value: str) -> ox.NamedNode:
        """The concept for ``value`` (notation, label or IRI); ``ValueError`` says what was expected."""
        table = self.schemes.get(scheme)
        if table is None:
            raise ValueError(f"vocabulary {scheme!r} is not bundled")
        raw = value.strip()
        for candidate in self._candidates(scheme, raw):
            hit = table.by_notation.get(candidate)
            if hit is not None:
                return hit
        if raw in table.iris:
            return ox.NamedNode(raw)
        hit = table.by_label.get(_norm(raw))
        if hit is not None:
            return hit
        examples = ", ".join(sorted(table.by_notation)[:6])
        raise ValueError(f"unknown {scheme} code {raw!r} (expected a code such as {examples}, or a label)")

    @staticmethod
    def _candidates(scheme: str, raw: str) -> list[str]:
        out = [raw, raw.upper(), raw.lower()]
        if scheme == "nace2":
            m = _CAEN_CLASS.match(raw) or _CAEN_GROUP.match(raw)
            if m and len(raw) == 4:
                out.append(f"{raw[:2]}.{raw[2:]}")
            elif m:
                out.append(f"{raw[:2]}.{raw[2]}")
        if scheme == "trl":
            m = _TRL.match(raw)
            if m:
                out.append(m.group(1))
        return out


    @classmethod
    def from_rows(cls, rows: Iterable[ox.QuerySolution]) -> Vocabularies:
        """Tables from the rows of ``SCHEMES_QUERY`` (scheme, concept, notation, label), from any store."""
        schemes: dict[str, Scheme] = {}
        prefix = str(VOCAB)
        for row in rows:
            scheme = row["scheme"]
            concept = row["concept"]
            if not isinstance(scheme, ox.NamedNode) or not isinstance(concept, ox.NamedNode):
                continue
            table = schemes.setdefault(scheme.value.removeprefix(prefix), Scheme(scheme.value.removeprefix(prefix)))
            table.iris.add(concept.value)
            notation, label = row["notation"], row["label"]
            if notation is not None:
                table.by_notation.setdefault(notation.value, concept)
            if label is not None:
                table.by_label.setdefault(_norm(label.value), concept)
        return cls(schemes)


@lru_cache(maxsize=1)
def vocabularies() -> Vocabularies:
    """The bundled vocabularies' files, loaded once per process (about a second).

    The ingest readers resolve source codes with these; requests resolve theirs against the
    store's own ``vocab-*`` graphs (``graph.views.store_vocabularies``), which the same files
    fill unless an admin replaced one.
    """
    store = ox.Store()
    for path in vocabulary_files():
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
    return Vocabularies.from_rows(store.query(SCHEMES_QUERY))  # type: ignore[arg-type]
