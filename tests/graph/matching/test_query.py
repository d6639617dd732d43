"""Reading a match text: language, dense channels, query terms, and the refusal of wordless text."""

from __future__ import annotations

import numpy as np
import pytest

from common.errors import InvalidInputError
from graph.matching._query import ENGLISH, MULTILINGUAL, combine_dense, plan


@pytest.mark.parametrize(
    ("text", "policy", "channels"),
    [
        ("we need a cheaper way to dry grain", "auto", [ENGLISH]),
        ("cautam o metoda de uscare a cerealelor", "auto", [MULTILINGUAL]),
        ("Wir suchen eine Methode zur Getreidetrocknung", "auto", [MULTILINGUAL]),
        ("cautam o metoda de uscare a cerealelor", "english", [ENGLISH]),
        ("we need a cheaper way to dry grain", "multilingual", [MULTILINGUAL]),
        ("we need a cheaper way to dry grain", "both", [ENGLISH, MULTILINGUAL]),
    ],
)
def test_channels_follow_the_policy_and_the_language(text: str, policy: str, channels: list[str]) -> None:
    assert plan(text, policy, None, have_multilingual=True).channels == channels


def test_without_the_multilingual_model_everything_goes_to_minilm() -> None:
    assert plan("cautam o metoda de uscare", "auto", None, have_multilingual=False).channels == [ENGLISH]


def test_romanian_terms_are_stemmed_in_romanian_with_diacritics_folded() -> None:
    with_marks = plan("uscarea cerealelor și îngrășăminte", "auto", None, True).lexical_terms
    without = plan("uscarea cerealelor si ingrasaminte", "auto", None, True).lexical_terms
    assert with_marks == without == ["uscar", "cereal", "ingrasamint"]


@pytest.mark.parametrize("text", ["🙂🌾", "?!", "\u200b"])
def test_text_without_letters_or_digits_is_refused_naming_the_field(text: str) -> None:
    with pytest.raises(InvalidInputError) as raised:
        plan(text, "auto", None, True)
    assert "text" in str(raised.value)


def test_explanation_names_the_language_and_channels() -> None:
    understood = plan("12345", "auto", None, True).explanation()
    assert understood["language"] == "none" and understood["channels"][0] == "lexical"
    assert understood["summary"] == "" and understood["concepts"] == []


def test_channels_are_fused_on_per_query_normalised_scores() -> None:
    e5 = np.array([0.80, 0.85, 0.90])  # bunched, as e5's cosines are
    minilm = np.array([0.6, 0.1, 0.0])
    fused = combine_dense({ENGLISH: minilm, MULTILINGUAL: e5})
    assert np.allclose(fused, [0.5, (1 / 6 + 0.5) / 2, 0.5])
    assert combine_dense({MULTILINGUAL: e5}) is e5  # one channel keeps its raw scores
