"""Exact dense search: the query against every passage vector, best passage per profile.

Why in chunks on our own small thread pool, with BLAS on one thread: the scan is memory-bound
(234k x 384 float32 = 343 MiB at 100k profiles). Left to OpenBLAS's own threads, eight
concurrent requests each asked for two threads on two cores and stalled each other (29
requests/s); with BLAS on one thread a lone request scanned in 12 ms instead of 7. Splitting the
vectors into one chunk per core on a shared pool gives both: a lone request uses every core, and
concurrent requests queue chunk by chunk without oversubscribing (62 requests/s in process with
8 threads against 29 with BLAS's threads; 56 over HTTP, benchmarks/bench_match_speed.py). Batching several queries into one matrix product was tried
and dropped: OpenBLAS's sgemm with 4-8 columns costs as much as 4-8 separate gemv calls here.
"""

from __future__ import annotations

import itertools
import os
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

_pools: dict[int, ThreadPoolExecutor] = {}
_pool_lock = threading.Lock()


def default_threads() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def limit_blas_threads() -> None:
    """One BLAS thread per call in this process: the parallelism is ours (see the module docstring)."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")


def _executor(threads: int) -> ThreadPoolExecutor:
    """One shared pool per thread count (one in production; tests may use several)."""
    with _pool_lock:
        pool = _pools.get(threads)
        if pool is None:
            pool = _pools[threads] = ThreadPoolExecutor(threads, thread_name_prefix="dense-scan")
        return pool


def chunk_bounds(starts: np.ndarray, passages: int, chunks: int) -> list[tuple[int, int]]:
    """Profile ranges [p0, p1) of about equal passage counts, cut on profile boundaries."""
    profiles = len(starts)
    if chunks <= 1 or profiles < 2 * chunks:
        return [(0, profiles)]
    targets = np.linspace(0, passages, chunks + 1)[1:-1]
    cuts = sorted({int(c) for c in np.searchsorted(starts, targets)} - {0, profiles})
    edges = [0, *cuts, profiles]
    return list(itertools.pairwise(edges))


def best_per_profile(vectors: np.ndarray, starts: np.ndarray, query: np.ndarray, threads: int) -> np.ndarray:
    """Max cosine over each profile's passages (rows of ``vectors`` are normalised, grouped by profile)."""
    if not len(starts):
        return np.zeros(0, dtype=np.float32)
    bounds = chunk_bounds(starts, len(vectors), threads)

    def part(bound: tuple[int, int]) -> np.ndarray:
        p0, p1 = bound
        first = int(starts[p0])
        last = int(starts[p1]) if p1 < len(starts) else len(vectors)
        return np.maximum.reduceat(vectors[first:last] @ query, starts[p0:p1] - first)

    if len(bounds) == 1:
        return part(bounds[0]).astype(np.float32, copy=False)
    return np.concatenate(list(_executor(threads).map(part, bounds))).astype(np.float32, copy=False)
