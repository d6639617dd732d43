// Question: How many organisations, in how many countries, can an organisation reach through at most two joint projects (partners and partners' partners)?
// For: broker
// Param: org = "https://w3id.org/innograph/id/org/pic/999842342"
// Note: Neo4j matches trails, the embedded engine walks; the set of organisations reached within 4 hops is the same (every walk contains a path between its ends), so one text serves both.
MATCH (a:Organisation {iri: $org})-[:PARTICIPATES_IN*2..4]-(b:Organisation)
WHERE b.iri <> a.iri
RETURN count(DISTINCT b) AS organisations, count(DISTINCT b.country) AS countries
