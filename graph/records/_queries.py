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
