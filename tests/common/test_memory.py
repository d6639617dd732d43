"""Memory figures: the resident set follows what is kept, and freed heap goes back to the system."""

from __future__ import annotations

import gc

import pytest

from common.memory import return_freed_memory, rss_mb


def test_rss_follows_what_is_kept_and_freed_heap_goes_back() -> None:
    return_freed_memory()
    before = rss_mb()
    if before is None:
        pytest.skip("no /proc on this system")
    kept = [bytes(1000) + bytes([i % 256]) for i in range(100_000)]  # ~100 MB in small heap blocks
    grown = rss_mb()
    assert grown is not None and grown - before > 80
    del kept
    gc.collect()
    return_freed_memory()
    after = rss_mb()
    assert after is not None and after - before < 40
