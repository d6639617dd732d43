"""How long the bundled ingest takes, what a re-run costs, and how it compares with rdflib.

What is measured, each phase in its own Python process so that its peak RSS is its own:

1. ``full``: every source of ``bundled_sources()`` into a fresh on-disk store, through
   ``ingest.loading.ingest_path`` exactly as ``innograph ingest --bundled`` does (read, map,
   SHACL, diff, write, PROV). Wall time, quads/s, seconds per source, peak RSS.
2. ``rerun``: the same again on the same store. Every source is unchanged, so every one must
   be skipped and the store must hold the same quads.
3. ``force``: the same with ``force=True``: every source is re-read, validated and diffed
   against the stored version; the data graphs must come out identical.
4. Baseline (unless ``--skip-baseline``): the CORDIS H2020 participations alone. Our pipeline
   on that one source in a fresh store (the ontology and vocabularies it points into are
   loaded first, untimed), and rdflib parsing the N-Triples our pipeline produced for it into
   a plain in-memory ``rdflib.Graph``. The ratio is rdflib seconds / innograph seconds, so
   above 1 means innograph is faster although it does more (it starts from the CSV, checks
   the shapes and writes to disk; rdflib only parses ready-made triples into memory).

Why ratios next to seconds: the machine varies, the comparison does not (DESIGN.md section 6
has the targets: full ingest under 120 s, a re-run under 20 s).

    PYTHONPATH=. python benchmarks/bench_ingest.py                 # ~3 min on 2 cores
    PYTHONPATH=. python benchmarks/bench_ingest.py --skip-baseline  # ~1.5 min

Results: a table on stdout and ``benchmarks/results/ingest.json``. Exit code 1 when a check
(rerun skipped everything, counts unchanged) fails; the figures are written all the same.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
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

H2020 = "cordis-h2020"
DEFAULT_OUT = REPO / "benchmarks" / "results" / "ingest.json"


def _peak_rss_mib() -> float:
    """Peak resident set size of this process so far (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --------------------------------------------------------------------------- child phases


def _phase_ingest(data_dir: Path, force: bool) -> dict[str, Any]:
    """Every bundled source into the store at ``data_dir``, as ``innograph ingest --bundled``."""
    from graph.store import PROVENANCE_GRAPH, GraphStore
    from ingest.bundled import bundled_sources
    from ingest.loading import ingest_path

    clock = time.perf_counter()
    store = GraphStore(data_dir / "store")
    open_s = time.perf_counter() - clock
    before = store.count()
    sources = []
    started = time.perf_counter()
    for path, name in bundled_sources():
        t0 = time.perf_counter()
        try:
            report = ingest_path(store, path, name=name, force=force)
        except Exception as exc:  # a failing source is a result too: measure the rest
            sources.append({"name": name or path.stem, "seconds": round(time.perf_counter() - t0, 3),
                            "error": f"{type(exc).__name__}: {exc}"})
            continue
        sources.append(
            {
                "name": name or path.stem,
                "error": None,
                "seconds": round(time.perf_counter() - t0, 3),
                "records_read": report.records_read,
                "records_rejected": report.records_rejected,
                "quads_in_graph": report.quads_in_graph,
                "quads_added": report.quads_added,
                "quads_removed": report.quads_removed,
                "skipped_unchanged": report.skipped_unchanged,
            }
        )
    seconds = time.perf_counter() - started
    after = store.count()
    return {
        "open_store_seconds": round(open_s, 3),
        "ingest_seconds": round(seconds, 3),
        "quads_before": before,
        "quads_after": after,
        "provenance_quads": store.count(PROVENANCE_GRAPH),
        "data_quads": {g.value.rsplit("/", 1)[-1]: store.count(g) for g in store.named_graphs()
                       if g != PROVENANCE_GRAPH},
        "sources": sources,
        "peak_rss_mib": round(_peak_rss_mib(), 1),
    }


def _phase_single(data_dir: Path, nt_out: Path) -> dict[str, Any]:
    """The H2020 source alone in a fresh store (its vocabularies loaded first, untimed), then exported."""
    import pyoxigraph as ox

    from graph.store import GraphStore
    from ingest.bundled import bundled_sources
    from ingest.loading import ingest_path

    store = GraphStore(data_dir / "store")
    sources = bundled_sources()
    names = [name for _, name in sources]
    if H2020 not in names:
        raise SystemExit(f"no {H2020} source among the bundled ones: {names}")
    at = names.index(H2020)
    clock = time.perf_counter()
    for path, name in sources[:at]:
        ingest_path(store, path, name=name)
    preload_s = time.perf_counter() - clock
    path, name = sources[at]
    clock = time.perf_counter()
    report = ingest_path(store, path, name=name)
    seconds = time.perf_counter() - clock
    graph = ox.NamedNode(report.graph)

    clock = time.perf_counter()
    with nt_out.open("wb") as handle:
        store.oxigraph.dump(handle, format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
    export_s = time.perf_counter() - clock
    return {
        "preload_seconds": round(preload_s, 3),
        "ingest_seconds": round(seconds, 3),
        "records_read": report.records_read,
        "records_rejected": report.records_rejected,
        "quads_in_graph": report.quads_in_graph,
        "export_seconds": round(export_s, 3),
        "nt_bytes": nt_out.stat().st_size,
        "peak_rss_mib": round(_peak_rss_mib(), 1),
    }


def _phase_rdflib(nt_file: Path) -> dict[str, Any]:
    """Parse the exported N-Triples into a plain in-memory rdflib Graph (reading the file untimed)."""
    import rdflib

    data = nt_file.read_text(encoding="utf-8")
    rss_before = _peak_rss_mib()
    clock = time.perf_counter()
    graph = rdflib.Graph()
    graph.parse(data=data, format="nt")
    seconds = time.perf_counter() - clock
    return {
        "rdflib_version": rdflib.__version__,
        "store": type(graph.store).__name__,
        "parse_seconds": round(seconds, 3),
        "triples": len(graph),
        "peak_rss_mib": round(_peak_rss_mib(), 1),
        "peak_rss_before_parse_mib": round(rss_before, 1),
    }


def _child_main(argv: list[str]) -> None:
    phase, *rest = argv
    if phase == "ingest":
        result = _phase_ingest(Path(rest[0]), force=rest[1] == "force")
    elif phase == "single":
        result = _phase_single(Path(rest[0]), Path(rest[1]))
    elif phase == "rdflib":
        result = _phase_rdflib(Path(rest[0]))
    else:
        raise SystemExit(f"unknown phase {phase}")
    print(json.dumps(result))


# --------------------------------------------------------------------------- parent


def _run_child(*args: str) -> dict[str, Any]:
    """One phase in a fresh interpreter; its JSON result plus its wall time (imports included)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    env.setdefault("HF_HUB_OFFLINE", "1")
    env.setdefault("TRANSFORMERS_OFFLINE", "1")
    clock = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", *args],
        cwd=REPO, env=env, capture_output=True, text=True, check=False,
    )
    wall = time.perf_counter() - clock
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"phase {args[0]} failed with exit code {proc.returncode}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    result["process_seconds"] = round(wall, 3)
    return result


def _git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                             text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "graph", "ingest", "ontology"],
                               cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()
        return out + ("+dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-baseline", action="store_true", help="skip the rdflib comparison")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON results file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data folders")
    args = parser.parse_args(argv)

    load_before = os.getloadavg()
    work = Path(tempfile.mkdtemp(prefix="innograph-bench-ingest-"))
    checks: dict[str, bool] = {}
    try:
        print(f"bench_ingest: working in {work}", file=sys.stderr)
        data = work / "full"
        full = _run_child("ingest", str(data), "plain")
        children_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        full["peak_rss_mib_rusage_children"] = round(children_peak, 1)
        full["quads_per_second"] = round(full["quads_after"] / full["ingest_seconds"])
        print(f"bench_ingest: full ingest {full['ingest_seconds']:.1f} s", file=sys.stderr)

        rerun = _run_child("ingest", str(data), "plain")
        print(f"bench_ingest: re-run {rerun['ingest_seconds']:.1f} s", file=sys.stderr)
        force = _run_child("ingest", str(data), "force")
        print(f"bench_ingest: forced re-run {force['ingest_seconds']:.1f} s", file=sys.stderr)

        for label, phase in (("full", full), ("rerun", rerun), ("force", force)):
            checks[f"{label}_no_source_failed"] = not any(s["error"] for s in phase["sources"])
        checks["rerun_skipped_every_source"] = all(s.get("skipped_unchanged") for s in rerun["sources"])
        checks["rerun_store_quads_unchanged"] = rerun["quads_after"] == full["quads_after"]
        checks["force_data_graphs_unchanged"] = force["data_quads"] == full["data_quads"]
        checks["force_wrote_no_data_quads"] = all(
            s.get("quads_added") == 0 and s.get("quads_removed") == 0 for s in force["sources"]
        )
        checks["force_store_quads_unchanged"] = force["quads_after"] == full["quads_after"]
        checks["force_same_rejections"] = all(
            a["records_rejected"] == b["records_rejected"]
            for a, b in zip(full["sources"], force["sources"], strict=False)
            if not a["error"] and not b["error"]
        )

        baseline: dict[str, Any] | None = None
        if not args.skip_baseline:
            nt = work / f"{H2020}.nt"
            single = _run_child("single", str(work / "single"), str(nt))
            print(f"bench_ingest: {H2020} alone {single['ingest_seconds']:.1f} s", file=sys.stderr)
            parsed = _run_child("rdflib", str(nt))
            print(f"bench_ingest: rdflib parse {parsed['parse_seconds']:.1f} s", file=sys.stderr)
            checks["rdflib_parsed_every_quad"] = parsed["triples"] == single["quads_in_graph"]
            baseline = {
                "source": H2020,
                "innograph": single,
                "rdflib": parsed,
                "ratio_rdflib_over_innograph": round(parsed["parse_seconds"] / single["ingest_seconds"], 2),
            }
    finally:
        if args.keep:
            print(f"bench_ingest: kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)

    results = {
        "benchmark": "ingest",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": _git_commit(),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            # Other work on the machine skews the seconds; the 1-minute load average says how much.
            "loadavg_1m_before": round(load_before[0], 2),
            "loadavg_1m_after": round(os.getloadavg()[0], 2),
        },
        "full": full,
        "rerun": rerun,
        "force": force,
        "baseline": baseline,
        "targets": {
            "full_ingest_under_120s": full["ingest_seconds"] < 120,
            "rerun_under_20s": rerun["process_seconds"] < 20,
        },
        "checks": checks,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    tmp.replace(args.out)
    _print_table(results)
    print(f"written to {args.out.relative_to(REPO) if args.out.is_relative_to(REPO) else args.out}")
    return 0 if all(checks.values()) else 1


def _print_table(r: dict[str, Any]) -> None:
    full, rerun, force = r["full"], r["rerun"], r["force"]
    print()
    print(f"{'phase':<34} {'seconds':>9} {'process s':>10} {'quads':>11} {'peak RSS MiB':>13}")
    rows = [
        ("full bundled ingest (fresh store)", full),
        ("re-run, unchanged (all skipped)", rerun),
        ("re-run with force=True", force),
    ]
    for label, phase in rows:
        print(f"{label:<34} {phase['ingest_seconds']:>9.2f} {phase['process_seconds']:>10.2f} "
              f"{phase['quads_after']:>11,} {phase['peak_rss_mib']:>13.0f}")
    print(f"full ingest throughput: {full['quads_per_second']:,} quads/s "
          f"(peak RSS via RUSAGE_CHILDREN: {full['peak_rss_mib_rusage_children']:.0f} MiB)")
    print()
    print(f"{'source':<24} {'full s':>8} {'rerun s':>8} {'force s':>8} {'read':>8} {'rej':>5} {'quads':>10}")
    errors = []
    for a, b, c in zip(full["sources"], rerun["sources"], force["sources"], strict=False):
        marks = "".join(m for m, x in (("F", a), ("R", b), ("X", c)) if x["error"])
        print(f"{a['name']:<24} {a['seconds']:>8.2f} {b['seconds']:>8.2f} {c['seconds']:>8.2f} "
              f"{a.get('records_read', '-'):>8} {a.get('records_rejected', '-'):>5} "
              f"{a.get('quads_in_graph', 0):>10,} {marks}")
        errors += [f"{label} {x['name']}: {x['error']}" for label, x in (("full", a), ("rerun", b), ("force", c))
                   if x["error"]]
    for line in errors:
        print(f"  error in {line[:300]}")
    changed = [f"{c['name']} +{c['quads_added']}/-{c['quads_removed']}" for c in force["sources"]
               if not c["error"] and (c["quads_added"] or c["quads_removed"])]
    if changed:
        print(f"  force re-run changed data quads in: {', '.join(changed)}")
    print(f"  store quads: full {full['quads_after']:,}, rerun {rerun['quads_after']:,}, "
          f"force {force['quads_after']:,} (provenance {full['provenance_quads']:,} -> "
          f"{force['provenance_quads']:,})")
    base = r["baseline"]
    if base:
        ours, theirs = base["innograph"], base["rdflib"]
        print()
        print(f"baseline on {base['source']} ({ours['quads_in_graph']:,} quads, "
              f"{ours['nt_bytes'] / 2**20:.0f} MiB of N-Triples):")
        print(f"  innograph ingest_path from CSV, fresh store: {ours['ingest_seconds']:8.2f} s  "
              f"peak RSS {ours['peak_rss_mib']:.0f} MiB")
        print(f"  rdflib {theirs['rdflib_version']} Graph().parse(nt), {theirs['store']}:  "
              f"{theirs['parse_seconds']:8.2f} s  peak RSS {theirs['peak_rss_mib']:.0f} MiB")
        print(f"  ratio rdflib / innograph: {base['ratio_rdflib_over_innograph']:.2f}x")
    print()
    m = r["machine"]
    print(f"machine: {m['cpus']} CPUs, load average {m['loadavg_1m_before']} before, {m['loadavg_1m_after']} after")
    for name, ok in {**r["targets"], **r["checks"]}.items():
        print(f"  {'ok  ' if ok else 'FAIL'} {name}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _child_main(sys.argv[2:])
    else:
        sys.exit(main())
