// Question: Who are the members of a partnership, in which role and of which kind, and in which region and development region are they?
// For: broker
// Param: partnership = "union-of-innovation"
MATCH (o:Organisation)-[m:MEMBER_OF]->(:Partnership {id: $partnership})
OPTIONAL MATCH (o)-[:LOCATED_IN]->(r:Region)
OPTIONAL MATCH (r)-[:BROADER*0..2]->(d:Region {level: 2})
RETURN o.name AS member, m.role AS role, o.kind AS kind, r.code AS nuts, r.name AS region,
       d.name AS development_region
ORDER BY member
