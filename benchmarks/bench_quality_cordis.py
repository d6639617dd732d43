"""Expert finding on the CORDIS composite extract: a project's objective as the need, its participants as the answer.

Task (DESIGN.md section 5): for a project, rank the organisations whose profiles could carry
out its objective; the relevant ones are the organisations that took part in it. That project
must not be part of their profiles, or the task is a lookup. No hook in the matching code is
needed for that:

1. Projects are split deterministically into two halves by ``sha1(project_id)`` (odd: test,
   even: train).
2. For the run on one half, a copy of ``data/cordis/composite`` is written in which the
   projects of that half keep their participations but have an empty ``title`` and
   ``objective`` (the reader accepts both; such a project contributes no text to any
   profile: ``ORG_PROJECT_TEXTS`` only reads projects with a title or an objective). The
   copy is ingested with ``ingest.loading.ingest_path`` (after the ontology and vocabularies)
   into its own on-disk store.
3. Queries: the original objectives of that half's projects. Relevant: the project's
   participants that still have a profile (text from their other, visible projects); a
   project without any such participant is not a query (counted in the output).
4. ``Matcher.match(objective, limit=100)``; only organisation results are scored (offers and
   requests would be skipped; this store has none). Recall@10 and MRR, with 95% bootstrap
   intervals over queries (the query sets are small).

Tuning uses the TRAIN half (train projects hidden, train objectives as queries): ``match_alpha``
0.2..0.8 with convex fusion, and RRF, chosen by Recall@10 (MRR breaks ties). The TEST half is
then run with lexical, dense, hybrid at the settings' defaults and hybrid at the train-chosen
setting. Graph signals cannot apply here: the query carries no context (no region, fields,
sectors, TRL, organisation or preferred kind), so every signal contribution is 0; and a
network signal from any participant would leak, since the hidden project's participations
stay in the collaboration graph.

    PYTHONPATH=. python benchmarks/bench_quality_cordis.py     # ~1 min warm (2 stores), +8 min to embed cold
    # --work DIR keeps stores and indexes, --cache FILE, --out FILE

Results: a table on stdout and ``benchmarks/results/quality_cordis.json``.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import shutil
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _eval as ev

from common.settings import Settings
from graph.matching import MAX_TEXT
from ontology._keys import entity_iri

COMPOSITE = ev.REPO / "data" / "cordis" / "composite"
METRICS = ("recall@10", "mrr", "ndcg@10")


def half_of(project_id: str) -> str:
    return "test" if int(hashlib.sha1(project_id.encode()).hexdigest(), 16) % 2 else "train"


def org_of(row: dict[str, str]) -> str:
    """The organisation IRI the composite reader gives a participation row (ingest/readers/cordis.py)."""
    key = row["org_key"]
    if key.startswith("PIC:"):
        return entity_iri("org", "pic", row["pic"]).value
    return entity_iri("org", "cordis-name", key[5:]).value


def write_hidden_copy(folder: Path, projects: list[dict[str, str]], header: list[str], hide: str) -> int:
    """The composite folder with the ``hide`` half's titles and objectives blanked."""
    folder.mkdir(parents=True, exist_ok=True)
    hidden = 0
    with (folder / "projects.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header)
        writer.writeheader()
        for row in projects:
            if half_of(row["project_id"]) == hide:
                row = {**row, "title": "", "objective": ""}
                hidden += 1
            writer.writerow(row)
    for name in ("participations.csv", "organisations.csv"):
        shutil.copyfile(COMPOSITE / name, folder / name)
    return hidden


def organisations_only(result: dict[str, Any]) -> bool:
    return result["kind"] not in {"offer", "request"}


def run_half(work: Path, half: str, cache: Path, projects: list[dict[str, str]], header: list[str],
             participants: dict[str, set[str]], objective: dict[str, str]) -> tuple[dict[str, Any], Any, Any]:
    """Hide ``half``, ingest, and run its objectives in every mode and hybrid setting."""
    source = work / "source" / f"cordis-hide-{half}"
    hidden = write_hidden_copy(source, projects, header, half)
    matcher, store, _ = ev.make_matcher(work / f"data-hide-{half}", cache)
    ingest, seconds = ev.base_and(store, [(source, "cordis-composite")])
    index_info = ev.build_index(matcher)
    with_profile = {p.iri for p in matcher.index("supply").profiles if organisations_only(p.__dict__)}
    queries, qrels = {}, {}
    no_text = no_relevant = 0
    for pid, text in objective.items():
        if not pid or half_of(pid) != half:  # the extract's one row without a project_id is rejected at ingest
            continue
        relevant = {org: 1.0 for org in participants.get(pid, ()) if org in with_profile}
        if not text:
            no_text += 1
        elif not relevant:
            no_relevant += 1
        else:
            queries[pid], qrels[pid] = text[:MAX_TEXT], relevant
    info: dict[str, Any] = {
        "projects_hidden": hidden, "queries": len(queries),
        "relevant_pairs": sum(len(r) for r in qrels.values()),
        "projects_without_participant_with_profile": no_relevant, "projects_without_objective": no_text,
        "organisation_profiles": len(with_profile), "ingest_seconds": round(seconds, 1),
        "ingest": ingest[-1], "index": index_info,
    }
    print(f"  {hidden} projects hidden; {len(queries)} queries with {info['relevant_pairs']} relevant "
          f"organisations; {no_relevant} projects dropped (no participant keeps a profile)")

    def evaluate(mode: str, **overrides: Any) -> tuple[dict[str, Any], dict[str, list[str]]]:
        started = time.perf_counter()
        runs = ev.run(matcher, queries, mode, 100, keep=organisations_only, **overrides)
        row = {"mode": mode, **overrides, **ev.score(runs, qrels, METRICS, ci=True),
               "seconds": round(time.perf_counter() - started, 1)}
        print(f"  {mode:7} {overrides or ''} -> recall@10 {row['recall@10']:.4f}  mrr {row['mrr']:.4f}")
        return row, runs

    rows: dict[str, Any] = {}
    runs: dict[str, Any] = {}
    for mode in ("lexical", "dense"):
        rows[mode], runs[mode] = evaluate(mode)
    for alpha in ev.ALPHAS:
        key = f"hybrid convex a={alpha}"
        rows[key], runs[key] = evaluate("hybrid", match_fusion="convex", match_alpha=alpha)
    rows["hybrid rrf"], runs["hybrid rrf"] = evaluate("hybrid", match_fusion="rrf")
    rows["hybrid defaults"], runs["hybrid defaults"] = evaluate("hybrid")  # the settings as shipped
    info["results"] = rows
    return info, runs, qrels


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", type=Path, help="keep the stores and indexes here (default: a temporary folder)")
    parser.add_argument("--cache", type=Path, default=ev.DEFAULT_CACHE)
    parser.add_argument("--out", type=Path, default=ev.RESULTS / "quality_cordis.json")
    args = parser.parse_args()

    with (COMPOSITE / "projects.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header = list(reader.fieldnames or [])
        projects = list(reader)
    with (COMPOSITE / "participations.csv").open(encoding="utf-8", newline="") as handle:
        participants: dict[str, set[str]] = defaultdict(set)
        for row in csv.DictReader(handle):
            participants[row["project_id"]].add(org_of(row))
    objective = {p["project_id"]: p["objective"].strip() for p in projects}
    defaults = {name: Settings.model_fields[name].default for name in ("match_alpha", "match_fusion")}
    out: dict[str, Any] = {"benchmark": "cordis-expert-finding", "environment": ev.environment(),
                           "settings_defaults": defaults, "halves": {}}

    with ev.work_dir(args.work, "bench-cordis-") as work:
        runs_by_half: dict[str, Any] = {}
        for half in ("train", "test"):
            print(f"{half} half hidden:")
            info, runs, qrels = run_half(work, half, args.cache, projects, header, participants, objective)
            out["halves"][half] = info
            runs_by_half[half] = (runs, qrels)

        grid = [dict(r, key=k) for k, r in out["halves"]["train"]["results"].items()
                if k.startswith("hybrid") and k != "hybrid defaults"]
        chosen_row = max(grid, key=lambda r: (r["recall@10"], r["mrr"], -grid.index(r)))
        chosen_key = chosen_row["key"]
        default_key = "hybrid defaults"
        test_rows = out["halves"]["test"]["results"]
        runs, qrels = runs_by_half["test"]
        table = []
        for label, key in (("lexical (BM25)", "lexical"), ("dense (MiniLM)", "dense"),
                           (f"hybrid, defaults ({defaults['match_fusion']} a={defaults['match_alpha']})", default_key),
                           (f"hybrid, train-chosen ({chosen_key})", chosen_key)):
            row = {"setting": label, **test_rows[key]}
            for metric in ("recall@10", "mrr"):
                row[f"{metric} 95% CI"] = "{:.3f}-{:.3f}".format(*test_rows[key][f"{metric}_ci"])
            table.append(row)
        significance = {
            f"{key} > {base}: {metric}": ev.paired_bootstrap(ev.per_query(runs[key], qrels, metric),
                                                             ev.per_query(runs[base], qrels, metric))
            for key in (chosen_key, default_key) for base in ("lexical", "dense") for metric in ("recall@10", "mrr")
        }
        out["chosen_on_train"] = chosen_key
        out["test"] = table
        out["paired_bootstrap_p"] = significance
        out["checks"] = {
            "hybrid_chosen_beats_lexical_recall@10": test_rows[chosen_key]["recall@10"] > test_rows["lexical"]["recall@10"],
            "hybrid_chosen_beats_dense_recall@10": test_rows[chosen_key]["recall@10"] > test_rows["dense"]["recall@10"],
            "hybrid_chosen_beats_lexical_mrr": test_rows[chosen_key]["mrr"] > test_rows["lexical"]["mrr"],
            "hybrid_chosen_beats_dense_mrr": test_rows[chosen_key]["mrr"] > test_rows["dense"]["mrr"],
        }
        out["graph_signals"] = ("not applicable: the queries carry no context (region, fields, sectors, TRL, "
                                "organisation, kinds), so every signal contributes 0; weight_* were not tuned")
    ev.write_json(args.out, out)
    print()
    print(f"CORDIS expert finding, test half ({out['halves']['test']['queries']} queries, "
          f"{out['halves']['test']['relevant_pairs']} relevant organisations), organisation results only")
    print(ev.table(table, ["setting", "recall@10", "recall@10 95% CI", "mrr", "mrr 95% CI", "ndcg@10"]))
    print("one-sided paired bootstrap p (share of resamples where the hybrid does not win):")
    for name, p in significance.items():
        print(f"  {name}: {p}")
    print(f"checks: {out['checks']}")
    print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
