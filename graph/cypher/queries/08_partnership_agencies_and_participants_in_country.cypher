// Question: For each regional development agency of a partnership: its region, the region's country, and how many organisations of that country take part in EU projects (the pool it can broker)?
// For: broker
// Param: partnership = "union-of-innovation"
MATCH (rda:Organisation {kind: 'regional-development-agency'})-[:MEMBER_OF]->(:Partnership {id: $partnership})
MATCH (rda)-[:LOCATED_IN]->(r:Region)-[:IN_COUNTRY]->(c:Country)
OPTIONAL MATCH (o:Organisation)-[:IN_COUNTRY]->(c)
WHERE EXISTS { MATCH (o)-[:PARTICIPATES_IN]->(:Project) }
RETURN rda.name AS agency, r.code AS region, r.name AS region_name, c.name AS country,
       count(DISTINCT o) AS cordis_participants
ORDER BY agency
