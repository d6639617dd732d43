// Question: Which organisations of a country coordinate the most EU projects, and how much EC funding do they receive across all their participations?
// For: analyst
// Param: country = "RO"
MATCH (o:Organisation {country: $country})-[p:PARTICIPATES_IN]->(:Project)
WITH o, count(CASE WHEN p.role = 'coordinator' THEN 1 END) AS coordinated, count(p) AS participations,
     sum(coalesce(p.ec_contribution, 0.0)) AS ec_contribution
WHERE coordinated > 0
RETURN o.iri AS iri, o.name AS organisation, o.kind AS kind, coordinated, participations, ec_contribution
ORDER BY coordinated DESC, participations DESC, iri
LIMIT 20
