"""Embeddings: ONNX Runtime gives torch's vectors, is exported once, and query length is capped."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from graph.embeddings import Embedder

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
