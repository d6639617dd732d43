// Question: Which units (directorates, research units) does each organisation have, with their competences and number of offers?
// For: analyst
// Note: collect() lists come in no guaranteed order on either engine.
MATCH (u:Organisation)-[:PART_OF]->(parent:Organisation)
OPTIONAL MATCH (u)-[:HAS_COMPETENCE]->(t:Technology)
WITH u, parent, collect(DISTINCT t.name) AS competences
OPTIONAL MATCH (u)-[:OFFERS]->(o:TechnologyOffer)
RETURN parent.name AS organisation, u.name AS unit, u.kind AS kind, competences, count(DISTINCT o) AS offers
ORDER BY organisation, unit
