// Question: Which SMEs of a country have no research organisation in their development region active in their sector (by profile or by an offer)?
// For: broker
// Param: country = "RO"
// Param: research_kinds = ["university", "research-institute", "research-unit", "HES", "REC"]
MATCH (s:SME {country: $country})-[:LOCATED_IN]->(:Region)-[:BROADER*0..2]->(d:Region {level: 2})
MATCH (s)-[:IN_SECTOR]->(sec:Sector)
WHERE NOT EXISTS {
  MATCH (u:Organisation)-[:LOCATED_IN]->(:Region)-[:BROADER*0..2]->(d)
  WHERE u.kind IN $research_kinds
    AND (EXISTS { MATCH (u)-[:IN_SECTOR]->(sec) } OR EXISTS { MATCH (u)-[:OFFERS]->(:TechnologyOffer)-[:IN_SECTOR]->(sec) })
}
RETURN s.name AS sme, d.code AS region, d.name AS region_name, sec.code AS sector, sec.name AS sector_name
ORDER BY sme, sector
