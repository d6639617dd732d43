// Question: How much EC funding went to the participants of each country under each programme part?
// For: analyst
// Param: countries = ["RO", "BG", "HU", "MD"]
// Note: a project funded under two programme parts counts under both (as CORDIS attributes it); sum(coalesce(...)) because an empty sum is 0 in Neo4j but null in the embedded engine.
MATCH (o:Organisation)-[p:PARTICIPATES_IN]->(j:Project)-[:FUNDED_UNDER]->(g:Programme)
WHERE o.country IN $countries
RETURN o.country AS country, g.code AS programme, count(DISTINCT j) AS projects,
       count(DISTINCT o) AS organisations, sum(coalesce(p.ec_contribution, 0.0)) AS ec_contribution
ORDER BY country, ec_contribution DESC, programme
