// Question: How did EC funding to a country's participants evolve by project start year?
// Dialect: date_part('year', d) instead of d.year.
MATCH (o:Organisation {country: $country})-[p:PARTICIPATES_IN]->(j:Project)
WHERE j.start_date IS NOT NULL
RETURN date_part('year', j.start_date) AS year, count(DISTINCT j) AS projects, count(DISTINCT o) AS organisations,
       sum(coalesce(p.ec_contribution, 0.0)) AS ec_contribution
ORDER BY year
