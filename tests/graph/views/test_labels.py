"""The one rule display names are chosen by (graph.views._labels.label_key / choose)."""

from __future__ import annotations

from graph.views import choose, is_placeholder


def test_honest_placeholders_are_recognised_old_and_new() -> None:
    for text in ("PIC 999981149", "unnamed organisation, PIC 999981149, Germany, research organisation",
                 "H2020 project RCN 229886", "H2020 project, LEIT, 2017-2020, RCN 229886", "H2020 project, RCN 1"):
        assert is_placeholder(text), text
    assert not is_placeholder("TECHNISCHE UNIVERSITAET MUENCHEN")
    assert not is_placeholder("unnamed organisation research group")  # a name that merely starts alike


def test_real_name_beats_placeholder_whatever_the_property() -> None:
    labels = [(0, "", "unnamed organisation, PIC 999977463, Germany, higher or secondary education"),
              (1, "", "TECHNISCHE UNIVERSITAET MUENCHEN")]
    assert choose(labels) == "TECHNISCHE UNIVERSITAET MUENCHEN"


def test_a_name_that_lost_the_directory_precedence_comes_after_the_winner() -> None:
    """The composite says 'Alpha Ltd' (prefLabel); the H2020 directory chose 'ALPHA LIMITED' and kept the other as altLabel."""
    labels = [(0, "", "Alpha Ltd"), (0, "", "ALPHA LIMITED")]
    assert choose(labels) == "ALPHA LIMITED"  # alphabetical without the rule ...
    assert choose([(0, "", "ALPHA LIMITED"), (0, "", "Alpha Ltd"), (6, "", "ALPHA LIMITED")],
                  frozenset({"ALPHA LIMITED"})) == "Alpha Ltd"
    assert choose(labels, frozenset({"Alpha Ltd"})) == "ALPHA LIMITED"
