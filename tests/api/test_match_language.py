"""POST /match?lang=ro: the same ranking, its readable words in Romanian (graph.match_language)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

NEED = {"text": "Căutăm parteneri pentru activități auxiliare pentru producția vegetală în regiunea Nord-Est",
        "context": {"region": "RO21", "sectors": ["01.61"]}, "limit": 10}


@pytest.fixture
def answers(make_client: Callable[..., TestClient]) -> dict[str, dict]:
    client = make_client()
    out = {}
    for lang in ("en", "ro"):
        response = client.post(f"/match?lang={lang}", json=NEED)
        assert response.status_code == 200, response.text
        out[lang] = response.json()
    default = client.post("/match", json=NEED)
    assert default.json() == out["en"]  # English unless asked
    return out


def test_the_ranking_is_the_same_in_both_languages(answers: dict[str, dict]) -> None:
    assert [r["id"] for r in answers["ro"]["data"]] == [r["id"] for r in answers["en"]["data"]]
    assert [r["score"] for r in answers["ro"]["data"]] == [r["score"] for r in answers["en"]["data"]]
    assert [r["explanation"]["matched_terms"] for r in answers["ro"]["data"]] == \
        [r["explanation"]["matched_terms"] for r in answers["en"]["data"]]


def test_the_understood_summary_and_language_name_are_romanian(answers: dict[str, dict]) -> None:
    en, ro = answers["en"]["understood"], answers["ro"]["understood"]
    assert "NACE 01.61 Support activities for crop production" in en["summary"], en
    assert "CAEN 01.61 Activități auxiliare pentru producția vegetală" in ro["summary"], ro
    assert "regiune Nord-Est" in ro["summary"], ro
    assert (en["language_name"], ro["language_name"]) == ("Romanian", "română")
    assert answers["ro"]["data"][0]["explanation"]["understood"] == ro["summary"]


def test_shared_sector_labels_are_romanian_where_the_vocabulary_has_them(answers: dict[str, dict]) -> None:
    def shared(lang: str) -> dict[str, str]:
        return {c["iri"]: c["label"] for r in answers[lang]["data"] for c in r["explanation"]["shared_concepts"]}

    en, ro = shared("en"), shared("ro")
    assert en.keys() == ro.keys() and en, en
    sectors = [iri for iri in en if "/nace" in iri.lower() or "/caen" in iri.lower()]
    assert sectors, en
    assert all(ro[iri] != en[iri] for iri in sectors), (en, ro)
    assert any("vegetal" in ro[iri].lower() for iri in sectors), ro


def test_an_unsupported_language_is_a_422_naming_lang(make_client: Callable[..., TestClient]) -> None:
    response = make_client().post("/match?lang=fr", json=NEED)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert any(error["field"] == "lang" for error in response.json()["errors"]), response.json()


def test_an_organisation_profile_names_its_concepts_in_romanian(make_client: Callable[..., TestClient]) -> None:
    client = make_client()
    en = client.get("/organisations/osim").json()
    ro = client.get("/organisations/osim?lang=ro").json()
    assert en["kind"]["label"] == "patent office" and ro["kind"]["label"] == "oficiu de brevete", (en["kind"], ro["kind"])
    assert ro["kind"]["iri"] == en["kind"]["iri"] and ro["name"] == en["name"]  # names and ids are data: unchanged
    assert ro["country"]["label"] != en["country"]["label"], (en["country"], ro["country"])
    assert client.get("/organisations/osim?lang=de").status_code == 422
