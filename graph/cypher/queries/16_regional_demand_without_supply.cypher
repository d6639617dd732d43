// Question: In which development regions is there demand (technology requests) in a NACE class with no offer in that class from an organisation of the same region (gaps to fill)?
// For: broker
MATCH (req:TechnologyRequest)-[:LOCATED_IN]->(:Region)-[:BROADER*0..2]->(d:Region {level: 2})
MATCH (req)-[:IN_SECTOR]->(s:Sector)
WHERE NOT EXISTS {
  MATCH (d)<-[:BROADER*0..2]-(:Region)<-[:LOCATED_IN]-(:Organisation)-[:OFFERS]->(:TechnologyOffer)-[:IN_SECTOR]->(s)
}
RETURN d.code AS region, d.name AS region_name, s.code AS sector, s.name AS sector_name,
       count(DISTINCT req) AS requests
ORDER BY region, sector
