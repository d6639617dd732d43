// Turn a match result's explanation (component scores, signals, terms, path) into plain words:
// "matched: grain, drying; same region Nord-Est; TRL 7 ≥ 6 wanted; linked through ...".
// Why here and not in the API: the API keeps the numbers (for analysts and tests); the words are
// presentation, and may be translated here without touching the service.

const NUTS = "http://data.europa.eu/nuts/code/";

/** Short clauses explaining why ``result`` was ranked for the ``asked`` request. */
export function explain(result, asked = {}) {
  const ex = result.explanation || {};
  const signals = ex.signals || {};
  const clauses = [];
  if (ex.matched_terms && ex.matched_terms.length) {
    clauses.push(`matched: ${ex.matched_terms.slice(0, 8).join(", ")}`);
  }
  if (ex.dense && ex.dense.rank && ex.dense.rank <= 10) {
    clauses.push(`close in meaning (rank ${ex.dense.rank})`);
  }
  const shared = (ex.shared_concepts || []).filter((c) => !c.iri.startsWith(NUTS));
  if (shared.length) clauses.push(`shares: ${shared.slice(0, 4).map((c) => c.label).join(", ")}`);
  const names = asked.regionLabels || {};
  const regionLabel = result.region && (names[result.region.iri] || result.region.label || result.region.iri.replace(NUTS, ""));
  if (signals.region) {
    const value = signals.region.value;
    if (value >= 1 && regionLabel) clauses.push(`same region ${regionLabel}`);
    else if (value >= 0.75 && regionLabel) clauses.push(`same macro-region as you (${regionLabel})`);
    else clauses.push(regionLabel ? `in Romania (${regionLabel})` : "in Romania");
  } else if (regionLabel) {
    clauses.push(`located in ${regionLabel}`);
  }
  const wanted = asked.trl || asked.trlMin;
  if (result.trl) {
    if (wanted) clauses.push(result.trl >= wanted ? `TRL ${result.trl} ≥ ${wanted} wanted` : `TRL ${result.trl}, below the ${wanted} wanted`);
    else clauses.push(`TRL ${result.trl}`);
  }
  if (signals.kind) clauses.push(`a ${result.kind.replace(/-/g, " ")}, as you prefer`);
  if (ex.path && ex.path.length) {
    const via = ex.path.map((step) => step.via_project_label).filter(Boolean);
    clauses.push(ex.path.length === 1
      ? `worked with you in ${via[0] || "a project"}`
      : `linked to you through ${ex.path.slice(0, -1).map((s) => s.to_label).join(" → ")} (${via.slice(0, 2).join(", ")})`);
  } else if (signals.network) {
    clauses.push("close to you in the collaboration network");
  }
  return clauses;
}

/** A one-line summary of the score's parts, for the details element. */
export function scoreParts(result) {
  const ex = result.explanation || {};
  const parts = [`retrieval ${ex.fused}`];
  for (const [name, signal] of Object.entries(ex.signals || {})) {
    parts.push(`${name} +${signal.contribution}`);
  }
  if (ex.dense) parts.push(`meaning rank ${ex.dense.rank}`);
  if (ex.lexical) parts.push(`keyword rank ${ex.lexical.rank}`);
  return parts.join(" · ");
}
