// Question: Which EU projects does each member of a partnership take part in through its own CORDIS record, in which role?
// For: broker
// Param: partnership = "union-of-innovation"
MATCH (o:Organisation)-[:MEMBER_OF]->(:Partnership {id: $partnership})
MATCH (o)-[:CORDIS_RECORD]->(c:Organisation)-[p:PARTICIPATES_IN]->(j:Project)
RETURN o.id AS member, o.name AS member_name, c.pic AS pic, j.id AS project, j.rcn AS rcn, j.grant_id AS grant_id, j.name AS project_name,
       p.role AS role, p.ec_contribution AS ec_contribution
ORDER BY member, project
