"""Cross-lingual matching: Romanian CAEN class labels as needs against English NACE class descriptions.

Why: SMEs write their needs in Romanian while most supply text (CORDIS objectives, NACE
notes) is English; the default embedding model (all-MiniLM-L6-v2) is English-only. This
measures how much is lost, next to an English->English baseline on the same profiles.

Supply: one research unit per NACE Rev. 2 class (615), ingested through the normal path as a
tabular source (``research_units.csv``, ``name`` = English class name, ``description`` = the
Eurostat "This item includes" note; for the 38 classes without one, the class name again, so
that every class has a profile). Text only: no ``sectors`` column, since a profile carries the
labels of its ``ig:sector`` concepts and NACE concepts carry the Romanian CAEN label, which
would leak the answer.

Queries: the Romanian CAEN class labels whose class is the same activity as the NACE class of
the same code. The CAEN file is most likely CAEN Rev. 3 (NACE Rev. 2.1), so equal codes are
kept only where ``scripts/build_vocab.py`` keeps them (code in both, not in
``NACE_RO_EXCLUDED``): 460 of the 505 shared codes. The relevant profile is the unit of that
code. A stricter subset (also dropping classes whose group or division is in
``NACE_RO_EXCLUDED``: 395) is scored too, in the JSON.

Baselines on the same store: the English NACE class name as the query (an upper bound: that
name is the unit's name, so it appears verbatim in its profile), and the same queries against
a second store whose units are named only "NACE class <code>" (the English name hidden: a
paraphrase task in English, the fair comparison for the Romanian queries).

Metrics: Recall@1, Recall@10, MRR (one relevant item per query), with 95% bootstrap intervals.
Modes lexical, dense, hybrid (settings' defaults) and hybrid with RRF.

    PYTHONPATH=. python benchmarks/bench_quality_crosslingual.py    # ~2 min warm, ~3 min more cold
    # --work DIR, --cache FILE, --out FILE, --model NAME_OR_PATH (another sentence-transformers model)

Results: a table on stdout and ``benchmarks/results/quality_crosslingual.json``.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _eval as ev

from common.settings import Settings
from ontology._keys import org_iri
from scripts.build_vocab import NACE_RO_EXCLUDED

VOCAB = ev.REPO / "data" / "vocab" / "nace_caen"
METRICS = ("recall@1", "recall@10", "mrr")
csv.field_size_limit(sys.maxsize)


def unit_of(code: str) -> str:
    return "nace-" + code.replace(".", "")


def write_source(folder: Path, classes: list[dict[str, str]], hide_name: bool) -> int:
    """One research unit per NACE class; returns how many had no "This item includes" note."""
    folder.mkdir(parents=True, exist_ok=True)
    ev.write_csv(folder / "organisations.csv", ["org_id", "name"], [["nace-classes", "NACE Rev. 2 classes"]])
    rows, empty = [], 0
    for row in classes:
        includes = row["This item includes"].strip()
        if not includes:
            empty += 1
            includes = row["Description"].strip()
        name = f"NACE class {row['Code']}" if hide_name else row["Description"].strip()
        rows.append([unit_of(row["Code"]), "nace-classes", name, includes])
    ev.write_csv(folder / "research_units.csv", ["unit_id", "parent_org_id", "name", "description"], rows)
    return empty


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", type=Path, help="keep the stores and indexes here (default: a temporary folder)")
    parser.add_argument("--cache", type=Path, default=ev.DEFAULT_CACHE)
    parser.add_argument("--out", type=Path, default=ev.RESULTS / "quality_crosslingual.json")
    parser.add_argument("--model", default=Settings.model_fields["embedding_model"].default)
    args = parser.parse_args()

    with (VOCAB / "nace_rev2_en_with_explanatory_notes.csv").open(encoding="utf-8", newline="") as handle:
        classes = [r for r in csv.DictReader(handle) if r["Level"] == "4"]
    with (VOCAB / "caen_ro_labels_651_classes.csv").open(encoding="utf-8", newline="") as handle:
        caen = {f"{r['caen_class'][:2]}.{r['caen_class'][2:]}": r["caen_class_name_ro"].strip()
                for r in csv.DictReader(handle)}
    english = {r["Code"]: r["Description"].strip() for r in classes}
    shared = sorted(set(english) & set(caen))
    same = [c for c in shared if c not in NACE_RO_EXCLUDED]
    strict = [c for c in same if c[:2] not in NACE_RO_EXCLUDED and c[:4] not in NACE_RO_EXCLUDED]
    qrels = {c: {org_iri(unit_of(c)).value: 1.0} for c in same}
    strict_qrels = {c: qrels[c] for c in strict}
    query_sets = {"ro": {c: caen[c] for c in same}, "en": {c: english[c] for c in same}}
    out: dict[str, Any] = {
        "benchmark": "crosslingual-caen-nace", "environment": ev.environment(), "model": args.model,
        "classes": len(classes), "caen_classes": len(caen), "shared_codes": len(shared),
        "queries_same_activity": len(same), "queries_strict_subset": len(strict),
        "settings_defaults": {k: Settings.model_fields[k].default for k in ("match_alpha", "match_fusion")},
        "runs": [],
    }
    print(f"NACE classes {len(classes)}, CAEN classes {len(caen)}, shared codes {len(shared)}, "
          f"same activity {len(same)} (strict {len(strict)})")
    rows = []
    with ev.work_dir(args.work, "bench-crossling-") as work:
        for store_name, hide in (("named", False), ("name-hidden", True)):
            source = work / "source" / f"nace-{store_name}"
            empty = write_source(source, classes, hide)
            matcher, store, _ = ev.make_matcher(work / f"data-{store_name}", args.cache, embedding_model=args.model)
            ingest, seconds = ev.base_and(store, [(source, "nace-units")])
            out[f"store_{store_name}"] = {"classes_without_includes_note": empty, "ingest": ingest[-1],
                                          "ingest_seconds": round(seconds, 1), "index": ev.build_index(matcher)}
            for lang in ("ro", "en"):
                variants: tuple[tuple[str, dict[str, Any]], ...] = (
                    ("lexical", {}), ("dense", {}), ("hybrid", {}), ("hybrid", {"match_fusion": "rrf"}))
                for mode, overrides in variants:
                    runs = ev.run(matcher, query_sets[lang], mode, 100, **overrides)
                    label = mode + (" rrf" if overrides else "")
                    row = {"profiles": store_name, "queries": {"ro": "RO CAEN label", "en": "EN NACE name"}[lang],
                           "mode": label, **ev.score(runs, qrels, METRICS, ci=True),
                           "strict_subset": ev.score(runs, strict_qrels, METRICS)}
                    row["mrr 95% CI"] = "{:.3f}-{:.3f}".format(*row["mrr_ci"])
                    rows.append(row)
                    print(f"  {store_name:11} {lang} {label:10} -> " +
                          "  ".join(f"{m} {row[m]:.4f}" for m in METRICS))
            del matcher, store
    out["runs"] = rows
    ev.write_json(args.out, out)
    print()
    print(f"Romanian CAEN labels -> English NACE class profiles ({len(same)} queries, 615 profiles), model "
          f"{args.model}")
    print(ev.table(rows, ["profiles", "queries", "mode", "recall@1", "recall@10", "mrr", "mrr 95% CI"]))
    print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
