"""Concepts recognised in needs through the vocabularies' Romanian and English labels."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.matching._concept_bridge import ConceptBridge
from graph.store import GraphStore


@pytest.fixture(scope="module")
def bridge(vocab_template: Path, tmp_path_factory: pytest.TempPathFactory) -> ConceptBridge:
    import shutil

    target = tmp_path_factory.mktemp("bridge") / "store"
    shutil.copytree(vocab_template, target, ignore=shutil.ignore_patterns("LOCK"))
    return ConceptBridge.from_store(GraphStore(target))


def notations(bridge: ConceptBridge, text: str) -> list[str | None]:
    return [c.notation for c in bridge.recognise(text).concepts]


def test_caen_label_in_romanian_gives_the_nace_class_with_its_english_label(bridge: ConceptBridge) -> None:
    found = bridge.recognise("Activități auxiliare pentru producția vegetală, în regiunea Nord-Est")
    nace = [c for c in found.concepts if c.scheme == "nace2"]
    assert nace[0].notation == "01.61"
    assert nace[0].label_en == "Support activities for crop production"
    assert "Support activities for crop production" in found.expansion
    regions = [c for c in found.concepts if c.scheme == "nuts2021"]
    assert regions and regions[0].label_ro == "Nord-Est"
    assert found.summary().startswith("NACE 01.61 Support activities for crop production")
    assert "region Nord-Est" in found.summary()


def test_diacritics_cedilla_and_comma_below_are_the_same(bridge: ConceptBridge) -> None:
    with_marks = notations(bridge, "Suntem o firmă din Iași")
    cedilla = notations(bridge, "Suntem o firmă din Iaşi")
    plain = notations(bridge, "suntem o firma din iasi")
    assert with_marks == cedilla == plain
    assert with_marks and with_marks[0] is not None and with_marks[0].startswith("RO")


def test_inflected_romanian_words_match_through_the_stemmer(bridge: ConceptBridge) -> None:
    # "Cultivarea legumelor ..." (CAEN 01.13) named by inflected forms, without diacritics
    found = bridge.recognise("cultivam legume si pepeni, radacinoase si tuberculi")
    assert "01.13" in [c.notation for c in found.concepts]


def test_english_label_is_recognised_too(bridge: ConceptBridge) -> None:
    assert "01.61" in notations(bridge, "support activities for crop production")


def test_trl_is_read_from_the_text(bridge: ConceptBridge) -> None:
    assert bridge.recognise("we need a prototype at TRL 6").trl == 6
    assert bridge.recognise("un prototip trl4").trl == 4


def test_nothing_is_recognised_in_stop_words_or_digits(bridge: ConceptBridge) -> None:
    assert bridge.recognise("si sau de la pe cu").concepts == []
    assert bridge.recognise("12345 678").concepts == []
    assert bridge.recognise("").summary() == ""
