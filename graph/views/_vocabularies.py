"""The SKOS concept schemes in the store: regions, TRL, organisation kinds, sectors, fields ...

Why the API lists them: every code a source or a filter may use (``RO21``, ``01.11``, ``6``,
``patent-office``) is a concept here, so a data steward or a client looks a code up in the
same place the ingest pipeline resolves it from. A scheme is named by the local part of its
IRI (``https://w3id.org/innograph/vocab/trl`` -> ``trl``).

>>> from graph.store import GraphStore
>>> list_schemes(GraphStore(None))
[]
"""

from __future__ import annotations

import re
import threading
import weakref
from collections.abc import Iterable

import pyoxigraph as ox
from pydantic import BaseModel, ConfigDict, Field

from common.errors import InvalidInputError, NotFoundError
from graph.store import GraphStore
from graph.views import _queries as q
from graph.views._labels import ALT_LABEL, PREF_LABEL, labels_by_language, literals, objects
from ontology._namespaces import SKOS, VOCAB
from ontology._vocab import SCHEMES_QUERY, Vocabularies, vocabularies

_BROADER = ox.NamedNode(str(SKOS.broader))
_DEFINITION = ox.NamedNode(str(SKOS.definition))
_NOTATION = ox.NamedNode(str(SKOS.notation))
_DIGITS = re.compile(r"([0-9]+)")


def _vocabulary_runs(store: GraphStore) -> tuple[tuple[str, str], ...]:
    """(graph, last run end) of every vocabulary graph: changes exactly when one is replaced."""
    return tuple(sorted((r["graph"].value, r["last"].value) for r in q.select(store, q.VOCABULARY_RUNS)))


class _StoreVocabularies:
    """The lookup tables of one store, rebuilt when one of its vocabulary graphs is replaced.

    Keyed on the vocabulary graphs' own PROV runs rather than the store generation: members
    write records all day, and each write would otherwise rebuild the tables (0.3 s) for the
    next request.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_store: weakref.WeakKeyDictionary[GraphStore, tuple[tuple[tuple[str, str], ...], Vocabularies]] = (
            weakref.WeakKeyDictionary())

    def get(self, store: GraphStore) -> Vocabularies:
        key = _vocabulary_runs(store)
        with self._lock:
            cached = self._by_store.get(store)
            if cached is not None and cached[0] == key:
                return cached[1]
            tables = Vocabularies.from_rows(q.select(store, SCHEMES_QUERY)) if key else vocabularies()
            self._by_store[store] = (key, tables)
            return tables


_TABLES = _StoreVocabularies()


def store_vocabularies(store: GraphStore) -> Vocabularies:
    """The code and label lookup of the store's own ``vocab-*`` graphs: what requests resolve against.

    The same concepts matching reads (``graph.matching`` builds its concept tables from the
    store), so an admin who replaces a ``vocab-*`` graph changes both at once. A store with no
    vocabulary graph yet (a bare store in a test) falls back to the bundled files.
    """
    return _TABLES.get(store)


def resolve_codes(store: GraphStore, scheme: str, field: str, values: Iterable[str]) -> list[str]:
    """Concept IRIs for codes, labels or IRIs of ``scheme`` given in request ``field`` (422 naming it)."""
    return resolve_with(store_vocabularies(store), scheme, field, values)


def resolve_with(tables: Vocabularies, scheme: str, field: str, values: Iterable[str]) -> list[str]:
    """``resolve_codes`` over tables taken earlier (a structure built once per generation keeps its own)."""
    out = []
    for value in values:
        try:
            out.append(tables.resolve(scheme, value).value)
        except ValueError as exc:
            raise InvalidInputError(field, str(exc)) from None
    return out


# One definition for this read model and the API (api.schemas.vocabularies derives Scheme and Concept from
# these, adding only the OpenAPI examples): no docstrings, the OpenAPI document never had descriptions here.
class SchemeInfo(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)

    id: str = Field(description="Local name, as used in GET /vocabularies/{scheme}.")
    iri: str
    title: str | None
    description: str | None
    license: str | None
    concepts: int


class ConceptInfo(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)

    iri: str
    notation: str | None = Field(description="The code sources and filters use.")
    labels: dict[str, list[str]] = Field(description="skos:prefLabel by language tag ('' = untagged).")
    alt_labels: dict[str, list[str]]
    definitions: dict[str, list[str]]
    broader: list[str] = Field(description="IRIs of the broader concepts.")


def _natural(text: str) -> list[object]:
    """Sort key putting TRL 2 before TRL 10 and RO2 before RO11."""
    return [int(part) if part.isdigit() else part for part in _DIGITS.split(text)]


def list_schemes(store: GraphStore) -> list[SchemeInfo]:
    """Every concept scheme with its title and number of concepts."""
    out: list[SchemeInfo] = []
    for row in q.select(store, q.SCHEMES):
        iri = row["scheme"].value
        if not iri.startswith(str(VOCAB)):
            continue
        out.append(
            SchemeInfo(
                id=iri.removeprefix(str(VOCAB)),
                iri=iri,
                title=row["title"].value if row["title"] is not None else None,
                description=row["description"].value if row["description"] is not None else None,
                license=row["license"].value if row["license"] is not None else None,
                concepts=int(row["concepts"].value),
            )
        )
    return out


def get_scheme(store: GraphStore, scheme_id: str) -> SchemeInfo:
    """One scheme by local name; ``NotFoundError`` lists the schemes there are."""
    schemes = list_schemes(store)
    for scheme in schemes:
        if scheme.id == scheme_id:
            return scheme
    names = ", ".join(s.id for s in schemes) or "none loaded"
    raise NotFoundError(f"no vocabulary {scheme_id!r}; the store has: {names}")


def scheme_concepts(
    store: GraphStore, scheme_id: str, *, limit: int = 50, offset: int = 0
) -> tuple[SchemeInfo, list[ConceptInfo], int]:
    """A page of a scheme's concepts in notation order (natural: 2 before 10), and their total."""
    scheme = get_scheme(store, scheme_id)
    rows = q.select(store, q.SCHEME_CONCEPTS, scheme=ox.NamedNode(scheme.iri))
    keyed = sorted(
        (
            (_natural(row["notation"].value if row["notation"] is not None else ""), row["c"].value)
            for row in rows
        ),
    )
    page = [iri for _, iri in keyed[offset : offset + limit]]
    return scheme, [_concept(store, iri) for iri in page], len(keyed)


def _concept(store: GraphStore, iri: str) -> ConceptInfo:
    notation = literals(store, iri, _NOTATION)
    broader = [term.value for term in objects(store, iri, _BROADER)]
    return ConceptInfo(
        iri=iri,
        notation=notation[0].value if notation else None,
        labels=labels_by_language(store, iri, PREF_LABEL),
        alt_labels=labels_by_language(store, iri, ALT_LABEL),
        definitions=labels_by_language(store, iri, _DEFINITION),
        broader=broader,
    )
