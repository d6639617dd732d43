// Question: Who are the EU project partners of each member of a partnership through its own CORDIS record, and in how many projects?
// For: broker
// Param: partnership = "union-of-innovation"
MATCH (o:Organisation)-[:MEMBER_OF]->(:Partnership {id: $partnership})
MATCH (o)-[:CORDIS_RECORD]->(c:Organisation)-[:PARTICIPATES_IN]->(j:Project)<-[:PARTICIPATES_IN]-(q:Organisation)
WHERE q.id <> c.id
RETURN o.id AS member, q.id AS partner, q.name AS partner_name, q.country AS country,
       count(DISTINCT j.id) AS shared_projects
ORDER BY shared_projects DESC, member, partner
