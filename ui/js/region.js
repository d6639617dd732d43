// A region's indicators beside the national figures (#/region?code=RO21): charts drawn with
// Chart.js (vendored from npm through ui/package.json, served as /ui/vendor/chart.umd.js, no CDN),
// a summary table that says the same in numbers (for screen readers and copying), the region x
// field gap, and the CSV of GET /regions/{code}/indicators. Texts come from ./i18n.js (region.*); the
// gap's NACE/CAEN sections are named in the interface's language from GET /vocabularies/nace2.
import { conceptLabel, getJson, vocabulary } from "./api.js";
import { locale, t } from "./i18n.js";

const esc = (value) => String(value ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const REGION_COLOUR = "#1f6f8b";
const NATION_COLOUR = "#c2571a";
const SCOPES = ["inside", "rest_of_romania", "abroad", "unknown"];
const SUMMARY = ["active_organisations", "projects", "participations", "ec_contribution", "new_offers", "new_requests",
  "expressions_of_interest"];

function number(value, digits = 0) {
  if (value === null || value === undefined) return t("region.not_available");
  return Number(value).toLocaleString(locale(), { maximumFractionDigits: digits });
}

function share(part, whole) {
  return whole ? `${(100 * part / whole).toLocaleString(locale(), { maximumFractionDigits: 1 })} %` : "–";
}

/** A chart of one yearly figure: the region on the left axis, the country on the right one. */
function yearChart(canvas, body, pick, kind) {
  const years = body.national.years.map((y) => y.year);
  const regionBy = new Map(body.years.map((y) => [y.year, pick(y)]));
  return new window.Chart(canvas, {
    type: kind,
    data: {
      labels: years,
      datasets: [
        { label: `${body.region.label} (${body.region.notation})`, data: years.map((y) => regionBy.get(y) ?? 0),
          backgroundColor: REGION_COLOUR, borderColor: REGION_COLOUR, yAxisID: "region" },
        { label: t("region.national"), data: body.national.years.map(pick), type: "line",
          backgroundColor: NATION_COLOUR, borderColor: NATION_COLOUR, yAxisID: "nation" },
      ],
    },
    options: {
      animation: false, responsive: true, maintainAspectRatio: false,
      scales: {
        region: { position: "left", beginAtZero: true, title: { display: true, text: body.region.notation } },
        nation: { position: "right", beginAtZero: true, grid: { drawOnChartArea: false },
                  title: { display: true, text: t("region.national") } },
      },
    },
  });
}

function scopeChart(canvas, body) {
  const percent = (area) => {
    const c = area.all_years.collaborations;
    const total = SCOPES.reduce((sum, s) => sum + c[s], 0);
    return SCOPES.map((s) => (total ? Math.round(1000 * c[s] / total) / 10 : 0));
  };
  return new window.Chart(canvas, {
    type: "bar",
    data: {
      labels: SCOPES.map((s) => t(`region.scope.${s}`)),
      datasets: [
        { label: `${body.region.label} (${body.region.notation})`, data: percent(body), backgroundColor: REGION_COLOUR },
        { label: t("region.national"), data: percent(body.national), backgroundColor: NATION_COLOUR },
      ],
    },
    options: { animation: false, responsive: true, maintainAspectRatio: false,
               scales: { y: { beginAtZero: true, max: 100, title: { display: true, text: "%" } } } },
  });
}

function summaryRows(body) {
  const mine = body.all_years;
  const all = body.national.all_years;
  const rows = SUMMARY.map((key) => [t(`region.figure.${key}`), mine[key], all[key]]);
  for (const scope of SCOPES) {
    rows.push([t("region.figure.collaborations", { scope: t(`region.scope.${scope}`) }),
      mine.collaborations[scope], all.collaborations[scope]]);
  }
  return rows.map(([name, value, national]) => `<tr><th scope="row">${esc(name)}</th>
    <td class="num">${esc(number(value))}</td><td class="num">${esc(number(national))}</td>
    <td class="num">${value === null ? "–" : esc(share(value, national))}</td></tr>`).join("");
}

function gapRows(body, sectors) {
  const cells = body.gap.slice(0, 12);
  if (!cells.length) return `<tr><td colspan="5">${esc(t("region.gap_none"))}</td></tr>`;
  const label = (field) => (sectors.has(field.iri) ? conceptLabel(sectors.get(field.iri)) : field.label);
  return cells.map((cell) => `<tr><td>${esc(cell.field.notation)} ${esc(label(cell.field))}</td>
    <td class="num">${cell.supply}</td><td class="num">${cell.demand}</td><td class="num">${cell.gap}</td>
    <td>${esc(t(`region.status.${cell.status}`))}</td></tr>`).join("");
}

export async function mount(root, params, go) {
  let charts = [];
  let body = null;
  let sectors = new Map();
  const clear = () => { for (const chart of charts) chart.destroy(); charts = []; };

  function draw() {
    clear();
    const code = body.region.notation;
    const name = `${body.region.label} (${code})`;
    root.innerHTML = `<h1>${esc(t("region.title", { name }))}</h1>
      <p class="muted">${esc(t("region.intro"))}
        <a href="#/map?level=${code.length === 4 ? 2 : 3}&amp;region=${esc(code)}">${esc(t("region.back_to_map"))}</a> ·
        <a id="region-csv" href="/regions/${encodeURIComponent(code)}/indicators?format=csv" download>${esc(t("region.csv"))}</a></p>
      <div class="region-charts">
        <figure><figcaption>${esc(t("region.chart.active"))}</figcaption>
          <div class="chart-box"><canvas id="chart-active" role="img" aria-label="${esc(t("region.chart.active"))}"></canvas></div></figure>
        <figure><figcaption>${esc(t("region.chart.funding"))}</figcaption>
          <div class="chart-box"><canvas id="chart-funding" role="img" aria-label="${esc(t("region.chart.funding"))}"></canvas></div></figure>
        <figure><figcaption>${esc(t("region.chart.scopes"))}</figcaption>
          <div class="chart-box"><canvas id="chart-scopes" role="img" aria-label="${esc(t("region.chart.scopes"))}"></canvas></div></figure>
      </div>
      <table id="region-summary"><caption>${esc(t("region.summary_caption"))}</caption>
        <thead><tr><th scope="col">${esc(t("region.figure"))}</th><th scope="col">${esc(code)}</th>
          <th scope="col">${esc(t("region.national"))}</th><th scope="col">${esc(t("region.share"))}</th></tr></thead>
        <tbody>${summaryRows(body)}</tbody></table>
      <table id="region-gap"><caption>${esc(t("region.gap_caption"))}</caption>
        <thead><tr><th scope="col">${esc(t("region.gap.field"))}</th><th scope="col">${esc(t("region.gap.supply"))}</th>
          <th scope="col">${esc(t("region.gap.demand"))}</th><th scope="col">${esc(t("region.gap.gap"))}</th>
          <th scope="col">${esc(t("region.gap.status"))}</th></tr></thead>
        <tbody>${gapRows(body, sectors)}</tbody></table>
      <p class="muted">${esc(t("region.notes"))}</p>`;
    if (!window.Chart) {
      root.querySelector(".region-charts").textContent = t("region.no_charts");
      return;
    }
    charts = [
      yearChart(root.querySelector("#chart-active"), body, (y) => y.active_organisations, "bar"),
      yearChart(root.querySelector("#chart-funding"), body, (y) => Math.round(y.ec_contribution), "bar"),
      scopeChart(root.querySelector("#chart-scopes"), body),
    ];
  }

  async function load(next) {
    const code = (next.get("code") || "RO21").trim();
    root.innerHTML = `<p class="loading">${esc(t("app.loading"))}</p>`;
    const [indicators, concepts] = await Promise.all([getJson(`/regions/${encodeURIComponent(code)}/indicators`),
      vocabulary("nace2").catch(() => [])]);  // without it the sections keep the API's (English) names
    body = indicators;
    sectors = new Map(concepts.map((concept) => [concept.iri, concept]));
    draw();
  }

  const redraw = () => { if (body) draw(); };
  window.addEventListener("langchange", redraw);
  await load(params);
  return {
    update: load,
    destroy() { clear(); window.removeEventListener("langchange", redraw); },
  };
}
