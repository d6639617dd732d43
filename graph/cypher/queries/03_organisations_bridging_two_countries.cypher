// Question: Which organisations of one country already work with partners in another, and with how many (the bridges a broker can use)?
// For: broker
// Param: from_country = "RO"
// Param: to_country = "MD"
MATCH (a:Organisation {country: $from_country})-[:PARTICIPATES_IN]->(j:Project)
      <-[:PARTICIPATES_IN]-(b:Organisation {country: $to_country})
RETURN a.iri AS iri, a.name AS organisation, a.kind AS kind,
       count(DISTINCT b) AS partners_there, count(DISTINCT j) AS shared_projects
ORDER BY partners_there DESC, shared_projects DESC, iri
LIMIT 25
