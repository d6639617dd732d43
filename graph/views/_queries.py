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

from graph.store import PROVENANCE_GRAPH, GraphStore
from ontology._keys import graph_iri
from ontology._namespaces import PREFIXES


def select(store: GraphStore, query: str, **bindings: ox.NamedNode | ox.Literal) -> list[ox.QuerySolution]:
    """Run one of the queries below over the union of all graphs, with variables bound."""
    result = store.oxigraph.query(
        query,
        prefixes=PREFIXES,
        use_default_graph_as_union=True,
        substitutions={ox.Variable(name): value for name, value in bindings.items()},
    )
    return list(result)  # type: ignore[arg-type]


def ask(store: GraphStore, query: str, **bindings: ox.NamedNode | ox.Literal) -> bool:
    """Run an ASK query of this module with variables bound."""
    result = store.oxigraph.query(
        query,
        prefixes=PREFIXES,
        use_default_graph_as_union=True,
        substitutions={ox.Variable(name): value for name, value in bindings.items()},
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

#: Organisations sharing at least one project with ?org, with the number of shared projects
#: (sorted in Python: ORDER BY added 40% to the 200 ms this takes for CNRS, 1,372 projects).
ORG_PARTNERS = """
SELECT ?org ?other (COUNT(DISTINCT ?project) AS ?shared) WHERE {
  ?mine ig:participant ?org ; ig:inProject ?project .
  ?theirs ig:inProject ?project ; ig:participant ?other .
  FILTER (?other != ?org)
} GROUP BY ?org ?other
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

#: The organisation that offers or needs ?item (an ig:TechnologyOffer or ig:TechnologyRequest),
#: with the facts a member's edit or an expression of interest decides on (``_owners``).
RECORD_OWNER = """
SELECT ?item ?owner ?type (SAMPLE(?t) AS ?title) (SAMPLE(?s) AS ?status) (SAMPLE(?e) AS ?expires) WHERE {
  VALUES (?type ?link) { (ig:TechnologyOffer ig:offers) (ig:TechnologyRequest ig:needs) }
  ?item a ?type . ?owner ?link ?item .
  OPTIONAL { ?item dcterms:title ?t }
  OPTIONAL { ?item ig:status ?s }
  OPTIONAL { ?item ig:expires ?e }
} GROUP BY ?item ?owner ?type ORDER BY ?owner
"""

#: The NUTS codes of ?org's region and of every region above it.
ORG_REGION_CODES = "SELECT DISTINCT ?org ?code WHERE { ?org ig:region ?r . ?r skos:broader* ?up . ?up skos:notation ?code }"

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

# Why three small queries and Python instead of one query per count: joined with the rest of a
# count (``?o a org:Organization``, participations), the UNION of the two ways of being located
# made Oxigraph start from all 36k organisations: 0.6-4.6 s per summary, against under 10 ms
# for these queries plus direct index reads of each located organisation's facts.

#: Organisations whose NUTS region is ?region or lies under it.
REGION_ORGS_BY_NUTS = "SELECT DISTINCT ?region ?o WHERE { ?sub skos:broader* ?region . ?o ig:region ?sub }"

#: Organisations with no NUTS region, located only by the country ?region stands for (RO only).
REGION_ORGS_BY_COUNTRY = """
SELECT DISTINCT ?region ?o WHERE {
  ?region skos:exactMatch ?country . ?o ig:country ?country .
  FILTER NOT EXISTS { ?o ig:region ?anyRegion }
}
"""

#: Requests that carry their own NUTS code at or under ?region.
REGION_REQUESTS_OWN = """
SELECT DISTINCT ?region ?request WHERE {
  ?request a ig:TechnologyRequest ; ig:region ?at . ?at skos:broader* ?region
}
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


# --- vocabularies ------------------------------------------------------------------------------

#: When each vocabulary graph was last written (its PROV runs): the key of the request-code tables.
#: Built from constants only (the provenance graph and the vocabulary graphs' IRI prefix).
VOCABULARY_RUNS = f"""
SELECT ?graph (MAX(STR(?ended)) AS ?last) WHERE {{
  GRAPH {PROVENANCE_GRAPH} {{ ?run prov:generated ?graph ; prov:endedAtTime ?ended }}
  FILTER(STRSTARTS(STR(?graph), "{graph_iri("vocab-").value}"))
}} GROUP BY ?graph
"""
