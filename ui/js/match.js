// "Who can solve this need": a need in Romanian or English, hard filters, and what the asker
// is (region, TRL wanted, organisation) as soft evidence; ranked results with plain-word reasons.
import { apiKey, conceptLabel, configured, esc, orgHref, orgId, postJson, vocabulary } from "./api.js";
import { explain, kindLabel, scoreParts } from "./explain.js";
import { has, lang, t } from "./i18n.js";

const FIELDS = ["q", "region", "kind", "trl", "field", "sector", "my_region", "my_trl", "my_org"];

function template() {
  return `
<h1>${t("match.title")}</h1>
<form id="need-form" class="need" autocomplete="off">
  <label for="need">${t("match.need_label")}</label>
  <textarea id="need" name="q" rows="3" required
    placeholder="${esc(t("match.need_placeholder"))}"></textarea>
  <p class="hint">${t("match.hint")}</p>
  <div id="understood" class="understood" aria-live="polite"></div>
  <fieldset class="filters">
    <legend>${t("match.only_show")}</legend>
    <label>${t("match.region")} <select id="f-region" name="region"><option value="">${t("match.anywhere")}</option></select></label>
    <label>${t("match.kind")} <select id="f-kind" name="kind"><option value="">${t("match.any_kind")}</option>
      <option value="offer">${t("match.offer")}</option></select></label>
    <label>${t("match.trl_min")} <select id="f-trl" name="trl"><option value="">${t("match.any")}</option></select></label>
    <label>${t("match.field")} <input id="f-field" name="field" list="fields-list" placeholder="${esc(t("match.field_placeholder"))}"></label>
    <label>${t("match.sector")} <input id="f-sector" name="sector" list="sectors-list" placeholder="${esc(t("match.sector_placeholder"))}"></label>
  </fieldset>
  <fieldset class="filters">
    <legend>${t("match.about_you")}</legend>
    <label>${t("match.your_region")} <select id="c-region" name="my_region"><option value="">${t("match.not_given")}</option></select></label>
    <label>${t("match.your_trl")} <select id="c-trl" name="my_trl"><option value="">${t("match.not_given")}</option></select></label>
    <label>${t("match.your_org")} <input id="c-org" name="my_org" placeholder="${esc(t("match.your_org_placeholder"))}"></label>
  </fieldset>
  <button type="submit">${t("match.find")}</button>
  <datalist id="fields-list"></datalist><datalist id="sectors-list"></datalist>
</form>
<section aria-labelledby="results-title">
  <h2 id="results-title" class="visually-hidden">${t("match.results")}</h2>
  <p id="match-status" role="status"></p>
  <div id="follow" class="follow" aria-live="polite"></div>
  <ol id="results" class="results"></ol>
</section>`;
}

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

const SCHEMES = ["nace2", "euroscivoc", "nuts2021", "org-kind"];

// What the need was read as, under the need box: language, then each concept with its labels in
// the interface's language first and the other beside it (the bridge between the two is the point).
function understoodBlock(understood) {
  if (!understood) return "";
  const language = has(`language.${understood.language}`) ? t(`language.${understood.language}`) : understood.language;
  const other = lang() === "ro" ? "en" : "ro";
  const concepts = (understood.concepts || []).map((c) => {
    const code = c.scheme === "nace2" && c.notation ? `${esc(c.notation)} ` : "";
    const mine = c[`label_${lang()}`] ? `<span lang="${lang()}">${esc(c[`label_${lang()}`])}</span>` : "";
    const theirs = c[`label_${other}`] ? `<span lang="${other}">${esc(c[`label_${other}`])}</span>` : "";
    const both = [mine, theirs].filter(Boolean).join(" / ");
    const scheme = SCHEMES.includes(c.scheme) ? t(`scheme.${c.scheme}`) : c.scheme;
    return `<li><span class="scheme">${esc(scheme)}</span> ${code}${both}</li>`;
  });
  if (understood.trl) concepts.push(`<li><span class="scheme">TRL</span> ${esc(String(understood.trl))}</li>`);
  const list = concepts.length
    ? `<p>${t("understood.as")}</p><ul class="concepts">${concepts.join("")}</ul>`
    : `<p>${t("understood.none")}</p>`;
  return `<p class="language">${esc(t("understood.read_as", { language }))}</p>${list}`;
}

function foundBy(result) {
  const channels = (result.explanation && result.explanation.found_by) || [];
  const names = channels.map((c) => (has(`channel.${c}`) ? t(`channel.${c}`) : c));
  return channels.length ? `<p class="found-by">${esc(t("match.found_by", { channels: names.join(", ") }))}</p>` : "";
}

function resultItem(result, asked, rank) {
  const owner = orgId(result.organisation);
  const isOrg = !["offer", "request"].includes(result.kind);
  const title = owner
    ? `<a href="${orgHref(owner)}">${esc(result.name)}</a>`
    : esc(result.name);
  const byWhom = !isOrg && owner ? ` · ${t("match.by")} <a href="${orgHref(owner)}">${esc(owner)}</a>` : "";
  const reasons = explain(result, asked).map((clause) => `<li>${esc(clause)}</li>`).join("");
  const passage = result.explanation && result.explanation.passage
    ? `<blockquote>${esc(result.explanation.passage.slice(0, 240))}…</blockquote>` : "";
  return `<li class="result">
    <div class="result-head"><span class="rank">${rank}</span> ${title}
      <span class="badge">${esc(kindLabel(result.kind))}</span>
      ${result.illustrative ? `<span class="badge illustrative">${t("badge.illustrative")}</span>` : ""}${byWhom}
      <span class="score" title="${t("match.score")}">${result.score.toFixed(3)}</span></div>
    <p class="why-label">${t("match.why")}</p><ul class="why">${reasons || `<li>${t("match.similar_wording")}</li>`}</ul>
    ${foundBy(result)}${passage}
    <details><summary>${t("match.score_details")}</summary><p>${esc(scoreParts(result))}</p></details>
    ${isOrg ? "" : `<button type="button" class="interest-open secondary" data-kind="${esc(result.kind)}"
      data-id="${esc(result.id.split("/").pop())}">${t("interest.open")}</button><div class="interest-box"></div>`}
  </li>`;
}

async function search(root, params) {
  const status = root.querySelector("#match-status");
  const list = root.querySelector("#results");
  const text = params.get("q");
  const understood = root.querySelector("#understood");
  await configured; // results link their organisations through the IRI scheme
  understood.innerHTML = "";
  root.querySelector("#follow").replaceChildren();
  lastNeed = null;
  if (!text) {
    status.textContent = t("match.type_need");
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
  status.textContent = t("match.searching");
  list.setAttribute("aria-busy", "true");
  try {
    const page = await postJson(`/match?lang=${lang()}`, { text, filters, context, limit: 10 });
    const regionLabels = Object.fromEntries((await vocabulary("nuts2021")).map((c) => [c.iri, conceptLabel(c)]));
    const asked = { trl: context.trl, trlMin: filters.trl_min, regionLabels };
    understood.innerHTML = understoodBlock(page.understood);
    list.innerHTML = page.data.map((r, i) => resultItem(r, asked, i + 1)).join("");
    status.textContent = page.data.length
      ? t("match.found", { count: page.count, shown: page.data.length })
      : t("match.nothing");
    root.querySelector("#follow").innerHTML = `<button type="button" id="follow-need" class="secondary">${t("follow.save")}</button>`;
    lastNeed = { text, filters, context };
  } catch (error) {
    status.textContent = t("match.failed", { reason: error.message });
    list.replaceChildren();
  } finally {
    list.removeAttribute("aria-busy");
  }
}

let lastNeed = null; // the need of the results shown: what "save this need" saves

function keyMissing() {
  return `<p>${t("key.missing")} <a href="#/me">${t("nav.me")}</a>.</p>`;
}

async function follow(root) {
  const box = root.querySelector("#follow");
  if (!apiKey()) { box.innerHTML = keyMissing(); return; }
  try {
    const saved = await postJson("/alerts", lastNeed);
    box.innerHTML = `<p>${t("follow.saved")}</p><label>${t("follow.feed")} <input class="feed-url" readonly size="60"
      value="${esc(saved.feed_url)}"></label>`;
  } catch (error) {
    box.innerHTML = `<p class="error">${esc(t("follow.failed", { reason: error.message }))}</p>`;
  }
}

function interestForm(button) {
  const box = button.nextElementSibling;
  box.innerHTML = apiKey() ? `<form class="interest-form" data-kind="${esc(button.dataset.kind)}" data-id="${esc(button.dataset.id)}">
    <label>${t("interest.message")} <textarea name="message" rows="2" required maxlength="2000"></textarea></label>
    <label>${t("interest.name")} <input name="name" maxlength="200"></label>
    <label>${t("interest.email")} <input name="email" type="email" maxlength="254"></label>
    <button type="submit">${t("interest.send")}</button> <span class="interest-status" role="status"></span></form>` : keyMissing();
}

async function sendInterest(form) {
  const data = new FormData(form);
  const contact = {};
  for (const key of ["name", "email"]) if (String(data.get(key) || "").trim()) contact[key] = String(data.get(key)).trim();
  const out = form.querySelector(".interest-status");
  try {
    const path = `/${form.dataset.kind === "request" ? "requests" : "offers"}/${encodeURIComponent(form.dataset.id)}/interest`;
    await postJson(path, { message: String(data.get("message")), contact });
    form.replaceWith(Object.assign(document.createElement("p"), { textContent: t("interest.sent") }));
  } catch (error) {
    out.textContent = t("interest.failed", { reason: error.message });
  }
}

export async function mount(root, params, go) {
  root.innerHTML = template();
  const results = root.querySelector("section"); // the view's own element: main outlives the view
  results.addEventListener("click", (event) => {
    if (event.target.id === "follow-need" && lastNeed) follow(root);
    else if (event.target.classList.contains("interest-open")) interestForm(event.target);
  });
  results.addEventListener("submit", (event) => {
    if (!event.target.classList.contains("interest-form")) return;
    event.preventDefault();
    sendInterest(event.target);
  });
  const form = root.querySelector("#need-form");
  const ready = fillOptions(form).catch((error) => {
    root.querySelector("#match-status").textContent = t("match.filters_failed", { reason: error.message });
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
