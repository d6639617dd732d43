"""The sentence-transformers model run by ONNX Runtime: the same vectors, half the time.

Why: a match request embeds its text on the request's clock. MiniLM through torch took ~10 ms
for a short need and ~35 ms for a long one (128 word pieces) on one core; ONNX Runtime on the
same graph takes ~5 and ~17 ms, with the same vectors
(benchmarks/bench_match_speed.py; the check at load refuses a graph agreeing less than 0.9999,
measured agreement is 1 - 1e-7). The maintained converter (optimum-onnx) pins
transformers < 4.58, which sentence-transformers 6 cannot use, so the export is done here
with ``torch.onnx.export`` from the local weights (no download), once per model, cached on
disk, and checked against torch on probe sentences before it is trusted.

Only models made of a Transformer, mean pooling and optionally normalisation (MiniLM and most
sentence-transformers models) are exported; anything else stays on torch.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import uuid
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)
#: Probe texts whose vectors must agree with torch's before an exported graph is used.
PROBES = (
    "grain drying without natural gas",
    ("Anti-corrosion coatings for offshore wind turbine towers, tested in salt spray chambers and at sea "
     "for two winters."),
)
#: Texts in one ONNX Runtime call are padded to the longest; group only similar lengths.
_GROUP_RATIO = 1.5
_GROUP_SIZE = 16


def supported(model: Any) -> bool:
    """True for Transformer + mean Pooling (+ Normalize): what ``OnnxEncoder`` reproduces."""
    names = [type(module).__name__ for module in model]
    if names not in (["Transformer", "Pooling"], ["Transformer", "Pooling", "Normalize"]):
        return False
    config = model[1].get_config_dict()
    return bool(config.get("pooling_mode", "mean" if config.get("pooling_mode_mean_tokens") else None) == "mean")


class OnnxEncoder:
    """Encode with an exported graph of ``model``'s transformer, pooling and normalising in numpy."""

    def __init__(self, model: Any, cache_dir: Path, threads: int | None = 1) -> None:
        import onnxruntime as ort

        self.tokenizer = model.tokenizer
        # A fast tokenizer is one Rust object whose truncation/padding settings are rewritten on
        # every call: two threads calling it at once fail with "RuntimeError: Already borrowed"
        # (huggingface/tokenizers#537). Tokenising takes ~0.2 ms; the model run stays parallel.
        self._tokenizing = threading.Lock()
        self.max_seq_length = int(model.max_seq_length)
        path = _export(model, cache_dir)
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or 0
        options.inter_op_num_threads = 1
        # No busy-waiting between calls: the cores are shared with the request threads.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        try:
            self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        except Exception:  # a damaged cached file (disk full, killed copy): export again
            log.warning("the cached ONNX file %s does not load: exporting the model again", path)
            path.unlink(missing_ok=True)
            path = _export(model, cache_dir)
            self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self.path = path
        self.inputs = {i.name for i in self.session.get_inputs()}
        reference = np.asarray(model.encode(list(PROBES), normalize_embeddings=True), dtype=np.float32)
        agreement = float((self.encode(PROBES) * reference).sum(axis=1).min())
        if agreement < 0.9999:
            path.unlink(missing_ok=True)
            raise ValueError(f"the exported graph disagrees with torch (cosine {agreement:.6f})")

    def encode(self, texts: Sequence[str], max_tokens: int | None = None) -> np.ndarray:
        """L2-normalised vectors of ``texts`` in order, at most ``max_tokens`` word pieces each."""
        limit = min(self.max_seq_length, max_tokens or self.max_seq_length)
        with self._tokenizing:
            lengths = [len(ids) for ids in self.tokenizer(list(texts), truncation=True, max_length=limit)["input_ids"]]
        order = sorted(range(len(texts)), key=lengths.__getitem__)
        out = np.zeros((len(texts), 0), dtype=np.float32)
        groups: list[list[int]] = []
        for i in order:
            if groups and len(groups[-1]) < _GROUP_SIZE and lengths[i] <= _GROUP_RATIO * lengths[groups[-1][0]]:
                groups[-1].append(i)
            else:
                groups.append([i])
        for group in groups:
            vectors = self._run([texts[i] for i in group], limit)
            if out.shape[1] == 0:
                out = np.zeros((len(texts), vectors.shape[1]), dtype=np.float32)
            out[group] = vectors
        return out

    def _run(self, texts: list[str], limit: int) -> np.ndarray:
        with self._tokenizing:
            batch = self.tokenizer(texts, padding=True, truncation=True, max_length=limit, return_tensors="np")
        feed = {name: np.asarray(batch[name], dtype=np.int64) for name in self.inputs}
        hidden = self.session.run(None, feed)[0]
        mask = np.asarray(batch["attention_mask"], dtype=np.float32)[..., np.newaxis]
        pooled = (hidden * mask).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9)
        return np.asarray((pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)).astype(np.float32))


def _key(model: Any) -> str:
    """Changes with the weights' folder and files, and the torch and transformers versions."""
    import torch
    import transformers

    folder = Path(getattr(model[0].auto_model, "name_or_path", "") or ".")
    parts = [str(folder.resolve()), torch.__version__, transformers.__version__]
    if folder.is_dir():
        parts += [f"{p.name}:{p.stat().st_size}:{int(p.stat().st_mtime)}" for p in sorted(folder.iterdir()) if p.is_file()]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def _export(model: Any, cache_dir: Path) -> Path:
    """The cached ONNX file of ``model``'s transformer, exported now if missing (~1 s)."""
    import torch

    path = cache_dir / f"{_key(model)}.onnx"
    if path.exists():
        return path
    cache_dir.mkdir(parents=True, exist_ok=True)
    transformer = model[0].auto_model.eval()
    names = [n for n in ("input_ids", "attention_mask", "token_type_ids")
             if n in model.tokenizer("probe", return_tensors="pt")]

    class _Hidden(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.transformer = transformer

        def forward(self, *tensors: torch.Tensor) -> torch.Tensor:
            return self.transformer(**dict(zip(names, tensors, strict=True))).last_hidden_state  # type: ignore[no-any-return]

    sample = model.tokenizer(["probe text", "a second probe"], padding=True, return_tensors="pt")
    partial = path.with_suffix(f".{uuid.uuid4().hex}.partial")
    try:
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # tracer notes about shapes: the graph is checked against torch after
            torch.onnx.export(
                _Hidden(), tuple(sample[n] for n in names), str(partial), input_names=names,
                output_names=["last_hidden_state"], opset_version=17, dynamo=False,
                dynamic_axes={n: {0: "batch", 1: "tokens"} for n in [*names, "last_hidden_state"]},
            )
        os.replace(partial, path)  # atomic: a concurrent export sees the whole file or none
    finally:
        partial.unlink(missing_ok=True)
    log.info("exported %s to ONNX at %s", getattr(transformer, "name_or_path", "the model"), path)
    return path
