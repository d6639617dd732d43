"""How a match text is read before retrieval: language, recognised concepts, channels, query terms.

Why a plan object: the language decides the stemmer and the dense channels, the concepts expand
the query and become graph context, and the explanation must say all of it ("read as Romanian;
understood as: NACE 01.61 ...; found by the multilingual dense channel"). One place computes it,
the matcher and the explanation read it.

Dense channel policy ``auto`` (chosen on the tune half of benchmarks/data/ro_needs.jsonl, see
benchmarks/README.md): a need read as English uses MiniLM, any other need multilingual-e5.
``english``, ``multilingual`` and ``both`` (the two fused) force a choice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from common.errors import InvalidInputError
from graph.matching._concept_bridge import ConceptBridge, Understanding
from graph.matching._language import Detection, detect
from graph.matching._lexical import tokens

ENGLISH, MULTILINGUAL = "english", "multilingual"
LANGUAGE_NAMES = {"ro": "Romanian", "en": "English", "other": "neither Romanian nor English", "none": "no words"}


@dataclass
class QueryPlan:
    """The reading of one match text (see the module docstring)."""

    text: str
    detection: Detection
    understanding: Understanding
    channels: list[str]
    lexical_terms: list[str] = field(default_factory=list)

    @property
    def english_text(self) -> str:
        """What the English model embeds: the text, plus the English labels of concepts in a non-English need."""
        expansion = self.understanding.expansion
        if expansion and self.detection.language != "en":
            return f"{self.text}\n{expansion}"
        return self.text

    def explanation(self) -> dict[str, Any]:
        """The page-level "understood as" block: language, concepts, channels."""
        return {
            "language": self.detection.language,
            "language_name": LANGUAGE_NAMES[self.detection.language],
            "language_evidence": self.detection.as_dict(),
            "concepts": [c.as_dict() for c in self.understanding.concepts],
            "trl": self.understanding.trl,
            "summary": self.understanding.summary(),
            "expansion": self.understanding.expansion or None,
            "channels": ["lexical", *self.channels],
            "content_terms": len(self.lexical_terms),
        }


def plan(text: str, policy: str, bridge: ConceptBridge | None, have_multilingual: bool) -> QueryPlan:
    """Read ``text``: a 422 when it has no letter or digit at all (only emoji, punctuation, symbols)."""
    if not any(c.isalnum() for c in text):
        raise InvalidInputError("text", "has no letters or digits: describe the need in words (Romanian or English)")
    detection = detect(text)
    understanding = bridge.recognise(text) if bridge is not None else Understanding()
    channels = _channels(policy, detection.language, have_multilingual)
    terms = tokens(text, detection.language)
    if understanding.expansion and detection.language != "en":
        # the bridge is for needs in another language: English labels added to an English need only
        # re-weighted its own words (SciFact test, BM25 alone: benchmarks/README.md)
        terms += tokens(understanding.expansion, "en")
    return QueryPlan(text, detection, understanding, channels, terms)


def _channels(policy: str, language: str, have_multilingual: bool) -> list[str]:
    if not have_multilingual or policy == ENGLISH:
        return [ENGLISH]
    if policy == MULTILINGUAL:
        return [MULTILINGUAL]
    if policy == "both":
        return [ENGLISH, MULTILINGUAL]
    return [ENGLISH] if language == "en" else [MULTILINGUAL]


def combine_dense(per_channel: dict[str, np.ndarray],
                  norms: dict[str, tuple[float, float]] | None = None) -> np.ndarray:
    """One dense score per candidate: the mean of each channel's min-max normalised scores.

    Why normalise per query: e5 scores bunch in 0.75-0.90 and MiniLM's spread over 0-0.8, so raw
    cosines cannot be added; a single channel keeps its raw scores (the convex fusion normalises).
    ``norms`` (channel -> (min, span)) replaces the candidates' own: a saved need scores new
    profiles with the normalisers of its candidates when it was saved (``graph.matching._saved``).
    """
    if len(per_channel) == 1:
        return next(iter(per_channel.values()))
    parts = []
    for name, scores in per_channel.items():
        if norms is not None and name in norms:
            low, span = norms[name]
        else:
            low = float(scores.min()) if len(scores) else 0.0
            span = float(scores.max()) - low if len(scores) else 0.0
        parts.append(min_max(scores, low, span))
    return np.asarray(np.mean(parts, axis=0))


def min_max(values: np.ndarray, low: Any, span: Any) -> np.ndarray:
    """``(values - low) / span``, and 1 where ``span`` is not positive (every candidate scored alike).

    ``low`` and ``span`` are numbers, or arrays broadcast against ``values`` (one per saved need).
    """
    positive = np.asarray(span) > 0
    return np.where(positive, (values - low) / np.where(positive, span, 1.0), 1.0)


def convex_fusion(dense: np.ndarray, lexical: np.ndarray, dense_min: Any, dense_span: Any, lexical_max: Any,
                  alpha: Any) -> np.ndarray:
    """The hybrid score: ``alpha * dense' + (1 - alpha) * lexical'``, each normalised into [0, 1].

    The one formula of ``Matcher.match`` (normalisers: its candidates' min, span and max) and of
    saved needs (the normalisers frozen when the need was saved; a new profile beyond them is
    clipped to what a re-run would give it, 0 or 1). Arguments broadcast: a (profiles x needs)
    matrix with one normaliser per need scores a batch of saved needs at once.
    """
    d_norm = np.clip(min_max(dense, dense_min, dense_span), 0.0, 1.0)
    maximum = np.asarray(lexical_max, dtype=np.float64)
    l_norm = np.clip(lexical / np.where(maximum > 0, maximum, 1.0), 0.0, 1.0)
    return np.asarray(alpha * d_norm + (1 - alpha) * l_norm)
