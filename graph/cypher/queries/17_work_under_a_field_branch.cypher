// Question: Which technology offers and organisations work in a branch of EuroSciVoc (a field and every narrower one)?
// For: analyst
// Param: field = "/25"
MATCH (f:Field)-[:BROADER*0..6]->(:Field {code: $field})
MATCH (x:TechnologyOffer|Organisation)-[:IN_FIELD]->(f)
RETURN CASE WHEN x:TechnologyOffer THEN 'offer' ELSE 'organisation' END AS what, x.name AS name,
       f.code AS field, f.name AS field_name
ORDER BY what, name, field
