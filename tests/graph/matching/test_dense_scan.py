"""The exact dense scan: parallel chunks give the same best-passage scores as one pass."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from graph.matching._dense_scan import best_per_profile, chunk_bounds


def _index(profiles: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    counts = rng.integers(1, 6, size=profiles)  # 1-5 passages per profile, as in the bundled data
    vectors = rng.normal(size=(int(counts.sum()), 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    return vectors, starts


@pytest.mark.parametrize("threads", [1, 2, 3, 4, 7])
def test_chunks_give_the_scores_of_one_pass(threads: int) -> None:
    vectors, starts = _index(1_001, seed=threads)
    query = vectors[17] * 0.5 + vectors[901] * 0.5
    query /= np.linalg.norm(query)
    expected = np.array([(vectors[a:b] @ query).max() for a, b in zip(starts, [*starts[1:], len(vectors)], strict=True)])
    got = best_per_profile(vectors, starts, query, threads)
    assert got.dtype == np.float32 and got.shape == (1_001,)
    assert np.allclose(got, expected, atol=1e-6)


def test_chunks_cover_every_profile_once_and_cut_on_profile_boundaries() -> None:
    vectors, starts = _index(500, seed=9)
    bounds = chunk_bounds(starts, len(vectors), 4)
    assert len(bounds) == 4
    assert bounds[0][0] == 0 and bounds[-1][1] == 500
    assert all(a[1] == b[0] for a, b in itertools.pairwise(bounds))
    sizes = [int((starts[p1] if p1 < 500 else len(vectors)) - starts[p0]) for p0, p1 in bounds]
    assert max(sizes) - min(sizes) <= 10  # about equal passage counts


def test_tiny_and_empty_indexes() -> None:
    vectors, starts = _index(3, seed=1)
    assert chunk_bounds(starts, len(vectors), 4) == [(0, 3)]
    assert best_per_profile(vectors, starts, vectors[0], 4).shape == (3,)
    assert best_per_profile(np.zeros((0, 16), np.float32), np.zeros(0, np.int64), vectors[0], 2).shape == (0,)


def test_an_index_with_a_profile_without_passages_is_refused() -> None:
    from graph.matching import MatchIndex, Profile

    profiles = [Profile(iri=f"https://w3id.org/innograph/id/x/{i}", name=str(i), kind="offer", passages=["t"],
                        organisation="https://w3id.org/innograph/id/org/o")
                for i in range(3)]
    vectors = np.eye(3, 16, dtype=np.float32)
    with pytest.raises(ValueError, match="one or more passages per profile"):
        MatchIndex("supply", profiles, vectors[:2], np.array([0, 2]), "g", "m")  # profile 1 has none
    index = MatchIndex("supply", profiles, vectors, np.array([0, 1, 2]), "g", "m")
    assert index.dense_scores(vectors[1]).argmax() == 1
