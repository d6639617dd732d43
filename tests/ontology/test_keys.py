"""The one IRI scheme (``ontology._keys``): natural keys and API ids to IRIs and back."""

from __future__ import annotations

import pytest

import ontology
from ontology import (
    IRI_PREFIXES,
    ORG_PREFIX,
    entity_id,
    entity_iri,
    entity_prefix,
    org_iri,
    organisation_id,
    organisation_iri,
)


@pytest.mark.parametrize("org_id", ["osim", "pic/999918293", "adr-nord-est", "unit.x_1"])
def test_an_organisation_id_goes_to_its_iri_and_back(org_id: str) -> None:
    iri = organisation_iri(org_id)
    assert iri.value == "https://w3id.org/innograph/id/org/" + org_id
    assert organisation_id(iri.value) == org_id


@pytest.mark.parametrize(("key", "org_id"), [("pic:999918293", "pic/999918293"), ("osim", "osim")])
def test_an_ingest_key_and_the_api_id_name_the_same_iri(key: str, org_id: str) -> None:
    assert org_iri(key) == organisation_iri(org_id)
    assert organisation_id(org_iri(key).value) == org_id


@pytest.mark.parametrize("iri", ["https://w3id.org/innograph/id/offer/o-1", "http://example.org/org/osim",
                                 "https://w3id.org/innograph/id/organisation/x", ""])
def test_other_iris_have_no_organisation_id(iri: str) -> None:
    assert organisation_id(iri) is None


def test_an_id_no_iri_may_hold_is_refused() -> None:
    with pytest.raises(ValueError):
        organisation_iri("has space")
    with pytest.raises(ValueError):
        org_iri("pic:12345")  # a PIC has 9 digits


@pytest.mark.parametrize("kind", ["offer", "request", "project", "partnership"])
def test_an_entity_key_goes_to_its_iri_and_back(kind: str) -> None:
    iri = entity_iri(kind, "rcn", "212345")
    assert iri.value == f"https://w3id.org/innograph/id/{kind}/rcn/212345"
    assert entity_id(kind, iri.value) == "rcn/212345"
    assert entity_id("other", iri.value) is None


def test_the_prefixes_clients_read_are_the_ones_iris_are_built_with() -> None:
    assert IRI_PREFIXES["organisation"] == ORG_PREFIX == organisation_iri("x").value[:-1]
    for kind in ("offer", "request", "project"):
        assert IRI_PREFIXES[kind] == entity_prefix(kind)
        assert entity_iri(kind, "k").value == IRI_PREFIXES[kind] + "k"


def test_the_scheme_is_the_packages_public_face() -> None:
    assert {"ORG_PREFIX", "IRI_PREFIXES", "organisation_iri", "organisation_id", "org_iri", "entity_iri",
            "entity_id", "entity_prefix", "graph_iri"} <= set(ontology.__all__)
