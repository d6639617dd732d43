"""Latency of the read endpoints on the full bundled data, through the HTTP stack.

What is measured, over an in-process ``TestClient`` (the whole FastAPI stack, no network):

1. the label index behind ``GET /search``: build time after an ingest (once per store
   generation) and its size;
2. ``GET /search`` over a mix of queries (acronyms, Romanian names without diacritics, words
   in any order, codes, broad queries matching 35k labels): p50, p95, max, requests/s;
3. the baseline the index replaces: one case-insensitive ``REGEX`` SPARQL scan over the same
   labels per query (and that one cannot even fold diacritics). The ratio is baseline p50 /
   index p50 (above 1: the index is faster);
4. ``GET /organisations/{id}`` (a partnership member, a one-project PIC, CNRS with 1,372
   projects), ``GET /regions/{nuts}`` (RO, RO21, RO321), ``GET /vocabularies/nace2``, ``GET /stats``
   cold and cached.

    PYTHONPATH=. python benchmarks/bench_api.py --data-dir /tmp/api-helper  # a folder after `ingest --bundled`
    PYTHONPATH=. python benchmarks/bench_api.py                             # ingests the bundled data first (~2 min)

Results: a table on stdout and ``benchmarks/results/api.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

DEFAULT_OUT = REPO / "benchmarks" / "results" / "api.json"
QUERIES = [
    "osim", "OSIM", "oficiul de stat", "agentia pentru dezvoltare regionala nord-est", "nord est", "RO21",
    "universitatea politehnica", "university", "energy", "grain dryer", "999918293", "pic", "h2020 project",
    "centre national de la recherche", "wastewater", "01.11", "nanotechnology", "bucuresti", "fraunhofer", "zz",
]
REGEX_BASELINE = """
SELECT ?pattern ?s ?label WHERE {
  VALUES ?p { skos:prefLabel skos:altLabel rov:legalName dcterms:title eurio:title ig:acronym skos:notation }
  ?s ?p ?label . FILTER (REGEX(STR(?label), ?pattern, "i"))
}
"""


def _timed(call: Callable[[], Any], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        out.append((time.perf_counter() - started) * 1000)
    return out


def _summary(ms: list[float]) -> dict[str, float]:
    ordered = sorted(ms)
    return {
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 2),
        "max_ms": round(ordered[-1], 2),
        "n": len(ordered),
    }


def run(data_dir: Path, repeat: int) -> dict[str, Any]:
    import pyoxigraph as ox
    from fastapi.testclient import TestClient

    from api.app import create_app
    from common.settings import Settings
    from graph.store import GraphStore
    from graph.views import LabelIndex
    from ontology._namespaces import PREFIXES

    results: dict[str, Any] = {}
    store = GraphStore(Settings(data_dir=data_dir).store_dir)
    started = time.perf_counter()
    index = LabelIndex.from_store(store)
    results["index"] = {"build_s": round(time.perf_counter() - started, 2), "entities": len(index),
                        "labels": len(index._original)}
    del store, index

    app = create_app(Settings(data_dir=data_dir, rate_limit_anonymous=0))  # one address sends everything
    with TestClient(app) as client:
        while client.get("/ready").status_code != 200:  # every component built at start (api.warmup)
            time.sleep(1)
        client.get("/search", params={"q": "warm-up"})
        per_query: dict[str, Any] = {}
        everything: list[float] = []
        for query in QUERIES:
            ms = _timed(lambda q=query: client.get("/search", params={"q": q}).raise_for_status(), repeat)
            everything += ms
            per_query[query] = {**_summary(ms), "count": client.get("/search", params={"q": query}).json()["count"]}
        results["search"] = {"all": _summary(everything), "per_query": per_query,
                             "requests_per_s": round(1000 * len(everything) / sum(everything), 1)}

        oxstore = app.state.store.oxigraph
        baseline: list[float] = []
        for query in QUERIES[:6]:
            baseline += _timed(
                lambda q=query: list(oxstore.query(
                    REGEX_BASELINE, prefixes=PREFIXES, use_default_graph_as_union=True,
                    substitutions={ox.Variable("pattern"): ox.Literal(q)},
                )),
                2,
            )
        index_p50 = statistics.median(ms for q in QUERIES[:6] for ms in [per_query[q]["p50_ms"]])
        results["regex_baseline"] = {**_summary(baseline), "ratio_vs_index_p50": round(
            statistics.median(baseline) / index_p50, 1)}

        endpoints = {
            "organisation osim": "/organisations/osim",
            "organisation pic/999918293": "/organisations/pic/999918293",
            "organisation CNRS (1,372 projects)": "/organisations/pic/999997930",
            "region RO": "/regions/RO",
            "region RO21": "/regions/RO21",
            "region RO321": "/regions/RO321",
            "vocabulary nace2 (page of 20)": "/vocabularies/nace2",
        }
        results["endpoints"] = {
            name: _summary(_timed(lambda u=url: client.get(u).raise_for_status(), max(3, repeat // 4)))
            for name, url in endpoints.items()
        }
        app.state.stats_cache._key = None  # cold: as after an ingest
        cold = _timed(lambda: client.get("/stats").raise_for_status(), 1)
        warm = _timed(lambda: client.get("/stats").raise_for_status(), 5)
        results["endpoints"]["stats cold"] = _summary(cold)
        results["endpoints"]["stats cached"] = _summary(warm)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, help="Data folder holding the bundled data (else built).")
    parser.add_argument("--repeat", type=int, default=20, help="Calls per search query.")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    data_dir = args.data_dir
    if data_dir is None or not (data_dir / "store").exists():
        data_dir = data_dir or Path(tempfile.mkdtemp(prefix="innograph-bench-api-"))
        print(f"ingesting the bundled data into {data_dir} ...", file=sys.stderr)
        done = subprocess.run([sys.executable, "-m", "cli.main", "ingest", "--bundled", "--data-dir", str(data_dir)],
                              cwd=REPO, check=False, capture_output=True, text=True)
        if done.returncode not in (0, 1):
            sys.exit(f"ingest failed: {done.stderr[-2000:]}")
    results = run(data_dir, args.repeat)
    results["machine"] = {"python": platform.python_version(), "platform": platform.platform(),
                          "cpus": os.cpu_count(), "load_average_1min": round(os.getloadavg()[0], 2),
                          "when": datetime.now(UTC).isoformat(timespec="seconds")}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2))
    print(f"label index: {results['index']}")
    print(f"GET /search: {results['search']['all']}  ({results['search']['requests_per_s']} req/s)")
    for query, figures in results["search"]["per_query"].items():
        print(f"  {query!r:50} p50 {figures['p50_ms']:7.2f} ms  p95 {figures['p95_ms']:7.2f} ms  hits {figures['count']}")
    print(f"REGEX SPARQL baseline: {results['regex_baseline']}")
    for name, figures in results["endpoints"].items():
        print(f"  {name:40} p50 {figures['p50_ms']:8.2f} ms  max {figures['max_ms']:8.2f} ms")


if __name__ == "__main__":
    main()
