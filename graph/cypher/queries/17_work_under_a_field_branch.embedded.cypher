// Question: Which technology offers and organisations work in a branch of EuroSciVoc (a field and every narrower one)?
// Dialect: `(x:A:B)` means A or B here (in Neo4j it means both: `A|B`); label(x) instead of a label test.
MATCH (f:Field)-[:BROADER*0..6]->(:Field {code: $field})
MATCH (x:TechnologyOffer:Organisation)-[:IN_FIELD]->(f)
RETURN CASE label(x) WHEN 'TechnologyOffer' THEN 'offer' ELSE 'organisation' END AS what, x.name AS name,
       f.code AS field, f.name AS field_name
ORDER BY what, name, field
