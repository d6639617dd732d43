// Question: How did EC funding to a country's participants evolve by project start year?
// For: analyst
// Param: country = "RO"
MATCH (o:Organisation {country: $country})-[p:PARTICIPATES_IN]->(j:Project)
WHERE j.start_date IS NOT NULL
RETURN j.start_date.year AS year, count(DISTINCT j) AS projects, count(DISTINCT o) AS organisations,
       sum(coalesce(p.ec_contribution, 0.0)) AS ec_contribution
ORDER BY year
