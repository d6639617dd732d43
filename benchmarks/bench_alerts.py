"""Evaluating saved needs for a batch of new profiles: incremental (graph.alerts) against re-running every need.

Issue 13's target: the alerts for a batch of 1,000 new profiles against 10,000 saved needs in
under 10 s on this machine. The set-up, real text throughout (as ``bench_match_speed``):

1. A pool of real passages (SciFact abstracts, CORDIS objectives), embedded once by both models
   (persistent cache), and ``--base`` profiles drawn from it (``bench_match_speed.synthetic_profiles``:
   kinds, countries, Romanian regions), then ``--new`` more profiles drawn the same way: the batch.
2. Two ``MatchIndex`` objects over one on-disk store of the ontology and vocabularies: before
   (base only) and after (base + batch), as the matcher would hold them before and after an ingest.
3. ``--needs`` real needs: SciFact claims, SME needs of benchmarks/data/ro_needs.jsonl in Romanian
   and English, Romanian CAEN labels, the first two sentences of CORDIS objectives and
   of SciFact abstracts; a fifth with a region filter, a tenth with a kind filter, a third with a region
   context. Each is saved with ``graph.alerts.save_query`` on the *before* index (the same code
   ``POST /alerts`` runs: one ``/match`` and its normalisers); the states are kept in the work
   folder, so a rerun with ``--work`` skips that hour.
4. Timed, in the same run:
   - **incremental**: ``Alerts.evaluate_alerts(batch)`` end to end over a real operational store
     holding the saved needs (states decoded, scored in one matrix product per model, BM25 rows,
     filters, graph signals for the pairs that can pass, hits written), first call (cold: states
     decoded from SQLite) and the core ``score_batch`` alone;
   - **naive baseline**: each need of a random sample (``--sample``) re-run through
     ``Matcher.match`` on the *after* index (what ``/match`` does), timed and extrapolated to
     all needs; the top 10 it gives is compared with what the incremental run recorded for the
     same needs (new profiles that entered: agreement).

    PYTHONPATH=. python benchmarks/bench_alerts.py --work /tmp/bench-alerts   # first run: saving 10,000 needs
    # --base N (20000), --new N (1000), --needs N (10000), --sample N (200), --out FILE

Results: stdout and ``benchmarks/results/alerts.json``.
"""

from __future__ import annotations

import argparse
import csv
import pickle
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _eval as ev
from bench_match_speed import (
    _SENTENCE,
    CAEN,
    COMPOSITE,
    NEEDS,
    concept_iris,
    passage_pool,
    synthetic_profiles,
)
from bench_match_speed import SEED as POOL_SEED

from common.settings import Settings
from graph.alerts import Alerts, SavedQuery, WebhookPolicy, save_query, score_batch
from graph.alerts._service import token_hash
from graph.matching import Embedder, MatchContext, Matcher, MatchFilters, MatchIndex
from graph.operations import OperationalStore
from graph.store import GraphStore, generation_text, store_generation

SEED = 20261204


def real_needs(n: int) -> list[str]:
    """``n`` distinct real needs (see the module docstring), Romanian ones first so every size has them."""
    needs = ev.read_jsonl(NEEDS)
    out = [x["ro"] for x in needs] + [x["en"] for x in needs]
    with CAEN.open(encoding="utf-8", newline="") as handle:
        out += [r["caen_class_name_ro"] for r in csv.DictReader(handle)]
    out += [q["text"] for q in ev.read_jsonl(ev.SCIFACT / "queries.jsonl")]
    with (COMPOSITE / "projects.csv").open(encoding="utf-8", newline="") as handle:
        objectives = [r["objective"].strip() for r in csv.DictReader(handle)]
    for text in objectives + [d["text"] for d in ev.read_jsonl(ev.SCIFACT / "corpus.jsonl")]:
        out += [s.strip() for s in _SENTENCE.split(text)[:2] if 30 <= len(s.strip()) <= 400]
    out = list(dict.fromkeys(t.strip() for t in out if t.strip()))
    if len(out) < n:
        raise SystemExit(f"only {len(out)} distinct real needs; ask for fewer")
    rng = np.random.default_rng(SEED)
    head = out[: len(needs) * 2]
    rest = [out[i] for i in rng.permutation(np.arange(len(head), len(out)))]
    return (head + rest)[:n]


def filters_for(i: int) -> tuple[MatchFilters, MatchContext]:
    regions = ["RO", "RO1", "RO2", "RO3", "RO4"]
    filters = MatchFilters(regions=[regions[i % 5]] if i % 5 == 0 else [], kinds=["HES", "REC"] if i % 10 == 3 else [])
    context = MatchContext(region=["RO11", "RO21", "RO32", "RO42"][i % 4] if i % 3 == 0 else None)
    return filters, context


def build_indexes(store: GraphStore, settings: Settings, args: argparse.Namespace
                  ) -> tuple[Matcher, MatchIndex, MatchIndex]:
    rng = np.random.default_rng(POOL_SEED)  # bench_match_speed's pool: its vectors are cached already
    embedder = ev.MemoEmbedder(settings.embedding_model, args.cache, backend=settings.embedding_backend)
    multilingual = Embedder(settings.multilingual_model, args.cache) if settings.multilingual_model else None
    pool = passage_pool(args.pool, rng)
    vectors = embedder.encode(pool)
    extra_pool = multilingual.encode(pool) if multilingual else None
    profiles, ids = synthetic_profiles(args.base + args.new, pool, rng, concept_iris(store))
    for p in profiles[args.base:]:
        p.iri = p.organisation = p.iri.replace("/bench-", "/bench-new-")
    owners = np.repeat(np.arange(len(profiles)), [len(p.passages) for p in profiles]).astype(np.int64)
    generation = generation_text(store_generation(store))
    extra = {multilingual.model_name: extra_pool[ids]} if multilingual and extra_pool is not None else {}
    after = MatchIndex("supply", profiles, vectors[ids], owners, generation, embedder.model_name, extra)
    cut = int(np.searchsorted(owners, args.base))
    before = MatchIndex("supply", profiles[: args.base], vectors[ids][:cut], owners[:cut], generation,
                        embedder.model_name, {k: v[:cut] for k, v in extra.items()})
    matcher = Matcher(store, settings, embedder)
    return matcher, before, after


class _StatesUnpickler(pickle.Unpickler):
    """Reads a states file of an earlier layout (pickled ``SavedQuery`` objects of ``graph.alerts._scoring``,
    before issue 14 moved it to ``graph.matching._saved``): same fields, another module path."""

    def find_class(self, module: str, name: str) -> Any:
        return SavedQuery if name == "SavedQuery" else super().find_class(module, name)


def _load_states(path: Path) -> list[SavedQuery]:
    """The saved needs' states kept by an earlier run: ``SavedQuery.dumps`` bytes (or older pickled objects)."""
    with path.open("rb") as handle:
        loaded = _StatesUnpickler(handle).load()
    return [SavedQuery.loads(s) if isinstance(s, bytes) else s for s in loaded]


def use(matcher: Matcher, index: MatchIndex) -> None:
    """Make ``index`` the matcher's supply index (what an ingest followed by a rebuild would do)."""
    matcher._indexes["supply"] = index  # the benchmark's own set-up: same store generation
    matcher.concepts()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", type=int, default=20_000)
    parser.add_argument("--new", type=int, default=1_000)
    parser.add_argument("--needs", type=int, default=10_000)
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--pool", type=int, default=5_000)
    parser.add_argument("--work", type=Path)
    parser.add_argument("--cache", type=Path, default=ev.DEFAULT_CACHE)
    parser.add_argument("--multilingual", action="store_true",
                        help="keep the multilingual-e5 channel (Romanian needs): its pool vectors must be embedded "
                        "first, which took over an hour on the loaded 2-core machine; off, every need is read by MiniLM")
    parser.add_argument("--out", type=Path, default=ev.RESULTS / "alerts.json")
    args = parser.parse_args()
    ev.one_torch_thread()
    out: dict[str, Any] = {"benchmark": "alerts", "environment": ev.environment(),
                           "config": {k: str(v) for k, v in vars(args).items()} | {"seed": SEED}}
    with ev.work_dir(args.work, "bench-alerts-") as work:
        settings = Settings(data_dir=work / "data", embedding_cache=args.cache,
                            **({} if args.multilingual else {"multilingual_model": None}))
        store = GraphStore(settings.store_dir)
        ev.base_and(store, [])
        t0 = time.perf_counter()
        matcher, before, after = build_indexes(store, settings, args)
        out["setup_s"] = round(time.perf_counter() - t0, 1)
        print(f"indexes: {len(before.profiles):,} -> {len(after.profiles):,} profiles in {out['setup_s']} s", flush=True)
        needs = real_needs(args.needs)
        use(matcher, before)
        states_file = work / f"states-{args.base}-{args.needs}-{args.pool}.pickle"
        if states_file.exists():
            states: list[SavedQuery] = _load_states(states_file)
            out["save_per_need_ms"] = None
        else:
            t0 = time.perf_counter()
            matcher.embedder.encode_queries(needs)  # one batch (MemoEmbedder keeps them): saving is then per need
            out["embed_needs_batch_s"] = round(time.perf_counter() - t0, 1)
            t0 = time.perf_counter()
            states = []
            for i, text in enumerate(needs):
                states.append(save_query(matcher, text, "supply", *filters_for(i)))
                if i % 1000 == 999:
                    print(f"  saved {i + 1:,} needs, {time.perf_counter() - t0:.0f} s", flush=True)
            out["save_per_need_ms"] = round((time.perf_counter() - t0) / len(needs) * 1000, 1)
            print(f"saved {len(needs):,} needs: {out['save_per_need_ms']} ms each", flush=True)
            states_file.write_bytes(pickle.dumps([state.dumps() for state in states]))
        out["needs"] = {"count": len(states), "multilingual_channel": sum("multilingual" in s.channels for s in states),
                        "with_filters": sum(bool(s.filters["regions"] or s.filters["kinds"]) for s in states)}
        ops = OperationalStore(work / f"ops-{time.time_ns()}.sqlite")
        with ops.transaction() as db:
            db.executemany("INSERT INTO alerts VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", [
                (f"{i:016x}", "bench", None, "supply", needs[i], "{}", "{}", "2026-12-04T00:00:00+00:00",
                 token_hash(str(i)), None, s.dumps(), "[]") for i, s in enumerate(states)])
            db.executemany("INSERT INTO profiles_seen VALUES ('supply', ?, 'x')", [(p.iri,) for p in before.profiles])
        alerts = Alerts(ops, matcher, WebhookPolicy())
        use(matcher, after)
        new_ids = [p.iri for p in after.profiles[args.base:]]
        positions = list(range(args.base, len(after.profiles)))
        t0 = time.perf_counter()
        found = score_batch(matcher, after, positions, [SavedQuery.loads(s.dumps()) for s in states])
        out["incremental_core_s"] = round(time.perf_counter() - t0, 2)
        t0 = time.perf_counter()
        recorded = alerts.evaluate_alerts(new_ids)
        out["incremental_end_to_end_s"] = round(time.perf_counter() - t0, 2)
        out["pairs_passing"] = len(found)
        out["hits_recorded"] = recorded
        print(f"incremental: core {out['incremental_core_s']} s, end to end {out['incremental_end_to_end_s']} s, "
              f"{recorded:,} hits recorded")
        # the naive baseline on a sample, and agreement with the incremental result
        rng = np.random.default_rng(SEED + 1)
        sample = sorted(rng.choice(len(states), size=min(args.sample, len(states)), replace=False).tolist())
        new_set = set(new_ids)
        hits = {r[0]: set() for r in ops.read("SELECT id FROM alerts")}
        for r in ops.read("SELECT alert_id, profile FROM alert_hits"):
            hits[r[0]].add(r[1])
        agree = both = only_full = only_incremental = 0
        t0 = time.perf_counter()
        for i in sample:
            filters, context = filters_for(i)
            page = matcher.match(needs[i], "supply", filters=filters, context=context, limit=10)
            full = {r["id"] for r in page.data} & new_set
            mine = hits[f"{i:016x}"]
            agree += full == mine
            both += len(full & mine)
            only_full += len(full - mine)
            only_incremental += len(mine - full)
        per_need = (time.perf_counter() - t0) / len(sample)
        out["naive_per_need_ms"] = round(per_need * 1000, 1)
        out["naive_extrapolated_s"] = round(per_need * len(states), 1)
        out["speedup"] = round(out["naive_extrapolated_s"] / out["incremental_end_to_end_s"], 1)
        out["agreement"] = {"sampled_needs": len(sample), "same_new_profiles_in_top10": agree,
                            "new_in_both": both, "only_in_full_rerun": only_full,
                            "only_incremental": only_incremental}
        out["target_met"] = out["incremental_end_to_end_s"] < 10
        print(f"naive: {out['naive_per_need_ms']} ms per need -> {out['naive_extrapolated_s']} s for "
              f"{len(states):,} needs; speed-up {out['speedup']}x; agreement {out['agreement']}")
    ev.write_json(args.out, out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
