"""A member's new offer at 100,000 profiles: time from ``POST /offers`` to its first ``/match`` hit, and the
in-place index update against a full index rebuild, in the same run.

The 100k supply profiles are those of ``bench_match_speed`` (its helpers, same seed): real passages
(SciFact abstracts, CORDIS objectives) recombined, their vectors the pool's real vectors. The store
holds the ontology, the vocabularies and the illustrative data (the member's organisation,
``example-agri-engineering-institute``, comes from it).

1. **Full rebuild (baseline)**: ``MatchIndex`` built from the 100k profiles and their vectors: BM25 over
   every text, passage offsets, then the filter columns. Embedding is excluded (every vector is in
   hand; in production a rebuild reads them from the embedding cache and also re-reads every profile
   from the store), so this is a *lower bound* of a real rebuild.
2. That index is handed to the app's ``Matcher`` as its supply index at the store's generation (the one
   place this benchmark sets internal state: loading it from disk would build the same BM25 again).
3. **Members' offers**: a member key (role member, bound to the organisation) POSTs ``--offers`` real
   offers (CORDIS objectives not in the pool) through the FastAPI app in process (``TestClient``), each
   followed by ``POST /match`` with the offer's own text until the offer is among the top 10: the time
   from the POST's start to that answer is "POST to first match". The in-place index update (retire +
   embed one passage + append: ``graph.records._follow.apply_to_index``) is timed by wrapping it. The
   first update copies the passage vectors into a buffer with spare rows (once per 1,024 passages);
   it is reported apart.
4. **Withdraw**: DELETE of one of them, then ``/match`` must no longer return it.
5. **Organisation edit**: ``PATCH /organisations/{id}`` adds a competence no profile has; its index
   update (the organisation's row rebuilt from the store and replaced in place) is timed the same
   way, and the organisation's rank for that competence (first 1,000 results) before and after. The
   organisation's passages (its head, bundled offers, projects) are embedded once by a first run and
   read from the persistent embedding cache afterwards, as a server reads them after its build.

Target (issue 13): POST to first match < 1 s at 100k profiles, and no full rebuild.

    PYTHONPATH=. python benchmarks/bench_records.py        # ~5-8 min on the loaded 2-core machine
    # --profiles N (100000), --pool N (5000), --offers N (8), --english-only, --work DIR, --cache FILE, --out FILE

Results: a table on stdout and ``benchmarks/results/records.json``.
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _eval as ev
from bench_match_speed import COMPOSITE, SEED, concept_iris, passage_pool, synthetic_profiles

from common.settings import Settings
from graph.matching import Embedder, MatchIndex
from graph.records import _follow
from graph.store import GraphStore, generation_text, store_generation
from ingest.bundled import REPO_DATA

ORG = "example-agri-engineering-institute"


def offers(n: int, pool: list[str]) -> list[dict[str, Any]]:
    """``n`` real offers: CORDIS objectives of which no pool passage is a part (so no profile holds their text:
    the pool is cut from CORDIS objectives too, and a profile quoting the offer's own sentences would compete)."""
    with (COMPOSITE / "projects.csv").open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["objective"].strip() and r["title"].strip()]
    out = []
    for row in rows[::-1]:
        text = row["objective"].strip()[:1500]
        if len(text) > 200 and not any(p[:200] in text for p in pool):
            out.append({"title": row["title"].strip()[:200], "description": text, "trl": 5, "sectors": ["72.19"]})
        if len(out) == n:
            break
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--profiles", type=int, default=100_000)
    parser.add_argument("--pool", type=int, default=5_000)
    parser.add_argument("--offers", type=int, default=8)
    parser.add_argument("--work", type=Path)
    parser.add_argument("--cache", type=Path, default=ev.DEFAULT_CACHE)
    parser.add_argument("--out", type=Path, default=ev.RESULTS / "records.json")
    parser.add_argument("--english-only", action="store_true",
                        help="no multilingual channel (when its pool vectors are not cached: embedding 5,000 passages "
                             "with e5 takes tens of minutes on a loaded machine)")
    args = parser.parse_args()
    rng = np.random.default_rng(SEED)
    out: dict[str, Any] = {"benchmark": "records", "environment": ev.environment(),
                           "config": {k: str(v) for k, v in vars(args).items()} | {"seed": SEED},
                           "load_1min_start": os.getloadavg()[0]}
    started_all = time.perf_counter()
    with ev.work_dir(args.work, "bench-records-") as work:
        data_dir = work / "data"
        overrides: dict[str, Any] = {"multilingual_model": None} if args.english_only else {}
        settings = Settings(data_dir=data_dir, embedding_cache=args.cache, warm_on_start=False,
                            rate_limit_anonymous=0, **overrides)
        store = GraphStore(settings.store_dir)
        _, base_s = ev.base_and(store, [(REPO_DATA / "illustrative", "illustrative")])
        out["base_ingest_s"] = round(base_s, 1)
        concepts = concept_iris(store)
        generation = generation_text(store_generation(store))
        del store
        gc.collect()
        ev.one_torch_thread()
        embedder = Embedder(settings.embedding_model, args.cache, query_max_tokens=settings.embedding_query_max_tokens,
                            backend=settings.embedding_backend)
        multilingual = Embedder(settings.multilingual_model, args.cache) if settings.multilingual_model else None
        t0 = time.perf_counter()
        pool = passage_pool(args.pool, rng)
        pool_vectors = embedder.encode(pool)
        pool_multi = multilingual.encode(pool) if multilingual else None
        out["pool"] = {"passages": len(pool), "embed_or_cache_s": round(time.perf_counter() - t0, 1)}
        profiles, passage_ids = synthetic_profiles(args.profiles, pool, rng, concepts)
        owners = np.repeat(np.arange(len(profiles)), [len(p.passages) for p in profiles]).astype(np.int64)
        extra = {multilingual.model_name: pool_multi[passage_ids]} if multilingual and pool_multi is not None else {}

        t0 = time.perf_counter()
        index = MatchIndex("supply", profiles, pool_vectors[passage_ids], owners, generation, embedder.model_name,
                           extra)
        from graph.matching import Concepts

        index.columns(Concepts())  # the filter columns are part of what a rebuild redoes
        rebuild_s = time.perf_counter() - t0
        out["full_rebuild_s"] = round(rebuild_s, 2)
        out["profiles"], out["passages"] = len(index.profiles), len(index.owners)
        print(f"full rebuild (BM25 + offsets + filter columns, embeddings excluded): {rebuild_s:.1f} s for "
              f"{len(index.profiles):,} profiles / {len(index.owners):,} passages")

        from fastapi.testclient import TestClient

        from api.app import create_app
        from api.keys import KeyStore, Role

        _, member_key = KeyStore(settings.keys_file).create("bench member", Role.member, organisation=ORG)
        update_s: list[float] = []
        original = _follow.apply_to_index

        def timed_apply(*a: Any, **kw: Any) -> None:
            t = time.perf_counter()
            try:
                original(*a, **kw)
            finally:
                update_s.append(time.perf_counter() - t)

        _follow.apply_to_index = timed_apply  # type: ignore[assignment]
        app = create_app(settings)
        with TestClient(app, raise_server_exceptions=True) as client:
            matcher = app.state.matcher
            matcher.embedder, matcher.multilingual = embedder, multilingual
            matcher._indexes["supply"] = index  # step 2 of the docstring
            headers = {"X-API-Key": member_key}
            warm = client.post("/match", json={"text": "heat pump grain dryer", "limit": 10})
            assert warm.status_code == 200, warm.text
            assert matcher.index("supply") is index, "the app rebuilt the index instead of using the handed one"
            runs: list[dict[str, Any]] = []
            for body in offers(args.offers, pool):
                t = time.perf_counter()
                control = client.post("/match", json={"text": body["description"], "limit": 10})
                match_alone_s = time.perf_counter() - t
                assert control.status_code == 200 and not any(r["name"] == body["title"] for r in control.json()["data"])
                t = time.perf_counter()
                posted = client.post("/offers", json=body, headers=headers)
                post_s = time.perf_counter() - t
                assert posted.status_code == 201, posted.text
                iri, polls = posted.json()["iri"], 0
                while True:
                    polls += 1
                    found = client.post("/match", json={"text": body["description"], "limit": 10}).json()["data"]
                    if iri in [r["id"] for r in found] or time.perf_counter() - t > 30:
                        break
                first_match_s = time.perf_counter() - t
                runs.append({"post_s": round(post_s, 3), "post_to_first_match_s": round(first_match_s, 3),
                             "same_match_before_post_s": round(match_alone_s, 3),
                             "polls": polls, "found": iri in [r["id"] for r in found],
                             "rank": [r["id"] for r in found].index(iri) + 1 if iri in [r["id"] for r in found]
                             else None})
                print(f"offer {len(runs)}: POST {post_s * 1000:.0f} ms, first /match hit after "
                      f"{first_match_s * 1000:.0f} ms ({polls} poll(s), rank {runs[-1]['rank']}); the same /match "
                      f"before the POST: {match_alone_s * 1000:.0f} ms")
            assert matcher.index("supply") is index, "an edit triggered a full rebuild"
            last = posted.json()
            etag = client.get(f"/offers/{last['id']}").headers["ETag"]
            t = time.perf_counter()
            gone = client.delete(f"/offers/{last['id']}", headers={**headers, "If-Match": etag})
            still = [r["id"] for r in client.post("/match", json={"text": body["description"], "limit": 50}).json()["data"]]
            withdraw_s = time.perf_counter() - t
            out["withdraw"] = {"status": gone.status_code, "gone_from_match": last["iri"] not in still,
                               "delete_plus_match_s": round(withdraw_s, 3)}
            withdraw_update_s = update_s[-1]
            # 5. the organisation's own profile (PATCH /organisations/{id}): its row, in place, then /match
            org_iri = f"https://w3id.org/innograph/id/org/{ORG}"
            need = "cryogenic preservation of seed banks in liquid nitrogen"

            def ranked(text: str) -> list[str]:
                """The first 1,000 results of /match for ``text`` (pages of 100)."""
                ids: list[str] = []
                for offset in range(0, 1000, 100):
                    page = client.post("/match", json={"text": text, "limit": 100, "offset": offset}).json()["data"]
                    ids += [r["id"] for r in page]
                    if len(page) < 100:
                        break
                return ids

            before = ranked(need)
            etag = client.get(f"/organisations/{ORG}").headers["ETag"]
            t = time.perf_counter()
            edited = client.patch(f"/organisations/{ORG}", json={"competences": [need]},
                                  headers={**headers, "If-Match": etag})
            patch_s = time.perf_counter() - t
            client.post("/match", json={"text": need, "limit": 10})
            patch_match_s = time.perf_counter() - t
            found = ranked(need)
            live = [i for i, p in enumerate(index.profiles) if p.iri == org_iri and not index.retired[i]]
            out["organisation_edit"] = {"status": edited.status_code, "patch_s": round(patch_s, 3),
                                        "patch_plus_match_s": round(patch_match_s, 3),
                                        "index_update_s": round(update_s[-1], 4),
                                        "rank_before": before.index(org_iri) + 1 if org_iri in before else None,
                                        "rank_after": found.index(org_iri) + 1 if org_iri in found else None,
                                        "live_rows": len(live),
                                        "competence_in_row": bool(live) and need in index.profiles[live[-1]].passages[0]}
            print(f"organisation edit: PATCH {patch_s * 1000:.0f} ms (index update {update_s[-1] * 1000:.0f} ms), "
                  f"rank for the new competence among 100k: {out['organisation_edit']['rank_before']} before, "
                  f"{out['organisation_edit']['rank_after']} after (None: not in the first 1,000)")
            assert matcher.index("supply") is index, "the organisation edit triggered a full rebuild"
        _follow.apply_to_index = original  # type: ignore[assignment]
        out["offers"] = runs
        later = update_s[1:len(runs)] or update_s
        out["index_update"] = {"first_s": round(update_s[0], 3), "later_mean_s": round(statistics.fmean(later), 4),
                               "later_max_s": round(max(later), 4), "withdraw_s": round(withdraw_update_s, 4)}
        firsts = [float(r["post_to_first_match_s"]) for r in runs]
        out["post_to_first_match"] = {"max_s": max(firsts), "median_s": round(statistics.median(firsts), 3),
                                      "all_found": all(r["found"] for r in runs), "target_s": 1.0,
                                      "found_on_first_poll": all(r["polls"] == 1 for r in runs),
                                      "median_post_s": round(statistics.median(r["post_s"] for r in runs), 3),
                                      "median_same_match_before_post_s": round(statistics.median(
                                          r["same_match_before_post_s"] for r in runs), 3)}
        out["rebuild_over_update"] = {"vs_first": round(rebuild_s / update_s[0], 1),
                                      "vs_later_mean": round(rebuild_s / out["index_update"]["later_mean_s"], 1)}
        out["no_full_rebuild"] = True
    out["load_1min_end"] = os.getloadavg()[0]
    out["total_s"] = round(time.perf_counter() - started_all, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2))
    print(json.dumps({k: out[k] for k in ("post_to_first_match", "index_update", "full_rebuild_s",
                                          "rebuild_over_update", "withdraw", "organisation_edit", "total_s")},
                     indent=2))
    ok = out["post_to_first_match"]["all_found"] and out["post_to_first_match"]["max_s"] < 1.0
    print("target met" if ok else "target MISSED: POST to first match >= 1 s, or an offer not found")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
