"""The SPARQL behind the read endpoints (search index, organisation profiles, regions, vocabularies).

Why one module of named constants: the queries can be read, reviewed and tried in
``innograph sparql`` on their own (the same prefixes are predeclared there), and no query
text is ever assembled from user input: every value a caller sends is bound through
pyoxigraph ``substitutions`` (``?org``, ``?region``, ``?code``, ``?scheme``) by ``select``.
pyoxigraph only substitutes a variable the query projects, which is why each query selects
(and groups by) the variable it is called with.
"""

from __future__ import annotations

import pyoxigraph as ox

from graph.store import GraphStore
from ontology._namespaces import PREFIXES


def select(store: GraphStore, query: str, **bindings: ox.NamedNode | ox.Literal) -> list[ox.QuerySolution]:
    """Run one of the queries below over the union of all graphs, with variables bound."""
    result = store.oxigraph.query(
        query,
        prefixes=PREFIXES,
        use_default_graph_as_union=True,
        substitutions={ox.Variable(name): value for name, value in bindings.items()},  # type: ignore[misc]
    )
    return list(result)  # type: ignore[arg-type]


def ask(store: GraphStore, query: str, **bindings: ox.NamedNode | ox.Literal) -> bool:
    """Run an ASK query of this module with variables bound."""
    result = store.oxigraph.query(
        query,
        prefixes=PREFIXES,
        use_default_graph_as_union=True,
        substitutions={ox.Variable(name): value for name, value in bindings.items()},  # type: ignore[misc]
    )
    return bool(result)


# --- search index ------------------------------------------------------------------------------

#: Every label of every searchable entity; ?type tells the entity kind.
SEARCH_LABELS = """
SELECT DISTINCT ?s ?type ?p ?label WHERE {
  VALUES ?type { org:Organization org:OrganizationalCollaboration eurio:Project
                 ig:TechnologyOffer ig:TechnologyRequest skos:Concept }
  ?s a ?type .
  VALUES ?p { skos:prefLabel skos:altLabel rov:legalName dcterms:title eurio:title ig:acronym skos:notation }
  ?s ?p ?label .
}
"""

#: The scheme of every concept, to tell a NUTS region from a field of science in results.
CONCEPT_SCHEMES = "SELECT ?c ?scheme WHERE { ?c a skos:Concept ; skos:inScheme ?scheme }"


# --- organisations -----------------------------------------------------------------------------

#: Is ?org an organisation at all.
ORG_EXISTS = "ASK { ?org a org:Organization }"

ORG_UNITS = "SELECT DISTINCT ?org ?unit WHERE { ?unit org:unitOf ?org } ORDER BY ?unit"

#: Participations of ?org; aggregated per participation because two CORDIS extracts may state
#: the same participation (same IRI) with amounts written differently.
ORG_PROJECTS = """
SELECT ?org ?part ?project (SAMPLE(?r) AS ?role) (MAX(?c) AS ?ec) (MIN(?s) AS ?start) (MAX(?e) AS ?end)
WHERE {
  ?part ig:participant ?org ; ig:inProject ?project .
  OPTIONAL { ?part ig:participationRole ?r }
  OPTIONAL { ?part ig:ecContribution ?c }
  OPTIONAL { ?project eurio:startDate ?s }
  OPTIONAL { ?project eurio:endDate ?e }
} GROUP BY ?org ?part ?project
"""

#: Organisations sharing at least one project with ?org, most shared projects first.
ORG_PARTNERS = """
SELECT ?org ?other (COUNT(DISTINCT ?project) AS ?shared) WHERE {
  ?mine ig:participant ?org ; ig:inProject ?project .
  ?theirs ig:inProject ?project ; ig:participant ?other .
  FILTER (?other != ?org)
} GROUP BY ?org ?other ORDER BY DESC(?shared) ?other
"""

#: Offers (ig:offers) and requests (ig:needs) of ?org, with the TRL offered or wanted.
ORG_OFFERS_REQUESTS = """
SELECT ?org ?rel ?item (SAMPLE(?t) AS ?title) (SAMPLE(?level) AS ?trl) (SAMPLE(?ill) AS ?illustrative) WHERE {
  VALUES ?rel { ig:offers ig:needs }
  ?org ?rel ?item .
  OPTIONAL { ?item dcterms:title ?t }
  OPTIONAL { ?item ig:trl|ig:desiredTrl ?level }
  OPTIONAL { ?item ig:illustrative ?ill }
} GROUP BY ?org ?rel ?item ORDER BY ?rel ?item
"""

ORG_MEMBERSHIPS = """
SELECT ?org ?membership ?partnership (SAMPLE(?r) AS ?role) (SAMPLE(?ev) AS ?evidence) WHERE {
  ?membership org:member ?org ; org:organization ?partnership .
  OPTIONAL { ?membership org:role ?r }
  OPTIONAL { ?membership ig:evidence ?ev }
} GROUP BY ?org ?membership ?partnership ORDER BY ?partnership
"""


# --- regions -----------------------------------------------------------------------------------

#: The NUTS 2021 concept whose notation is ?code.
REGION_BY_CODE = "SELECT ?code ?region WHERE { ?region skos:inScheme igv:nuts2021 ; skos:notation ?code }"

REGION_CODES = "SELECT ?code WHERE { ?r skos:inScheme igv:nuts2021 ; skos:notation ?code } ORDER BY ?code"

REGION_CHILDREN = "SELECT ?region ?sub ?code WHERE { ?sub skos:broader ?region ; skos:notation ?code } ORDER BY ?code"

#: ?o is located in ?region: its NUTS region is ?region or below it, or (country level only) it
#: has no NUTS region and its country is the one ?region stands for (CORDIS H2020 organisations).
_LOCATED = """
  { ?sub skos:broader* ?region . ?o ig:region ?sub . BIND (false AS ?byCountry) }
  UNION
  { ?region skos:exactMatch ?country . ?o ig:country ?country .
    FILTER NOT EXISTS { ?o ig:region ?anyRegion } BIND (true AS ?byCountry) }
"""

REGION_ORGANISATIONS = f"""
SELECT DISTINCT ?region ?o ?kind ?byCountry WHERE {{
  {_LOCATED}
  ?o a org:Organization .
  OPTIONAL {{ ?o ig:kind ?kind }}
}}
"""

#: Offers of organisations located in ?region.
REGION_OFFERS = f"""
SELECT ?region (COUNT(DISTINCT ?offer) AS ?n) WHERE {{
  {_LOCATED}
  ?o ig:offers ?offer .
}} GROUP BY ?region
"""

#: Requests located in ?region: by their own NUTS code, else by their requester's location.
REGION_REQUESTS = f"""
SELECT ?region (COUNT(DISTINCT ?request) AS ?n) WHERE {{
  {{ ?request a ig:TechnologyRequest ; ig:region ?at . ?at skos:broader* ?region }}
  UNION
  {{ {_LOCATED} ?o ig:needs ?request . FILTER NOT EXISTS {{ ?request ig:region ?own }} }}
}} GROUP BY ?region
"""

#: Participations of organisations located in ?region (summed in Python: amounts are decimals,
#: and one participation stated by two CORDIS extracts must count once).
REGION_PARTICIPATIONS = f"""
SELECT DISTINCT ?region ?part ?project ?ec WHERE {{
  {_LOCATED}
  ?part ig:participant ?o ; ig:inProject ?project .
  OPTIONAL {{ ?part ig:ecContribution ?ec }}
}}
"""


# --- vocabularies ------------------------------------------------------------------------------

SCHEMES = """
SELECT ?scheme (SAMPLE(?t) AS ?title) (SAMPLE(?d) AS ?description) (SAMPLE(?l) AS ?license)
       (COUNT(DISTINCT ?c) AS ?concepts) WHERE {
  ?scheme a skos:ConceptScheme .
  OPTIONAL { ?scheme dcterms:title ?t }
  OPTIONAL { ?scheme dcterms:description ?d }
  OPTIONAL { ?scheme dcterms:license ?l }
  OPTIONAL { ?c skos:inScheme ?scheme }
} GROUP BY ?scheme ORDER BY ?scheme
"""

SCHEME_CONCEPTS = """
SELECT ?scheme ?c (SAMPLE(?n) AS ?notation) WHERE {
  ?c skos:inScheme ?scheme .
  OPTIONAL { ?c skos:notation ?n }
} GROUP BY ?scheme ?c
"""
