"""Dense matching: exact numpy scan against the Neo4j vector index, on the same index, same run.

Usage: python benchmarks/bench_vectors.py [--data-dir DIR] [--queries N]
Needs a data folder with the bundled data (made with `innograph ingest --bundled` when missing)
and starts its own Neo4j with scripts/neo4j/start.sh unless INNOGRAPH_NEO4J_URI is set.
Reports p50/p95 of Matcher.match(mode="dense") with each backend (query embedding included,
the same query vectors for both), the ratio, and how often both give the same top-10.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from pydantic import SecretStr

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from common.settings import Settings
from graph.matching import Matcher
from graph.store import GraphStore

SCIFACT_QUERIES = Path(os.environ.get("INNOGRAPH_SCIFACT", REPO / "benchmarks" / "data" / "scifact")) / "queries.jsonl"
QUERIES = [json.loads(line)["text"] for line in SCIFACT_QUERIES.open()] if SCIFACT_QUERIES.exists() else []
NEEDS = ["we need a cheaper way to dry grain without gas", "dairy wastewater treatment", "predictive maintenance",
         "Căutăm o metodă mai ieftină de uscare a cerealelor fără gaz", "monitoring water quality with sensors"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "innograph-bench-vectors")
    parser.add_argument("--queries", type=int, default=100)
    args = parser.parse_args()
    if not (args.data_dir / "store").exists():
        subprocess.run([sys.executable, "-m", "cli.main", "ingest", "--bundled", "--data-dir", str(args.data_dir)],
                       cwd=REPO, check=False, env={**os.environ, "PYTHONPATH": str(REPO)})
    uri = os.environ.get("INNOGRAPH_NEO4J_URI")
    home = Path(tempfile.mkdtemp(prefix="bench-vectors-neo4j-"))
    if not uri:
        out = subprocess.run(["bash", str(REPO / "scripts/neo4j/start.sh"), "17691", str(home)], check=True,
                             capture_output=True, text=True).stdout
        found = dict(p.split("=", 1) for p in shlex.split(out.replace("export ", " ")) if "=" in p)
        uri, password = found["NEO4J_URI"], found.get("NEO4J_PASSWORD", "")
    else:
        password = os.environ.get("INNOGRAPH_NEO4J_PASSWORD", "")
    try:
        base = {"data_dir": args.data_dir, "neo4j_uri": uri, "neo4j_password": SecretStr(password) if password else None}
        store = GraphStore(args.data_dir / "store")
        exact = Matcher(store, Settings(**base, dense_backend="numpy"))
        via_neo4j = Matcher(store, Settings(**base, dense_backend="neo4j"), embedder=exact.embedder)
        index = exact.index("supply")
        started = time.perf_counter()
        via_neo4j.match("warm up", mode="dense")  # writes the vectors to Neo4j once
        write_s = time.perf_counter() - started
        texts = (NEEDS + QUERIES)[: args.queries]
        results: dict[str, list[float]] = {"numpy": [], "neo4j": []}
        same_top10 = 0
        first_same = 0
        overlap: list[float] = []
        for text in texts:
            tops = []
            for name, matcher in (("numpy", exact), ("neo4j", via_neo4j)):
                t = time.perf_counter()
                page = matcher.match(text, mode="dense", limit=10)
                results[name].append((time.perf_counter() - t) * 1000)
                tops.append([r["id"] for r in page.data])
            same_top10 += tops[0] == tops[1]
            overlap.append(len(set(tops[0]) & set(tops[1])) / max(1, len(tops[0])))
            first_same += bool(tops[0]) and bool(tops[1]) and tops[0][0] == tops[1][0]
        summary = {
            "profiles": len(index.profiles), "passages": len(index.owners), "queries": len(texts),
            "neo4j_write_s": round(write_s, 1),
            **{f"{name}_p50_ms": round(float(np.percentile(v, 50)), 1) for name, v in results.items()},
            **{f"{name}_p95_ms": round(float(np.percentile(v, 95)), 1) for name, v in results.items()},
            "same_top10_share": round(same_top10 / len(texts), 3),
            "top10_overlap_mean": round(float(np.mean(overlap)), 3),
            "same_first_share": round(first_same / len(texts), 3),
        }
        summary["neo4j_over_numpy_p50"] = round(summary["neo4j_p50_ms"] / summary["numpy_p50_ms"], 2)
        print(json.dumps(summary, indent=2))
        out_dir = REPO / "benchmarks" / "results"
        out_dir.mkdir(exist_ok=True)
        (out_dir / "vectors.json").write_text(json.dumps(summary, indent=2))
    finally:
        if not os.environ.get("INNOGRAPH_NEO4J_URI"):
            subprocess.run(["bash", str(REPO / "scripts/neo4j/stop.sh"), str(home)], check=False, capture_output=True)


if __name__ == "__main__":
    main()
