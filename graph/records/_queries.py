"""Named SPARQL queries of members' records (parameters bound as RDF terms, never spliced)."""

#: The record changes of ?item, oldest first: its history.
RECORD_HISTORY = """
PREFIX ig: <https://w3id.org/innograph/def#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?item ?prov ?run ?ended ?agent ?text WHERE {
  GRAPH ?prov { ?run a ig:RecordChange ; ig:changedRecord ?item ; prov:endedAtTime ?ended ;
                     prov:wasAssociatedWith ?agent ; ig:updateText ?text }
} ORDER BY ?ended ?run
"""

#: Labels (English, Romanian, plain) of one concept, as matching profiles quote them.
CONCEPT_LABEL = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?c ?label WHERE { ?c skos:prefLabel ?label FILTER(LANG(?label) IN ("en", "ro", "")) } ORDER BY LANG(?label)
"""

#: Every offer and request of the organisation ?org with its status as of ?today (an xsd:date):
#: the stored ``ig:status`` (published when absent, as for records loaded from source files), and
#: ``expired`` for a published record whose ``ig:expires`` is before ?today. One row per value of
#: ``dcterms:modified`` (one for members' records); ``organisation_records`` keeps the latest.
ORGANISATION_RECORDS = """
PREFIX ig: <https://w3id.org/innograph/def#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?org ?today ?item ?type ?effective ?expires ?modified WHERE {
  VALUES (?type ?link) { (ig:TechnologyOffer ig:offers) (ig:TechnologyRequest ig:needs) }
  ?org ?link ?item . ?item a ?type .
  OPTIONAL { ?item ig:status ?s }
  OPTIONAL { ?item ig:expires ?expires }
  OPTIONAL { ?item dcterms:modified ?modified }
  BIND(IF(BOUND(?s), STRAFTER(STR(?s), "https://w3id.org/innograph/vocab/record-status/"), "published") AS ?stored)
  BIND(IF(?stored = "published" && BOUND(?expires) && ?expires < ?today, "expired", ?stored) AS ?effective)
}
"""
