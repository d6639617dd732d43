// Question: Which SMEs of a country have no research organisation in their development region active in their sector (by profile or by an offer)?
// Dialect: one table per node, so the SME label of Neo4j is the is_sme property here.
MATCH (s:Organisation {is_sme: true, country: $country})-[:LOCATED_IN]->(:Region)-[:BROADER*0..2]->(d:Region {level: 2})
MATCH (s)-[:IN_SECTOR]->(sec:Sector)
WHERE NOT EXISTS {
  MATCH (u:Organisation)-[:LOCATED_IN]->(:Region)-[:BROADER*0..2]->(d)
  WHERE u.kind IN $research_kinds
    AND (EXISTS { MATCH (u)-[:IN_SECTOR]->(sec) } OR EXISTS { MATCH (u)-[:OFFERS]->(:TechnologyOffer)-[:IN_SECTOR]->(sec) })
}
RETURN s.name AS sme, d.code AS region, d.name AS region_name, sec.code AS sector, sec.name AS sector_name
ORDER BY sme, sector
