"""The incremental scoring of graph/matching/_saved.py gives the matcher's own scores.

Profiles already in the index are scored as if they were new, against a saved need whose top 10 is
emptied (so nothing is excluded): each must get the score POST /match gives it, for English and
Romanian needs (different dense channels), with context signals, filters, and both directions.
Equal, not close: both paths run the same fusion and signal functions on the same float32 inputs
(``convex_fusion``, ``combine_dense``, ``signal_total``); this was 2e-3 while _saved.py had its own
copy of the formula.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from graph.alerts import save_query, score_batch
from graph.matching import MatchContext, Matcher, MatchFilters


@pytest.mark.parametrize(
    ("text", "direction", "filters", "context"),
    [
        ("we need a cheaper way to dry grain without gas", "supply", {}, {"region": "RO21"}),
        ("Căutăm o metodă mai ieftină de uscare a cerealelor fără gaz", "supply", {}, {"sectors": ["01.11"]}),
        ("predictive maintenance of machine tools", "supply", {"kinds": ["offer"]}, {"trl": 6}),
        ("camera-based inspection of fabric defects", "demand", {}, {}),
    ],
)
def test_batch_scores_equal_the_matchers(make_client: Callable[..., TestClient], text: str, direction: str,
                                         filters: dict[str, object], context: dict[str, object]) -> None:
    matcher: Matcher = make_client().app.state.matcher  # type: ignore[attr-defined]
    f, c = MatchFilters(**filters), MatchContext(**context)  # type: ignore[arg-type]
    expected = {r["id"]: r["score"] for r in matcher.match(text, direction, filters=f, context=c, limit=10).data}  # type: ignore[arg-type]
    query = save_query(matcher, text, direction, f, c)  # type: ignore[arg-type]
    assert [iri for iri, _ in query.top] == list(expected)
    query.top = []
    index = matcher.index(direction)  # type: ignore[arg-type]
    positions = [i for i, p in enumerate(index.profiles) if p.iri in expected]
    others = [i for i, p in enumerate(index.profiles) if p.iri not in expected][:200]
    found = {c.profile.iri: c.score for c in score_batch(matcher, index, positions + others, [query])}
    for iri, score in expected.items():
        assert found[iri] == score, iri
    if filters.get("kinds"):
        assert {index.profiles[i].kind for i in others if index.profiles[i].iri in found} <= {"offer"}


def test_profiles_appended_since_the_build_score_as_in_match(make_client: Callable[..., TestClient]) -> None:
    """A member's record is appended to the loaded index (no rebuild): its BM25 comes from the lexical
    index's appended documents, and a saved need scores it as /match does."""
    import dataclasses

    import numpy as np

    matcher: Matcher = make_client().app.state.matcher  # type: ignore[attr-defined]
    text = "we need a cheaper way to dry grain without gas"
    index = matcher.index("supply")
    best = matcher.match(text, "supply", limit=1).data[0]
    i = next(i for i, p in enumerate(index.profiles) if p.iri == best["id"])
    twin = dataclasses.replace(index.profiles[i], iri="urn:test:appended-twin", passages=list(index.profiles[i].passages))
    rows = slice(int(index.starts[i]), int(index.starts[i]) + len(twin.passages))
    index.add_profiles([twin], np.array(index.vectors[rows]), {k: np.array(v[rows]) for k, v in index.extra.items()})
    expected = {r["id"]: r["score"] for r in matcher.match(text, "supply", limit=20).data}
    assert twin.iri in expected
    query = save_query(matcher, text, "supply", MatchFilters(), MatchContext())
    query.top = []
    found = {c.profile.iri: c.score for c in score_batch(matcher, index, [len(index.profiles) - 1], [query])}
    assert found[twin.iri] == expected[twin.iri]
