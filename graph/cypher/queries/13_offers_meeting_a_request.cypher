// Question: Which technology offers fit a request: same NACE class or group, at least the TRL asked for; who offers them and where?
// For: SME
// Param: request = "need-grain-drying-without-gas"
MATCH (req:TechnologyRequest {id: $request})-[:IN_SECTOR]->(a:Sector)
MATCH (o:Organisation)-[:OFFERS]->(off:TechnologyOffer)-[:IN_SECTOR]->(b:Sector)
WHERE (a.iri = b.iri OR EXISTS { MATCH (a)-[:BROADER]->(:Sector)<-[:BROADER]-(b) })
  AND (req.desired_trl IS NULL OR off.trl >= req.desired_trl)
OPTIONAL MATCH (o)-[:LOCATED_IN]->(r:Region)
RETURN DISTINCT off.id AS offer, off.name AS title, off.trl AS trl, o.name AS offered_by, r.name AS region
ORDER BY offer
