"""Matching latency with 100,000 supply profiles: ``Matcher.match`` in process, exact numpy vs faiss, HTTP.

The profiles are real text recombined, and their vectors are real but reused:

1. A pool of passages (default 5,000) is cut from real texts: 2-4 consecutive sentences of
   SciFact abstracts and of CORDIS composite objectives. The pool is embedded once with the
   project's embedder (persistent cache: a rerun embeds nothing).
2. 100,000 profiles are drawn with a fixed seed: each gets 1-5 passages of the pool (mean
   ~2.35, like an organisation with a description and a few projects), an organisation kind,
   and for some a country and NUTS region, so that filters have work to do. Their passage
   vectors are the pool vectors of those passages: embedding 235k passages would take hours
   here, and the search cost does not depend on which real vectors they are.
3. The ``MatchIndex`` is built from those profiles and vectors (BM25 over the 100k texts
   included) and saved under the data folder of an on-disk store holding the ontology and
   vocabularies, with that store's generation. A plain ``Matcher`` on that store then loads it
   as its supply index, exactly as after a restart: no patch, no subclass, and the per-request
   generation check runs as in production.

Measured over 200 real queries (120 SciFact test claims, 40 Romanian CAEN labels, 40 CORDIS
objectives in English), query embedding included, after 10 warm-up queries, the runs interleaved
query by query: ``Matcher.match`` p50/p95/mean for hybrid, dense and lexical (limit 10) and hybrid
with filters, by query kind too; the cost of a filter value's first use; a breakdown of hybrid by
stage; the exact dense scan as ``MatchIndex.dense_scores`` runs it (parallel chunks,
``graph.matching._dense_scan``) against one single-threaded numpy pass (``vectors @ q`` + per-profile max)
and faiss ``IndexFlatIP`` on the same vectors, if faiss is installed. Then, if
``api.app.create_app`` serves ``POST /match``, uvicorn (one worker) on 127.0.0.1 over the same
data folder: p50/p95 sequential and with 8 concurrent httpx clients, and requests/s.
``--one-thread`` repeats it all with ``OMP_NUM_THREADS=1`` (in a child process: switching thread
counts inside one process costs 60-100 ms on the next calls).
Targets (DESIGN.md section 6): p95 < 50 ms, >= 50 requests/s on 2 cores.

    PYTHONPATH=. python benchmarks/bench_match_speed.py     # ~8 min warm (+4 min to embed the pool cold)
    # --profiles N (100000), --pool N (5000), --queries N (200), --work DIR (keep store + index),
    # --cache FILE, --one-thread, --no-http, --out FILE

Results: a table on stdout and ``benchmarks/results/match_speed.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import hashlib
import json
import os
import re
import resource
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _eval as ev

from common.settings import Settings
from graph.matching import Embedder, Matcher, MatchFilters, MatchIndex, Profile
from graph.matching import _matcher as matching
from graph.store import GraphStore, generation_text, store_generation

SEED = 20240611
COMPOSITE = ev.REPO / "data" / "cordis" / "composite"
CAEN = ev.REPO / "data" / "vocab" / "nace_caen" / "caen_ro_labels_651_classes.csv"
KINDS = ["HES", "REC", "PRC", "PUB", "OTH", "sme", "research-unit"]
COUNTRIES = ["ROU", "DEU", "FRA", "ITA", "ESP", "NLD", "BEL", "POL"]
RO_REGIONS = ["RO111", "RO112", "RO121", "RO122", "RO211", "RO212", "RO311", "RO321", "RO411", "RO421"]
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9])")


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _blas_info() -> Any:
    try:
        from threadpoolctl import threadpool_info

        return [{k: i.get(k) for k in ("internal_api", "num_threads", "version")} for i in threadpool_info()]
    except ImportError:
        return None


def _percentiles(seconds: list[float]) -> dict[str, float]:
    ms = np.asarray(seconds) * 1000
    return {"n": len(ms), "p50_ms": round(float(np.percentile(ms, 50)), 1),
            "p95_ms": round(float(np.percentile(ms, 95)), 1), "p99_ms": round(float(np.percentile(ms, 99)), 1),
            "mean_ms": round(float(ms.mean()), 1), "max_ms": round(float(ms.max()), 1)}


# --------------------------------------------------------------------------- data


def passage_pool(size: int, rng: np.random.Generator) -> list[str]:
    """``size`` distinct passages of 2-4 consecutive real sentences (SciFact abstracts, CORDIS objectives)."""
    texts = [d["text"] for d in ev.read_jsonl(ev.SCIFACT / "corpus.jsonl")]
    with (COMPOSITE / "projects.csv").open(encoding="utf-8", newline="") as handle:
        texts += [r["objective"] for r in csv.DictReader(handle) if r["objective"].strip()]
    chunks: list[str] = []
    for text in texts:
        sentences = [s.strip() for s in _SENTENCE.split(text) if len(s.strip()) > 20]
        start = 0
        while start < len(sentences):
            width = int(rng.integers(2, 5))
            chunk = " ".join(sentences[start : start + width])
            if 80 <= len(chunk) <= 1500:
                chunks.append(chunk)
            start += width
    chunks = list(dict.fromkeys(chunks))
    order = rng.permutation(len(chunks))[:size]
    return [chunks[i] for i in sorted(order)]


def synthetic_profiles(n: int, pool: list[str], rng: np.random.Generator, concepts: dict[str, str]
                       ) -> tuple[list[Profile], np.ndarray]:
    """``n`` profiles of 1-5 pool passages each; returns them and the pool index of every passage."""
    counts = rng.choice([1, 2, 3, 4, 5], size=n, p=[0.35, 0.25, 0.2, 0.1, 0.1])
    passage_ids = rng.integers(0, len(pool), size=int(counts.sum()))
    kinds = rng.choice(KINDS, size=n)
    countries = rng.choice(COUNTRIES, size=n, p=[0.3, 0.15, 0.15, 0.1, 0.1, 0.08, 0.06, 0.06])
    regions = rng.choice(RO_REGIONS, size=n)
    profiles, at = [], 0
    for i in range(n):
        ids = passage_ids[at : at + counts[i]]
        at += counts[i]
        country = concepts.get(f"country:{countries[i]}")
        region = concepts.get(f"nuts:{regions[i]}") if countries[i] == "ROU" and i % 2 == 0 else None
        profiles.append(Profile(
            iri=f"https://w3id.org/innograph/id/org/bench-{i:06d}", name=f"Benchmark profile {i}",
            kind=str(kinds[i]), passages=[pool[j] for j in ids], organisation=f"https://w3id.org/innograph/id/org/bench-{i:06d}",
            region=region, country=country, illustrative=False,
        ))
    return profiles, passage_ids


def concept_iris(store: GraphStore) -> dict[str, str]:
    """Country (alpha-3) and NUTS code -> IRI from the store's vocabularies."""
    query = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    SELECT ?c ?n ?s WHERE { ?c skos:notation ?n ; skos:inScheme ?s }"""
    out = {}
    for row in store.oxigraph.query(query, use_default_graph_as_union=True):  # type: ignore[union-attr]
        iri, notation, scheme = row["c"].value, row["n"].value, row["s"].value
        if "country" in scheme:
            out[f"country:{notation}"] = iri
            out.setdefault(f"country:{iri.rsplit('/', 1)[-1]}", iri)
        elif "nuts" in scheme.lower():
            out[f"nuts:{notation}"] = iri
    return out


NEEDS = ev.REPO / "benchmarks" / "data" / "ro_needs.jsonl"
KINDS_OF_QUERY = ("scifact", "caen-ro", "cordis-en", "need-ro", "need-en")


def real_queries(n: int) -> list[tuple[str, str]]:
    """(kind, text): 40% SciFact test claims, 10% Romanian CAEN labels, 10% CORDIS objectives, 20% Romanian
    SME needs and 20% their English twins (benchmarks/data/ro_needs.jsonl), interleaved by kind."""
    n_sci, n_ro, n_need = int(n * 0.4), int(n * 0.1), int(n * 0.2)
    n_en = n - n_sci - n_ro - 2 * n_need
    needs = ev.read_jsonl(NEEDS)
    picked = [needs[i * len(needs) // n_need] for i in range(n_need)]
    test_ids = list(ev.read_qrels(ev.SCIFACT / "qrels" / "test.tsv"))
    claims = {q["_id"]: q["text"] for q in ev.read_jsonl(ev.SCIFACT / "queries.jsonl")}
    out = [("scifact", claims[q]) for q in test_ids[:n_sci]]
    with CAEN.open(encoding="utf-8", newline="") as handle:
        labels = [r["caen_class_name_ro"] for r in csv.DictReader(handle)]
    out += [("caen-ro", labels[i * len(labels) // n_ro]) for i in range(n_ro)]
    with (COMPOSITE / "projects.csv").open(encoding="utf-8", newline="") as handle:
        objectives = [r["objective"].strip() for r in csv.DictReader(handle) if r["objective"].strip()]
    out += [("cordis-en", objectives[i * len(objectives) // n_en][: matching.MAX_TEXT]) for i in range(n_en)]
    out += [("need-ro", need["ro"]) for need in picked] + [("need-en", need["en"]) for need in picked]
    return out


# --------------------------------------------------------------------------- in-process timing


def time_interleaved(matcher: Matcher, queries: list[tuple[str, str]],
                     runs: list[tuple[str, str, MatchFilters | None]]) -> list[dict[str, Any]]:
    """Each query through every (label, mode, filters) run in turn (the order rotating from query to
    query), so that the load of the machine, which other work changes from minute to minute, weighs
    on every run alike. Thread settings are never switched inside a process: measured, the first
    calls after ``torch.set_num_threads`` / ``threadpool_limits`` cost up to ~60-100 ms more."""
    seconds: dict[str, list[float]] = {label: [] for label, *_ in runs}
    by_kind: dict[str, dict[str, list[float]]] = {label: {} for label, *_ in runs}
    load_before = os.getloadavg()[0]
    for i, (kind, text) in enumerate(queries):
        for label, mode, filters in runs[i % len(runs):] + runs[: i % len(runs)]:
            started = time.perf_counter()
            matcher.match(text, "supply", limit=10, mode=mode, filters=filters)  # type: ignore[arg-type]
            elapsed = time.perf_counter() - started
            seconds[label].append(elapsed)
            by_kind[label].setdefault(kind, []).append(elapsed)
    load = f"{load_before:.1f}-{os.getloadavg()[0]:.1f}"
    return [{"run": label, **_percentiles(seconds[label]),
             "requests_per_s_sequential": round(len(seconds[label]) / sum(seconds[label]), 1), "load_1min": load,
             "by_query_kind": {k: {m: v for m, v in _percentiles(vs).items() if m in ("n", "p50_ms", "p95_ms")}
                               for k, vs in by_kind[label].items()}}
            for label, _, _ in runs]


def stage_breakdown(matcher: Matcher, queries: list[tuple[str, str]]) -> dict[str, Any]:
    """Mean ms per stage of a hybrid match, by wrapping the methods on the instances (timing only)."""
    index = matcher.index("supply")
    totals: dict[str, float] = {}

    def timed(name: str, fn: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                totals[name] = totals.get(name, 0.0) + time.perf_counter() - started
        return wrapper

    patched = [
        (matcher, "index", "index() incl. generation check"), (matcher.embedder, "encode_query", "query embedding"),
        (index, "dense_scores", "dense scores (numpy)"), (index.lexical, "scores", "BM25 scores"),
        (matcher, "_mask", "filter mask"), (matcher, "_candidates", "candidates (top-k)"),
        (matcher, "_fuse", "fusion"), (matcher, "_result", "results + explanations"),
    ]
    for obj, attr, name in patched:
        setattr(obj, attr, timed(name, getattr(obj, attr)))
    try:
        total = []
        for _, text in queries:
            started = time.perf_counter()
            matcher.match(text, "supply", limit=10, mode="hybrid")
            total.append(time.perf_counter() - started)
    finally:
        for obj, attr, _ in patched:
            delattr(obj, attr)
    n = len(queries)
    out = {name: round(value / n * 1000, 2) for name, value in totals.items()}
    out["total"] = round(sum(total) / n * 1000, 2)
    out["other (signals, sorting, glue)"] = round(out["total"] - sum(v for k, v in out.items() if k != "total"), 2)
    return out


def faiss_comparison(index: MatchIndex, query_vectors: np.ndarray) -> dict[str, Any]:
    """Exact numpy (all profiles' best-passage scores) vs faiss IndexFlatIP top-1000 passages."""
    numpy_s = []
    for q in query_vectors:
        started = time.perf_counter()
        index.dense_scores(q)
        numpy_s.append(time.perf_counter() - started)
    one_pass_s = []
    for q in query_vectors:
        started = time.perf_counter()
        np.maximum.reduceat(index.vectors @ q, index.starts)
        one_pass_s.append(time.perf_counter() - started)
    out: dict[str, Any] = {"numpy_dense_scores": _percentiles(numpy_s), "numpy_one_pass": _percentiles(one_pass_s),
                           "passages": len(index.owners)}
    try:
        import faiss  # type: ignore[import-not-found]
    except ImportError:
        out["faiss"] = "not installed (pip install faiss-cpu)"
        return out
    started = time.perf_counter()
    flat = faiss.IndexFlatIP(index.vectors.shape[1])
    flat.add(np.ascontiguousarray(index.vectors, dtype=np.float32))
    out["faiss_version"] = faiss.__version__
    out["faiss_build_s"] = round(time.perf_counter() - started, 2)
    for k in (200, 1000):
        times, overlap = [], []
        for q in query_vectors:
            started = time.perf_counter()
            _, ids = flat.search(q.reshape(1, -1), k)
            profiles_hit = index.owners[ids[0][ids[0] >= 0]]
            times.append(time.perf_counter() - started)
            dense = index.dense_scores(q)
            top_numpy = set(np.argpartition(-dense, 50)[:50].tolist())
            overlap.append(len(top_numpy & set(dict.fromkeys(profiles_hit.tolist()))) / 50)
        out[f"faiss_flat_top{k}_passages"] = {**_percentiles(times),
                                              "top50_profiles_also_in_faiss_hits": round(statistics.fmean(overlap), 4)}
    batch = np.ascontiguousarray(query_vectors, dtype=np.float32)
    started = time.perf_counter()
    flat.search(batch, 1000)
    out["faiss_flat_batch_all_queries_ms_per_query"] = round((time.perf_counter() - started) / len(batch) * 1000, 2)
    return out


# --------------------------------------------------------------------------- HTTP


def _match_route(schema: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """The path of ``POST /match`` (or /matches ...) and its request body schema, from the OpenAPI document."""
    for path, operations in schema.get("paths", {}).items():
        if "post" in operations and path.rstrip("/").endswith(("/match", "/matches")) and "{" not in path:
            body = operations["post"].get("requestBody", {}).get("content", {}).get("application/json", {})
            ref = body.get("schema", {}).get("$ref", "")
            model = schema.get("components", {}).get("schemas", {}).get(ref.rsplit("/", 1)[-1], {})
            return path, model
    return None


def _body_for(model: dict[str, Any], text: str) -> dict[str, Any]:
    props = model.get("properties", {})
    text_field = next((f for f in ("text", "need", "query", "description", "q") if f in props), "text")
    body: dict[str, Any] = {text_field: text}
    if "limit" in props:
        body["limit"] = 10
    if "direction" in props:
        body["direction"] = "supply"
    return body


def http_benchmark(data_dir: Path, cache: Path, queries: list[tuple[str, str]], extra_env: dict[str, str]
                   ) -> dict[str, Any]:
    """uvicorn (one worker) serving ``api.app:create_app`` over the same data folder; this process must
    have closed the store (RocksDB allows one process)."""
    if not (ev.REPO / "api" / "app.py").exists() or "def create_app" not in (ev.REPO / "api" / "app.py").read_text():
        return {"run": False, "reason": "api/app.py has no create_app"}
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "INNOGRAPH_DATA_DIR": str(data_dir), "INNOGRAPH_EMBEDDING_CACHE": str(cache),
           "PYTHONPATH": str(ev.REPO), "HF_HUB_OFFLINE": "1",
           # one client address sends every request here: the per-caller rate limit (api.throttle) would
           # answer 429 after 600 requests a minute and the bench would time refusals, not matches
           "INNOGRAPH_RATE_LIMIT_ANONYMOUS": "0", **extra_env}
    log = data_dir.parent / "uvicorn.log"
    with log.open("w") as handle:
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "api.app:create_app", "--host", "127.0.0.1",
             "--port", str(port), "--log-level", "warning", "--no-access-log"],
            cwd=ev.REPO, env=env, stdout=handle, stderr=subprocess.STDOUT, text=True,
        )
        try:
            result = asyncio.run(_http_run(f"http://127.0.0.1:{port}", queries, server))
            result["env"] = extra_env
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
    if not result.get("run"):
        result["server_log_tail"] = log.read_text()[-2000:]
    return result


async def _http_run(base: str, queries: list[tuple[str, str]], server: subprocess.Popen[str]) -> dict[str, Any]:
    import httpx

    async with httpx.AsyncClient(base_url=base, timeout=120) as client:
        started = time.perf_counter()
        while True:
            if server.poll() is not None:
                return {"run": False, "reason": f"server exited with {server.returncode}"}
            try:
                schema = (await client.get("/openapi.json")).json()
                break
            except httpx.TransportError:
                await asyncio.sleep(0.5)
            if time.perf_counter() - started > 300:
                return {"run": False, "reason": "server not up after 300 s"}
        route = _match_route(schema)
        if route is None:
            return {"run": False, "reason": "the app has no POST /match route yet (checked its OpenAPI document)",
                    "paths": sorted(schema.get("paths", {}))}
        path, model = route
        out: dict[str, Any] = {"run": True, "route": path, "url": base, "server_start_s": round(time.perf_counter() - started, 1)}
        started = time.perf_counter()
        while True:  # the server loads the model and the 100k index on the first match
            if server.poll() is not None:
                return {"run": False, "reason": f"server exited with {server.returncode}"}
            try:
                response = await client.post(path, json=_body_for(model, "warm up: grain drying"))
                if response.status_code < 500:
                    break
                await asyncio.sleep(1.0)  # 503 warming-up (api.warmup): ask again in a second, not in a loop
            except httpx.TransportError:
                await asyncio.sleep(0.5)
            if time.perf_counter() - started > 600:
                return {"run": False, "reason": "no answer to POST /match after 600 s"}
        out["first_request_s"] = round(time.perf_counter() - started, 1)
        out["status_first"] = response.status_code
        if response.status_code != 200:
            out["body_first"] = response.text[:1000]
        for _, text in queries[:10]:
            await client.post(path, json=_body_for(model, text))
        seconds, statuses = [], []
        for _, text in queries:
            t0 = time.perf_counter()
            response = await client.post(path, json=_body_for(model, text))
            seconds.append(time.perf_counter() - t0)
            statuses.append(response.status_code)
        out["sequential"] = {**_percentiles(seconds), "non_200": sum(s != 200 for s in statuses)}

        queue: asyncio.Queue[str] = asyncio.Queue()
        for _ in range(2):
            for _, text in queries:
                queue.put_nowait(text)
        latencies: list[float] = []
        codes: list[int] = []

        async def worker() -> None:
            while not queue.empty():
                text = queue.get_nowait()
                t0 = time.perf_counter()
                r = await client.post(path, json=_body_for(model, text))
                latencies.append(time.perf_counter() - t0)
                codes.append(r.status_code)

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(8)))
        wall = time.perf_counter() - t0
        out["concurrent_8"] = {**_percentiles(latencies), "requests": len(latencies),
                               "requests_per_s": round(len(latencies) / wall, 1),
                               "non_200": sum(c != 200 for c in codes)}
    return out


# --------------------------------------------------------------------------- main


def in_process(matcher: Matcher, index: MatchIndex, embedder: Embedder, queries: list[tuple[str, str]]
               ) -> dict[str, Any]:
    """Everything measured inside this process, at its own thread settings."""
    out: dict[str, Any] = {}
    region, sector = MatchFilters(regions=["RO1"]), MatchFilters(sectors=["C"])
    first_use = {}
    for label, filters in (("region RO1", region), ("sector C (NACE section)", sector)):
        started = time.perf_counter()
        matcher.match(queries[0][1], "supply", limit=10, filters=filters)
        first_use[label] = round((time.perf_counter() - started) * 1000, 1)
    out["first_request_with_a_new_filter_value_ms"] = first_use
    print(f"  first request with a new filter value (builds and caches its mask): {first_use}")
    kinds = MatchFilters(kinds=["PRC", "sme"], countries=["RO"])
    rows = time_interleaved(matcher, queries, [
        ("hybrid", "hybrid", None), ("dense", "dense", None), ("lexical", "lexical", None),
        ("hybrid + kind/country filters", "hybrid", kinds), ("hybrid + region filter", "hybrid", region),
    ])
    for row in rows:
        print(f"  {row['run']:32} p50 {row['p50_ms']:7.1f} ms  p95 {row['p95_ms']:7.1f} ms  "
              f"{row['requests_per_s_sequential']:6.1f} req/s sequential  by kind {row['by_query_kind']}")
    out["in_process"] = rows
    seconds = []
    for _, text in queries:
        t0 = time.perf_counter()
        embedder.encode_query(text)
        seconds.append(time.perf_counter() - t0)
    out["query_embedding_alone"] = _percentiles(seconds)
    print(f"  query embedding alone: {out['query_embedding_alone']}")
    out["hybrid_stage_breakdown_mean_ms"] = stage_breakdown(matcher, queries)
    print(f"  hybrid stages (mean ms): {out['hybrid_stage_breakdown_mean_ms']}")
    query_vectors = np.stack([embedder.encode_query(text) for _, text in queries])
    out["dense_search"] = faiss_comparison(index, query_vectors)
    print(f"  dense search: {json.dumps(out['dense_search'])}")
    return out


def one_thread_child(work: Path, args: argparse.Namespace) -> dict[str, Any]:
    """The in-process part again in a child process with OMP_NUM_THREADS=1 (torch and BLAS on one thread)."""
    target = work / "in_process_omp1.json"
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ev.REPO), "HF_HUB_OFFLINE": "1"}
    command = [sys.executable, str(Path(__file__).resolve()), "--in-process-only", "--work", str(work),
               "--cache", str(args.cache), "--profiles", str(args.profiles), "--pool", str(args.pool),
               "--queries", str(args.queries), "--out", str(target)]
    done = subprocess.run(command, env=env, cwd=ev.REPO, capture_output=True, text=True, check=False)
    if done.returncode != 0 or not target.exists():
        return {"run": False, "reason": f"child exited with {done.returncode}", "stderr": done.stderr[-2000:]}
    child = json.loads(target.read_text())
    keep = ("torch_threads", "blas", "first_request_with_a_new_filter_value_ms", "in_process",
            "query_embedding_alone", "hybrid_stage_breakdown_mean_ms", "dense_search", "environment")
    return {"run": True, **{k: child[k] for k in keep if k in child}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--profiles", type=int, default=100_000)
    parser.add_argument("--pool", type=int, default=5_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--work", type=Path, help="keep the store and the saved index here")
    parser.add_argument("--cache", type=Path, default=ev.DEFAULT_CACHE)
    parser.add_argument("--no-http", action="store_true")
    parser.add_argument("--one-thread", action="store_true",
                        help="also run in a child process and a server with OMP_NUM_THREADS=1 (the product limits "
                        "BLAS to one thread itself and sizes ONNX Runtime and the scan pool; this shows the rest)")
    parser.add_argument("--in-process-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=ev.RESULTS / "match_speed.json")
    args = parser.parse_args()
    rng = np.random.default_rng(SEED)
    out: dict[str, Any] = {"benchmark": "match-speed", "environment": ev.environment(),
                           "torch_threads": None, "config": vars(args) | {"seed": SEED}}
    out["config"] = {k: str(v) for k, v in out["config"].items()}

    with ev.work_dir(args.work, "bench-speed-") as work:
        data_dir = work / "data"
        settings = Settings(data_dir=data_dir, embedding_cache=args.cache)
        store = GraphStore(settings.store_dir)
        _, base_seconds = ev.base_and(store, [])
        out["base_ingest_s"] = round(base_seconds, 1)
        generation = generation_text(store_generation(store))  # the form Matcher.index compares
        embedder = Embedder(settings.embedding_model, args.cache, query_max_tokens=settings.embedding_query_max_tokens,
                            backend=settings.embedding_backend)
        multilingual = Embedder(settings.multilingual_model, args.cache) if settings.multilingual_model else None
        models = f"{embedder.model_name}+{multilingual.model_name if multilingual else ''}"
        key = hashlib.sha256(f"{SEED}/{args.profiles}/{args.pool}/{generation}/{models}".encode()).hexdigest()[:12]
        folder = data_dir / "index" / "supply"
        marker = folder / "bench-key.txt"

        t0 = time.perf_counter()
        pool = passage_pool(args.pool, rng)
        import torch

        default_threads = torch.get_num_threads()
        torch.set_num_threads(1)  # a cold pool embeds much faster on one thread while other work runs
        pool_vectors = embedder.encode(pool)
        torch.set_num_threads(default_threads)
        t1 = time.perf_counter()
        pool_multilingual = multilingual.encode(pool) if multilingual else None
        out["pool"] = {"multilingual_embed_or_cache_s": round(time.perf_counter() - t1, 1)}
        out["pool"] |= {"passages": len(pool), "mean_chars": round(statistics.fmean(len(p) for p in pool)),
                       "embed_or_cache_s": round(time.perf_counter() - t0, 1)}
        print(f"pool: {len(pool):,} real passages (mean {out['pool']['mean_chars']} chars), vectors in "
              f"{out['pool']['embed_or_cache_s']}s")
        if not (marker.exists() and marker.read_text() == key):
            t0 = time.perf_counter()
            profiles, passage_ids = synthetic_profiles(args.profiles, pool, rng, concept_iris(store))
            vectors = pool_vectors[passage_ids]
            owners = np.repeat(np.arange(len(profiles)), [len(p.passages) for p in profiles]).astype(np.int64)
            t1 = time.perf_counter()
            extra = ({multilingual.model_name: pool_multilingual[passage_ids]}
                     if multilingual is not None and pool_multilingual is not None else {})
            index = MatchIndex("supply", profiles, vectors, owners, generation, embedder.model_name, extra)
            out["index_build"] = {"profiles_s": round(t1 - t0, 1), "matchindex_init_bm25_s": round(time.perf_counter() - t1, 1)}
            t1 = time.perf_counter()
            index.save(folder)
            marker.write_text(key)
            out["index_build"]["save_s"] = round(time.perf_counter() - t1, 1)
            print(f"index: built {out['index_build']}")
            del index, profiles, vectors
        matcher = Matcher(store, settings, embedder)
        t0 = time.perf_counter()
        index = matcher.index("supply")
        out["index"] = {"profiles": len(index.profiles), "passages": len(index.owners),
                        "vectors_mib": round(index.vectors.nbytes / 2**20), "load_s": round(time.perf_counter() - t0, 1),
                        "loaded_from_disk_as_after_a_restart": True, "peak_rss_mib": round(_rss_mib())}
        print(f"index: {out['index']}")
        assert len(index.profiles) == args.profiles, "the Matcher did not pick up the saved index"

        queries = real_queries(args.queries)
        out["queries"] = {kind: sum(k == kind for k, _ in queries) for kind in KINDS_OF_QUERY}
        out["torch_threads"] = torch.get_num_threads()
        out["embedding_runtime"] = embedder.runtime
        out["blas"] = _blas_info()
        for _, text in queries[:10]:
            matcher.match(text, "supply", limit=10)
        out.update(in_process(matcher, index, embedder, queries))
        out["peak_rss_mib"] = round(_rss_mib())
        del matcher, index, store  # closes the store: the child and the server below open it
        import gc

        gc.collect()
        if args.in_process_only:
            ev.write_json(args.out, out)
            return 0
        if not args.one_thread:
            out["omp_1_thread"] = {"run": False, "reason": "no --one-thread"}
        else:
            print("in-process again with OMP_NUM_THREADS=1 (child process):")
            out["omp_1_thread"] = one_thread_child(work, args)
            for row in out["omp_1_thread"].get("in_process", []):
                print(f"  {row['run']:32} p50 {row['p50_ms']:7.1f} ms  p95 {row['p95_ms']:7.1f} ms  "
                      f"{row['requests_per_s_sequential']:6.1f} req/s sequential")
        if args.no_http:
            out["http"] = {"run": False, "reason": "--no-http"}
        else:
            out["http"] = http_benchmark(data_dir, args.cache, queries, {})
            print(f"  http: {json.dumps(out['http'])[:1500]}")
            for kind in ("need-ro", "need-en"):  # the targets, Romanian and English needs apart
                out[f"http_{kind}"] = http_benchmark(data_dir, args.cache, [q for q in queries if q[0] == kind], {})
                print(f"  http {kind}: {json.dumps(out[f'http_{kind}'])[:800]}")
            if out["http"].get("run") and args.one_thread:
                out["http_omp_1_thread"] = http_benchmark(data_dir, args.cache, queries, {"OMP_NUM_THREADS": "1"})
                print(f"  http (OMP_NUM_THREADS=1): {json.dumps(out['http_omp_1_thread'])[:1500]}")

    rows = out["in_process"]
    one = out.get("omp_1_thread", {})
    out["checks"] = {"in-process hybrid p95 < 50 ms (default threads)": rows[0]["p95_ms"] < 50}
    if one.get("run"):
        out["checks"]["in-process hybrid p95 < 50 ms (OMP_NUM_THREADS=1)"] = one["in_process"][0]["p95_ms"] < 50
    # The latency target is per request (one client); with 8 clients in a closed loop the mean latency
    # is 8 / throughput (Little's law): 160 ms at 50 req/s. Their p95 is reported, not checked.
    for key in ("http", "http_omp_1_thread", "http_need-ro", "http_need-en"):
        if out.get(key, {}).get("run"):
            out["checks"][f"{key}: sequential p95 < 50 ms"] = out[key]["sequential"]["p95_ms"] < 50
            out["checks"][f"{key}: 8 clients >= 50 req/s"] = out[key]["concurrent_8"]["requests_per_s"] >= 50
            # a fast refusal is not a fast match: every timed request must have been answered 200
            out["checks"][f"{key}: every answer 200"] = (out[key]["status_first"] == 200 and
                                                         out[key]["sequential"]["non_200"] == 0 and
                                                         out[key]["concurrent_8"]["non_200"] == 0)
    ev.write_json(args.out, out)
    print()
    print(f"Matcher.match over {out['index']['profiles']:,} profiles / {out['index']['passages']:,} passages "
          f"(vectors reused from a pool of {len(pool):,} real passages), {len(queries)} real queries, "
          "query embedding included, limit 10")
    table = [dict(r, threads=f"torch {out['torch_threads']}, BLAS default") for r in rows]
    if one.get("run"):
        table += [dict(r, threads="OMP_NUM_THREADS=1") for r in one["in_process"]]
    print(ev.table(table, ["run", "threads", "p50_ms", "p95_ms", "p99_ms", "mean_ms", "requests_per_s_sequential"]))
    for key in ("http", "http_omp_1_thread", "http_need-ro", "http_need-en"):
        http = out.get(key, {})
        if http.get("run"):
            print(f"{key}: sequential p50 {http['sequential']['p50_ms']} ms p95 {http['sequential']['p95_ms']} ms; "
                  f"8 clients p50 {http['concurrent_8']['p50_ms']} ms p95 {http['concurrent_8']['p95_ms']} ms, "
                  f"{http['concurrent_8']['requests_per_s']} req/s")
        elif http:
            print(f"{key}: not run ({http.get('reason')})")
    print(f"checks: {out['checks']}")
    print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
