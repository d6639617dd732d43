// Turn a match result's explanation (component scores, signals, terms, path) into plain words:
// "matched: grain, drying; same region Nord-Est; TRL 7 ≥ 6 wanted; linked through ...".
// Why here and not in the API: the API keeps the numbers (for analysts and tests); the words are
// presentation, composed here in the interface's language (ui/js/messages). Concept labels come
// from the API, which gives them in the language the UI asks for (POST /match?lang=ro).
import { has, t } from "./i18n.js";

const NUTS = "http://data.europa.eu/nuts/code/";

/** A result's or node's kind in words ("offer", "SME", "universitate"); an unknown kind as given. */
export function kindLabel(kind) {
  if (!kind) return "";
  return has(`kind.${kind}`) ? t(`kind.${kind}`) : kind.replace(/-/g, " ");
}

/** Short clauses explaining why ``result`` was ranked for the ``asked`` request. */
export function explain(result, asked = {}) {
  const ex = result.explanation || {};
  const signals = ex.signals || {};
  const clauses = [];
  if (ex.matched_terms && ex.matched_terms.length) {
    clauses.push(t("explain.matched", { terms: ex.matched_terms.slice(0, 8).join(", ") }));
  }
  if (ex.dense && ex.dense.rank && ex.dense.rank <= 10) {
    clauses.push(t("explain.close", { rank: ex.dense.rank }));
  }
  const shared = (ex.shared_concepts || []).filter((c) => !c.iri.startsWith(NUTS));
  if (shared.length) clauses.push(t("explain.shares", { concepts: shared.slice(0, 4).map((c) => c.label).join(", ") }));
  const names = asked.regionLabels || {};
  const region = result.region && (names[result.region.iri] || result.region.label || result.region.iri.replace(NUTS, ""));
  if (signals.region) {
    const value = signals.region.value;
    if (value >= 1 && region) clauses.push(t("explain.same_region", { region }));
    else if (value >= 0.75 && region) clauses.push(t("explain.same_macro_region", { region }));
    else clauses.push(region ? t("explain.in_romania_at", { region }) : t("explain.in_romania"));
  } else if (region) {
    clauses.push(t("explain.located", { region }));
  }
  const wanted = asked.trl || asked.trlMin;
  if (result.trl) {
    if (wanted) clauses.push(t(result.trl >= wanted ? "explain.trl_enough" : "explain.trl_below", { trl: result.trl, wanted }));
    else clauses.push(`TRL ${result.trl}`);
  }
  if (signals.kind) clauses.push(t("explain.kind_preferred", { kind: kindLabel(result.kind) }));
  if (ex.path && ex.path.length) {
    const via = ex.path.map((step) => step.via_project_label).filter(Boolean);
    clauses.push(ex.path.length === 1
      ? t("explain.worked_with", { project: via[0] || t("explain.a_project") })
      : t("explain.linked", { chain: ex.path.slice(0, -1).map((s) => s.to_label).join(" → "), projects: via.slice(0, 2).join(", ") }));
  } else if (signals.network) {
    clauses.push(t("explain.network"));
  }
  return clauses;
}

/** A one-line summary of the score's parts, for the details element. */
export function scoreParts(result) {
  const ex = result.explanation || {};
  const parts = [t("score.retrieval", { score: ex.fused })];
  for (const [name, signal] of Object.entries(ex.signals || {})) {
    parts.push(`${has(`signal.${name}`) ? t(`signal.${name}`) : name} +${signal.contribution}`);
  }
  if (ex.dense) parts.push(t("score.meaning_rank", { rank: ex.dense.rank }));
  if (ex.lexical) parts.push(t("score.keyword_rank", { rank: ex.lexical.rank }));
  return parts.join(" · ");
}
