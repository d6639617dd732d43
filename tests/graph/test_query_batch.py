"""Concurrent queries are embedded together and scored in one pass, each getting its own answer."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from graph.query_batch import QueryBatcher


def _vector(text: str) -> np.ndarray:
    """A deterministic unit vector per text (the batching logic does not depend on the model)."""
    rng = np.random.default_rng(abs(hash(text)) % 2**32)
    v = rng.normal(size=8).astype(np.float32)
    return v / np.linalg.norm(v)


class _Encoder:
    """Records each call's batch; the first call waits until ``release`` so others can queue."""

    def __init__(self, hold_first: bool = False) -> None:
        self.calls: list[list[str]] = []
        self.release = threading.Event()
        if not hold_first:
            self.release.set()

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(list(texts))
        if len(self.calls) == 1:
            self.release.wait(10)
        return np.stack([_vector(t) for t in texts])


class _Index:
    def __init__(self, rows: int, seed: int) -> None:
        self.vectors = np.random.default_rng(seed).normal(size=(rows, 8)).astype(np.float32)
        self.scans = 0

    def scores(self, queries: np.ndarray) -> np.ndarray:
        self.scans += 1
        return self.vectors @ queries.T


def test_a_lone_request_gets_its_vector_and_scores() -> None:
    index = _Index(5, seed=1)
    batcher = QueryBatcher(_Encoder())
    vector, scores = batcher.submit("grain drying", index.scores)
    assert np.allclose(vector, _vector("grain drying"))
    assert scores is not None and np.allclose(scores, index.vectors @ _vector("grain drying"))
    assert batcher.submit("no scorer")[1] is None
    batcher.close()


def test_requests_waiting_together_share_one_model_call_and_one_scan() -> None:
    encoder = _Encoder(hold_first=True)
    index = _Index(50, seed=2)
    batcher = QueryBatcher(encoder)
    texts = [f"need number {i}" for i in range(9)]
    with ThreadPoolExecutor(9) as pool:
        first = pool.submit(batcher.submit, texts[0], index.scores)
        while not encoder.calls:  # the first request is being embedded (and held)
            threading.Event().wait(0.01)
        rest = [pool.submit(batcher.submit, t, index.scores) for t in texts[1:]]
        while batcher._queue.qsize() < len(rest):
            threading.Event().wait(0.01)
        encoder.release.set()
        answers = [first.result(10)] + [f.result(10) for f in rest]
    assert encoder.calls[0] == texts[:1]
    assert sorted(encoder.calls[1]) == sorted(texts[1:])  # the other eight in one call
    assert batcher.batches == 2 and batcher.requests == 9
    assert index.scans == 2
    for text, (vector, scores) in zip(texts, answers, strict=True):
        assert np.allclose(vector, _vector(text))
        assert scores is not None and np.allclose(scores, index.vectors @ _vector(text), atol=1e-5)
    batcher.close()


def test_requests_for_different_indexes_in_one_batch_are_scored_against_their_own() -> None:
    encoder = _Encoder(hold_first=True)
    supply, demand = _Index(7, seed=3), _Index(4, seed=4)
    batcher = QueryBatcher(encoder)
    with ThreadPoolExecutor(5) as pool:
        first = pool.submit(batcher.submit, "warm-up", supply.scores)
        while not encoder.calls:
            threading.Event().wait(0.01)
        jobs = [(t, ix, pool.submit(batcher.submit, t, ix.scores))
                for t, ix in [("a", supply), ("b", demand), ("c", supply), ("d", demand)]]
        while batcher._queue.qsize() < 4:
            threading.Event().wait(0.01)
        encoder.release.set()
        first.result(10)
        for text, index, job in jobs:
            _, scores = job.result(10)
            assert scores is not None and scores.shape == (len(index.vectors),)
            assert np.allclose(scores, index.vectors @ _vector(text), atol=1e-5)
    assert supply.scans == 2 and demand.scans == 1  # warm-up; then a+c together, b+d together
    batcher.close()


def test_a_failing_model_call_fails_every_request_of_its_batch_and_the_batcher_goes_on() -> None:
    calls = []

    def encode(texts: Sequence[str]) -> np.ndarray:
        calls.append(list(texts))
        if "boom" in texts:
            raise RuntimeError("model exploded")
        return np.stack([_vector(t) for t in texts])

    batcher = QueryBatcher(encode)
    with pytest.raises(RuntimeError, match="model exploded"):
        batcher.submit("boom")
    vector, _ = batcher.submit("fine")
    assert np.allclose(vector, _vector("fine"))
    batcher.close()
