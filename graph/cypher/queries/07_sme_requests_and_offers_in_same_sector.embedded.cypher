// Question: Which SMEs' technology requests share a NACE class, or its group, with an offer of another organisation, and where are both?
// Dialect: one table per node, so the SME label of Neo4j is the is_sme property here.
MATCH (s:Organisation {is_sme: true})-[:NEEDS]->(req:TechnologyRequest)-[:IN_SECTOR]->(a:Sector)
MATCH (u:Organisation)-[:OFFERS]->(off:TechnologyOffer)-[:IN_SECTOR]->(b:Sector)
WHERE u.iri <> s.iri AND (a.iri = b.iri OR EXISTS { MATCH (a)-[:BROADER]->(:Sector)<-[:BROADER]-(b) })
OPTIONAL MATCH (req)-[:LOCATED_IN]->(rr:Region)
OPTIONAL MATCH (u)-[:LOCATED_IN]->(ur:Region)
RETURN DISTINCT s.name AS sme, req.id AS request, rr.code AS request_region, u.name AS offered_by,
       u.kind AS offerer_kind, off.id AS offer, ur.code AS offer_region,
       CASE WHEN a.iri = b.iri THEN 'same class' ELSE 'same group' END AS fit
ORDER BY sme, request, offer
