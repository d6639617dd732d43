"""BM25 over profile texts, with Romanian diacritics folded and English stemming.

Why fold: an SME writes "uscare" or "uscáre", "ș" or "ş" (two Unicode letters look the same),
and BM25 only matches identical tokens. Why stem: on SciFact, stemmed BM25 reaches 0.691
nDCG@10 here (0.662 was measured without stemming; benchmarks/bench_quality_scifact.py).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

import bm25s
import numpy as np
import Stemmer

from ingest._keys import fold

# bm25s sets its own logger to DEBUG on import, so "Building index ..." reached every console.
logging.getLogger("bm25s").setLevel(logging.WARNING)

_TOKEN = re.compile(r"[a-z0-9]+")
_STEMMER = Stemmer.Stemmer("english")
_STOPWORD_TEXT = (
    "a an and are as at be by for from has have in into is it its of on or our that the their this to was "
    "we were which with will can not no this these those than then there been being also such using used "
    "si sau de la pe cu in din pentru care este sunt un o al ale ai lor mai fara prin"
)
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def tokens(text: str) -> list[str]:
    """Folded, lowercased, stemmed tokens without stopwords."""
    words = [w for w in _TOKEN.findall(fold(text).lower()) if w not in STOPWORDS]
    return list(_STEMMER.stemWords(words))


def surface_terms(text: str) -> dict[str, str]:
    """stem -> a surface word of ``text``, to show matched terms as the user wrote them."""
    out: dict[str, str] = {}
    for word in _TOKEN.findall(fold(text).lower()):
        if word not in STOPWORDS:
            out.setdefault(_STEMMER.stemWord(word), word)
    return out


class LexicalIndex:
    """A bm25s index over one text per profile; ``scores`` gives every profile's score."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.size = len(texts)
        self._bm25 = bm25s.BM25()
        corpus = [tokens(t) for t in texts]
        if corpus:
            self._bm25.index(bm25s.tokenization.Tokenized(*_vocab_ids(corpus)), show_progress=False)

    def scores(self, query: str) -> np.ndarray:
        if self.size == 0:
            return np.zeros(0, dtype=np.float32)
        words = [w for w in tokens(query) if w in self._bm25.vocab_dict]
        if not words:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(words), dtype=np.float32)


def _vocab_ids(corpus: list[list[str]]) -> tuple[list[list[int]], dict[str, int]]:
    vocab: dict[str, int] = {}
    ids = [[vocab.setdefault(word, len(vocab)) for word in doc] for doc in corpus]
    if not vocab:
        vocab[""] = 0
    return ids, vocab
