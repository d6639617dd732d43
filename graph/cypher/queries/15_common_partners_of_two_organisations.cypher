// Question: Which organisations have worked in projects with both A and B (who could introduce one to the other)?
// For: broker
// Param: a = "https://w3id.org/innograph/id/org/pic/999842342"
// Param: b = "https://w3id.org/innograph/id/org/pic/972130024"
// Note: two MATCH clauses on purpose: within one clause Neo4j never reuses a relationship (trail semantics), which would hide a project all three share; the embedded engine (walks) would count it, so one text gives both engines the same answer.
MATCH (a:Organisation {iri: $a})-[:PARTICIPATES_IN]->(p:Project)<-[:PARTICIPATES_IN]-(x:Organisation)
MATCH (x)-[:PARTICIPATES_IN]->(q:Project)<-[:PARTICIPATES_IN]-(b:Organisation {iri: $b})
WHERE x.iri <> a.iri AND x.iri <> b.iri
WITH x, count(DISTINCT p) AS projects_with_a, count(DISTINCT q) AS projects_with_b
RETURN x.iri AS iri, x.name AS organisation, x.country AS country, projects_with_a, projects_with_b
ORDER BY projects_with_a + projects_with_b DESC, iri
LIMIT 20
