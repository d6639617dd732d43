// Calls to the innograph API (same origin) and small helpers shared by the views.
// Why one module: every view reports errors the same way (the API's problem+json "detail").
import { lang, locale } from "./i18n.js";

export class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

async function handle(response) {
  const type = response.headers.get("content-type") || "";
  const body = type.includes("json") ? await response.json() : await response.text();
  if (!response.ok) {
    const detail = body && body.detail ? body.detail : `${response.status} ${response.statusText}`;
    throw new ApiError(response.status, detail);
  }
  return body;
}

/** GET a JSON resource; ``params`` values may be arrays (repeated parameters). */
export async function getJson(path, params = {}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const item of [].concat(value)) {
      if (item !== undefined && item !== null && item !== "") query.append(key, item);
    }
  }
  const url = query.toString() ? `${path}?${query}` : path;
  return handle(await fetch(url, { headers: { Accept: "application/json" } }));
}

export async function postJson(path, body) {
  return handle(await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(body),
  }));
}

const vocabCache = new Map();

/** Every concept of a scheme (paged by 500), cached for the page's life. */
export function vocabulary(scheme) {
  if (!vocabCache.has(scheme)) {
    vocabCache.set(scheme, (async () => {
      const all = [];
      for (let offset = 0; ; offset += 500) {
        const page = await getJson(`/vocabularies/${scheme}`, { limit: 500, offset });
        all.push(...page.data);
        if (all.length >= page.count || page.data.length === 0) return all;
      }
    })());
  }
  return vocabCache.get(scheme);
}

/** The label of a concept in the interface's language, else untagged, else the other language, else its notation. */
export function conceptLabel(concept) {
  const labels = concept.labels || {};
  const other = lang() === "ro" ? "en" : "ro";
  return (labels[lang()] || labels[""] || labels[other] || [concept.notation || concept.iri])[0];
}

const ORG_PREFIX = "https://w3id.org/innograph/id/org/";

/** The API id of an organisation IRI (``.../id/org/pic/999918293`` -> ``pic/999918293``). */
export function orgId(iri) {
  return iri && iri.startsWith(ORG_PREFIX) ? iri.slice(ORG_PREFIX.length) : null;
}

export function orgHref(id) {
  return `#/org?id=${encodeURIComponent(id)}`;
}

/** Escape text for innerHTML templates. */
export function esc(value) {
  return String(value ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

export function euro(value) {
  if (value === null || value === undefined) return "";
  return new Intl.NumberFormat(locale(), { style: "currency", currency: "EUR", maximumFractionDigits: 0 }).format(value);
}
