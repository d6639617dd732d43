// Question: With which countries do a country's organisations share the most EU projects?
// For: analyst
// Param: country = "RO"
MATCH (a:Organisation {country: $country})-[:PARTICIPATES_IN]->(j:Project)<-[:PARTICIPATES_IN]-(b:Organisation)
WHERE b.country <> $country
RETURN b.country AS partner_country, count(DISTINCT j) AS shared_projects, count(DISTINCT b) AS partner_organisations,
       count(DISTINCT a) AS own_organisations
ORDER BY shared_projects DESC, partner_country
LIMIT 25
