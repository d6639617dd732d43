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

One scoring path: the fusion (``graph.matching._query.convex_fusion``, and ``combine_dense`` for
needs read by several dense channels) and the sum with the graph signals
(``graph.matching._matcher.signal_total``, ``_Signals``) are the matcher's own functions, called
with the saved normalisers instead of the candidates' ones; the dense and BM25 inputs are the
same vectors and BM25 scores, in float32 as the matcher's scan (a product over many needs may
round the last float32 bit differently: ``tests/api/test_alerts_scoring.py`` bounds it).

Why in batches: for N new profiles and A saved needs the dense part is one matrix product per
embedding model ((passages x d) @ (d x A), then the best passage per profile), the lexical part
one sparse product of the new profiles' rows of the BM25 score matrix with the needs' term
counts. Why screened: computing the exact fusion in float64 for all N x A pairs cost seconds
in memory traffic alone; a float32 upper bound (``_screen``) keeps the pairs that could pass
the need's 10th score, the exact fusion runs on those, and the graph signals only on the pairs
whose fused score plus the largest signal total the need's context allows could still pass.
"""

from __future__ import annotations

import base64
import json
import math
from dataclasses import asdict, dataclass, field, fields
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
    signal_total,
)
from graph.matching._profiles import Direction, Profile
from graph.matching._query import MULTILINGUAL, combine_dense, convex_fusion, plan

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
        """JSON with the query vectors as base64 float32 (10,000 states load in a fraction of a second).

        Why not ``dataclasses.asdict``: it deep-copies the vectors and dicts first; an evaluation
        that moves thousands of top 10s spent 2 s in it (``benchmarks/bench_alerts.py``).
        """
        data = {f.name: getattr(self, f.name) for f in fields(self)}
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
    terms, _ = matcher.lexical_terms(index, reading)
    lexical = index.lexical.scores(terms)
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
        lexical_terms=terms,
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
    scored = sorted(((signal_total(float(fused[p]), signals.of(index.profiles[i])), i)
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
    Why picked out of the arrays rather than ``tocsr()[positions]``: converting the whole matrix
    (millions of entries at 20k profiles) on every evaluation cost more than the selection.
    """
    scores = index.lexical._bm25.scores
    data, indices, indptr = scores["data"], scores["indices"], scores["indptr"]
    local = np.full(int(scores["num_docs"]), -1, dtype=np.int64)
    local[positions] = np.arange(len(positions))
    rows = local[indices]
    keep = rows >= 0
    terms = np.repeat(np.arange(len(indptr) - 1), np.diff(indptr))[keep]
    return sp.csr_matrix((data[keep], (rows[keep], terms)), shape=(len(positions), len(indptr) - 1))


def _lexical(index: MatchIndex, pos: np.ndarray, queries: list[SavedQuery]) -> np.ndarray:
    """BM25 of each new profile (rows) for each saved need (columns), float32 as ``LexicalIndex.scores``.

    Profiles of the last build: their rows of bm25s's score matrix times the needs' term counts.
    Profiles appended since (members' records, ``MatchIndex.add_profiles``): the lexical index's
    own formula for appended documents, need by need, as ``Matcher.match`` scores them.
    """
    base = index.lexical._base_size
    out = np.zeros((len(pos), len(queries)), dtype=np.float32)
    built = pos < base
    if built.any():
        out[built] = (_bm25_rows(index, pos[built]) @ _term_counts(index, queries)).toarray()
    if not built.all():
        tail = pos[~built] - base
        out[~built] = np.array([index.lexical._tail_scores(list(q.lexical_terms))[tail] for q in queries],
                               dtype=np.float32).T
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
    ceiling = np.array([_ceiling(matcher, q.context) for q in queries])
    threshold = np.array([q.threshold for q in queries])
    # 1. dense (one product per model over every need using it, best passage per profile) and lexical
    #    (BM25 rows times term counts) for every pair, float32; screened per need (see _screen)
    lexical_all = _lexical(index, pos, queries)
    rows_parts, cols_parts, dense_parts = [], [], []
    per_channel = _best_passages(matcher, index, pos, queries)
    for users, best in per_channel.values():
        single = np.array([q for q in users if len(queries[q].channels) == 1], dtype=np.int64)
        if not len(single):
            continue
        local = np.searchsorted(users, single)
        whole = len(single) == len(queries)
        scores = best if len(local) == best.shape[1] else best[:, local]
        passing, columns = np.nonzero(_screen(queries, single, scores, lexical_all if whole else lexical_all[:, single],
                                              ceiling, threshold))
        rows_parts.append(passing)
        cols_parts.append(single[columns])
        dense_parts.append(scores[passing, columns].astype(np.float64))
    for q, query in enumerate(queries):  # needs read by several channels: the matcher's combination, saved norms
        if len(query.channels) > 1:
            by_channel = {n: per_channel[n][1][:, int(np.searchsorted(per_channel[n][0], q))].astype(np.float64)
                          for n in query.channels}
            rows_parts.append(np.arange(len(pos)))
            cols_parts.append(np.full(len(pos), q))
            dense_parts.append(combine_dense(by_channel, query.channel_norms))
    rows = np.concatenate(rows_parts) if rows_parts else np.zeros(0, dtype=np.int64)
    cols = np.concatenate(cols_parts) if cols_parts else np.zeros(0, dtype=np.int64)
    dense = np.concatenate(dense_parts) if dense_parts else np.zeros(0)
    # 2. hard filters, once per distinct set of filters
    groups: dict[str, list[int]] = {}
    for q, query in enumerate(queries):
        groups.setdefault(json.dumps(query.filters, sort_keys=True), []).append(q)
    batch = _Batch(index, profiles)
    group_of = np.zeros(len(queries), dtype=np.int64)
    masks = np.zeros((len(groups), len(pos)), dtype=bool)
    for g, (key, members) in enumerate(groups.items()):
        group_of[members] = g
        masks[g] = matcher._mask(batch, MatchFilters(**json.loads(key)))  # type: ignore[arg-type]
    keep = masks[group_of[cols], rows]
    rows, cols, dense = rows[keep], cols[keep], dense[keep]
    # 3. the matcher's fusion, exactly, with each need's saved normalisers (a profile beyond them is clipped)
    lexical = lexical_all[rows, cols].astype(np.float64)
    fused = convex_fusion(dense, lexical, np.array([q.dense_min for q in queries])[cols],
                          np.array([q.dense_span for q in queries])[cols],
                          np.array([q.lexical_max for q in queries])[cols], np.array([q.alpha for q in queries])[cols])
    # 4. graph signals, only for the pairs that could still pass the need's 10th score
    maybe = np.flatnonzero(fused + ceiling[cols] > threshold[cols])
    out: list[Candidate] = []
    signals: dict[str, _Signals] = {}  # per distinct context: most needs share one (region, recognised concepts)
    contributions_of: dict[tuple[str, int], dict[str, Any]] = {}
    keys: dict[int, str] = {}
    for j in maybe.tolist():
        r, q = int(rows[j]), int(cols[j])
        key = keys.get(q) or keys.setdefault(q, json.dumps(queries[q].context, sort_keys=True))
        if key not in signals:
            signals[key] = _Signals(matcher, index, MatchContext(**queries[q].context))
        contributions = contributions_of.get((key, r))
        if contributions is None:
            contributions = contributions_of[(key, r)] = signals[key].of(profiles[r])
        total = signal_total(float(fused[j]), contributions)
        if total > threshold[q]:
            out.append(Candidate(q, profiles[r], round(total, 4), {
                "fused": round(float(fused[j]), 4), "dense": round(float(dense[j]), 4),
                "lexical": round(float(lexical[j]), 4), "signals": contributions}))
    return out


def _best_passages(matcher: Matcher, index: MatchIndex, pos: np.ndarray, queries: list[SavedQuery]
                   ) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per dense channel: the needs using it (sorted positions) and each new profile's best passage
    score for each of them (profiles x those needs, float32 as the matcher's scan)."""
    ends = np.append(index.starts[1:], len(index.owners))
    passage_rows = np.concatenate([np.arange(index.starts[i], ends[i]) for i in pos])
    local_starts = np.concatenate([[0], np.cumsum(ends[pos] - index.starts[pos])[:-1]]).astype(np.int64)
    out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for name in sorted({c for q in queries for c in q.channels}):
        users = np.array([q for q, query in enumerate(queries) if name in query.channels], dtype=np.int64)
        model = matcher.multilingual.model_name if name == MULTILINGUAL and matcher.multilingual else None
        vectors = index.vectors_of(model)[passage_rows]
        block = np.array([queries[q].channels[name] for q in users], dtype=np.float32)
        out[name] = (users, np.maximum.reduceat(vectors @ block.T, local_starts, axis=0))
    return out


def _screen(queries: list[SavedQuery], needs: np.ndarray, dense: np.ndarray, lexical: np.ndarray,
            ceiling: np.ndarray, threshold: np.ndarray) -> np.ndarray:
    """Which (profile, need) pairs could enter the need's top 10: a necessary test in float32.

    Why: the exact fusion in float64 over every pair (1,000 x 10,000) cost seconds in memory
    traffic alone; this bound, ``alpha/span * max(dense - min, 0) + (1 - alpha)/max * lexical +
    every signal the context can switch on``, is never below the exact score (the clipping at 1
    it leaves out only lowers it), so the exact test afterwards, on the few pairs left, decides.
    """
    alpha = np.array([queries[q].alpha for q in needs.tolist()])
    span = np.array([queries[q].dense_span for q in needs.tolist()])
    low = np.array([queries[q].dense_min for q in needs.tolist()])
    top = np.array([queries[q].lexical_max for q in needs.tolist()])
    dense_weight = np.where(span > 0, alpha / np.where(span > 0, span, 1.0), 0.0)
    # a need whose candidates all had one dense score gives every profile the normalised 1
    needed = threshold[needs] - ceiling[needs] - np.where(span > 0, 0.0, alpha) - 1e-4
    bound = np.maximum(dense - low.astype(np.float32)[None, :], 0.0)
    bound *= dense_weight.astype(np.float32)[None, :]
    bound += lexical * ((1 - alpha) / np.where(top > 0, top, 1.0)).astype(np.float32)[None, :]
    return np.asarray(bound > needed.astype(np.float32)[None, :])


def _ceiling(matcher: Matcher, context: dict[str, Any]) -> float:
    """The most the graph signals can add for a need: only the signals its context can switch on."""
    s = matcher.settings
    return (s.weight_field * bool(context.get("fields")) + s.weight_sector * bool(context.get("sectors"))
            + s.weight_region * bool(context.get("region")) + s.weight_network * bool(context.get("organisation"))
            + s.weight_trl * (context.get("trl") is not None) + s.weight_kind * bool(context.get("kinds")))
