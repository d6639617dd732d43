// The interface in Romanian and English: message catalogues, t(key, params), the choice of
// language and the switch in the header.
//
// Why hand-written and not a library from npm: what the UI needs is a lookup, {name}
// placeholders and Romanian plural forms (Intl.PluralRules knows them: 1 / 0, 2-19 / 20 and
// more, "20 de parteneri"); that is ~100 lines. The maintained libraries that do it (i18next,
// FormatJS) are 40-60 kB with features we would not use, the tiny ones (rosetta, 300 bytes)
// have had no release for years. No build step either way: the catalogues are plain modules.
//
// The language is chosen, in order, by ?lang= in the address (a link can open the Romanian
// page), the choice saved by the switch (localStorage), the browser's languages (a Romanian
// browser gets Romanian), else English. <html lang> always says which one is shown.
//
//   import { t } from "./i18n.js";
//   t("match.found", { count: 12, shown: 10 })  // "12 candidates; the best 10, each with why."
import en from "./messages/en.js";
import ro from "./messages/ro.js";

export const CATALOGUES = { ro, en };
export const LANGUAGES = ["ro", "en"];
export const STORAGE_KEY = "innograph.lang";
const FALLBACK = "en";

/** The first supported language in ``?lang=``, the saved choice, then the browser's list. */
export function chooseLanguage(search = location.search, saved = readSaved(), browser = navigator.languages) {
  const candidates = [new URLSearchParams(search).get("lang"), saved, ...(browser || [navigator.language])];
  for (const candidate of candidates) {
    const base = String(candidate || "").toLowerCase().split(/[-_]/)[0];
    if (LANGUAGES.includes(base)) return base;
  }
  return FALLBACK;
}

function readSaved() {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch { // storage disabled (privacy settings): the choice lasts for the page's life only
    return null;
  }
}

let current = chooseLanguage();

/** The language the interface is shown in ("ro" or "en"). */
export function lang() {
  return current;
}

/** The BCP 47 locale for numbers and dates in the current language. */
export function locale() {
  return current === "ro" ? "ro-RO" : "en-GB";
}

const plurals = {};

function pluralForm(count) {
  if (!plurals[current]) plurals[current] = new Intl.PluralRules(current);
  return plurals[current].select(count);
}

/**
 * The message ``key`` in the current language with ``{name}`` placeholders filled from ``params``.
 *
 * A message may be an object of plural forms ({one, few, other}) chosen by ``params.count``.
 * A key missing from the current catalogue falls back to English, then to the key itself (so a
 * gap shows, and the browser test that compares the catalogues fails).
 */
export function t(key, params = {}) {
  let message = CATALOGUES[current][key] ?? CATALOGUES[FALLBACK][key] ?? key;
  if (typeof message === "object") {
    const form = pluralForm(Number(params.count ?? 0));
    message = message[form] ?? message.other;
  }
  return message.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

/** True when ``key`` has a message (for values from the API that may have a translation, such as kinds). */
export function has(key) {
  return key in CATALOGUES[current] || key in CATALOGUES[FALLBACK];
}

const ATTRIBUTES = { "data-i18n-placeholder": "placeholder", "data-i18n-aria-label": "aria-label", "data-i18n-title": "title" };

/** Fill the static elements marked with data-i18n (text), data-i18n-placeholder, -aria-label, -title. */
export function translateStatic(root = document) {
  for (const element of root.querySelectorAll("[data-i18n]")) element.textContent = t(element.dataset.i18n);
  for (const [marker, attribute] of Object.entries(ATTRIBUTES)) {
    for (const element of root.querySelectorAll(`[${marker}]`)) element.setAttribute(attribute, t(element.getAttribute(marker)));
  }
}

function applyDocument() {
  document.documentElement.lang = current;
  translateStatic();
  for (const button of document.querySelectorAll(".lang-switch button[data-lang]")) {
    button.setAttribute("aria-pressed", String(button.dataset.lang === current));
  }
}

/**
 * Show the interface in ``language``, remember the choice, and tell the views ("langchange" on
 * window) so they draw themselves again. A ``?lang=`` in the address is dropped: it chose the
 * first language of a visit, the switch now decides.
 */
export function setLanguage(language) {
  if (!LANGUAGES.includes(language)) throw new Error(`unsupported language ${language}`);
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch { /* storage disabled: see readSaved */ }
  const url = new URL(location.href);
  if (url.searchParams.has("lang")) {
    url.searchParams.delete("lang");
    history.replaceState(history.state, "", url);
  }
  if (language === current) return;
  current = language;
  applyDocument();
  window.dispatchEvent(new CustomEvent("langchange", { detail: { lang: language } }));
}

/** The switch in the header: one button per language, each named in its own language. */
export function mountSwitch(container) {
  container.innerHTML = LANGUAGES.map((code) => `<button type="button" data-lang="${code}" lang="${code}"
    aria-pressed="${code === current}">${CATALOGUES[code]["lang.name"]}</button>`).join("");
  container.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-lang]");
    if (button) setLanguage(button.dataset.lang);
  });
  applyDocument();
}
