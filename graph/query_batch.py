"""Concurrent match requests share one embedding call and one pass over the passage vectors.

Why: on 2 cores a request costs ~10-35 ms to embed its text and ~10 ms to scan 234k passage
vectors (360 MB: memory-bound, the same cost for one query or eight). Eight clients each
embedding and scanning on their own thread fought for the cores and reached 37 requests/s
(benchmarks/bench_match_speed.py). Here one thread takes every request waiting at that moment,
embeds them in one model call and scores them with one matrix product (``vectors @ Q.T``),
then hands each request its own vector and scores. A request that arrives alone is served at
once (no waiting window), so a single user's latency is unchanged.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field

import numpy as np

log = logging.getLogger(__name__)
#: Most requests embedded in one model call (beyond ~16 short texts the gain flattens on 2 cores).
MAX_BATCH = 16

Scorer = Callable[[np.ndarray], np.ndarray]
"""Dense scores of a batch: query matrix (b x d) in, (profiles x b) scores out."""


@dataclass
class _Request:
    text: str
    scorer: Scorer | None
    future: Future[tuple[np.ndarray, np.ndarray | None]] = field(default_factory=Future)


class QueryBatcher:
    """Embed query texts (and score them against an index) in batches on one thread.

    ``encode`` embeds a list of texts (L2-normalised rows). ``submit`` blocks until its own
    request is done and returns (query vector, dense scores or None when no scorer was given).
    Requests with the same (equal) ``scorer`` in one batch share one matrix product.
    """

    def __init__(self, encode: Callable[[Sequence[str]], np.ndarray], max_batch: int = MAX_BATCH) -> None:
        self._encode = encode
        self._max_batch = max_batch
        self._queue: queue.SimpleQueue[_Request | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self.batches = 0
        self.requests = 0

    def submit(self, text: str, scorer: Scorer | None = None) -> tuple[np.ndarray, np.ndarray | None]:
        self._ensure_thread()
        request = _Request(text, scorer)
        self._queue.put(request)
        return request.future.result()

    def close(self) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(5)
            self._thread = None

    def _ensure_thread(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            with self._start_lock:
                if self._thread is None or not self._thread.is_alive():
                    self._thread = threading.Thread(target=self._serve, name="query-batcher", daemon=True)
                    self._thread.start()

    def _serve(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch = [first]
            while len(batch) < self._max_batch:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    self._queue.put(None)  # stop after this batch
                    break
                batch.append(more)
            self._run(batch)

    def _run(self, batch: list[_Request]) -> None:
        try:
            vectors = np.asarray(self._encode([r.text for r in batch]), dtype=np.float32)
            scores: list[np.ndarray | None] = [None] * len(batch)
            groups: dict[Scorer, list[int]] = {}  # bound methods of one index compare equal
            for position, request in enumerate(batch):
                if request.scorer is not None:
                    groups.setdefault(request.scorer, []).append(position)
            for scorer, positions in groups.items():
                rows = np.ascontiguousarray(scorer(vectors[positions]).T)  # one row per request
                for row, position in zip(rows, positions, strict=True):
                    scores[position] = row
        except BaseException as exc:  # noqa: BLE001 - every waiting request must hear about it
            for request in batch:
                request.future.set_exception(exc)
            return
        self.batches += 1
        self.requests += len(batch)
        for position, request in enumerate(batch):
            request.future.set_result((vectors[position], scores[position]))
