"""Who owns an offer or request, and the NUTS codes of an organisation (graph.views._owners): the one
lookup members' records and expressions of interest share."""

from __future__ import annotations

import pyoxigraph as ox

from graph.store import GraphStore
from graph.views import record_owner, region_codes_of
from ontology import IG, SKOS, entity_iri, organisation_iri

NUTS = "http://data.europa.eu/nuts/code/"


def _n(term: object) -> ox.NamedNode:
    return ox.NamedNode(str(term))


def store_with_an_offer() -> GraphStore:
    store = GraphStore(None)
    g = ox.NamedNode("https://w3id.org/innograph/graph/test")
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    org, offer, request = organisation_iri("osim"), entity_iri("offer", "o-1"), entity_iri("request", "r-1")
    county, region, country = (ox.NamedNode(NUTS + c) for c in ("RO321", "RO32", "RO"))
    quads = [
        (offer, rdf_type, _n(IG.TechnologyOffer)), (org, _n(IG.offers), offer),
        (offer, ox.NamedNode("http://purl.org/dc/terms/title"), ox.Literal("Drying grain")),
        (offer, _n(IG.status), ox.NamedNode("https://w3id.org/innograph/vocab/record-status/withdrawn")),
        (request, rdf_type, _n(IG.TechnologyRequest)), (org, _n(IG.offers), request),  # wrong link: not its need
        (org, _n(IG.region), county), (county, _n(SKOS.broader), region), (region, _n(SKOS.broader), country),
        *((c, _n(SKOS.notation), ox.Literal(c.value.rsplit("/", 1)[-1])) for c in (county, region, country)),
    ]
    store.oxigraph.extend([ox.Quad(s, p, o, g) for s, p, o in quads])
    return store


def test_the_owner_of_an_offer_with_what_a_caller_decides_on() -> None:
    found = record_owner(store_with_an_offer(), "offer", "o-1")
    assert found is not None
    assert (found.owner, found.owner_iri, found.title) == ("osim", organisation_iri("osim"), "Drying grain")
    assert found.status is not None and found.status.endswith("/withdrawn") and found.expires is None


def test_an_offer_is_not_a_request_and_unknown_or_impossible_ids_are_none() -> None:
    store = store_with_an_offer()
    assert record_owner(store, "request", "o-1") is None
    assert record_owner(store, "request", "r-1") is None  # typed a request but linked by ig:offers
    assert record_owner(store, "offer", "nope") is None
    assert record_owner(store, "offer", "has space") is None


def test_region_codes_climb_to_the_country() -> None:
    store = store_with_an_offer()
    assert region_codes_of(store, organisation_iri("osim")) == {"RO321", "RO32", "RO"}
    assert region_codes_of(store, organisation_iri("other")) == set()
