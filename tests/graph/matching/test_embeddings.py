"""Embeddings: ONNX Runtime gives torch's vectors, is exported once, and query length is capped."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from graph.matching import Embedder

TEXTS = [
    "grain drying without natural gas",
    "Sisteme de irigații prin picurare pentru ferme mici din regiunea Nord-Est",
    "Anti-corrosion coatings for offshore wind turbine towers. " * 30,  # past 256 word pieces
    "AI",
]


@pytest.fixture(scope="module")
def torch_embedder() -> Embedder:
    return Embedder(backend="torch")


@pytest.fixture(scope="module")
def onnx_embedder(tmp_path_factory: pytest.TempPathFactory) -> Embedder:
    embedder = Embedder(cache_path=tmp_path_factory.mktemp("onnx") / "vectors.sqlite")
    assert embedder.runtime == "onnx"
    return embedder


def test_onnx_and_torch_give_the_same_vectors(torch_embedder: Embedder, onnx_embedder: Embedder) -> None:
    expected = torch_embedder.encode_queries(TEXTS)
    got = onnx_embedder.encode_queries(TEXTS)
    assert got.shape == (len(TEXTS), 384)
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    assert (got * expected).sum(axis=1).min() > 0.9999
    passages = onnx_embedder.encode(TEXTS)  # the passage path (cached) agrees too
    assert (passages * expected).sum(axis=1).min() > 0.9999


def test_a_batch_of_mixed_lengths_equals_one_text_at_a_time(onnx_embedder: Embedder) -> None:
    together = onnx_embedder.encode_queries(TEXTS)
    alone = np.stack([onnx_embedder.encode_query(t) for t in TEXTS])
    assert np.allclose(together, alone, atol=1e-5)


def test_the_export_is_cached_and_a_damaged_file_is_exported_again(onnx_embedder: Embedder, tmp_path: Path) -> None:
    onnx_file = onnx_embedder._onnx.path  # type: ignore[union-attr]
    stamp = onnx_file.stat().st_mtime_ns
    again = Embedder(cache_path=onnx_file.parent.parent / "vectors.sqlite")
    assert again.runtime == "onnx" and again._onnx.path == onnx_file  # type: ignore[union-attr]
    assert onnx_file.stat().st_mtime_ns == stamp  # loaded, not exported again
    onnx_file.write_bytes(b"not an onnx graph")
    repaired = Embedder(cache_path=onnx_file.parent.parent / "vectors.sqlite")
    assert repaired.runtime == "onnx"
    assert onnx_file.stat().st_size > 1_000_000
    assert np.allclose(repaired.encode_queries(TEXTS[:1]), onnx_embedder.encode_queries(TEXTS[:1]), atol=1e-5)


@pytest.mark.parametrize("backend", ["onnx", "torch"])
def test_query_max_tokens_embeds_only_the_start_of_a_long_need(backend: str, tmp_path: Path) -> None:
    start = "Heat pump dryers for maize and wheat on family farms. " * 12  # ~150 word pieces
    a, b = start + "Solar panels on the roof.", start + "A biogas plant next to the barn."
    capped = Embedder(cache_path=tmp_path / "v.sqlite", backend=backend, query_max_tokens=64)
    full = Embedder(cache_path=tmp_path / "v.sqlite", backend=backend)
    assert capped.runtime == full.runtime == backend
    va, vb = capped.encode_queries([a, b])
    assert float(va @ vb) > 0.99999  # the endings are past the cap
    fa, fb = full.encode_queries([a, b])
    assert float(fa @ fb) < 0.9999
    short = "grain drying"
    assert np.allclose(capped.encode_query(short), full.encode_query(short), atol=1e-5)


def test_concurrent_requests_embed_safely(onnx_embedder: Embedder) -> None:
    """The server embeds on many threads at once through one fast tokenizer, whose truncation and
    padding settings change per call; without serialising it, ~0.35% of such calls failed here
    ("Already borrowed", or unpadded batches). 2,000 calls: a regression shows with ~99.9% odds."""
    from concurrent.futures import ThreadPoolExecutor

    encoder = onnx_embedder._onnx
    assert encoder is not None
    texts = [f"w{i} " * (1 + i % 40) for i in range(400)]
    expected = {(t, cap): encoder.encode([t], cap)[0] for t in texts[:20] for cap in (8, None)}
    failures: list[str] = []

    def call(i: int) -> None:
        text, cap = texts[i % 400], (8 if i % 2 else None)
        try:
            vector = encoder.encode([text, "grain drying"], cap)[0]
        except Exception as exc:  # counted, reported below
            failures.append(repr(exc))
            return
        if (text, cap) in expected and not np.allclose(vector, expected[(text, cap)], atol=1e-5):
            failures.append(f"wrong vector for {text[:20]!r}")

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(call, range(2000)))
    assert failures == []
