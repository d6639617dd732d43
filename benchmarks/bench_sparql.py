"""The analyst query set on the full H2020 data: innograph's SPARQL path, rdflib, Virtuoso.

What is measured, side by side in one run, on every query of ``graph/sparql/queries``:

1. ``innograph``: the server's execution path, ``SparqlService`` over the on-disk store:
   the request goes to a worker forked from the in-memory replica, which runs the query,
   serialises SPARQL JSON and sends it back. End to end, as the HTTP route calls it.
2. ``oxigraph-disk``: pyoxigraph on the same on-disk store, in this process (no worker, no
   serialisation): what the old design (a child per query opening the disk store) ran on,
   to show the gap between disk and memory the replica closes.
3. ``rdflib``: rdflib's in-memory ``Dataset`` (default graph = union) holding the same quads,
   in a child process killed at ``--rdflib-timeout`` per query (it cannot be interrupted).
4. ``virtuoso``: Virtuoso Open Source over HTTP (``scripts/virtuoso/start.sh``), holding the
   same graphs (loaded through ``graph.sparql._remote.RemoteStore`` when missing, ~4 min).

Median latency over ``--repeats`` runs after one warm-up (rdflib: a query slower than 2 s
runs once). Ratios: rdflib / innograph (target: geometric mean >= 50), Virtuoso / innograph
(reported), and every innograph query must take under 1 s. Rows are compared across engines.

    PYTHONPATH=. python benchmarks/bench_sparql.py --data-dir /tmp/sparql-bench   # ~10 min

The data folder is filled with ``innograph ingest --bundled`` when it has no store yet.
Results: a table on stdout and ``benchmarks/results/sparql.json``; exit 1 when a target fails.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import select
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import httpx
import pyoxigraph as ox

from graph.sparql import QueryRequest, SparqlService
from graph.sparql._queryset import analyst_queries
from graph.store import GraphStore

DEFAULT_OUT = REPO / "benchmarks" / "results" / "sparql.json"
H2020_GRAPH = "https://w3id.org/innograph/graph/cordis-h2020"


def timed(run: Any, repeats: int, slow_s: float = math.inf) -> tuple[float, Any]:
    """Median seconds of ``repeats`` runs after a warm-up, and the last result."""
    started = time.perf_counter()
    result = run()  # warm-up (caches, page faults of a fresh worker)
    if time.perf_counter() - started > slow_s:
        return time.perf_counter() - started, result
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def rows_of_json(body: bytes) -> int:
    doc = json.loads(body)
    return 1 if "boolean" in doc else len(doc["results"]["bindings"])


# --- rdflib, in a child process ----------------------------------------------------------------

def rdflib_child(nquads: str, names: list[str], repeats: int) -> None:
    """Load the dump into rdflib, then answer each query: one JSON line per query on stdout."""
    import rdflib

    started = time.perf_counter()
    dataset = rdflib.Dataset(default_union=True)
    dataset.parse(nquads, format="nquads")
    print(json.dumps({"loaded": time.perf_counter() - started, "quads": len(dataset)}), flush=True)
    texts = {q.name: q.text for q in analyst_queries()}
    for name in names:
        seconds, result = timed(lambda text=texts[name]: list(dataset.query(text)), repeats, slow_s=2.0)
        print(json.dumps({"name": name, "seconds": seconds, "rows": len(result)}), flush=True)


def run_rdflib(nquads: Path, names: list[str], repeats: int, limit_s: float) -> dict[str, Any]:
    results: dict[str, Any] = {}
    todo = list(names)
    load_s = None
    while todo:
        child = subprocess.Popen([sys.executable, __file__, "--repeats", str(repeats), "--rdflib-child", str(nquads),
                                  *todo], stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
        assert child.stdout is not None
        line = child.stdout.readline()
        load_s = json.loads(line)["loaded"]
        print(f"rdflib loaded the dump in {load_s:.0f} s", file=sys.stderr)
        for name in list(todo):
            ready, _, _ = select.select([child.stdout], [], [], limit_s * (repeats + 1))
            if not ready:
                child.kill()
                results[name] = {"seconds": None, "timeout": limit_s}
                todo.remove(name)
                print(f"rdflib {name}: stopped after {limit_s:g} s", file=sys.stderr)
                break
            record = json.loads(child.stdout.readline())
            results[name] = record
            todo.remove(name)
            print(f"rdflib {name}: {record['seconds']:.3f} s", file=sys.stderr)
        child.kill()
        child.wait()
    results["_load_s"] = load_s
    return results


# --- Virtuoso ------------------------------------------------------------------------------------

def virtuoso_ready(url: str) -> bool:
    from graph.sparql import RemoteStore
    from ingest.bundled import bundled_sources
    from ingest.loading import ingest_path

    try:
        httpx.post(url, data={"query": "ASK {}"}, timeout=5).raise_for_status()
    except httpx.HTTPError:
        return False
    remote = RemoteStore(url, url, write_timeout_s=1800)
    if remote.count(ox.NamedNode(H2020_GRAPH)) < 1_000_000:
        print("loading the bundled data into Virtuoso (~4 min)", file=sys.stderr)
        for source, name in bundled_sources():
            ingest_path(remote, source, name=name)
    return True


def run_virtuoso(url: str, repeats: int) -> dict[str, Any]:
    results: dict[str, Any] = {}
    with httpx.Client(timeout=120) as client:
        for query in analyst_queries():
            def once(text: str = query.text) -> bytes:
                response = client.post(url, data={"query": text}, headers={"Accept": "application/sparql-results+json"})
                response.raise_for_status()
                return response.content
            seconds, body = timed(once, repeats)
            results[query.name] = {"seconds": seconds, "rows": rows_of_json(body)}
    return results


# --- main ----------------------------------------------------------------------------------------

def _disk(store: GraphStore, text: str) -> list[Any] | bool:
    result = store.oxigraph.query(text, use_default_graph_as_union=True)
    return bool(result) if isinstance(result, ox.QueryBoolean) else list(result)  # type: ignore[arg-type]


def ensure_store(data_dir: Path) -> Path:
    store_dir = data_dir / "store"
    if not store_dir.exists():
        print(f"ingesting the bundled data into {data_dir} (~1.5 min)", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "cli.main", "ingest", "--bundled", "--data-dir", str(data_dir)],
                       check=False, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
    return store_dir


def geomean(values: list[float]) -> float:
    return math.exp(statistics.fmean(math.log(v) for v in values)) if values else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/sparql-bench"))
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--virtuoso", default="http://127.0.0.1:18890/sparql")
    parser.add_argument("--skip-rdflib", action="store_true")
    parser.add_argument("--rdflib-timeout", type=float, default=120.0)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--rdflib-child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rdflib_child:
        rdflib_child(args.rdflib_child[0], args.rdflib_child[1:], args.repeats)
        return 0

    queries = analyst_queries()
    names = [q.name for q in queries]
    store = GraphStore(ensure_store(args.data_dir))
    quads = len(store.oxigraph)
    report: dict[str, Any] = {"date": datetime.now(UTC).isoformat(), "quads": quads, "repeats": args.repeats,
                              "load_average": os.getloadavg(), "queries": {}}

    service = SparqlService(store, workers=2)
    started = time.perf_counter()
    service.start()
    assert service.pool is not None and service.pool.ready(300), "the replica did not load"
    report["replica_load_s"] = time.perf_counter() - started
    ours: dict[str, Any] = {}
    disk: dict[str, Any] = {}
    for query in queries:
        seconds, answer = timed(lambda q=query.text: service.query(QueryRequest(q), 60), args.repeats)
        ours[query.name] = {"seconds": seconds, "rows": rows_of_json(answer.body)}
        seconds, result = timed(lambda q=query.text: _disk(store, q), min(args.repeats, 3))
        disk[query.name] = {"seconds": seconds, "rows": len(result) if isinstance(result, list) else 1}
        print(f"innograph {query.name}: {ours[query.name]['seconds'] * 1000:.1f} ms "
              f"(disk {disk[query.name]['seconds'] * 1000:.1f} ms)", file=sys.stderr)
    service.stop()

    virtuoso: dict[str, Any] = {}
    if virtuoso_ready(args.virtuoso):
        virtuoso = run_virtuoso(args.virtuoso, args.repeats)
    else:
        print(f"no Virtuoso at {args.virtuoso}: column skipped (bash scripts/virtuoso/start.sh)", file=sys.stderr)

    rdflib: dict[str, Any] = {}
    if not args.skip_rdflib:
        dump = args.data_dir / "bench.nq"
        if not dump.exists():
            store.oxigraph.dump(str(dump), format=ox.RdfFormat.N_QUADS)
        rdflib = run_rdflib(dump, names, min(args.repeats, 3), args.rdflib_timeout)
        report["rdflib_load_s"] = rdflib.pop("_load_s")

    ratios_rdflib, ratios_virtuoso, failures = [], [], []
    header = f"{'query':30s} {'innograph':>10s} {'disk':>9s} {'rdflib':>10s} {'virtuoso':>9s} {'x rdflib':>9s} {'x virt':>7s}"
    print(header)
    for name in names:
        row = {"innograph": ours[name], "oxigraph_disk": disk[name], "rdflib": rdflib.get(name),
               "virtuoso": virtuoso.get(name)}
        mine = ours[name]["seconds"]
        if mine >= 1.0:
            failures.append(f"{name} took {mine:.2f} s (target < 1 s)")
        r = rdflib.get(name) or {}
        r_s = r.get("seconds") if r.get("seconds") is not None else r.get("timeout")
        if r_s:
            row["ratio_rdflib"] = r_s / mine
            ratios_rdflib.append(r_s / mine)
        v = virtuoso.get(name)
        if v:
            row["ratio_virtuoso"] = v["seconds"] / mine
            ratios_virtuoso.append(v["seconds"] / mine)
        report["queries"][name] = row

        def ms(value: float | None) -> str:
            return "-" if value is None else f"{value * 1000:.1f}"

        timeout_mark = ">" if r.get("seconds") is None and r.get("timeout") else ""
        print(f"{name:30s} {ms(mine):>10s} {ms(disk[name]['seconds']):>9s} {timeout_mark + ms(r_s):>10s} "
              f"{ms(v['seconds'] if v else None):>9s} {row.get('ratio_rdflib', float('nan')):9.0f} "
              f"{row.get('ratio_virtuoso', float('nan')):7.2f}")
    report["geomean_ratio_rdflib"] = geomean(ratios_rdflib)
    report["geomean_ratio_virtuoso"] = geomean(ratios_virtuoso)
    report["geomean_ratio_disk"] = geomean([disk[n]["seconds"] / ours[n]["seconds"] for n in names])
    if ratios_rdflib and report["geomean_ratio_rdflib"] < 50:
        failures.append(f"geometric mean vs rdflib {report['geomean_ratio_rdflib']:.1f}x (target >= 50x)")
    report["failures"] = failures
    report["load_average_after"] = os.getloadavg()
    print(f"geometric mean: {report['geomean_ratio_rdflib']:.0f}x rdflib, {report['geomean_ratio_virtuoso']:.2f}x "
          f"Virtuoso's time, {report['geomean_ratio_disk']:.1f}x on-disk Oxigraph's time; replica loaded in "
          f"{report['replica_load_s']:.1f} s")
    for failure in failures:
        print(f"FAILED: {failure}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
