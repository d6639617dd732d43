"""The label index behind GET /search: folding, ranking, kinds, and rebuilding after an ingest."""

from __future__ import annotations

from pathlib import Path

import pytest

from common.errors import InvalidInputError
from graph.store import GraphStore, store_generation
from graph.views._entities import Entity, LabelIndex, Match, label_index, normalise, search
from ingest.loading import ingest_path
from tests.ingest.readers.test_tabular import ORGS, write


def index() -> LabelIndex:
    entities = [
        Entity("urn:a", "organisation", "Oficiul de Stat pentru Invenții și Mărci"),
        Entity("urn:b", "project", "Sisteme de stat"),
        Entity("urn:c", "organisation", "Agenția pentru Dezvoltare Regională Nord-Est"),
        Entity("urn:d", "concept", "stat", "x"),
        Entity("urn:e", "organisation", "Prostate research"),
    ]
    labels = [(0, entities[0].label), (0, "OSIM"), (1, entities[1].label), (2, entities[2].label),
              (3, "stat"), (4, entities[4].label)]
    return LabelIndex(entities, labels)


def test_normalise_folds_both_romanian_spellings() -> None:
    assert normalise("Ştiinţă ȘTIINȚĂ  Mărci") == normalise("stiinta stiinta marci") == "stiinta stiinta marci"


def test_ranking_exact_prefix_word_contains() -> None:
    page = index().search("STAT")
    assert [(h.entity.iri, h.match) for h in page.hits] == [
        ("urn:d", Match.exact), ("urn:a", Match.word), ("urn:b", Match.word), ("urn:e", Match.contains),
    ]
    assert page.count == 4


def test_tokens_must_start_words_in_any_order() -> None:
    hits = index().search("est nord").hits
    assert [(h.entity.iri, h.match) for h in hits] == [("urn:c", Match.tokens)]
    assert index().search("nord ost").count == 0  # "ost" starts no word
    assert [(h.entity.iri, h.match) for h in index().search("nord est").hits] == [("urn:c", Match.word)]


def test_kinds_paging_and_empty_query() -> None:
    idx = index()
    assert {h.entity.kind for h in idx.search("stat", kinds=["organisation"]).hits} == {"organisation"}
    assert [h.entity.iri for h in idx.search("stat", limit=1, offset=1).hits] == ["urn:a"]
    with pytest.raises(InvalidInputError):
        idx.search("  ")


def test_index_is_rebuilt_after_an_ingest(store: GraphStore, tmp_path: Path) -> None:
    before = store_generation(store)
    assert search(store, "oficiul de stat").count == 0
    first = label_index(store)
    assert label_index(store) is first  # same generation, same index
    ingest_path(store, write(tmp_path / "src", "organisations.csv", ORGS).parent, name="demo")
    assert store_generation(store) != before
    hit = search(store, "oficiul de stat").hits[0]
    assert hit.entity.id == "osim" and hit.matched_label.startswith("Oficiul")


def test_every_match_kind_has_the_name_the_api_answers() -> None:
    from graph.views._entities import MATCH_NAMES

    assert {kind: kind.name for kind in Match} == MATCH_NAMES
