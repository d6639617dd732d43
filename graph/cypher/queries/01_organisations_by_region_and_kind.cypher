// Question: How many organisations of each kind does a country have in each development region (NUTS 2)?
// For: broker
// Param: country = "RO"
// Note: most CORDIS participants are known by country only; they are counted under "-" (no region).
// Note: BROADER*0..3 climbs from a county (NUTS 3) or the region itself to its NUTS 2 region.
MATCH (o:Organisation)
WHERE o.country = $country
OPTIONAL MATCH (o)-[:LOCATED_IN]->(:Region)-[:BROADER*0..3]->(r:Region {level: 2})
RETURN coalesce(r.code, '-') AS region, coalesce(r.name, '(no region)') AS region_name,
       coalesce(o.kind, '-') AS kind, count(DISTINCT o) AS organisations
ORDER BY region, kind
