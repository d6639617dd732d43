// Question: What are the shortest chains of joint projects linking two organisations ("who can introduce me to X")?
// For: broker
// Param: from = "https://w3id.org/innograph/id/org/pic/999842342"
// Param: to = "https://w3id.org/innograph/id/org/pic/896242753"
// Note: every shortest chain (allShortestPaths), so the answer does not depend on which one an engine finds first.
MATCH (a:Organisation {iri: $from}), (b:Organisation {iri: $to})
MATCH p = allShortestPaths((a)-[:PARTICIPATES_IN*..8]-(b))
WITH length(p) / 2 AS projects, reduce(s = '', n IN nodes(p) | s + CASE s WHEN '' THEN '' ELSE ' > ' END + n.name) AS chain
RETURN DISTINCT projects, chain
ORDER BY chain
LIMIT 25
