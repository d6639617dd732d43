"""Matching quality on SciFact (BEIR): nDCG@10 and Recall@100 of lexical, dense and hybrid retrieval.

What runs: the 5,183 SciFact abstracts become supply profiles through the normal ingest path.
A tabular source folder is written (``organisations.csv``: one parent organisation;
``research_units.csv``: one unit per abstract, ``unit_id`` = ``scifact-<doc id>``, ``name`` =
title, ``description`` = abstract), ingested with ``ingest.loading.ingest_path`` into a fresh
on-disk store after the ontology and vocabularies, and searched with ``Matcher.match``
(``limit=100``). Result ids (unit IRIs) are mapped back to SciFact doc ids.

Tuning is on the TRAIN queries only (809 queries, 919 judgements): ``match_alpha`` in
0.2..0.8 with convex fusion, and reciprocal rank fusion; the setting with the best train
nDCG@10 is then run on the TEST queries (300 queries, BEIR's test = SciFact dev), next to the
settings' current defaults. The test grid is printed too, for information only (never used
to choose). References: BM25 0.679 (Anserini, BEIR paper), all-MiniLM-L6-v2 0.645 (MTEB).

    PYTHONPATH=. python benchmarks/bench_quality_scifact.py            # ~7 min warm, +6 min to embed cold
    # --work DIR keeps the store and index (rerun skips ingest and embedding), --cache FILE
    # (default ~/.cache/innograph/bench-embeddings.sqlite), --no-test-grid, --out FILE

Results: a table on stdout and ``benchmarks/results/quality_scifact.json``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _eval as ev

from common.settings import Settings
from ontology._keys import org_iri, slug

TITLE_MAX, DESCRIPTION_MAX = 500, 20_000  # ingest/readers/_tables.py limits of name and description
REFERENCES = {"bm25_anserini": 0.679, "minilm_l6_mteb": 0.645, "target_hybrid": 0.72}


def write_source(folder: Path, corpus: list[dict[str, Any]]) -> tuple[dict[str, str], dict[str, int]]:
    """The tabular source folder; returns unit IRI -> doc id and what had to be cut."""
    folder.mkdir(parents=True, exist_ok=True)
    ev.write_csv(folder / "organisations.csv", ["org_id", "name", "kind", "description"],
                 [["scifact", "SciFact corpus (BEIR)", "", ""]])
    iri_to_doc: dict[str, str] = {}
    cut = {"titles_truncated": 0, "descriptions_truncated": 0, "empty_titles": 0}
    rows = []
    for doc in corpus:
        unit = slug(f"scifact-{doc['_id']}")
        title, text = doc["title"].strip(), doc["text"].strip()
        if not title:
            cut["empty_titles"] += 1
            title = f"SciFact {doc['_id']}"
        if len(title) > TITLE_MAX:
            cut["titles_truncated"] += 1
            title = title[:TITLE_MAX]
        if len(text) > DESCRIPTION_MAX:
            cut["descriptions_truncated"] += 1
            text = text[:DESCRIPTION_MAX]
        rows.append([unit, "scifact", title, text])
        iri_to_doc[org_iri(unit).value] = doc["_id"]
    ev.write_csv(folder / "research_units.csv", ["unit_id", "parent_org_id", "name", "description"], rows)
    return iri_to_doc, cut


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", type=Path, help="keep the store and index here (default: a temporary folder)")
    parser.add_argument("--cache", type=Path, default=ev.DEFAULT_CACHE)
    parser.add_argument("--out", type=Path, default=ev.RESULTS / "quality_scifact.json")
    parser.add_argument("--no-test-grid", action="store_true", help="skip the (informative) test grid")
    parser.add_argument("--test-only", action="store_true",
                        help="skip the train grid: test at the shipped defaults (a check after a change)")
    args = parser.parse_args()

    corpus = ev.read_jsonl(ev.SCIFACT / "corpus.jsonl")
    queries = {q["_id"]: q["text"] for q in ev.read_jsonl(ev.SCIFACT / "queries.jsonl")}
    qrels = {split: ev.read_qrels(ev.SCIFACT / "qrels" / f"{split}.tsv") for split in ("train", "test")}
    defaults = {name: Settings.model_fields[name].default for name in ("match_alpha", "match_fusion",
                                                                       "match_candidates")}
    out: dict[str, Any] = {"benchmark": "scifact", "environment": ev.environment(), "references": REFERENCES,
                           "settings_defaults": defaults}
    with ev.work_dir(args.work, "bench-scifact-") as work:
        print(f"SciFact: {len(corpus):,} abstracts, {len(qrels['train'])} train / {len(qrels['test'])} test queries")
        iri_to_doc, cut = write_source(work / "source" / "scifact", corpus)
        out["source"] = {"documents": len(corpus), **cut}
        matcher, store, _ = ev.make_matcher(work / "data", args.cache)
        out["ingest"], seconds = ev.base_and(store, [(work / "source" / "scifact", "scifact")])
        out["ingest_seconds"] = round(seconds, 1)
        data_run = out["ingest"][-1]
        print(f"  ingest (base + scifact): {seconds:.1f}s; scifact records {data_run['records_written']:,}/"
              f"{data_run['records_read']:,} written, {data_run['records_rejected']} rejected; cut: {cut}")
        out["index"] = ev.build_index(matcher)
        profiles = matcher.index("supply").profiles
        out["index"]["profiles_not_scifact"] = sum(p.iri not in iri_to_doc for p in profiles)
        out["index"]["scifact_docs_without_profile"] = len(set(iri_to_doc) - {p.iri for p in profiles})

        def to_docs(runs: dict[str, list[str]]) -> dict[str, list[str]]:
            return {q: [iri_to_doc[i] for i in ids if i in iri_to_doc] for q, ids in runs.items()}

        def evaluate(split: str, mode: str, limit: int, **overrides: Any) -> dict[str, Any]:
            wanted = {q: queries[q] for q in qrels[split]}
            started = time.perf_counter()
            runs = to_docs(ev.run(matcher, wanted, mode, limit, **overrides))
            seconds = time.perf_counter() - started
            metrics = ["ndcg@10", "recall@100"] if limit >= 100 else ["ndcg@10"]
            row = {"split": split, "mode": mode, **overrides, **ev.score(runs, qrels[split], metrics),
                   "seconds": round(seconds, 1)}
            print(f"  {split:5} {mode:7} {overrides or ''} -> " +
                  ", ".join(f"{m} {row[m]:.4f}" for m in metrics) + f" ({seconds:.0f}s)")
            return row

        # --- tuning on train (nDCG@10 only, so limit=10 is enough)
        chosen: dict[str, Any] = {"match_fusion": defaults["match_fusion"], "match_alpha": defaults["match_alpha"]}
        train: list[dict[str, Any]] = []
        grid: list[dict[str, Any]] = []
        if not args.test_only:
            print("tuning on train:")
            train = [evaluate("train", "lexical", 10), evaluate("train", "dense", 10)]
            grid = [evaluate("train", "hybrid", 10, match_fusion="convex", match_alpha=a) for a in ev.ALPHAS]
            grid.append(evaluate("train", "hybrid", 10, match_fusion="rrf"))
            chosen_row = ev.best(grid, "ndcg@10")
            chosen = {k: chosen_row[k] for k in ("match_fusion", "match_alpha") if k in chosen_row}
        out["train"] = {"single": train, "grid": grid, "chosen": chosen}
        print(f"  chosen on train: {chosen}")

        # --- test
        print("test:")
        test = [
            {"setting": "lexical (BM25)", **evaluate("test", "lexical", 100)},
            {"setting": "dense (MiniLM)", **evaluate("test", "dense", 100)},
            {"setting": f"hybrid, defaults {defaults['match_fusion']} a={defaults['match_alpha']}",
             **evaluate("test", "hybrid", 100, match_fusion=defaults["match_fusion"],
                        match_alpha=defaults["match_alpha"])},
            {"setting": f"hybrid, train-chosen {chosen}", **evaluate("test", "hybrid", 100, **chosen)},
        ]
        out["test"] = test
        if not args.no_test_grid:
            print("test grid (information only, not used to choose):")
            out["test_grid"] = [evaluate("test", "hybrid", 100, match_fusion="convex", match_alpha=a)
                                for a in ev.ALPHAS]
            out["test_grid"].append(evaluate("test", "hybrid", 100, match_fusion="rrf"))
        out["query_encoding_seconds"] = round(matcher.embedder.query_seconds, 1)  # type: ignore[attr-defined]

    hybrid_tuned = test[3]["ndcg@10"]
    out["checks"] = {
        "hybrid_tuned_beats_lexical": hybrid_tuned > test[0]["ndcg@10"],
        "hybrid_tuned_beats_dense": hybrid_tuned > test[1]["ndcg@10"],
        "hybrid_tuned_meets_target_0.72": hybrid_tuned >= REFERENCES["target_hybrid"],
        "hybrid_defaults_meets_target_0.72": test[2]["ndcg@10"] >= REFERENCES["target_hybrid"],
    }
    ev.write_json(args.out, out)
    print()
    print("SciFact test (300 queries), Matcher.match limit=100")
    print(ev.table(test + [{"setting": "reference BM25 (Anserini)", "ndcg@10": 0.679},
                           {"setting": "reference all-MiniLM-L6-v2 (MTEB)", "ndcg@10": 0.645},
                           {"setting": "target hybrid", "ndcg@10": 0.72}],
                   ["setting", "ndcg@10", "recall@100"]))
    print(f"checks: {out['checks']}")
    print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
