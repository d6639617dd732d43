"""Find entities by name: organisations, projects, offers, requests, partnerships, concepts.

Why an in-memory index instead of a SPARQL ``REGEX`` per request: a case- and
diacritic-insensitive regex scans every label of the store (80k labels on the bundled data)
inside the query engine on every call. Here all labels are folded once per store generation
(``graph.store._generation``: rebuilt after the next ingest) into one string, and a query is a few
C-level substring scans of it (``re.finditer``) plus a bisect per hit to find the label.

Matching folds case and diacritics (ș ş -> s, ț ţ -> t, ă â -> a, î -> i: ``ontology._keys.fold``)
on both sides and ranks ``exact`` > ``prefix`` > ``word`` (the query starts a word of the
label) > ``contains`` > ``tokens`` (every word of the query starts a word of the label, in any
order: "est nord" finds "Agenția pentru Dezvoltare Regională Nord-Est"). Punctuation counts as
a space, so "nord est" finds "Nord-Est" as a word.

>>> from graph.store import GraphStore
>>> LabelIndex.from_store(GraphStore(None)).search("osim").count
0
"""

from __future__ import annotations

import logging
import re
import threading
import time
import weakref
from collections.abc import Collection
from dataclasses import dataclass
from enum import IntEnum
from typing import Literal

import numpy as np
import numpy.typing as npt
import pyoxigraph as ox

from common.errors import InvalidInputError
from graph.store import GraphStore, PerGeneration
from graph.views import _queries as q
from graph.views._labels import ALT_LABEL, DISPLAY_ORDER, choose
from ontology import organisation_id
from ontology._keys import fold
from ontology._namespaces import EURIO, IG, LOCN, ORG, RDF, SKOS, VOCAB

log = logging.getLogger(__name__)

#: rdf:type -> entity kind, in priority order (a research unit is an organisation first).
KINDS: dict[str, str] = {
    str(ORG.Organization): "organisation",
    str(ORG.OrganizationalCollaboration): "partnership",
    str(EURIO.Project): "project",
    str(IG.TechnologyOffer): "offer",
    str(IG.TechnologyRequest): "request",
    str(SKOS.Concept): "concept",
}
_KIND_ORDER = {kind: i for i, kind in enumerate(KINDS.values())}
NUTS_SCHEME = "nuts2021"
_SHORT_NAME = ox.NamedNode(str(IG.shortName))
_ADDRESS, _POST_NAME = ox.NamedNode(str(LOCN.address)), ox.NamedNode(str(LOCN.postName))
_PIC = ox.NamedNode(str(IG.pic))
_SEP = "\n"  # never inside a normalised label
_TYPE = ox.NamedNode(str(RDF.type))
_PUNCTUATION = re.compile(r"[^\w\s]+")


class Match(IntEnum):
    """How a label matched; lower is better."""

    exact = 0
    prefix = 1
    word = 2
    contains = 3
    tokens = 4


#: The names of ``Match`` as the API answers them (``api.schemas.search.LabelHit.match``).
MatchName = Literal["exact", "prefix", "word", "contains", "tokens"]
MATCH_NAMES: dict[Match, MatchName] = {
    Match.exact: "exact", Match.prefix: "prefix", Match.word: "word", Match.contains: "contains", Match.tokens: "tokens",
}


def normalise(text: str) -> str:
    """Lowercase, diacritics folded, punctuation as space, whitespace collapsed: the form both
    sides are compared in, so "nord est" finds "Nord-Est" and "01 11" finds "01.11".

    >>> normalise("  Agenția pentru Dezvoltare  Regională Nord-Est")
    'agentia pentru dezvoltare regionala nord est'
    """
    return " ".join(_PUNCTUATION.sub(" ", fold(text).lower()).split())


@dataclass(frozen=True)
class Entity:
    iri: str
    kind: str
    label: str
    #: Concepts only: local name of their scheme (``nuts2021``, ``trl`` ...).
    scheme: str | None = None

    @property
    def id(self) -> str | None:
        """The organisation id of ``GET /organisations/{id}``, for organisations."""
        return organisation_id(self.iri) if self.kind == "organisation" else None


@dataclass(frozen=True)
class LabelHit:
    """An entity one of whose labels matched (the API flattens it into ``SearchHit`` with its links)."""

    entity: Entity
    matched_label: str
    match: Match

    @property
    def match_name(self) -> MatchName:
        return MATCH_NAMES[self.match]


@dataclass(frozen=True)
class SearchPage:
    hits: list[LabelHit]
    count: int


class LabelIndex:
    """Folded labels of every searchable entity, searched by substring.

    Per label: its owner entity, start offset in the joined text and length; per entity:
    its kind and alphabetical position. A search turns the offsets of the hits into those
    arrays' indexes with numpy, so its cost hardly grows with the number of hits (35k hits
    for "pic" on the bundled data).
    """

    def __init__(self, entities: list[Entity], labels: list[tuple[int, str]]) -> None:
        self.entities = entities
        self._original = [label for _, label in labels]
        folded = [normalise(label) for _, label in labels]
        self._text = _SEP.join(folded)
        self._owner = np.array([owner for owner, _ in labels], dtype=np.int64)
        self._lengths = np.array([len(text) for text in folded], dtype=np.int64)
        self._starts = np.zeros(len(folded), dtype=np.int64)
        if len(folded) > 1:
            self._starts[1:] = np.cumsum(self._lengths[:-1] + len(_SEP))
        codes = np.frombuffer(self._text.encode("utf-32-le"), dtype=np.uint32)
        alnum = ((codes >= 48) & (codes <= 57)) | ((codes >= 97) & (codes <= 122)) | (codes > 127)
        #: True where a word starts (the text is lowercase, so A-Z never occurs).
        self._word_start = np.ones(len(codes), dtype=bool)
        self._word_start[1:] = ~alnum[:-1]
        self._kind = np.array([_KIND_ORDER[e.kind] for e in entities], dtype=np.int64)
        self._alpha = np.empty(len(entities), dtype=np.int64)
        self._alpha[sorted(range(len(entities)), key=lambda i: entities[i].label)] = np.arange(len(entities))

    @classmethod
    def from_store(cls, store: GraphStore) -> LabelIndex:
        """Read every label once (about 2 s for the 78k labels of the bundled data).

        Direct index scans (``quads_for_pattern``) rather than SPARQL: no joins are needed,
        and the same label stated by two sources collapses here.
        """
        started = time.perf_counter()
        schemes = {
            row["c"].value: row["scheme"].value.removeprefix(str(VOCAB))
            for row in q.select(store, q.CONCEPT_SCHEMES)
        }
        ox_store = store.oxigraph
        kinds: dict[str, str] = {}
        for type_iri, kind in KINDS.items():  # priority order: the first kind found wins
            for quad in ox_store.quads_for_pattern(None, _TYPE, ox.NamedNode(type_iri), None):
                kinds.setdefault(quad.subject.value, kind)  # type: ignore[union-attr]
        found: dict[str, set[tuple[int, str, str]]] = {}  # iri -> {(property rank, language, text)}
        # searchable but never shown as the name: short names and PICs (ranks after the alt labels)
        for rank, predicate in enumerate((*DISPLAY_ORDER, ALT_LABEL, _SHORT_NAME, _PIC)):
            for quad in ox_store.quads_for_pattern(None, predicate, None, None):
                iri, label = quad.subject.value, quad.object  # type: ignore[union-attr]
                if iri in kinds and isinstance(label, ox.Literal):
                    found.setdefault(iri, set()).add((rank, label.language or "", label.value))
        # an organisation is also found by its city (locn:address -> locn:postName), never named by it
        city_rank = len(DISPLAY_ORDER) + 4
        for quad in ox_store.quads_for_pattern(None, _ADDRESS, None, None):
            iri = quad.subject.value  # type: ignore[union-attr]
            if iri in found and isinstance(quad.object, ox.NamedNode):
                for city in ox_store.quads_for_pattern(quad.object, _POST_NAME, None, None):
                    if isinstance(city.object, ox.Literal):
                        found[iri].add((city_rank, city.object.language or "", city.object.value))
        entities: list[Entity] = []
        pairs: list[tuple[int, str]] = []
        for iri in sorted(found):
            labels = found[iri]
            shown = display_choice([x for x in labels if x[0] <= len(DISPLAY_ORDER)] or sorted(labels))
            kind = kinds[iri]
            entities.append(Entity(iri, kind, shown, schemes.get(iri) if kind == "concept" else None))
            pairs.extend((len(entities) - 1, text) for text in sorted({text for _, _, text in labels}))
        index = cls(entities, pairs)
        log.info("label index: %d entities, %d labels in %.2f s", len(entities), len(pairs),
                 time.perf_counter() - started)
        return index

    def __len__(self) -> int:
        return len(self.entities)

    def search(
        self, query: str, kinds: Collection[str] | None = None, limit: int = 20, offset: int = 0
    ) -> SearchPage:
        """Entities whose labels match ``query``, best first, one hit per entity.

        Ties are broken by kind (organisations first), then by the shorter label, then
        alphabetically, so a page is stable across calls.
        """
        needle = normalise(query)
        if not needle:
            raise InvalidInputError("q", "has no letters or digits to search for")
        labels, matches = self._phrase(needle)
        tokens = needle.split()
        if len(tokens) > 1:
            extra = np.setdiff1d(self._all_tokens(tokens), labels)
            labels = np.concatenate([labels, extra])
            matches = np.concatenate([matches, np.full(len(extra), int(Match.tokens), dtype=np.int64)])
        owners = self._owner[labels]
        if kinds:
            wanted = np.isin(self._kind[owners], [_KIND_ORDER[k] for k in kinds if k in _KIND_ORDER])
            labels, matches, owners = labels[wanted], matches[wanted], owners[wanted]
        # best label per entity: sort by (entity, match, length) and keep each entity's first row
        order = np.lexsort((self._lengths[labels], matches, owners))
        labels, matches, owners = labels[order], matches[order], owners[order]
        first = np.ones(len(owners), dtype=bool)
        first[1:] = owners[1:] != owners[:-1]
        labels, matches, owners = labels[first], matches[first], owners[first]
        ranked = np.lexsort((self._alpha[owners], self._lengths[labels], self._kind[owners], matches))
        page = ranked[offset : offset + limit]
        hits = [
            LabelHit(self.entities[int(owners[i])], self._original[int(labels[i])], Match(int(matches[i])))
            for i in page
        ]
        return SearchPage(hits, len(ranked))

    def _occurrences(self, needle: str) -> npt.NDArray[np.int64]:
        return np.fromiter((m.start() for m in re.finditer(re.escape(needle), self._text)), dtype=np.int64)

    def _phrase(self, needle: str) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """(label, match) of every occurrence of the whole query."""
        at = self._occurrences(needle)
        labels = np.searchsorted(self._starts, at, side="right") - 1
        at_start = at == self._starts[labels]
        whole = self._lengths[labels] == len(needle)
        matches = np.where(
            at_start,
            np.where(whole, int(Match.exact), int(Match.prefix)),
            np.where(self._word_start[at], int(Match.word), int(Match.contains)),
        ).astype(np.int64)
        return labels, matches

    def _all_tokens(self, tokens: list[str]) -> npt.NDArray[np.int64]:
        """Labels in which every token of the query starts a word, in any order."""
        result: npt.NDArray[np.int64] | None = None
        for token in sorted(set(tokens), key=len, reverse=True):  # longest (rarest) first
            at = self._occurrences(token)
            at = at[self._word_start[at]]
            labels = np.unique(np.searchsorted(self._starts, at, side="right") - 1)
            result = labels if result is None else np.intersect1d(result, labels, assume_unique=True)
            if not len(result):
                break
        return result if result is not None else np.empty(0, dtype=np.int64)


def display_choice(labels: list[tuple[int, str, str]]) -> str:
    """The label to show among (property rank, language, text), by ``graph.views._labels.label_key``.

    Texts stated as ``skos:altLabel`` (rank ``len(DISPLAY_ORDER)``) lost a name precedence.
    """
    demoted = frozenset(text for rank, _, text in labels if rank == len(DISPLAY_ORDER))
    return choose(labels, demoted)


_INDEXES: weakref.WeakKeyDictionary[GraphStore, PerGeneration[LabelIndex]] = weakref.WeakKeyDictionary()
_INDEXES_LOCK = threading.Lock()


def label_index(store: GraphStore) -> LabelIndex:
    """The index of ``store``'s current generation, built on first use and after each ingest."""
    with _INDEXES_LOCK:
        cached = _INDEXES.get(store)
        if cached is None:
            cached = _INDEXES[store] = PerGeneration(LabelIndex.from_store)
    return cached.get(store)


def search(
    store: GraphStore, query: str, kinds: Collection[str] | None = None, limit: int = 20, offset: int = 0
) -> SearchPage:
    """Search entities by name, as ``GET /search`` does.

    >>> from graph.store import GraphStore
    >>> search(GraphStore(None), "oficiul de stat").count
    0
    """
    return label_index(store).search(query, kinds, limit, offset)


def is_region(entity: Entity) -> bool:
    """True for NUTS concepts, which ``GET /regions/{code}`` describes."""
    return entity.kind == "concept" and entity.scheme == NUTS_SCHEME
