"""A saved need's scoring state, and scoring a batch of new profiles against many saved needs at once.

Why a state per saved need: the matcher's score of a profile for a need is

    alpha * (dense - dense_min) / dense_span + (1 - alpha) * bm25 / bm25_max + sum(signal * weight)

where the min, span and max are taken over the need's candidates (``graph.matching.Matcher._fuse``).
When an alert is saved the need is run once through the matcher's own steps and we keep what a
later score needs: the query vector of each dense channel, the BM25 terms, those normalisers,
alpha, the context the graph signals read, and the current top 10 with its 10th score. A new
profile is then scored with the frozen normalisers. That is exactly the matcher's score as long
as the new profile does not move the candidates' min or max; it is not re-run on
the whole index, which is what makes the evaluation incremental. A new profile beyond the old
maximum gets the normalised 1.0 a re-run would give it (clipped); the other candidates' scores,
which a re-run would shift slightly down, keep their saved values (the 10th score errs high).

Why in batches: for N new profiles and A saved needs the dense part is one matrix product per
embedding model ((passages x d) @ (d x A), then the best passage per profile), the lexical part
one sparse product of the new profiles' rows of the BM25 score matrix with the needs' term
counts, and the graph signals are computed only for the (profile, need) pairs whose fused score
plus the largest possible signal total could pass the need's 10th score.
"""

from __future__ import annotations

import base64
import json
import math
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from common.errors import InvalidInputError
from graph.matching._index import MatchIndex
from graph.matching._matcher import (
    MAX_TEXT,
    MatchContext,
    Matcher,
    MatchFilters,
    _Signals,
    _with_understanding,
)
from graph.matching._profiles import Direction, Profile
from graph.matching._query import MULTILINGUAL, combine_dense, plan

TOP = 10


@dataclass
class SavedQuery:
    """What scoring a new profile for one saved need requires (see the module docstring)."""

    direction: Direction
    language: str
    channels: dict[str, Any]  # channel name -> query vector (float32 array, or a list)
    channel_norms: dict[str, tuple[float, float]]  # channel -> (min, span) over candidates (several channels)
    dense_min: float
    dense_span: float
    lexical_terms: list[str]
    lexical_max: float
    alpha: float
    context: dict[str, Any]
    filters: dict[str, Any]
    top: list[tuple[str, float]] = field(default_factory=list)  # current top 10: (iri, score), best first

    @property
    def threshold(self) -> float:
        """The score a new profile must beat to enter the top 10 (-inf while there are fewer than 10)."""
        return self.top[TOP - 1][1] if len(self.top) >= TOP else -math.inf

    def admit(self, iri: str, score: float) -> bool:
        """Put ``iri`` in the top 10 if it ranks there; True when it entered (or moved up within it)."""
        known = {i: s for i, s in self.top}
        if iri in known and known[iri] >= score:
            return False
        if score <= self.threshold and iri not in known:
            return False
        known[iri] = score
        self.top = sorted(known.items(), key=lambda item: (-item[1], item[0]))[:TOP]
        return any(i == iri for i, _ in self.top)

    def dumps(self) -> bytes:
        """JSON with the query vectors as base64 float32 (10,000 states load in a fraction of a second)."""
        data = asdict(self)
        data["channels"] = {k: base64.b64encode(np.asarray(v, dtype=np.float32).tobytes()).decode()
                            for k, v in self.channels.items()}
        return json.dumps(data).encode()

    @classmethod
    def loads(cls, raw: bytes) -> SavedQuery:
        data = json.loads(raw)
        data["channels"] = {k: np.frombuffer(base64.b64decode(v), dtype=np.float32)
                            for k, v in data["channels"].items()}
        data["top"] = [tuple(t) for t in data["top"]]
        data["channel_norms"] = {k: tuple(v) for k, v in data["channel_norms"].items()}
        return cls(**data)


def save_query(matcher: Matcher, text: str, direction: Direction, filters: MatchFilters,
               context: MatchContext) -> SavedQuery:
    """Run the need once through the matcher's steps and keep its scoring state and top 10.

    Raises the matcher's own ``InvalidInputError`` for an empty need or an unknown code, so a
    saved need is validated exactly as ``POST /match`` validates it.
    """
    text = text.strip()
    if not text:
        raise InvalidInputError("text", "is empty: describe the need (or the offer) in a few words")
    if len(text) > MAX_TEXT:
        raise InvalidInputError("text", f"is {len(text):,} characters long; at most {MAX_TEXT:,} are allowed")
    settings = matcher.settings
    index = matcher.index(direction)
    reading = plan(text, settings.match_dense, matcher.bridge() if settings.match_concepts else None,
                   matcher.multilingual is not None)
    understood = _with_understanding(context, reading)
    mask = matcher._mask(index, filters)
    vectors, channel_scores = matcher._dense_channels(index, reading, "hybrid")
    lexical = index.lexical.scores(reading.lexical_terms)
    idx = np.array(matcher._candidates(channel_scores, lexical, mask, "hybrid"), dtype=np.int64)
    norms: dict[str, tuple[float, float]] = {}
    dense = np.zeros(0)
    if len(idx):
        per_channel = {name: s[idx].astype(np.float64) for name, s in channel_scores.items()}
        norms = {name: (float(s.min()), float(s.max() - s.min())) for name, s in per_channel.items()}
        dense = combine_dense(per_channel)
    alpha = settings.match_alpha
    if reading.detection.language != "en" and settings.match_alpha_multilingual is not None:
        alpha = settings.match_alpha_multilingual
    top = _top10(matcher, index, idx, dense, lexical, alpha, understood)
    return SavedQuery(
        direction=direction, language=reading.detection.language,
        channels={name: np.asarray(v, dtype=np.float32) for name, v in vectors.items()}, channel_norms=norms,
        dense_min=float(dense.min()) if len(dense) else 0.0,
        dense_span=float(dense.max() - dense.min()) if len(dense) else 0.0,
        lexical_terms=list(reading.lexical_terms),
        lexical_max=float(lexical[idx].max()) if len(idx) else 0.0, alpha=alpha,
        context=asdict(understood), filters=asdict(filters),
        top=top,
    )


def _top10(matcher: Matcher, index: MatchIndex, idx: np.ndarray, dense: np.ndarray, lexical: np.ndarray,
           alpha: float, context: MatchContext) -> list[tuple[str, float]]:
    """The need's top 10 as ``Matcher.match`` ranks it (fusion, graph signals, ties by position), without
    building the explanations of its results (tests/api/test_alerts_scoring.py checks they agree)."""
    if not len(idx):
        return []
    full = np.zeros(len(index.profiles))
    full[idx] = dense
    candidates = [int(i) for i in idx]
    fused, _, _ = matcher._fuse(candidates, full, lexical, "hybrid", alpha)
    signals = _Signals(matcher, index, context)
    scored = sorted(((float(fused[p]) + sum(c["contribution"] for c in signals.of(index.profiles[i]).values()), i)
                     for p, i in enumerate(candidates)), key=lambda item: (-item[0], item[1]))
    return [(index.profiles[i].iri, round(total, 4)) for total, i in scored[:TOP]]


@dataclass
class Candidate:
    """A new profile that enters a saved need's top 10, with what explains its score."""

    query: int  # position in the list of saved queries
    profile: Profile
    score: float
    parts: dict[str, Any]


class _Batch:
    """The few attributes of a ``MatchIndex`` that ``Matcher._mask`` reads, over the new profiles only."""

    def __init__(self, index: MatchIndex, profiles: list[Profile]) -> None:
        self.profiles = profiles
        self._index = index
        self._columns: Any = None
        self.retired = np.zeros(len(profiles), dtype=bool)  # new profiles: none withdrawn yet (records' mask)

    def columns(self, concepts: Any) -> Any:
        from graph.matching._index import FilterColumns

        if self._columns is None:
            self._columns = FilterColumns(self.profiles, concepts)
        return self._columns


def _bm25_rows(index: MatchIndex, positions: np.ndarray) -> sp.csr_matrix:
    """The BM25 score matrix rows (profile x vocabulary term) of ``positions``.

    bm25s keeps every (term, document) score precomputed in CSC form (``scores``: data, indices,
    indptr over terms); a query's score of a document is the sum over its terms, so these rows
    times the queries' term counts are the matcher's lexical scores, with the index's own IDF.
    """
    bm25 = index.lexical._bm25
    scores = bm25.scores
    matrix = sp.csc_matrix((scores["data"], scores["indices"], scores["indptr"]),
                           shape=(int(scores["num_docs"]), len(scores["indptr"]) - 1))
    return matrix.tocsr()[positions]


def _lexical_scores(index: MatchIndex, pos: np.ndarray, queries: list[SavedQuery]) -> np.ndarray:
    """BM25 of profiles ``pos`` (rows) for each saved need (columns), as the matcher scores them.

    Profiles appended in place (members' records: ``LexicalIndex.append``) are not in bm25s's
    precomputed matrix; they are scored by the index's own formula for appended documents.
    """
    base_size = index.lexical._base_size
    out = np.zeros((len(pos), len(queries)), dtype=np.float64)
    in_base = pos < base_size
    if in_base.any():
        out[in_base] = np.asarray((_bm25_rows(index, pos[in_base]) @ _term_counts(index, queries)).todense())
    if not in_base.all():
        tail = pos[~in_base] - base_size
        for q, query in enumerate(queries):
            out[~in_base, q] = index.lexical._tail_scores(list(query.lexical_terms))[tail]
    return out


def _term_counts(index: MatchIndex, queries: list[SavedQuery]) -> sp.csc_matrix:
    vocab = index.lexical._bm25.vocab_dict
    rows, cols = [], []
    for q, query in enumerate(queries):
        for term in query.lexical_terms:
            token = vocab.get(term)
            if token is not None:
                rows.append(token)
                cols.append(q)
    size = len(index.lexical._bm25.scores["indptr"]) - 1
    return sp.csc_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(size, len(queries)))


def score_batch(matcher: Matcher, index: MatchIndex, positions: list[int],
                queries: list[SavedQuery]) -> list[Candidate]:
    """Every (new profile, saved need) pair that would now rank in the need's top 10.

    ``positions`` are the new profiles' rows in ``index`` (the matcher's current index of the
    queries' direction); nothing is embedded, their passage vectors are the index's.
    """
    if not positions or not queries:
        return []
    pos = np.array(sorted(set(positions)), dtype=np.int64)
    profiles = [index.profiles[i] for i in pos]
    ends = np.append(index.starts[1:], len(index.owners))
    passage_rows = np.concatenate([np.arange(index.starts[i], ends[i]) for i in pos])
    local_starts = np.concatenate([[0], np.cumsum(ends[pos] - index.starts[pos])[:-1]]).astype(np.int64)
    # dense: one product per channel (model) over every query using it
    per_channel: dict[str, np.ndarray] = {}
    for name in {c for q in queries for c in q.channels}:
        users = [q for q, query in enumerate(queries) if name in query.channels]
        model = matcher.multilingual.model_name if name == MULTILINGUAL and matcher.multilingual else None
        vectors = index.vectors_of(model)[passage_rows]
        block = np.array([queries[q].channels[name] for q in users], dtype=np.float32)
        best = np.maximum.reduceat(vectors @ block.T, local_starts, axis=0)
        full = np.full((len(pos), len(queries)), np.nan, dtype=np.float64)
        full[:, users] = best
        per_channel[name] = full
    dense = np.zeros((len(pos), len(queries)))
    for name, scores in per_channel.items():  # needs read by one channel: whole columns at once
        single = np.array([list(query.channels) == [name] for query in queries])
        dense[:, single] = scores[:, single]
    for q, query in enumerate(queries):
        names = list(query.channels)
        if len(names) > 1:
            parts = [(per_channel[n][:, q] - query.channel_norms.get(n, (0.0, 1.0))[0])
                     / (query.channel_norms.get(n, (0.0, 1.0))[1] or 1.0) for n in names]
            dense[:, q] = np.mean(parts, axis=0)
    lexical = _lexical_scores(index, pos, queries)
    span = np.array([q.dense_span for q in queries])
    d_norm = np.where(span > 0, (dense - np.array([q.dense_min for q in queries])) / np.where(span > 0, span, 1), 1.0)
    l_norm = lexical / np.array([q.lexical_max or 1.0 for q in queries])
    alpha = np.array([q.alpha for q in queries])
    # a new profile beyond the candidates' max would become the max in a re-run (normalised 1.0)
    fused = alpha * np.clip(d_norm, 0.0, 1.0) + (1 - alpha) * np.clip(l_norm, 0.0, 1.0)
    # filters, once per distinct set of filters
    batch = _Batch(index, profiles)
    allowed = np.zeros_like(fused, dtype=bool)
    groups: dict[str, list[int]] = {}
    for q, query in enumerate(queries):
        groups.setdefault(json.dumps(query.filters, sort_keys=True), []).append(q)
    for key, members in groups.items():
        allowed[:, members] = matcher._mask(batch, MatchFilters(**json.loads(key)))[:, None]  # type: ignore[arg-type]
    ceiling = np.array([_ceiling(matcher, q.context) for q in queries])
    threshold = np.array([q.threshold for q in queries])
    rows, cols = np.nonzero(allowed & (fused + ceiling[None, :] > threshold[None, :]))
    out: list[Candidate] = []
    signals: dict[int, _Signals] = {}
    for r, q in zip(rows.tolist(), cols.tolist(), strict=True):
        if q not in signals:
            signals[q] = _Signals(matcher, index, MatchContext(**queries[q].context))
        contributions = signals[q].of(profiles[r])
        total = float(fused[r, q]) + sum(c["contribution"] for c in contributions.values())
        if total > threshold[q]:
            out.append(Candidate(q, profiles[r], round(total, 4), {
                "fused": round(float(fused[r, q]), 4), "dense": round(float(dense[r, q]), 4),
                "lexical": round(float(lexical[r, q]), 4), "signals": contributions}))
    return out


def _ceiling(matcher: Matcher, context: dict[str, Any]) -> float:
    """The most the graph signals can add for a need: only the signals its context can switch on."""
    s = matcher.settings
    return (s.weight_field * bool(context.get("fields")) + s.weight_sector * bool(context.get("sectors"))
            + s.weight_region * bool(context.get("region")) + s.weight_network * bool(context.get("organisation"))
            + s.weight_trl * (context.get("trl") is not None) + s.weight_kind * bool(context.get("kinds")))
