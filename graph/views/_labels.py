"""Labels of single resources, read straight from the store's indexes.

Why not SPARQL: the API labels a page of 20-50 resources at a time (a project's title, a
concept's name); one ``quads_for_pattern`` lookup per resource is a direct index read and
needs no query text at all, so there is nothing to escape and nothing to parse.

>>> from graph.store import GraphStore
>>> display_label(GraphStore(None), "https://w3id.org/innograph/id/org/osim") is None
True
"""

from __future__ import annotations

import re

import pyoxigraph as ox
from pydantic import BaseModel, ConfigDict, Field

from graph.store import GraphStore
from ontology import organisation_id
from ontology._namespaces import DCTERMS, EURIO, IG, ROV, SKOS

PREF_LABEL = ox.NamedNode(str(SKOS.prefLabel))
ALT_LABEL = ox.NamedNode(str(SKOS.altLabel))
NOTATION = ox.NamedNode(str(SKOS.notation))
LEGAL_NAME = ox.NamedNode(str(ROV.legalName))
D_TITLE = ox.NamedNode(str(DCTERMS.title))
E_TITLE = ox.NamedNode(str(EURIO.title))
ACRONYM = ox.NamedNode(str(IG.acronym))

#: Label properties in the order a display name is chosen from.
DISPLAY_ORDER = (PREF_LABEL, LEGAL_NAME, D_TITLE, E_TITLE, ACRONYM, NOTATION)
#: Preferred languages of a display name: the data's own untagged text, then English, then Romanian.
LANGUAGES = ("", "en", "ro")
_PLACEHOLDER = re.compile(
    r"^(PIC [0-9]{9}|H2020 project RCN [0-9]+|unnamed organisation, PIC [0-9]{9}(, .+)?|H2020 project, (.+, )?RCN [0-9]+)$"
)


class ConceptRef(BaseModel):
    """A SKOS concept: a code of one of the vocabularies (GET /vocabularies)."""

    # one definition for the read models and the API's schemas (api.schemas.common re-exports it)
    model_config = ConfigDict(frozen=True, from_attributes=True)

    iri: str
    notation: str | None = Field(description="The code: RO21, 01.11, 6, patent-office ...")
    label: str | None


class EntityRef(BaseModel):
    """Another resource of the graph, with its display name."""

    model_config = ConfigDict(frozen=True, from_attributes=True)

    iri: str
    label: str
    id: str | None = Field(default=None, description="For organisations: the id of GET /organisations/{id}.")


def objects(store: GraphStore, subject: str, predicate: ox.NamedNode) -> list[ox.NamedNode | ox.Literal]:
    """Distinct objects of ``subject predicate ?o`` over all graphs, in a stable order."""
    try:
        node = ox.NamedNode(subject)
    except ValueError:
        return []
    found = {q.object for q in store.oxigraph.quads_for_pattern(node, predicate, None, None)}
    return sorted(found, key=str)  # type: ignore[arg-type]


def literals(store: GraphStore, subject: str, predicate: ox.NamedNode) -> list[ox.Literal]:
    return [o for o in objects(store, subject, predicate) if isinstance(o, ox.Literal)]


def is_placeholder(label: str) -> bool:
    """True for the stand-in names CORDIS H2020 rows get ("unnamed organisation, PIC 999918293, Germany,
    public body", "H2020 project, LEIT, 2017-2020, RCN 1234"; before: "PIC 999918293", "H2020 project RCN 1234").

    A real name from another source (the CORDIS composite extract, our own tables) is shown
    before such a placeholder when both label the same node.
    """
    return bool(_PLACEHOLDER.match(label))


def label_key(prop_rank: int, language: str, text: str, demoted: frozenset[str] = frozenset()) -> tuple[object, ...]:
    """The one rule every display name is chosen by (lower sorts first).

    Real names before placeholders; a name that lost a source precedence (stated as a
    ``skos:altLabel`` of the same node, see ``ingest.readers.cordis_organisations``: newest H2020
    record, then FP7, then the participation tables) after the names that won it; then the
    property (``DISPLAY_ORDER``), the language (``LANGUAGES``) and the text.
    """
    rank = {lang: i for i, lang in enumerate(LANGUAGES)}
    return (is_placeholder(text), text in demoted, prop_rank, rank.get(language, len(rank)), text)


def choose(labels: list[tuple[int, str, str]], demoted: frozenset[str] = frozenset()) -> str:
    """The display name among (property rank, language, text) by ``label_key``."""
    return min(labels, key=lambda x: label_key(x[0], x[1], x[2], demoted))[2]


def pick_label(values: list[ox.Literal], demoted: frozenset[str] = frozenset()) -> str | None:
    """The label in the most preferred language, real names before placeholders (``label_key``)."""
    if not values:
        return None
    return choose([(0, lit.language or "", lit.value) for lit in values], demoted)


def display_label(store: GraphStore, iri: str) -> str | None:
    """The name to show for ``iri``: prefLabel, legal name, title, acronym or notation, in that order."""
    demoted = frozenset(lit.value for lit in literals(store, iri, ALT_LABEL))
    for predicate in DISPLAY_ORDER:
        label = pick_label(literals(store, iri, predicate), demoted)
        if label is not None:
            return label
    return None


def labels_by_language(store: GraphStore, iri: str, predicate: ox.NamedNode = PREF_LABEL) -> dict[str, list[str]]:
    """All labels of one property, grouped by language tag ("" for untagged)."""
    out: dict[str, list[str]] = {}
    for lit in literals(store, iri, predicate):
        out.setdefault(lit.language or "", []).append(lit.value)
    return out


def concept_ref(store: GraphStore, iri: str) -> ConceptRef:
    notation = literals(store, iri, NOTATION)
    return ConceptRef(iri=iri, notation=notation[0].value if notation else None, label=display_label(store, iri))


def entity_ref(store: GraphStore, iri: str) -> EntityRef:
    """A reference with its display label, and the API id when it is an organisation."""
    ident = organisation_id(iri)
    return EntityRef(iri=iri, label=display_label(store, iri) or iri.rsplit("/", 1)[-1], id=ident)
