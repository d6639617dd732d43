"""Romanian words found in English supply text by their spelling: "biogaz" -> biogas, "tehnologie" -> technology.

Why: a Romanian need meets mostly English CORDIS text, and BM25 matches only identical stems, so
the lexical channel found almost nothing for Romanian needs. Technical Romanian is full of
cognates of the English words (sistem/system, senzori/sensors, hidrotermală/hydrothermal,
carbonizare/carbonisation), which differ in a few regular spellings: English ph, th, ch, k, y,
w, x, z, doubled consonants against Romanian f, t, h, c, i, v, cs, s and single ones. Both sides
are reduced to a spelling skeleton (those pairs mapped, then every h dropped) and a Romanian word
(each of its Romanian and English stems) meets an index term with the same skeleton, or one at
most two letters longer or shorter at the end (stemmers cut the two languages' endings
differently). Words shorter than ``MIN_WORD`` letters are left alone: short words are where
false friends live (peste "fish", ferma "farm").

Measured on the tune half of benchmarks/data/ro_needs.jsonl: Romanian needs' BM25 alone hit@10
0.533 -> 0.689, MRR 0.362 -> 0.496; fused 0.822/0.732 -> 0.867/0.774 (with the multilingual fusion
weight 0.7, chosen on the same half). English needs are never expanded.

>>> CognateMap(["technolog", "system", "sensor"]).expand("tehnologie cu senzori si sistem")
{'tehnologie': ['technolog'], 'senzori': ['sensor'], 'sistem': ['system']}
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

import Stemmer

from ontology._keys import fold

#: English spelling -> the Romanian one, applied in order; "h" last (Romanian "tehn" for "techn").
_RULES = (("ph", "f"), ("th", "t"), ("ch", "h"), ("ck", "c"), ("k", "c"), ("y", "i"), ("w", "v"), ("qu", "cv"),
          ("x", "cs"), ("z", "s"), ("h", ""), ("ss", "s"), ("ll", "l"), ("mm", "m"), ("tt", "t"), ("pp", "p"),
          ("rr", "r"), ("nn", "n"))
MIN_WORD = 5
_MIN_SKELETON = 5
_TOKEN = re.compile(r"[a-z]+")
_STEMMERS = (Stemmer.Stemmer("romanian"), Stemmer.Stemmer("english"))


def skeleton(term: str) -> str:
    """``term`` with the English/Romanian spelling differences of ``_RULES`` removed."""
    for english, romanian in _RULES:
        term = term.replace(english, romanian)
    return term


class CognateMap:
    """Index terms by spelling skeleton, whole and without their last one or two letters."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self._whole: dict[str, set[str]] = defaultdict(set)
        self._shorter: dict[str, set[str]] = defaultdict(set)
        for term in vocabulary:
            if not term.isalpha():
                continue
            key = skeleton(term)
            if len(key) < _MIN_SKELETON:
                continue
            self._whole[key].add(term)
            self._shorter[key[:-1]].add(term)
            self._shorter[key[:-2]].add(term)

    def expand(self, text: str, stopwords: frozenset[str] = frozenset()) -> dict[str, list[str]]:
        """word of ``text`` (folded) -> the index terms it is a cognate of (only words that have some)."""
        out: dict[str, list[str]] = {}
        for word in dict.fromkeys(_TOKEN.findall(fold(text).lower())):
            if len(word) < MIN_WORD or word in stopwords:
                continue
            found: set[str] = set()
            for stem in {stemmer.stemWord(word) for stemmer in _STEMMERS}:
                key = skeleton(stem)
                if len(key) < _MIN_SKELETON:
                    continue
                for table, probe in ((self._whole, key), (self._shorter, key), (self._whole, key[:-1]),
                                     (self._whole, key[:-2])):
                    found |= table.get(probe, set())
            if found:
                out[word] = sorted(found)
        return out
