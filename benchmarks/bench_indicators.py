"""Regional indicators of all 8 development regions and 42 counties from a warm store (target < 2 s),
against the named SPARQL analyst queries (graph/indicators/queries) as the baseline, in the same run.

    PYTHONPATH=. python benchmarks/bench_indicators.py --data-dir /tmp/ind-bench        # full bundled data
    # the first run ingests the bundled data into --data-dir (innograph ingest --bundled, ~2 min)

Measured:
- cold: reading the facts from the store once per generation (``build_facts``) and the first pass
  over all 50 codes (which also builds the supply-demand gap tables through the network data);
- warm: ``regional_indicators`` of all 50 codes, each with the national figures beside it (what
  GET /regions/{nuts}/indicators computes), median of ``--repeat`` passes;
- baseline: the four SPARQL queries per code (``sparql_figures``) for ``--baseline`` codes (each takes
  seconds on the full data), their figures checked equal to the fast path's; the ratio is per code.

Writes benchmarks/results/indicators.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from bench_network import ensure_bundled

from graph.indicators import (
    build_facts,
    indicator_facts,
    monitored_codes,
    region_figures,
    regional_indicators,
    sparql_figures,
)
from graph.store import GraphStore

RESULTS = Path(__file__).resolve().parent / "results" / "indicators.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/ind-bench"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--baseline", nargs="*", default=["RO216"],
                        help="codes timed through the SPARQL queries (each takes seconds on the full data)")
    args = parser.parse_args()
    ensure_bundled(args.data_dir)
    store = GraphStore(args.data_dir / "store")
    started = time.perf_counter()
    build_facts(store)
    facts_s = time.perf_counter() - started
    print(f"facts read in {facts_s:.2f} s", flush=True)
    started = time.perf_counter()
    facts = indicator_facts(store)
    codes = monitored_codes(facts)
    for code in codes:
        regional_indicators(store, code)
    cold_s = time.perf_counter() - started
    print(f"first pass over {len(codes)} codes (facts cached, gap tables built): {cold_s:.2f} s", flush=True)
    passes = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        for code in codes:
            regional_indicators(store, code)
        passes.append(time.perf_counter() - started)
    warm_s = statistics.median(passes)
    print(f"warm passes: {[round(p, 3) for p in passes]}", flush=True)
    baseline: dict[str, dict[str, object]] = {}
    RESULTS.write_text(json.dumps({"codes": len(codes), "facts_build_s": round(facts_s, 2),
                                   "cold_first_pass_s": round(cold_s, 2), "warm_all_codes_s": round(warm_s, 3),
                                   "warm_passes_s": [round(p, 3) for p in passes], "sparql_baseline": "running",
                                   "load_average": os.getloadavg()}, indent=2) + "\n", encoding="utf-8")
    for code in args.baseline:
        started = time.perf_counter()
        slow = sparql_figures(store, facts, code)
        sparql_s = time.perf_counter() - started
        started = time.perf_counter()
        fast = region_figures(facts, code)
        fast_s = time.perf_counter() - started
        baseline[code] = {"sparql_s": round(sparql_s, 3), "fast_s": round(fast_s, 5),
                          "ratio": round(sparql_s / fast_s, 1) if fast_s else None,
                          "figures_equal": slow.by_year == fast.by_year}
        print(code, baseline[code], flush=True)
    per_code = statistics.mean(float(b["sparql_s"]) for b in baseline.values()) if baseline else None  # type: ignore[arg-type]
    result = {
        "codes": len(codes), "regions": sum(len(c) == 4 for c in codes), "counties": sum(len(c) == 5 for c in codes),
        "participations": len(facts.participations), "located_organisations": len(facts.places),
        "facts_build_s": round(facts_s, 2), "cold_first_pass_s": round(cold_s, 2),
        "warm_all_codes_s": round(warm_s, 3), "warm_passes_s": [round(p, 3) for p in passes],
        "target_s": 2.0, "target_met": warm_s < 2.0,
        "sparql_baseline": baseline,
        "sparql_all_codes_estimate_s": round(per_code * len(codes), 1) if per_code else None,
        "ratio_all_codes": round(per_code * len(codes) / warm_s, 1) if per_code else None,
        "load_average": os.getloadavg(),
    }
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
