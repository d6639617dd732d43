"""BM25 over profile texts: each passage stemmed in its own language, Romanian diacritics folded.

Why fold: an SME writes "uscare" or "uscáre", "ș" or "ş" (two Unicode letters look the same),
and BM25 only matches identical tokens. Folding comes before stemming, so "îngrășăminte" and
"ingrasaminte" get the same Romanian stem (stemming first and folding after does not: the
Snowball suffixes carry diacritics). Why stem: on SciFact, stemmed BM25 reaches 0.691
nDCG@10 here (0.662 without stemming; benchmarks/bench_quality_scifact.py). Why per language:
the English stemmer leaves Romanian inflections alone ("cerealelor", "cereale" stay apart); the
Romanian one joins them. Each passage, and each sentence or label inside it, is read by
``graph.matching._language.detect``; what it cannot tell takes its passage's language. A query in neither
language (or a few bare keywords) is stemmed both ways: query terms absent from the index cost nothing.

>>> tokens("Uscarea cerealelor fără gaz", "ro")
['uscar', 'cereal', 'gaz']
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable, Sequence

import bm25s
import numpy as np
import Stemmer

from graph.matching._cognates import CognateMap
from graph.matching._language import EN_WORDS, RO_WORDS, WEAK, Language, detect
from ontology._keys import fold

# bm25s sets its own logger to DEBUG on import, so "Building index ..." reached every console.
logging.getLogger("bm25s").setLevel(logging.WARNING)

_TOKEN = re.compile(r"[a-z0-9]+")
_RO_MARKS = re.compile("[ăâîșşțţĂÂÎȘŞȚŢ]")
_SEGMENT = re.compile(r"(?<=[.;!?\n])\s+| / ")
_STEMMERS = {"en": Stemmer.Stemmer("english"), "ro": Stemmer.Stemmer("romanian")}
_STOPWORD_TEXT = (
    "a an and are as at be by for from has have in into is it its of on or our that the their this to was "
    "we were which with will can not no this these those than then there been being also such using used "
    "si sau de la pe cu in din pentru care este sunt un o al ale ai lor mai fara prin "
    "ca sa se nu ce cum cat ne ni noi nostru noastra le lui ei el ea ele ii il iar dar daca decat "
    "unei unui unor acest aceasta aceste acesti asa foarte mult multe doar deja inca tot toate catre "
    "despre asupra dupa intre fi fost avem vrem cautam caut trebuie putem poate"
)
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def _words(text: str) -> list[str]:
    return [w for w in _TOKEN.findall(fold(text).lower()) if w not in STOPWORDS]


def tokens(text: str, language: Language | None = None) -> list[str]:
    """Folded, lowercased tokens without stopwords, stemmed for ``language`` (detected when None)."""
    language = language or detect(text).language
    words = _words(text)
    if language in _STEMMERS:
        return list(_STEMMERS[language].stemWords(words))
    return [*(_STEMMERS["ro"].stemWords(words)), *(_STEMMERS["en"].stemWords(words))]


def passage_tokens(passages: Iterable[str]) -> list[str]:
    """The index tokens of one profile: each sentence or label in its own language (see the docstring)."""
    out: list[str] = []
    for passage in passages:
        words = _TOKEN.findall(fold(passage).lower())
        romanian = sum(1 for w in words if w in RO_WORDS and w not in WEAK)
        if not _RO_MARKS.search(passage) and romanian <= sum(1 for w in words if w in EN_WORDS):
            # no Romanian letter or word anywhere: English (or a language without a stemmer here) at
            # the cost of one pass; the per-sentence reading below cost 300 s at 100k profiles
            out += _STEMMERS["en"].stemWords([w for w in words if w not in STOPWORDS])
            continue
        whole = detect(passage).language
        fallback: Language = whole if whole in _STEMMERS else "en"
        for segment in _SEGMENT.split(passage):
            found = detect(segment)
            # a stray "de" or "o" (de novo, type O) does not make an English sentence Romanian
            sure = (found.language == "ro" and (found.diacritics or found.romanian_words >= 2)) or (
                found.language == "en" and found.english_words)
            language = found.language if sure else fallback
            out += _STEMMERS[language].stemWords(_words(segment))
    return out


def surface_terms(text: str, language: Language | None = None) -> dict[str, str]:
    """stem -> a surface word of ``text``, to show matched terms as the user wrote them."""
    language = language or detect(text).language
    out: dict[str, str] = {}
    for word in _TOKEN.findall(fold(text).lower()):
        if word not in STOPWORDS:
            for stemmer in ([_STEMMERS[language]] if language in _STEMMERS else _STEMMERS.values()):
                out.setdefault(stemmer.stemWord(word), word)
    return out


class LexicalIndex:
    """A bm25s index over the passages of each profile; ``scores`` gives every profile's score.

    ``append`` adds profiles without rebuilding (members' new offers, ``graph.records``): they
    are scored by the same BM25 formula (bm25s's defaults: Lucene idf, k1 1.5, b 0.75) with the
    indexed corpus's document frequencies and mean length, counting the appended documents
    too; the indexed documents keep the statistics they were built with until the next full
    rebuild, a difference of a few appended documents in a corpus of thousands.
    """

    def __init__(self, documents: Sequence[Sequence[str]]) -> None:
        self.size = len(documents)
        self._bm25 = bm25s.BM25()
        corpus = [passage_tokens(passages) for passages in documents]
        self._base_size = len(corpus)
        self._total_length = sum(len(doc) for doc in corpus)
        self._tail: list[dict[str, int]] = []  # term counts of appended documents
        self._cognates: CognateMap | None = None
        self._cognates_lock = threading.Lock()
        if corpus:
            self._bm25.index(bm25s.tokenization.Tokenized(*_vocab_ids(corpus)), show_progress=False)

    def append(self, documents: Sequence[Sequence[str]]) -> None:
        """Add documents after the indexed ones (their scores follow, in order)."""
        for passages in documents:
            counts: dict[str, int] = {}
            for term in passage_tokens(passages):
                counts[term] = counts.get(term, 0) + 1
            self._tail.append(counts)
            self._total_length += sum(counts.values())
        self.size += len(documents)

    def _tail_scores(self, terms: list[str]) -> np.ndarray:
        n = self.size
        avgdl = self._total_length / max(n, 1)
        indptr = self._bm25.scores.get("indptr") if self._base_size else None
        vocab = self._bm25.vocab_dict if self._base_size else {}
        out = np.zeros(len(self._tail), dtype=np.float32)
        for term in dict.fromkeys(terms):
            df = sum(1 for doc in self._tail if term in doc)
            if term in vocab and indptr is not None:
                df += int(indptr[vocab[term] + 1] - indptr[vocab[term]])
            if df == 0:
                continue
            idf = float(np.log(1 + (n - df + 0.5) / (df + 0.5)))
            for i, doc in enumerate(self._tail):
                tf = doc.get(term, 0)
                if tf:
                    length = sum(doc.values())
                    out[i] += idf * tf / (tf + 1.5 * (1 - 0.75 + 0.75 * length / avgdl))
        return out

    def cognates(self, text: str) -> dict[str, list[str]]:
        """Words of a need not written in English -> indexed terms spelled like them (``graph.matching._cognates``).

        The map is built from the indexed vocabulary on first use (a fraction of a second at 100k
        profiles); terms only appended documents have are not in it until the next rebuild.
        """
        with self._cognates_lock:
            if self._cognates is None:
                self._cognates = CognateMap(self._bm25.vocab_dict if self._base_size else ())
        return self._cognates.expand(text, STOPWORDS)

    def scores(self, query: str | list[str], language: Language | None = None) -> np.ndarray:
        """BM25 of every profile for ``query`` (a text, or tokens already stemmed)."""
        if self.size == 0:
            return np.zeros(0, dtype=np.float32)
        terms = tokens(query, language) if isinstance(query, str) else query
        words = [w for w in terms if w in self._bm25.vocab_dict] if self._base_size else []
        base = (np.asarray(self._bm25.get_scores(words), dtype=np.float32) if words
                else np.zeros(self._base_size, dtype=np.float32))
        if not self._tail:
            return base
        return np.concatenate([base, self._tail_scores(list(terms))])


def _vocab_ids(corpus: list[list[str]]) -> tuple[list[list[int]], dict[str, int]]:
    vocab: dict[str, int] = {}
    ids = [[vocab.setdefault(word, len(vocab)) for word in doc] for doc in corpus]
    if not vocab:
        vocab[""] = 0
    return ids, vocab
