"""Matching profiles carry what the organisation directory adds (issue 11, item 6): real names and
Romanian counties, so the region signal and region filters reach CORDIS organisations."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graph.matching import build_profiles
from graph.store import GraphStore
from graph.views import is_placeholder
from ingest.bundled import REPO_DATA
from ingest.loading import ingest_path


@pytest.fixture(scope="module")
def store(vocab_template: Path, tmp_path_factory: pytest.TempPathFactory) -> GraphStore:
    data = tmp_path_factory.mktemp("profiles")
    shutil.copytree(vocab_template, data / "store")
    store = GraphStore(data / "store")
    assert ingest_path(store, REPO_DATA / "cordis" / "composite").records_written > 2000
    return store


def _romanian_cordis(store: GraphStore) -> dict[str, tuple[str, str | None]]:
    """Romanian organisations known by PIC among the supply profiles: iri -> (name, county code or None)."""
    profiles = build_profiles(store, "supply").profiles
    return {p.iri: (p.name, p.region.rsplit("/", 1)[-1] if p.region else None) for p in profiles
            if "/pic/" in p.iri and (p.country or "").endswith("/ROU")}


def test_the_directory_names_and_places_romanian_cordis_profiles(store: GraphStore) -> None:
    before = _romanian_cordis(store)
    assert len(before) >= 10 and not any(county for _, county in before.values())
    assert ingest_path(store, REPO_DATA / "cordis" / "organisation_directory").kind == "cordis-organisations"
    after = _romanian_cordis(store)
    assert after.keys() == before.keys()  # the directory adds facts, never an organisation or a profile
    placed = {name: county for name, county in after.values() if county}
    assert len(placed) >= 6, placed
    assert all(county.startswith("RO") and len(county) == 5 for county in placed.values())
    assert not any(is_placeholder(name) for name in placed)
    assert placed["SC IPA SA"] == "RO321"  # Bucharest
    unnamed = [name for name, county in after.values() if not county]
    assert all(is_placeholder(name) for name in unnamed)  # what the directory does not know stays honest


@pytest.mark.parametrize("direction", ["supply", "demand"])
def test_one_organisations_profile_is_what_the_full_build_gives(store: GraphStore, direction: str) -> None:
    """``organisation_profile_of`` (the in-place path of PATCH /organisations/{id}) reads one
    organisation as ``build_profiles`` reads all of them: same profile, same offers or requests."""
    import pyoxigraph as ox

    from graph.matching import organisation_profile_of

    assert ingest_path(store, REPO_DATA / "illustrative").records_written >= 0
    built = {p.iri: p for p in build_profiles(store, direction).profiles}  # type: ignore[arg-type]
    organisations = sorted({p.organisation for p in built.values()})
    sample = [o for o in organisations if "/pic/" not in o] + [o for o in organisations if "/pic/" in o][:30]
    assert len(sample) >= 5
    for iri in sample:
        profile, items = organisation_profile_of(store, ox.NamedNode(iri), direction)  # type: ignore[arg-type]
        assert profile == built.get(iri), iri
        assert {p.iri: p for p in items} == {k: p for k, p in built.items() if p.organisation == iri and k != iri}, iri
