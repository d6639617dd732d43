// "Who can solve this need": a need in Romanian or English, hard filters, and what the asker
// is (region, TRL wanted, organisation) as soft evidence; ranked results with plain-word reasons.
import { conceptLabel, esc, orgHref, orgId, postJson, vocabulary } from "./api.js";
import { explain, scoreParts } from "./explain.js";

const FIELDS = ["q", "region", "kind", "trl", "field", "sector", "my_region", "my_trl", "my_org"];

const TEMPLATE = `
<h1>Find who can help</h1>
<form id="need-form" class="need" autocomplete="off">
  <label for="need">Describe the need, in Romanian or English</label>
  <textarea id="need" name="q" rows="3" required
    placeholder="e.g. Căutăm o metodă mai ieftină de uscare a cerealelor fără gaz"></textarea>
  <p class="hint">Enter searches; Shift+Enter starts a new line.</p>
  <div id="understood" class="understood" aria-live="polite"></div>
  <fieldset class="filters">
    <legend>Only show</legend>
    <label>Region <select id="f-region" name="region"><option value="">anywhere</option></select></label>
    <label>Kind <select id="f-kind" name="kind"><option value="">any kind</option>
      <option value="offer">technology offer</option></select></label>
    <label>TRL at least <select id="f-trl" name="trl"><option value="">any</option></select></label>
    <label>Field <input id="f-field" name="field" list="fields-list" placeholder="EuroSciVoc field"></label>
    <label>Sector <input id="f-sector" name="sector" list="sectors-list" placeholder="NACE / CAEN code"></label>
  </fieldset>
  <fieldset class="filters">
    <legend>About you (ranks, never excludes)</legend>
    <label>Your region <select id="c-region" name="my_region"><option value="">not given</option></select></label>
    <label>TRL you need <select id="c-trl" name="my_trl"><option value="">not given</option></select></label>
    <label>Your organisation id <input id="c-org" name="my_org" placeholder="e.g. osim or pic/999918293"></label>
  </fieldset>
  <button type="submit">Find</button>
  <datalist id="fields-list"></datalist><datalist id="sectors-list"></datalist>
</form>
<section aria-labelledby="results-title">
  <h2 id="results-title" class="visually-hidden">Results</h2>
  <p id="match-status" role="status"></p>
  <ol id="results" class="results"></ol>
</section>`;

async function fillOptions(form) {
  const trls = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => `<option value="${n}">TRL ${n}</option>`).join("");
  form.querySelector("#f-trl").insertAdjacentHTML("beforeend", trls);
  form.querySelector("#c-trl").insertAdjacentHTML("beforeend", trls);
  const [regions, kinds] = await Promise.all([vocabulary("nuts2021"), vocabulary("org-kind")]);
  const regionOptions = regions
    .filter((c) => c.notation && !c.notation.includes("Z"))
    .map((c) => `<option value="${esc(c.notation)}">${"\u2003".repeat(Math.max(0, c.notation.length - 2))}${esc(conceptLabel(c))} (${esc(c.notation)})</option>`)
    .join("");
  form.querySelector("#f-region").insertAdjacentHTML("beforeend", regionOptions);
  form.querySelector("#c-region").insertAdjacentHTML("beforeend", regionOptions);
  form.querySelector("#f-kind").insertAdjacentHTML("beforeend",
    kinds.map((c) => `<option value="${esc(c.notation)}">${esc(conceptLabel(c))}</option>`).join(""));
  // fields and sectors are long lists: suggestions (datalist), loaded after the form is usable
  Promise.all([vocabulary("euroscivoc"), vocabulary("nace2")]).then(([fields, sectors]) => {
    form.querySelector("#fields-list").innerHTML = fields
      .filter((c) => c.notation && c.notation.split("/").length <= 4)
      .map((c) => `<option value="${esc(c.notation)}">${esc(conceptLabel(c))}</option>`).join("");
    form.querySelector("#sectors-list").innerHTML = sectors
      .map((c) => `<option value="${esc(c.notation)}">${esc(conceptLabel(c))}</option>`).join("");
  }).catch(() => {});
}

function readForm(form) {
  const data = new FormData(form);
  const params = {};
  for (const key of FIELDS) params[key] = (data.get(key) || "").toString().trim();
  return params;
}

function writeForm(form, params) {
  for (const key of FIELDS) {
    const element = form.elements.namedItem(key);
    if (element) element.value = params.get(key) || "";
  }
}

const LANGUAGES = {
  ro: ["Romanian", "română"], en: ["English", "engleză"],
  other: ["neither Romanian nor English", "nici română, nici engleză"], none: ["no words", "fără cuvinte"],
};
const CHANNELS = { lexical: "words", english: "meaning (English model)", multilingual: "meaning (multilingual model)" };
const SCHEMES = { nace2: "Sector (NACE/CAEN)", euroscivoc: "Field", nuts2021: "Region", "org-kind": "Kind" };

// What the need was read as, under the need box: language, then each concept in English and Romanian.
function understoodBlock(understood) {
  if (!understood) return "";
  const [en, ro] = LANGUAGES[understood.language] || [understood.language, understood.language];
  const concepts = (understood.concepts || []).map((c) => {
    const code = c.scheme === "nace2" && c.notation ? `${esc(c.notation)} ` : "";
    const english = c.label_en ? esc(c.label_en) : "";
    const romanian = c.label_ro ? `<span lang="ro">${esc(c.label_ro)}</span>` : "";
    const both = [english, romanian].filter(Boolean).join(" / ");
    return `<li><span class="scheme">${esc(SCHEMES[c.scheme] || c.scheme)}</span> ${code}${both}</li>`;
  });
  if (understood.trl) concepts.push(`<li><span class="scheme">TRL</span> ${esc(String(understood.trl))}</li>`);
  const list = concepts.length
    ? `<p>Understood as / <span lang="ro">Am înțeles</span>:</p><ul class="concepts">${concepts.join("")}</ul>`
    : `<p>No sector, field, region or TRL recognised / <span lang="ro">Niciun sector, domeniu, regiune sau TRL recunoscut</span>.</p>`;
  return `<p class="language">Read as ${esc(en)} / <span lang="ro">Citit ca ${esc(ro)}</span></p>${list}`;
}

function foundBy(result) {
  const channels = (result.explanation && result.explanation.found_by) || [];
  return channels.length
    ? `<p class="found-by">Found by ${channels.map((c) => esc(CHANNELS[c] || c)).join(", ")}</p>` : "";
}

function resultItem(result, asked, rank) {
  const owner = orgId(result.organisation);
  const isOrg = !["offer", "request"].includes(result.kind);
  const title = owner
    ? `<a href="${orgHref(owner)}">${esc(result.name)}</a>`
    : esc(result.name);
  const byWhom = !isOrg && owner ? ` · by <a href="${orgHref(owner)}">${esc(owner)}</a>` : "";
  const reasons = explain(result, asked).map((clause) => `<li>${esc(clause)}</li>`).join("");
  const passage = result.explanation && result.explanation.passage
    ? `<blockquote>${esc(result.explanation.passage.slice(0, 240))}…</blockquote>` : "";
  return `<li class="result">
    <div class="result-head"><span class="rank">${rank}</span> ${title}
      <span class="badge">${esc(result.kind.replace(/-/g, " "))}</span>
      ${result.illustrative ? '<span class="badge illustrative">illustrative</span>' : ""}${byWhom}
      <span class="score" title="score">${result.score.toFixed(3)}</span></div>
    <p class="why-label">Why:</p><ul class="why">${reasons || "<li>similar wording</li>"}</ul>
    ${foundBy(result)}${passage}
    <details><summary>Score details</summary><p>${esc(scoreParts(result))}</p></details>
  </li>`;
}

async function search(root, params) {
  const status = root.querySelector("#match-status");
  const list = root.querySelector("#results");
  const text = params.get("q");
  const understood = root.querySelector("#understood");
  understood.innerHTML = "";
  if (!text) {
    status.textContent = "Type a need and press Enter.";
    list.replaceChildren();
    return;
  }
  const filters = {};
  if (params.get("region")) filters.regions = [params.get("region")];
  if (params.get("kind")) filters.kinds = [params.get("kind")];
  if (params.get("trl")) filters.trl_min = Number(params.get("trl"));
  if (params.get("field")) filters.fields = [params.get("field")];
  if (params.get("sector")) filters.sectors = [params.get("sector")];
  const context = {};
  if (params.get("my_region")) context.region = params.get("my_region");
  if (params.get("my_trl")) context.trl = Number(params.get("my_trl"));
  if (params.get("my_org")) context.organisation = params.get("my_org");
  status.textContent = "Searching…";
  list.setAttribute("aria-busy", "true");
  try {
    const page = await postJson("/match", { text, filters, context, limit: 10 });
    const regionLabels = Object.fromEntries((await vocabulary("nuts2021")).map((c) => [c.iri, conceptLabel(c)]));
    const asked = { trl: context.trl, trlMin: filters.trl_min, regionLabels };
    understood.innerHTML = understoodBlock(page.understood);
    list.innerHTML = page.data.map((r, i) => resultItem(r, asked, i + 1)).join("");
    status.textContent = page.data.length
      ? `${page.count} candidates; the best ${page.data.length}, each with why.`
      : "Nothing matches these filters: try fewer filters.";
  } catch (error) {
    status.textContent = `The search failed: ${error.message}`;
    list.replaceChildren();
  } finally {
    list.removeAttribute("aria-busy");
  }
}

export async function mount(root, params, go) {
  root.innerHTML = TEMPLATE;
  const form = root.querySelector("#need-form");
  const ready = fillOptions(form).catch((error) => {
    root.querySelector("#match-status").textContent = `Could not load the filters: ${error.message}`;
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    go("match", readForm(form));
  });
  form.querySelector("#need").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  await ready;
  writeForm(form, params);
  if (!params.get("q")) form.querySelector("#need").focus();
  await search(root, params);
  return {
    async update(next) {
      writeForm(form, next);
      await search(root, next);
    },
  };
}
