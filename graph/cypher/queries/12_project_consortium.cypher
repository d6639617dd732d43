// Question: Who is in the consortium of a project (by acronym or id), with role, country, kind and EC contribution?
// For: broker
// Param: project = "fp7/308393"
MATCH (o:Organisation)-[p:PARTICIPATES_IN]->(j:Project)
WHERE j.acronym = $project OR j.id = $project
RETURN j.id AS project, o.name AS member, o.country AS country, o.kind AS kind, p.role AS role,
       p.ec_contribution AS ec_contribution
ORDER BY CASE p.role WHEN 'coordinator' THEN 0 ELSE 1 END, coalesce(ec_contribution, -1.0) DESC, o.iri
