"""The graph as a bridge between languages: vocabulary concepts recognised in a need.

Why: a Romanian need meets mostly English supply text. The SKOS vocabularies already link the two
languages: a NACE class carries its Romanian CAEN label next to the English one, NUTS regions
carry their Romanian names, organisation kinds both. Recognising "cultivarea legumelor" as NACE
01.13 gives the matcher the English label "Growing of vegetables and melons, roots and tubers" to
search with (lexical and English dense channels), the sector to the graph signals, and the user an
explanation of what was understood. A vector index alone has no such link.

Recognition is over folded, stemmed words (each label stemmed in its own language, the need both
ways), so "Iași" and "iasi", "cerealelor" and "cereale" are the same. A label is recognised when
the need contains every one of its distinctive stems (at most one missing from a label of four or
more); generic words ("alte", "activități", "other", "n.c.a.") are not distinctive. Of several
concepts recognised from the same words, the most specific wins. ``TRL 4`` / ``TRL4`` sets the TRL.

>>> bridge = ConceptBridge.from_store(store)  # doctest: +SKIP
>>> [c.notation for c in bridge.recognise("Avem o fermă în Iași și cultivăm legume").concepts]  # doctest: +SKIP
['01.13', 'RO213']
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import Stemmer

from graph.store import GraphStore
from ontology._keys import fold

_TOKEN = re.compile(r"[a-z0-9]+")
_TRL = re.compile(r"\bTRL\s*-?\s*([1-9])\b", re.IGNORECASE)
_STEM = {"en": Stemmer.Stemmer("english"), "ro": Stemmer.Stemmer("romanian")}
#: Schemes whose concepts are recognised, and what each feeds: the context field of the matcher.
SCHEMES = {"nace2": "sectors", "euroscivoc": "fields", "nuts2021": "region", "org-kind": "kinds"}
#: Words that do not identify a concept on their own (folded, before stemming).
_GENERIC_TEXT = (
    "alte altele altor activitati activitatilor activitate servicii serviciilor productia producerea fabricarea "
    "fabricare comert comertul cu ridicata amanuntul exclusiv inclusiv si sau de a al ale din in pe pentru "
    "la n c nca etc other activities activity services service manufacture manufacturing production "
    "and of the for in on n e c nec except excluding including related similar general products "
    "wholesale retail sale trade other not elsewhere classified pentru"
)
_GENERIC = frozenset(_GENERIC_TEXT.split())
_STOP_TEXT = "a al ale si sau de din in pe la cu pentru of the and for in on to with by or"
_STOP = frozenset(_STOP_TEXT.split())
_LIMIT_PER_SCHEME = {"nace2": 3, "nuts2021": 1, "org-kind": 2, "euroscivoc": 3}

QUERY = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?c ?scheme ?label ?notation ?depth WHERE {
  ?c a skos:Concept ; skos:inScheme ?scheme .
  { ?c skos:prefLabel ?label } UNION { ?c skos:altLabel ?label }
  OPTIONAL { ?c skos:notation ?notation }
  { SELECT ?c (COUNT(?up) AS ?depth) WHERE { ?c a skos:Concept . OPTIONAL { ?c skos:broader+ ?up } } GROUP BY ?c }
}
"""


@dataclass(frozen=True)
class Concept:
    """A concept recognised in a need, with the words that named it."""

    iri: str
    scheme: str
    notation: str | None
    label_en: str | None
    label_ro: str | None
    matched: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"iri": self.iri, "scheme": self.scheme, "notation": self.notation, "label_en": self.label_en,
                "label_ro": self.label_ro, "matched": list(self.matched)}

    @property
    def label(self) -> str:
        return self.label_en or self.label_ro or self.iri


@dataclass
class Understanding:
    """What a need was read as: its concepts, the English expansion, and the context they feed."""

    concepts: list[Concept] = field(default_factory=list)
    trl: int | None = None

    def of(self, scheme: str) -> list[str]:
        return [c.iri for c in self.concepts if c.scheme == scheme]

    @property
    def expansion(self) -> str:
        """English labels of the sectors and fields: query words the English supply text uses."""
        return ". ".join(c.label_en for c in self.concepts if c.label_en and c.scheme in {"nace2", "euroscivoc"})

    def summary(self) -> str:
        """ "NACE 01.61 Support activities for crop production; region Nord-Est" (for people)."""
        names = {"nace2": "NACE", "nuts2021": "region", "org-kind": "kind", "euroscivoc": "field"}
        parts = [" ".join(filter(None, [names[c.scheme], c.notation if c.scheme == "nace2" else None, c.label]))
                 for c in self.concepts]
        if self.trl is not None:
            parts.append(f"TRL {self.trl}")
        return "; ".join(parts)


@dataclass
class _Label:
    concept: int
    stems: frozenset[str]
    language: str


class ConceptBridge:
    """Concept labels of the recognised schemes, indexed by their distinctive stems."""

    def __init__(self, rows: list[tuple[str, str, str, str, str | None, int]]) -> None:
        self._concepts: list[tuple[str, str, str | None, int]] = []
        self._labels: dict[int, dict[str, str]] = defaultdict(dict)
        self._entries: list[_Label] = []
        self._postings: dict[str, list[int]] = defaultdict(list)
        ids: dict[str, int] = {}
        for iri, scheme, text, language, notation, depth in rows:
            if iri not in ids:
                ids[iri] = len(self._concepts)
                self._concepts.append((iri, scheme, notation, depth))
            number = ids[iri]
            self._labels[number].setdefault(language or "en", text)
            stems = _label_stems(text, language)
            if stems:
                entry = len(self._entries)
                self._entries.append(_Label(number, stems, "ro" if language == "ro" else "en"))
                for stem in stems:
                    self._postings[stem].append(entry)

    @classmethod
    def from_store(cls, store: GraphStore) -> ConceptBridge:
        rows = []
        for row in store.select(QUERY):
            scheme = row["scheme"].value.rstrip("/").rsplit("/", 1)[-1]
            if scheme not in SCHEMES:
                continue
            label = row["label"]
            language = getattr(label, "language", None) or "en"
            if language not in ("en", "ro"):
                continue
            notation = row["notation"].value if row["notation"] is not None else None
            rows.append((row["c"].value, scheme, label.value, language, notation, int(row["depth"].value)))
        return cls(rows)

    def __len__(self) -> int:
        return len(self._concepts)

    def recognise(self, text: str) -> Understanding:
        """The concepts ``text`` names (see the module docstring) and a TRL it states."""
        need = _need_stems(text)
        best: dict[int, tuple[int, frozenset[str]]] = {}
        for entry_id in {e for stems in need.values() for stem in stems for e in self._postings.get(stem, ())}:
            entry = self._entries[entry_id]
            found = entry.stems & need[entry.language]  # a Romanian stem never names an English label
            missing = len(entry.stems) - len(found)
            if missing == 0 or (missing == 1 and len(entry.stems) >= 4):
                previous = best.get(entry.concept)
                if previous is None or len(found) > previous[0]:
                    best[entry.concept] = (len(found), frozenset(found))
        chosen = self._most_specific(best)
        concepts = [self._concept(number, sorted(stems)) for number, stems in chosen]
        trl = _TRL.search(text)
        return Understanding(concepts, int(trl.group(1)) if trl else None)

    def _most_specific(self, best: dict[int, tuple[int, frozenset[str]]]) -> list[tuple[int, frozenset[str]]]:
        """Per scheme, concepts by words matched then depth; one whose words another covers is dropped."""
        out: list[tuple[int, frozenset[str]]] = []
        by_scheme: dict[str, list[int]] = defaultdict(list)
        for number in best:
            by_scheme[self._concepts[number][1]].append(number)
        for scheme, numbers in sorted(by_scheme.items(), key=lambda item: list(SCHEMES).index(item[0])):
            numbers.sort(key=lambda n: (-best[n][0], -self._concepts[n][3], self._concepts[n][0]))
            kept: list[int] = []
            for number in numbers:
                words = best[number][1]
                if any(words <= best[k][1] for k in kept):
                    continue
                kept.append(number)
                if len(kept) == _LIMIT_PER_SCHEME[scheme]:
                    break
            out += [(n, best[n][1]) for n in kept]
        return out

    def _concept(self, number: int, matched: list[str]) -> Concept:
        iri, scheme, notation, _ = self._concepts[number]
        labels = self._labels[number]
        return Concept(iri, scheme, notation, labels.get("en"), labels.get("ro"), tuple(matched))


def _words(text: str) -> list[str]:
    return _TOKEN.findall(fold(text).lower())


def _label_stems(text: str, language: str | None) -> frozenset[str]:
    stemmer = _STEM["ro" if language == "ro" else "en"]
    words = [w for w in _words(text) if w not in _GENERIC and w not in _STOP and not w.isdigit()]
    return frozenset(stemmer.stemWords(words))


def _need_stems(text: str) -> dict[str, set[str]]:
    """The need's stems by each stemmer: Romanian labels are matched on the first, English ones on the second."""
    words = [w for w in _words(text) if w not in _STOP]
    return {language: set(stemmer.stemWords(words)) for language, stemmer in _STEM.items()}
