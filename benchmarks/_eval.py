"""Shared pieces of the matching benchmarks: stores, the matcher, metrics, tables, JSON.

Why a helper: the three quality benchmarks (SciFact, CORDIS expert finding, Romanian CAEN
against English NACE) and the speed benchmark all load text "as supply profiles through the
normal ingest path" (``ingest.loading.ingest_path`` into an on-disk store), query
``graph.matching.Matcher.match`` and score its ranked ids; only the data and the relevance
judgements differ.

Nothing here changes how matching works: ``MemoEmbedder`` only remembers the query vectors
it has computed, so the same query asked under several settings (the tuning grid) is encoded
once. Passage vectors go to a persistent SQLite cache (``--cache``), so a rerun embeds nothing.
"""

from __future__ import annotations

import csv
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from common.settings import Settings
from graph.matching import Embedder, Matcher
from graph.store import GraphStore

RESULTS = REPO / "benchmarks" / "results"
SCIFACT = Path(os.environ.get("INNOGRAPH_SCIFACT", Path(__file__).resolve().parent / "data" / "scifact"))  # shipped, with PROVENANCE
DEFAULT_CACHE = Path.home() / ".cache" / "innograph" / "bench-embeddings.sqlite"
ALPHAS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
MODES = ("lexical", "dense", "hybrid")


# --------------------------------------------------------------------------- embedder


class MemoEmbedder(Embedder):
    """The project's embedder, remembering query vectors so a tuning grid encodes each query once."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._queries: dict[str, np.ndarray] = {}
        self.query_seconds = 0.0

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self._queries]
        if missing:
            started = time.perf_counter()
            self._queries.update(zip(missing, super().encode_queries(missing), strict=True))
            self.query_seconds += time.perf_counter() - started
        return np.stack([self._queries[t] for t in texts])


# --------------------------------------------------------------------------- stores


@contextmanager
def work_dir(keep: Path | None, prefix: str) -> Any:
    """``keep`` (created, kept afterwards) or a temporary folder removed at the end."""
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        yield keep
        return
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def ingest_all(store: GraphStore, sources: Iterable[tuple[Path, str | None]], log: Callable[[str], None] = print
               ) -> list[dict[str, Any]]:
    """``ingest_path`` each source in order (unchanged ones are skipped); a summary of each run."""
    from ingest.loading import ingest_path

    out = []
    for path, name in sources:
        report = ingest_path(store, path, name=name)
        summary = {
            "source": str(path), "name": name, "seconds": round(report.seconds, 2),
            "skipped_unchanged": report.skipped_unchanged, "records_read": report.records_read,
            "records_written": report.records_written, "records_rejected": report.records_rejected,
            "rejections": [r.as_dict() for r in report.rejections[:20]],
        }
        if not report.skipped_unchanged and not (name or "").startswith(("vocab-", "ontology")):
            log(f"  ingested {name or path.name}: {report.records_written:,}/{report.records_read:,} records "
                f"in {report.seconds:.1f}s, {report.records_rejected} rejected")
        out.append(summary)
    return out


def base_and(store: GraphStore, sources: Sequence[tuple[Path, str | None]], log: Callable[[str], None] = print
             ) -> tuple[list[dict[str, Any]], float]:
    """The ontology and vocabularies (what references are checked against), then ``sources``."""
    from ingest.bundled import base_sources

    started = time.perf_counter()
    reports = ingest_all(store, [*base_sources(), *sources], log)
    return reports, time.perf_counter() - started


def one_torch_thread() -> None:
    """Run torch on one thread: figures do not depend on it, and on this shared 2-core machine two
    threads contending with other processes encoded a query 10-20x slower (measured: 40-70 ms
    against 300-900 ms per short query at load average 6-7)."""
    import torch

    torch.set_num_threads(1)


def make_matcher(data_dir: Path, cache: Path, **settings: Any) -> tuple[Matcher, GraphStore, Settings]:
    """A Matcher on the store under ``data_dir`` with the persistent embedding cache."""
    one_torch_thread()
    base = Settings(data_dir=data_dir, embedding_cache=cache, **settings)
    store = GraphStore(base.store_dir)
    embedder = MemoEmbedder(base.embedding_model, cache, query_max_tokens=base.embedding_query_max_tokens,
                             backend=base.embedding_backend)
    return Matcher(store, base, embedder), store, base


def build_index(matcher: Matcher, log: Callable[[str], None] = print) -> dict[str, Any]:
    """Build (or load) the supply index, timed: embedding is the slow part on a cold cache."""
    started = time.perf_counter()
    index = matcher.index("supply")
    seconds = time.perf_counter() - started
    log(f"  supply index: {len(index.profiles):,} profiles, {len(index.owners):,} passages in {seconds:.1f}s")
    return {"profiles": len(index.profiles), "passages": len(index.owners), "seconds": round(seconds, 1)}


# --------------------------------------------------------------------------- running queries


def run(matcher: Matcher, queries: dict[str, str], mode: str, limit: int, *,
        keep: Callable[[dict[str, Any]], bool] | None = None, **overrides: Any) -> dict[str, list[str]]:
    """qid -> ranked result ids of ``Matcher.match`` under ``overrides`` of the matcher's settings."""
    original = matcher.settings
    matcher.settings = original.model_copy(update=overrides) if overrides else original
    try:
        out = {}
        for qid, text in queries.items():
            page = matcher.match(text, "supply", limit=limit, mode=mode)  # type: ignore[arg-type]
            out[qid] = [r["id"] for r in page.data if keep is None or keep(r)]
        return out
    finally:
        matcher.settings = original


# --------------------------------------------------------------------------- metrics


def ndcg(ranked: Sequence[str], relevant: dict[str, float], k: int) -> float:
    """nDCG@k as BEIR/trec_eval compute it (gain = relevance grade, log2 discount)."""
    dcg = sum(relevant.get(doc, 0.0) / math.log2(rank + 2) for rank, doc in enumerate(ranked[:k]))
    ideal = sorted(relevant.values(), reverse=True)[:k]
    idcg = sum(rel / math.log2(rank + 2) for rank, rel in enumerate(ideal))
    return dcg / idcg if idcg > 0 else 0.0


def recall(ranked: Sequence[str], relevant: dict[str, float], k: int) -> float:
    wanted = {doc for doc, rel in relevant.items() if rel > 0}
    return len(wanted & set(ranked[:k])) / len(wanted) if wanted else 0.0


def mrr(ranked: Sequence[str], relevant: dict[str, float], k: int | None = None) -> float:
    for rank, doc in enumerate(ranked[:k] if k else ranked):
        if relevant.get(doc, 0) > 0:
            return 1.0 / (rank + 1)
    return 0.0


def hit(ranked: Sequence[str], relevant: dict[str, float], k: int) -> float:
    """1 if any relevant item is in the first ``k``: "did the SME find one of them on the first page"."""
    return 1.0 if any(relevant.get(doc, 0) > 0 for doc in ranked[:k]) else 0.0


METRICS: dict[str, Callable[[Sequence[str], dict[str, float]], float]] = {
    "hit@10": lambda r, q: hit(r, q, 10),
    "ndcg@10": lambda r, q: ndcg(r, q, 10),
    "recall@1": lambda r, q: recall(r, q, 1),
    "recall@10": lambda r, q: recall(r, q, 10),
    "recall@100": lambda r, q: recall(r, q, 100),
    "mrr": lambda r, q: mrr(r, q),
    "mrr@10": lambda r, q: mrr(r, q, 10),
}


def score(runs: dict[str, list[str]], qrels: dict[str, dict[str, float]], metrics: Sequence[str],
          ci: bool = False) -> dict[str, Any]:
    """Mean of each metric over the judged queries (a query with no result counts as 0).

    ``ci``: also a 95% bootstrap interval over queries (``<metric>_ci``), for small query sets.
    """
    out: dict[str, Any] = {}
    for name in metrics:
        values = [METRICS[name](runs.get(qid, []), rels) for qid, rels in qrels.items()]
        out[name] = round(statistics.fmean(values), 4) if values else 0.0
        if ci and values:
            out[f"{name}_ci"] = bootstrap_ci(values)
    return out


def bootstrap_ci(values: Sequence[float], resamples: int = 2000, seed: int = 0) -> list[float]:
    """95% percentile bootstrap interval of the mean (fixed seed: reruns give the same interval)."""
    data = np.asarray(values, dtype=np.float64)
    rng = np.random.default_rng(seed)
    means = data[rng.integers(0, len(data), size=(resamples, len(data)))].mean(axis=1)
    return [round(float(np.percentile(means, 2.5)), 4), round(float(np.percentile(means, 97.5)), 4)]


def paired_bootstrap(a: Sequence[float], b: Sequence[float], resamples: int = 2000, seed: int = 0) -> float:
    """Share of bootstrap resamples of the queries in which ``a`` does not beat ``b`` (a one-sided p)."""
    diff = np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64)
    rng = np.random.default_rng(seed)
    means = diff[rng.integers(0, len(diff), size=(resamples, len(diff)))].mean(axis=1)
    return round(float((means <= 0).mean()), 4)


def per_query(runs: dict[str, list[str]], qrels: dict[str, dict[str, float]], metric: str) -> list[float]:
    return [METRICS[metric](runs.get(qid, []), rels) for qid, rels in qrels.items()]


# --------------------------------------------------------------------------- reporting


def table(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    """A plain fixed-width table of ``rows`` (missing cells blank)."""
    def cell(value: Any) -> str:
        if isinstance(value, float):
            return f"{value:.4f}" if abs(value) < 10 else f"{value:,.1f}"
        return "" if value is None else str(value)

    cells = [[cell(r.get(c)) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) if cells else len(c) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(lines)


def environment() -> dict[str, Any]:
    try:
        commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, check=False).stdout.strip()
        dirty = bool(subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "graph", "common", "ingest"],
                                    capture_output=True, text=True, check=False).stdout.strip())
    except OSError:
        commit, dirty = "", False
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": commit, "uncommitted_changes_in_graph_common_ingest": dirty,
        "python": platform.python_version(), "cpus": os.cpu_count(), "load_average": list(os.getloadavg()),
    }


def write_json(path: Path, payload: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def read_qrels(path: Path) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            out.setdefault(row["query-id"], {})[row["corpus-id"]] = float(row["score"])
    return out


def best(grid: Sequence[dict[str, Any]], metric: str) -> dict[str, Any]:
    """The grid row with the highest ``metric`` (ties: the earlier row, i.e. the simpler setting)."""
    return max(grid, key=lambda row: (row[metric], -grid.index(row)))
