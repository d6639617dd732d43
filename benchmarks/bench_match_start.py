"""Time to embed and index the bundled data: cold (empty embedding cache), warm (cache hit), restart.

What is measured, on a store holding the bundled data (``innograph ingest --bundled``), for the
supply and demand indexes together (``Matcher.index``), each case with its own data folder so
no saved index is reused unless the case says so:

1. ``cold_onnx``: empty embedding cache, the default ONNX Runtime backend (the one-off ONNX
   export of the model is timed separately, it is cached next to the embedding cache);
2. ``cold_torch``: empty embedding cache, sentence-transformers on torch: the baseline, same run;
3. ``warm``: every passage in the embedding cache, no saved index (a re-ingest that changed
   the store's generation, or a fresh data folder sharing the cache): profiles, BM25, no model call;
4. ``restart``: the saved index of case 3 is loaded (a server restart on unchanged data).

    PYTHONPATH=. python benchmarks/bench_match_start.py [--data-dir /tmp/sparql-bench]   # ~5 min

The data folder is filled with ``innograph ingest --bundled`` when it has no store yet (its store
is copied per case: RocksDB lets one process open it). Results: ``benchmarks/results/match_start.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from common.settings import Settings
from graph.matching import Matcher
from graph.store import GraphStore

sys.path.insert(0, str(REPO / "benchmarks"))
from bench_sparql import ensure_store  # the same bundled store as the SPARQL benchmark

DEFAULT_OUT = REPO / "benchmarks" / "results" / "match_start.json"


def run_case(name: str, source: Path, work: Path, cache: Path, backend: str, keep_index: Path | None = None
             ) -> dict[str, Any]:
    """Open a copy of the store (and, for a restart, the saved indexes) and build or load both indexes."""
    data = work / name
    shutil.copytree(source, data / "store")
    if keep_index is not None:
        shutil.copytree(keep_index, data / "index")
    # torch gets as many threads as ONNX Runtime uses by default (its product default is 1, for
    # concurrent queries; a bulk encode on one thread would make the baseline look worse than it is)
    settings = Settings(data_dir=data, embedding_cache=cache, embedding_backend=backend,  # type: ignore[arg-type]
                        embedding_threads=min(4, os.cpu_count() or 1))
    matcher = Matcher(GraphStore(settings.store_dir), settings)
    started = time.perf_counter()
    runtime = matcher.embedder.runtime  # loads the model (and exports it to ONNX the first time)
    model_s = time.perf_counter() - started
    out: dict[str, Any] = {"backend": backend, "runtime": runtime, "model_load_s": round(model_s, 2)}
    total = 0.0
    for direction in ("supply", "demand"):
        started = time.perf_counter()
        index = matcher.index(direction)
        seconds = time.perf_counter() - started
        total += seconds
        out[direction] = {"profiles": len(index.profiles), "passages": len(index.owners), "seconds": round(seconds, 2)}
    out["indexes_s"] = round(total, 2)
    print(f"{name}: {json.dumps(out)}", file=sys.stderr)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/sparql-bench"))
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    source = ensure_store(args.data_dir)
    report: dict[str, Any] = {"date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "cpus": os.cpu_count(),
                              "load_average": os.getloadavg()}
    with tempfile.TemporaryDirectory(prefix="bench-start-") as tmp:
        work = Path(tmp)
        onnx_cache = work / "cache-onnx" / "embeddings.sqlite"
        # The ONNX export alone (cached afterwards, like in production): a throw-away folder first.
        started = time.perf_counter()
        from graph.matching import Embedder

        assert Embedder(cache_path=onnx_cache).runtime == "onnx"
        report["onnx_export_and_check_s"] = round(time.perf_counter() - started, 2)
        report["cold_onnx"] = run_case("cold_onnx", source, work, onnx_cache, "onnx")
        report["cold_torch"] = run_case("cold_torch", source, work, work / "cache-torch" / "embeddings.sqlite", "torch")
        report["warm"] = run_case("warm", source, work, onnx_cache, "onnx")
        report["restart"] = run_case("restart", source, work, onnx_cache, "onnx", keep_index=work / "warm" / "index")
    cold_onnx, cold_torch = report["cold_onnx"]["indexes_s"], report["cold_torch"]["indexes_s"]
    report["cold_torch_over_onnx"] = round(cold_torch / cold_onnx, 2)
    report["load_average_after"] = os.getloadavg()
    passages = report["cold_onnx"]["supply"]["passages"] + report["cold_onnx"]["demand"]["passages"]
    print(f"{passages:,} passages: cold {cold_onnx:.1f} s on ONNX Runtime, {cold_torch:.1f} s on torch "
          f"({report['cold_torch_over_onnx']}x); warm (cache hit) {report['warm']['indexes_s']:.1f} s; "
          f"restart (saved index) {report['restart']['indexes_s']:.1f} s; ONNX export once "
          f"{report['onnx_export_and_check_s']:.1f} s")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
