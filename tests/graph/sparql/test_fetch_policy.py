"""graph.sparql._fetch_policy: SERVICE and LOAD are found where the parser sees them, and only there."""

from __future__ import annotations

import pytest

from common.errors import FetchRefusedError
from graph.sparql import check_query, check_update
from graph.store import GraphStore
from tests.recording_listener import recording_listener

URL = "http://127.0.0.1:9/sparql"


@pytest.mark.parametrize("query", [
    f"SELECT * WHERE {{ SERVICE <{URL}> {{ ?s ?p ?o }} }}",
    f"select * where {{ service silent <{URL}> {{ ?s ?p ?o }} }}",
    f"SELECT * WHERE {{ VALUES ?e {{ <{URL}> }} SERVICE ?e {{ ?s ?p ?o }} }}",
    "PREFIX e: <http://127.0.0.1:9/> SELECT * WHERE { SERVICE e:sparql { ?s ?p ?o } }",
    f"SELECT * WHERE {{ ?s ?p ?o # a comment\n SERVICE\n<{URL}>{{?s ?p ?o}} }}",
    f"ASK {{ {{ SELECT * WHERE {{ SERVICE <{URL}> {{ ?s ?p ?o }} }} }} }}",
    # the lexer reads `<1)SERVICE?x#>` as an IRI; the parser sees `<` then SERVICE ?x: caught by the re-parse
    f"SELECT * WHERE {{ VALUES ?x {{ <{URL}> }} FILTER(1<1)SERVICE?x#>\n{{ ?s ?p ?o }} }}",
])
def test_service_is_refused_in_every_form(query):
    with pytest.raises(FetchRefusedError):
        check_query(query)


@pytest.mark.parametrize("query", [
    "SELECT ?service WHERE { ?service a <http://example.org/service> }",
    'SELECT * WHERE { ?s ?p "SERVICE <http://127.0.0.1:9/> { }" }',
    "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://127.0.0.1:9/> { }",
    "PREFIX service: <http://example.org/> SELECT * WHERE { ?s service:load ?o }",
    "SELECT (COUNT(*) AS ?load) WHERE { ?s ?p ?o }",
    "SELECT * WHERE { ?s ?p 'customer service' }",
])
def test_the_word_elsewhere_is_fine(query):
    check_query(query)


def test_allowed_endpoints_only():
    allowed = "https://query.example.org/sparql"
    check_query(f"SELECT * WHERE {{ SERVICE <{allowed}> {{ ?s ?p ?o }} }}", (allowed,))
    with pytest.raises(FetchRefusedError, match="not an endpoint this server may reach"):
        check_query(f"SELECT * WHERE {{ SERVICE <{URL}> {{ ?s ?p ?o }} }}", (allowed,))
    with pytest.raises(FetchRefusedError, match="full IRI"):
        check_query("SELECT * WHERE { SERVICE ?e { ?s ?p ?o } }", (allowed,))


@pytest.mark.parametrize("update", [
    f"LOAD <{URL}>",
    f"load silent <{URL}> into graph <http://example.org/g>",
    f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{URL}> {{ ?s ?p ?o }} }}",
    f"INSERT DATA {{ <http://a> <http://b> 1 }} ; LOAD <{URL}>",
])
def test_updates_never_fetch(update):
    with pytest.raises(FetchRefusedError):
        check_update(update)


def test_an_update_naming_the_word_is_fine():
    check_update('INSERT DATA { <http://example.org/a> <http://example.org/label> "load and service" }')
    check_update("DELETE WHERE { ?load <http://example.org/service> ?o }")


def test_the_checks_connect_nowhere_and_the_engine_would_have():
    """The refusal happens before the engine: the same text run by pyoxigraph itself does connect."""
    with recording_listener() as listener:
        query = f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"
        disguised = f"SELECT * WHERE {{ VALUES ?x {{ <{listener.url}> }} FILTER(1<1)SERVICE?x#>\n{{ ?s ?p ?o }} }}"
        for text in (query, disguised):
            with pytest.raises(FetchRefusedError):
                check_query(text)
        with pytest.raises(FetchRefusedError):
            check_update(f"LOAD <{listener.url}>")
        assert listener.connections == 0
        list(GraphStore(None).oxigraph.query(query))  # what the check prevents
        assert listener.connections == 1
