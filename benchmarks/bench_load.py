"""A bounded mixed workload against a running server: 16 concurrent clients for a set duration.

What is measured: requests served, errors (5xx, dropped connections; 429/503 with Retry-After are
counted apart: they are the server bounding its cost, see api/throttle.py), p50/p99 latency per
endpoint, and the server's RSS after a warm-up run of the same mix (``--warmup``) and at the end,
sampled every 30 s in between (growth after warm-up: the target is under 10 %). The workload
mixes Romanian and English matches, search, organisation pages, SPARQL, Cypher and network views.

    innograph serve --port 8000 --data-dir ./var &      # the bundled data; wait for GET /ready 200
    PYTHONPATH=. python benchmarks/bench_load.py --base http://127.0.0.1:8000 --pid $! --seconds 600 --warmup 60

Send a key (``--key``) so the anonymous rate limit (600 a minute per address) does not measure
itself. Results: ``benchmarks/results/load.json``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import statistics
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx
import psutil

NEEDS = [
    "uscarea cerealelor fără gaz, cu energie solară",  # Romanian
    "senzori pentru calitatea apei în râuri",
    "low-cost grain drying without natural gas",
    "machine learning for medical imaging diagnostics",
    "reciclarea deșeurilor de plastic din agricultură",
    "battery recycling and critical raw materials recovery",
]
SEARCHES = ["universitatea", "institute", "politehnica", "ARoTT", "energie", "water"]
SPARQL = "SELECT ?kind (COUNT(?o) AS ?n) WHERE { ?o ig:kind ?kind } GROUP BY ?kind ORDER BY DESC(?n)"
CYPHER = "MATCH (o:Organisation)-[:LOCATED_IN]->(r:Region) RETURN r.code AS region, count(o) AS n ORDER BY n DESC LIMIT 10"


def _requests(client: httpx.Client, org_ids: list[str]) -> list[tuple[str, Any]]:
    """The mix: (label, a function that sends one request)."""
    return [
        ("POST /match", lambda: client.post("/match", json={"text": random.choice(NEEDS), "limit": 10})),
        ("POST /match", lambda: client.post("/match", json={"text": random.choice(NEEDS), "limit": 10})),
        ("POST /match/demand", lambda: client.post("/match/demand", json={"text": random.choice(NEEDS)})),
        ("GET /search", lambda: client.get("/search", params={"q": random.choice(SEARCHES)})),
        ("GET /organisations/{id}", lambda: client.get(f"/organisations/{random.choice(org_ids)}")),
        ("GET /sparql", lambda: client.get("/sparql", params={"query": SPARQL},
                                           headers={"Accept": "application/sparql-results+json"})),
        ("POST /cypher", lambda: client.post("/cypher", json={"query": CYPHER})),
        ("GET /network/centrality", lambda: client.get("/network/centrality", params={"limit": 20})),
        ("GET /network/communities", lambda: client.get("/network/communities", params={"limit": 10})),
        ("GET /network/ego", lambda: client.get(f"/network/ego/{random.choice(org_ids)}")),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--pid", type=int, help="The server's process id, for its RSS.")
    parser.add_argument("--seconds", type=float, default=600.0)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--warmup", type=float, default=60.0,
                        help="Seconds of the same mix before the measured run (not counted; RSS baseline after it).")
    parser.add_argument("--key", help="An API key (reader) sent with every request.")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "load.json")
    args = parser.parse_args()
    headers = {"X-API-Key": args.key} if args.key else {}
    process = psutil.Process(args.pid) if args.pid else None
    with httpx.Client(base_url=args.base, headers=headers, timeout=120) as probe:
        ready = probe.get("/ready")
        if ready.status_code != 200:  # a warming server answers 503 to most of the mix: nothing to measure
            raise SystemExit(f"the server is not ready (GET /ready {ready.status_code}): wait for it, then rerun")
        found = probe.get("/search", params={"q": "universitatea", "limit": 50}).json()["data"]
        org_ids = [e["id"] for e in found if e.get("id")] or ["osim"]
    rss_before_warmup = process.memory_info().rss if process else 0
    if args.warmup > 0:
        _run(args.base, headers, org_ids, args.clients, args.warmup)
    rss = [process.memory_info().rss] if process else []
    samples: list[tuple[float, int]] = []
    stop = threading.Event()

    def sample_rss() -> None:
        started = time.monotonic()
        while process and not stop.wait(30):
            samples.append((round(time.monotonic() - started), round(process.memory_info().rss / 2**20)))

    sampler = threading.Thread(target=sample_rss, daemon=True)
    sampler.start()
    latencies, outcomes = _run(args.base, headers, org_ids, args.clients, args.seconds)
    stop.set()
    if process:
        rss.append(process.memory_info().rss)

    def pct(values: list[float], q: int) -> float:
        return round(statistics.quantiles(values, n=100)[q - 1] * 1000, 1) if len(values) > 1 else 0.0

    endpoints: dict[str, dict[str, Any]] = {
        label: {"requests": len(values), "p50_ms": pct(values, 50), "p99_ms": pct(values, 99),
                "statuses": dict(outcomes[label])} for label, values in sorted(latencies.items())}
    total = sum(e["requests"] for e in endpoints.values())
    errors = sum(n for e in endpoints.values() for s, n in e["statuses"].items() if s.startswith(("5", "d"))
                 and s not in ("503",))
    bounded = sum(n for e in endpoints.values() for s, n in e["statuses"].items() if s in ("429", "503"))
    never_served = sorted(label for label, e in endpoints.items() if not e["statuses"].get("200"))
    result = {"seconds": args.seconds, "warmup_seconds": args.warmup, "clients": args.clients, "requests": total,
              "requests_per_s": round(total / args.seconds, 1), "server_errors_or_dropped": errors,
              "bounded_429_503": bounded, "endpoints_never_served": never_served, "rss_mb_before_warmup": round(rss_before_warmup / 2**20),
              "rss_mb": [round(r / 2**20) for r in rss],
              "rss_growth_pct": round((rss[1] / rss[0] - 1) * 100, 1) if len(rss) == 2 else None,
              "rss_mb_every_30s": samples, "endpoints": endpoints}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))


def _run(base: str, headers: dict[str, str], org_ids: list[str], clients: int, seconds: float
         ) -> tuple[dict[str, list[float]], dict[str, dict[str, int]]]:
    """``clients`` threads sending the mix for ``seconds``: latencies and statuses per endpoint."""
    latencies: dict[str, list[float]] = defaultdict(list)
    outcomes: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    lock, deadline = threading.Lock(), time.monotonic() + seconds

    def client_loop(seed: int) -> None:
        random.seed(seed)
        with httpx.Client(base_url=base, headers=headers, timeout=120) as client:
            mix = _requests(client, org_ids)
            for label, send in itertools.cycle(random.sample(mix, len(mix))):
                if time.monotonic() > deadline:
                    return
                started = time.perf_counter()
                try:
                    status = str(send().status_code)
                except httpx.HTTPError as exc:
                    status = f"dropped ({type(exc).__name__})"
                with lock:
                    latencies[label].append(time.perf_counter() - started)
                    outcomes[label][status] += 1

    threads = [threading.Thread(target=client_loop, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, outcomes


if __name__ == "__main__":
    main()
