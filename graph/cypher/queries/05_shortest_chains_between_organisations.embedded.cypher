// Question: What are the shortest chains of joint projects linking two organisations ("who can introduce me to X")?
// Dialect: `* ALL SHORTEST 1..8` instead of allShortestPaths(), list_transform/list_to_string instead of reduce.
MATCH p = (a:Organisation {iri: $from})-[:PARTICIPATES_IN* ALL SHORTEST 1..8]-(b:Organisation {iri: $to})
WITH length(p) / 2 AS projects, list_to_string(' > ', list_transform(nodes(p), n -> n.name)) AS chain
RETURN DISTINCT projects, chain
ORDER BY chain
LIMIT 25
