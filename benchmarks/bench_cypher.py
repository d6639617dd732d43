"""Cypher: projection build time on the full bundled data, and the analyst suite on both engines.

What is measured, in one run so both engines see the same machine:

1. ``extract``: reading the property graph out of the RDF store (``graph.cypher._projection_extract``)
   for the full bundled data: all 144,726 H2020 participations, the composite extract, the
   partnership, the illustrative records and the vocabularies.
2. ``load``: writing that projection into each engine, ``--load-repeat`` times: the embedded
   engine (CSV files + ``COPY FROM``, then a file swap) and Neo4j (batched ``UNWIND`` into a
   real Neo4j 5 server, started with ``scripts/neo4j/start.sh`` unless ``NEO4J_URI`` is set).
3. ``suite``: every question of ``graph/cypher/queries`` with its default parameters, one
   warm-up run then ``--repeat`` runs per engine, interleaved; the median latency per query
   and engine, the ratio neo4j/embedded (above 1: the embedded engine is faster), and whether
   both answers are the same.
4. ``timeout``: an explosive variable-length pattern with a 2 s limit: how long each engine
   takes to stop it.

    PYTHONPATH=. python -m cli.main ingest --bundled --data-dir /tmp/cypher-bench   # once, ~1 min
    PYTHONPATH=. python benchmarks/bench_cypher.py --data-dir /tmp/cypher-bench     # ~3 min on 2 cores

Results: a table on stdout and ``benchmarks/results/cypher.json``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from common.errors import QueryError
from graph.cypher import CypherEngine, extract, load_suite, run_cypher, same_rows
from graph.cypher._embedded import EmbeddedEngine
from graph.cypher._neo4j import Neo4jEngine
from graph.store import GraphStore

DEFAULT_OUT = REPO / "benchmarks" / "results" / "cypher.json"
EXPLOSIVE = "MATCH (a:Organisation)-[:PARTICIPATES_IN*1..12]-(b:Organisation) RETURN count(*)"


def _commit() -> str:
    run = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, check=False)
    dirty = subprocess.run(["git", "status", "--porcelain"], cwd=REPO, capture_output=True, text=True, check=False)
    return run.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")


def _start_neo4j(home: Path) -> tuple[dict[str, str], Path | None]:
    uri = os.environ.get("INNOGRAPH_NEO4J_URI") or os.environ.get("NEO4J_URI")
    if uri:
        return {"uri": uri, "user": os.environ.get("NEO4J_USER", "neo4j"),
                "password": os.environ.get("NEO4J_PASSWORD", "")}, None
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    started = subprocess.run(["bash", str(REPO / "scripts" / "neo4j" / "start.sh"), str(port), str(home)],
                             capture_output=True, text=True, timeout=900, check=False, stdin=subprocess.DEVNULL)
    if started.returncode != 0:
        raise SystemExit(f"Neo4j did not start: {started.stderr[-2000:]}")
    found = dict(p.split("=", 1) for p in shlex.split(started.stdout.replace("export ", " ")) if "=" in p)
    return {"uri": found["NEO4J_URI"], "user": found.get("NEO4J_USER", "neo4j"),
            "password": found.get("NEO4J_PASSWORD", "")}, home


def _timed(engine: CypherEngine, text: str, parameters: dict[str, Any], timeout_s: float) -> tuple[float, Any]:
    started = time.perf_counter()
    try:
        result = run_cypher(engine, text, parameters, timeout_s=timeout_s, row_cap=100_000)
    except QueryError as exc:
        return (time.perf_counter() - started) * 1000, f"{type(exc).__name__}: {exc}"
    return (time.perf_counter() - started) * 1000, result.rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/cypher-bench"))
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per query and engine")
    parser.add_argument("--load-repeat", type=int, default=2, help="loads per engine")
    parser.add_argument("--timeout", type=float, default=120.0, help="limit per suite query (s)")
    parser.add_argument("--skip-neo4j", action="store_true")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()

    store_dir = args.data_dir / "store"
    if not store_dir.exists():
        print(f"ingesting the bundled data into {args.data_dir} (once) ...", flush=True)
        subprocess.run([sys.executable, "-m", "cli.main", "ingest", "--bundled", "--data-dir", str(args.data_dir)],
                       cwd=REPO, check=False, env={**os.environ, "PYTHONPATH": str(REPO)})
    report: dict[str, Any] = {
        "benchmark": "cypher", "date": datetime.now(UTC).isoformat(timespec="seconds"), "commit": _commit(),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "loadavg_1m_before": round(os.getloadavg()[0], 2)},
    }
    store = GraphStore(store_dir)
    data = extract(store)
    report["extract"] = {"seconds": round(data.seconds, 3), "counts": data.counts}
    print(f"extract: {data.seconds:.1f} s  {data.counts}", flush=True)

    work = Path(tempfile.mkdtemp(prefix="innograph-bench-cypher-"))
    engines: dict[str, CypherEngine] = {"embedded": EmbeddedEngine(work / "cypher", memory_mb=2048)}
    neo4j_home = None
    if not args.skip_neo4j:
        creds, neo4j_home = _start_neo4j(work / "neo4j")
        engines["neo4j"] = Neo4jEngine(creds["uri"], creds["user"], creds["password"] or None)
        report["neo4j_uri"] = creds["uri"]
    try:
        report["load"] = {}
        for name, engine in engines.items():
            runs = [round(engine.load(data), 3) for _ in range(args.load_repeat)]
            report["load"][name] = {"seconds": runs, "median": statistics.median(runs)}
            print(f"load {name}: {runs} s", flush=True)
        if "neo4j" in report["load"]:
            report["load"]["ratio_neo4j_over_embedded"] = round(
                report["load"]["neo4j"]["median"] / report["load"]["embedded"]["median"], 2)

        report["suite"] = []
        print(f"\n{'query':<55} {'embedded ms':>12} {'neo4j ms':>10} {'ratio':>7} {'rows':>6} same")
        for query in load_suite():
            entry: dict[str, Any] = {"name": query.name, "question": query.question}
            answers: dict[str, Any] = {}
            times: dict[str, list[float]] = {name: [] for name in engines}
            for name, engine in engines.items():  # warm-up: plans cached, pages in memory
                _, answers[name] = _timed(engine, query.text(name), query.parameters, args.timeout)
            for _ in range(args.repeat):
                for name, engine in engines.items():
                    elapsed, _ = _timed(engine, query.text(name), query.parameters, args.timeout)
                    times[name].append(round(elapsed, 2))
            for name in engines:
                entry[name] = {"median_ms": round(statistics.median(times[name]), 2), "runs_ms": times[name]}
                entry[name]["error" if isinstance(answers[name], str) else "rows"] = (
                    answers[name] if isinstance(answers[name], str) else len(answers[name]))
            if "neo4j" in engines:
                entry["ratio_neo4j_over_embedded"] = round(entry["neo4j"]["median_ms"] / entry["embedded"]["median_ms"], 2)
                entry["same_answer"] = not isinstance(answers["embedded"], str) and not isinstance(
                    answers["neo4j"], str) and same_rows(answers["embedded"], answers["neo4j"])
            report["suite"].append(entry)
            print(f"{query.name:<55} {entry['embedded']['median_ms']:>12.1f} "
                  f"{entry.get('neo4j', {}).get('median_ms', float('nan')):>10.1f} "
                  f"{entry.get('ratio_neo4j_over_embedded', float('nan')):>7.2f} "
                  f"{entry['embedded'].get('rows', '-')!s:>6} {entry.get('same_answer', '-')}", flush=True)
        ratios = [e["ratio_neo4j_over_embedded"] for e in report["suite"] if "ratio_neo4j_over_embedded" in e]
        if ratios:
            report["suite_summary"] = {"geometric_mean_ratio": round(math.exp(statistics.mean(map(math.log, ratios))), 2),
                                       "queries_same_answer": sum(bool(e.get("same_answer")) for e in report["suite"]),
                                       "queries": len(report["suite"])}
        report["timeout"] = {}
        for name, engine in engines.items():
            elapsed, outcome = _timed(engine, EXPLOSIVE, {}, 2.0)
            report["timeout"][name] = {"limit_s": 2.0, "stopped_after_s": round(elapsed / 1000, 2),
                                       "outcome": outcome if isinstance(outcome, str) else "finished"}
        print(f"\ntimeout: {report['timeout']}")
    finally:
        for engine in engines.values():
            engine.close()
        if neo4j_home is not None:
            subprocess.run(["bash", str(REPO / "scripts" / "neo4j" / "stop.sh"), str(neo4j_home)],
                           capture_output=True, check=False, timeout=120)
        shutil.rmtree(work, ignore_errors=True)
    report["machine"]["loadavg_1m_after"] = round(os.getloadavg()[0], 2)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
