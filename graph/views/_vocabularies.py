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
from collections.abc import Iterable

import pyoxigraph as ox
from pydantic import BaseModel, ConfigDict, Field

from common.errors import InvalidInputError, NotFoundError
from graph.store import GraphStore
from graph.views import _queries as q
from graph.views._labels import ALT_LABEL, PREF_LABEL, labels_by_language, literals, objects
from ontology._namespaces import SKOS, VOCAB
from ontology._vocab import vocabularies

_BROADER = ox.NamedNode(str(SKOS.broader))
_DEFINITION = ox.NamedNode(str(SKOS.definition))
_NOTATION = ox.NamedNode(str(SKOS.notation))
_DIGITS = re.compile(r"([0-9]+)")


def resolve_codes(scheme: str, field: str, values: Iterable[str]) -> list[str]:
    """Concept IRIs for codes, labels or IRIs of ``scheme`` given in request ``field`` (422 naming it)."""
    out = []
    for value in values:
        try:
            out.append(vocabularies().resolve(scheme, value).value)
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
