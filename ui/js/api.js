// Calls to the innograph API (same origin) and small helpers shared by the views.
// Why one module: every view reports errors the same way (the API's problem+json "detail").
import { lang, locale } from "./i18n.js";

export class ApiError extends Error {
  /** ``problem`` is the whole problem+json body (its ``errors`` name the fields of a 422), or null. */
  constructor(status, detail, problem = null) {
    super(detail);
    this.status = status;
    this.problem = problem;
  }
}

const KEY_STORAGE = "innograph.key";

/** The API key the person entered on "My organisation" (kept for this tab only: sessionStorage). */
export function apiKey() {
  try {
    return sessionStorage.getItem(KEY_STORAGE);
  } catch {
    return null;
  }
}

/** Keep ``value`` as the key of this tab (an empty value forgets it). */
export function setApiKey(value) {
  try {
    if (value) sessionStorage.setItem(KEY_STORAGE, value);
    else sessionStorage.removeItem(KEY_STORAGE);
  } catch { /* storage disabled: the key cannot be kept */ }
}

function headers(extra = {}) {
  const key = apiKey();
  return { Accept: "application/json", ...extra, ...(key ? { "X-API-Key": key } : {}) };
}

async function handle(response) {
  const type = response.headers.get("content-type") || "";
  const body = type.includes("json") ? await response.json() : await response.text();
  if (!response.ok) {
    const detail = body && body.detail ? body.detail : `${response.status} ${response.statusText}`;
    throw new ApiError(response.status, detail, body && typeof body === "object" ? body : null);
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
  return handle(await fetch(url, { headers: headers() }));
}

export async function postJson(path, body) {
  return handle(await fetch(path, {
    method: "POST", headers: headers({ "Content-Type": "application/json" }), body: JSON.stringify(body),
  }));
}

/** GET a resource with its version: ``{ data, etag }`` (the ETag a later PATCH sends as If-Match). */
export async function getVersioned(path, params = {}) {
  const query = new URLSearchParams(params).toString();
  const response = await fetch(query ? `${path}?${query}` : path, { headers: headers() });
  return { data: await handle(response), etag: response.headers.get("ETag") };
}

/** PATCH ``body`` if the resource is still at version ``etag`` (else ApiError 412): ``{ data, etag }``. */
export async function patchJson(path, body, etag) {
  const response = await fetch(path, {
    method: "PATCH", headers: headers({ "Content-Type": "application/json", "If-Match": etag }), body: JSON.stringify(body),
  });
  return { data: await handle(response), etag: response.headers.get("ETag") };
}

/** DELETE a resource (204 expected). */
export async function deleteResource(path) {
  return handle(await fetch(path, { method: "DELETE", headers: headers() }));
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

let iriPrefixes = {};

/** The IRI scheme, read once at start (GET /config: the server's ontology owns it). Views that turn IRIs
 * into links await it before drawing them; without it they still draw, unlinked. */
export const configured = getJson("/config").then((config) => { iriPrefixes = config.iri_prefixes; }, () => {});

/** The API id of an organisation IRI (``.../id/org/pic/999918293`` -> ``pic/999918293``). */
export function orgId(iri) {
  const prefix = iriPrefixes.organisation;
  return iri && prefix && iri.startsWith(prefix) ? iri.slice(prefix.length) : null;
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
