"""The incremental path of members' records: BM25 append, index append and retire, expiry masking,
the one-record profile, and ``Matcher.update_in_place`` (no rebuild, the new generation stamped)."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest

from common.settings import Settings
from graph.matching import Matcher, MatchIndex, Profile
from graph.matching._lexical import LexicalIndex, tokens
from graph.records import Actor, RecordService, matcher_follower, record_profile
from graph.store import GraphStore
from ingest.bundled import REPO_DATA
from ingest.loading import ingest_path
from tests.conftest import EMBEDDING_CACHE

DOCS = [["grain drying with heat pumps"], ["solar panels for roofs"], ["wireless moisture probes for stored grain"],
        ["pump maintenance services for farms"]]


def test_appended_documents_score_as_in_a_rebuild() -> None:
    full = LexicalIndex(DOCS)
    grown = LexicalIndex(DOCS[:3])
    grown.append(DOCS[3:])
    query = tokens("heat pump grain farms", "en")
    assert grown.size == 4 and len(grown.scores(query)) == 4
    # the appended document gets exactly the score a rebuild gives it (same corpus statistics)
    assert grown.scores(query)[3] == pytest.approx(full.scores(query)[3], rel=1e-5)
    assert grown.scores(tokens("unrelated words", "en")).sum() == 0
    empty = LexicalIndex([])
    empty.append([["only appended grain"]])
    assert empty.scores(tokens("grain", "en"))[0] > 0


def _profile(i: int, passages: int = 1, expires: str | None = None) -> Profile:
    return Profile(iri=f"urn:p{i}", name=f"p{i}", kind="offer", passages=[f"text {i} {j}" for j in range(passages)],
                   organisation="urn:o", expires=expires)


def test_index_appends_without_copying_each_time_and_retires_rows() -> None:
    rng = np.random.default_rng(1)
    base = [_profile(0, 2), _profile(1)]
    vectors = rng.random((3, 4), dtype=np.float32)
    index = MatchIndex("supply", base, vectors, np.array([0, 0, 1]), "g1", "m", {"x": vectors * 2})
    added = rng.random((2, 4), dtype=np.float32)
    index.add_profiles([_profile(2, 2)], added, {"x": added * 2})
    buffer = index.vectors.base
    assert buffer is not None and len(buffer) > len(index.vectors)  # spare rows
    index.add_profiles([_profile(3)], added[:1], {"x": added[:1] * 2})
    assert index.vectors.base is buffer  # no new copy
    assert index.owners.tolist() == [0, 0, 1, 2, 2, 3] and index.starts.tolist() == [0, 2, 3, 5]
    query = added[0]
    assert index.dense_scores(query).shape == (4,) and index.lexical.size == 4
    assert np.allclose(index.vectors_of("x")[3:5], added * 2)
    assert index.best_passage(2, query) == "text 2 0"
    assert index.retire({"urn:p1"}) == 1 and index.retired.tolist() == [False, True, False, False]
    with pytest.raises(ValueError, match="every model"):
        index.add_profiles([_profile(4)], added[:1], {})


def test_filter_columns_grow_as_if_rebuilt() -> None:
    from graph.matching._index import Concepts, FilterColumns

    concepts = Concepts(parents={"urn:RO21": ["urn:RO"], "urn:RO211": ["urn:RO21"]})  # type: ignore[arg-type]
    first = [Profile("urn:a", "a", "sme", ["x"], "urn:o", region="urn:RO211", fields=["urn:f"], trl=4),
             Profile("urn:b", "b", "HES", ["y"], "urn:o", country="urn:c/DEU")]
    later = [Profile("urn:c", "c", "offer", ["z"], "urn:o", region="urn:RO21", sectors=["urn:s"], trl=7,
                     expires="2030-01-01", illustrative=True)]
    index = MatchIndex("supply", list(first), np.eye(2, 4, dtype=np.float32), np.arange(2), "g", "m")
    grown = index.columns(concepts)
    assert grown.under("region", "urn:RO21").tolist() == [True, False]  # a cached mask, then cleared
    index.add_profiles(later, np.eye(1, 4, dtype=np.float32), {})
    assert index.columns(concepts) is grown
    fresh = FilterColumns(first + later, concepts)
    for name in ("illustrative", "expires"):
        assert getattr(grown, name).tolist() == getattr(fresh, name).tolist()
    assert np.array_equal(grown.trl, fresh.trl, equal_nan=True)
    for attribute, concept in (("region", "urn:RO21"), ("region", "urn:RO"), ("field", "urn:f"), ("sector", "urn:s")):
        assert grown.under(attribute, concept).tolist() == fresh.under(attribute, concept).tolist()
    assert grown.of_kind(["offer", "sme"]).tolist() == fresh.of_kind(["offer", "sme"]).tolist() == [True, False, True]
    assert grown.of_country(["urn:c/DEU"]).tolist() == [False, True, False]


def test_expired_rows_are_masked_by_date() -> None:
    past, future = (date.today() - timedelta(days=1)).isoformat(), (date.today() + timedelta(days=30)).isoformat()
    profiles = [_profile(0, expires=past), _profile(1, expires=future), _profile(2)]
    index = MatchIndex("supply", profiles, np.eye(3, dtype=np.float32), np.arange(3), "g", "m")
    from graph.matching import Concepts

    live = index.columns(Concepts()).expires >= date.today().toordinal()
    assert live.tolist() == [False, True, True]


@pytest.fixture
def matcher(vocab_template: Path, tmp_path: Path) -> Matcher:
    data = tmp_path / "data"
    shutil.copytree(vocab_template, data / "store", ignore=shutil.ignore_patterns("LOCK"))
    store = GraphStore(data / "store")
    assert ingest_path(store, REPO_DATA / "illustrative", name="illustrative").ok
    return Matcher(store, Settings(data_dir=data, embedding_cache=EMBEDDING_CACHE, multilingual_model=None))


def test_a_new_offer_joins_the_loaded_index_in_place(matcher: Matcher) -> None:
    index = matcher.index("supply")
    size, generation = len(index.profiles), index.generation
    records = RecordService(matcher.store, follow=matcher_follower(matcher))
    member = Actor("0badc0de", "example-agri-engineering-institute", any_organisation=False)
    record = records.create("offer", member, None, {"title": "Membrane oxygenator for fish ponds",
                                                    "description": "Aerates aquaculture ponds with hollow fibres.",
                                                    "sectors": ["03.22"]})
    assert matcher.index("supply") is index and len(index.profiles) == size + 1
    assert index.generation != generation  # stamped with the store's new generation: no rebuild follows
    profile = index.profiles[-1]
    assert profile.iri == record.iri and profile.illustrative is False and profile.sectors
    assert "Aerates aquaculture" in profile.passages[0]
    assert matcher.match("oxygenating fish ponds", limit=3).data[0]["id"] == record.iri
    withdrawn = records.withdraw("offer", record.id, member, record.etag)
    assert withdrawn.status == "withdrawn" and record_profile(matcher.store, ox_iri(record.iri), "supply") is None
    assert record.iri not in [r["id"] for r in matcher.match("oxygenating fish ponds", limit=20).data]
    assert matcher.index("supply") is index


def ox_iri(value: str):  # type: ignore[no-untyped-def]
    import pyoxigraph as ox

    return ox.NamedNode(value)
