"""Named SPARQL queries that read matching profiles out of the store.

Kept apart from the Python that assembles profiles so analysts can read (and rerun) exactly
what innograph considers an organisation's supply or demand.
"""

ORG_FACTS = """
PREFIX org: <http://www.w3.org/ns/org#>
SELECT ?org ?p ?o WHERE {
  ?org a org:Organization ; ?p ?o .
  VALUES ?p {
    <http://www.w3.org/2004/02/skos/core#prefLabel> <http://www.w3.org/ns/regorg#legalName>
    <https://w3id.org/innograph/def#kind> <https://w3id.org/innograph/def#region>
    <https://w3id.org/innograph/def#country> <http://purl.org/dc/terms/description>
    <https://w3id.org/innograph/def#field> <https://w3id.org/innograph/def#sector>
    <https://w3id.org/innograph/def#isSME> <https://w3id.org/innograph/def#illustrative>
    <http://www.w3.org/ns/org#unitOf> <https://w3id.org/innograph/def#keyword>
  }
}
"""

ORG_COMPETENCES = """
PREFIX ig: <https://w3id.org/innograph/def#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?org ?label WHERE { ?org ig:hasCompetence ?t . ?t skos:prefLabel ?label }
"""

ORG_PROJECT_TEXTS = """
PREFIX ig: <https://w3id.org/innograph/def#>
PREFIX eurio: <http://data.europa.eu/s66#>
SELECT ?org ?project ?title ?objective ?start WHERE {
  { SELECT DISTINCT ?project WHERE { { ?project eurio:title ?t } UNION { ?project ig:objective ?o } } }
  ?part ig:inProject ?project ; ig:participant ?org .
  OPTIONAL { ?project eurio:title ?title }
  OPTIONAL { ?project ig:objective ?objective }
  OPTIONAL { ?project eurio:startDate ?start }
}
"""

#: ORG_PROJECT_TEXTS for one organisation (?org bound): the same rows, without reading every project first.
ORG_PROJECT_TEXTS_OF = """
PREFIX ig: <https://w3id.org/innograph/def#>
PREFIX eurio: <http://data.europa.eu/s66#>
SELECT ?org ?project ?title ?objective ?start WHERE {
  ?part ig:participant ?org ; ig:inProject ?project .
  FILTER EXISTS { { ?project eurio:title ?t } UNION { ?project ig:objective ?o } }
  OPTIONAL { ?project eurio:title ?title }
  OPTIONAL { ?project ig:objective ?objective }
  OPTIONAL { ?project eurio:startDate ?start }
}
"""

OFFERS_AND_REQUESTS = """
PREFIX ig: <https://w3id.org/innograph/def#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?item ?type ?owner ?p ?o WHERE {
  VALUES (?type ?link) { (ig:TechnologyOffer ig:offers) (ig:TechnologyRequest ig:needs) }
  ?item a ?type . ?owner ?link ?item .
  ?item ?p ?o .
  VALUES ?p {
    dcterms:title dcterms:description ig:trl ig:desiredTrl ig:field ig:sector ig:keyword ig:region
    ig:illustrative ig:iprStatus ig:status ig:expires
  }
}
"""

CONCEPT_LABELS = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?c ?label WHERE {
  ?c a skos:Concept ; skos:prefLabel ?label FILTER(LANG(?label) IN ("en", "ro", ""))
} ORDER BY ?c LANG(?label)
"""
