// Question: How many organisations, in how many countries, can an organisation reach through at most two joint projects (partners and partners' partners)?
// Dialect: `* SHORTEST 1..4` (one breadth-first path per organisation reached) instead of `*2..4`: the embedded engine enumerates every walk of a variable-length pattern (100x slower from a hub of the full data), while the set of organisations reached is the same.
MATCH (a:Organisation {iri: $org})-[:PARTICIPATES_IN* SHORTEST 1..4]-(b:Organisation)
WHERE b.iri <> a.iri
RETURN count(DISTINCT b) AS organisations, count(DISTINCT b.country) AS countries
