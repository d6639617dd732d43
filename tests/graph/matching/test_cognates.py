"""Romanian words meeting English index terms by spelling: what is paired, what is left alone."""

from __future__ import annotations

import pytest

from graph.matching._cognates import CognateMap, skeleton
from graph.matching._lexical import STOPWORDS, LexicalIndex, tokens

ENGLISH_TERMS = ["technolog", "system", "sensor", "biogas", "hydrotherm", "phosphor", "carbon", "pest", "farm",
                 "ferment", "drone", "2020"]


@pytest.mark.parametrize(("english", "romanian"), [("technolog", "tehnolog"), ("hydrotherm", "hidroterm"),
                                                   ("phosphor", "fosfor"), ("biogas", "biogas"), ("system", "sistem")])
def test_skeleton_removes_the_regular_spelling_differences(english: str, romanian: str) -> None:
    assert skeleton(english) == skeleton(romanian)


def test_romanian_words_find_their_english_cognates_with_and_without_diacritics() -> None:
    cognates = CognateMap(ENGLISH_TERMS)
    found = cognates.expand("Recuperăm fosforul prin carbonizare hidrotermală, cu senzori și o dronă; biogaz")
    assert found["fosforul"] == ["phosphor"]
    assert found["hidrotermala"] == ["hydrotherm"]
    assert found["senzori"] == ["sensor"]
    assert found["biogaz"] == ["biogas"]
    assert cognates.expand("carbonizare hidrotermala")["hidrotermala"] == ["hydrotherm"]


def test_short_words_stopwords_and_words_without_a_cognate_are_left_alone() -> None:
    cognates = CognateMap(ENGLISH_TERMS)
    # peste ("fish") and ferma ("farm"): false friends among short words; namol ("sludge"): no cognate
    assert cognates.expand("peste ferma namol", STOPWORDS) == {}
    assert cognates.expand("pentru foarte", frozenset({"pentru", "foarte"})) == {}
    assert cognates.expand("") == {}


def test_the_lexical_index_builds_its_map_from_the_indexed_vocabulary() -> None:
    index = LexicalIndex([["Anaerobic digestion of brewery wastewater into biogas"], ["Drone sensors for farms"]])
    found = index.cognates("Vrem biogaz din apa uzată a fabricii de bere, cu senzori")
    assert found["biogaz"] == tokens("biogas", "en") and found["senzori"] == tokens("sensors", "en")
    assert index.scores(found["biogaz"])[0] > 0 and index.scores(found["biogaz"])[1] == 0
    assert LexicalIndex([]).cognates("biogaz") == {}
