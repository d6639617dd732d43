// Question: Who are the consortium members of the projects funded under a programme part in which an organisation of a given country takes part?
// For: broker
// Param: country = "RO"
// Param: programme = "SC2"
MATCH (:Organisation {country: $country})-[:PARTICIPATES_IN]->(j:Project)-[:FUNDED_UNDER]->(:Programme {code: $programme})
WITH DISTINCT j
MATCH (m:Organisation)-[p:PARTICIPATES_IN]->(j)
RETURN j.iri AS project, coalesce(j.acronym, j.name) AS project_name, m.iri AS member_iri,
       m.name AS member, m.country AS country, p.role AS role, p.ec_contribution AS ec_contribution
ORDER BY project, member_iri, role
LIMIT 500
