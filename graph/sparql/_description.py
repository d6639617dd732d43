"""The SPARQL 1.1 Service Description of the endpoint (``GET /sparql`` without a query).

Why: clients and people discover what the endpoint speaks without reading our docs: the
languages (query, update), the result formats, that the default graph is the union of all
named graphs, the named graphs themselves, and the predeclared prefixes (``sh:declare``,
the SHACL vocabulary for prefix declarations, as other endpoints publish them).

>>> "sd:Service" in describe("http://localhost:8000/sparql", [], timeout_s=30, row_cap=10)
True
"""

from __future__ import annotations

import pyoxigraph as ox

from ontology._namespaces import PREFIXES

_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
            "Turtle", "N-Triples", "JSON-LD", "RDF_XML")


def describe(endpoint: str, graphs: list[ox.NamedNode], *, timeout_s: float, row_cap: int,
             update_endpoint: str | None = None, ui: str | None = None) -> str:
    """The description in Turtle."""
    node = ox.NamedNode(endpoint)
    formats = ", ".join(f"<http://www.w3.org/ns/formats/{f}>" for f in _FORMATS)
    named = " ,\n        ".join(f"[ a sd:NamedGraph ; sd:name {g} ]" for g in graphs) or "[]"
    declares = " ,\n        ".join(
        f'[ sh:prefix "{p}" ; sh:namespace "{ns}"^^xsd:anyURI ]' for p, ns in PREFIXES.items()
    )
    comment = (
        f"innograph SPARQL 1.1 endpoint. Queries see the union of all named graphs unless they name a "
        f"dataset (FROM, default-graph-uri). Every query stops after at most {timeout_s:g} s (lower with "
        f"the timeout parameter) and returns at most {row_cap} rows or triples; a cut answer carries "
        f"the header X-Innograph-Truncated: true. Updates (role editor) go to "
        f"{update_endpoint or endpoint + '/update'}; the prefixes below are predeclared."
    )
    lines = [
        "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .",
        "@prefix sh: <http://www.w3.org/ns/shacl#> .",
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        "",
        f"{node} a sd:Service ;",
        f"    sd:endpoint {node} ;",
        "    sd:supportedLanguage sd:SPARQL11Query, sd:SPARQL11Update ;",
        f"    sd:resultFormat {formats} ;",
        "    sd:feature sd:UnionDefaultGraph ;",
        f"    rdfs:comment {ox.Literal(comment)} ;",
    ]
    if ui:
        lines.append(f"    rdfs:seeAlso {ox.NamedNode(ui)} ;")
    lines += [
        "    sd:defaultDataset [ a sd:Dataset ;",
        "        sd:defaultGraph [ a sd:Graph ] ;",
        f"        sd:namedGraph {named}",
        "    ] ;",
        f"    sh:declare {declares} .",
        "",
    ]
    return "\n".join(lines)
