// Map of Romania's 8 development regions and 42 counties, coloured by supply, demand or the gap
// (demand - supply) for a chosen field. Plain SVG drawn from the GISCO NUTS 2021 polygons with
// an equirectangular projection scaled by cos(46°): no tiles, no internet, nothing to install.
import { conceptLabel, esc, getJson, vocabulary } from "./api.js";
import { lang, t } from "./i18n.js";

const WIDTH = 760;
// Measures by kind of organisation (issue 11), counted beside supply and demand (names in ui/js/messages).
const KINDS = ["universities", "research_organisations", "public_bodies", "companies", "smes", "offers", "requests"];
const isKind = (measure) => KINDS.includes(measure);
const measureName = (measure) => t(`map.measure.${measure}`);
const LAT0 = 46 * Math.PI / 180;
let geojson = null;

function template() {
  const kindOptions = KINDS.map((key) => `<option value="${key}">${measureName(key)}</option>`).join("");
  return `
<h1>${t("map.title")}</h1>
<form id="map-form" class="inline">
  <label for="map-scheme">${t("map.classification")}</label>
  <select id="map-scheme" name="scheme"><option value="nace2">${t("map.scheme.nace2")}</option><option value="euroscivoc">${t("map.scheme.euroscivoc")}</option></select>
  <label for="map-field">${t("map.field")}</label>
  <select id="map-field" name="field"><option value="">${t("map.all_fields")}</option></select>
  <label for="map-measure">${t("map.colour_by")}</label>
  <select id="map-measure" name="measure"><option value="gap">${t("map.measure.gap_long")}</option><option value="supply">${t("map.measure.supply")}</option><option value="demand">${t("map.measure.demand")}</option><optgroup label="${esc(t("map.by_kind"))}">${kindOptions}</optgroup></select>
  <label for="map-level">${t("map.areas")}</label>
  <select id="map-level" name="level"><option value="3">${t("map.counties")}</option><option value="2">${t("map.regions")}</option></select>
</form>
<div class="map-layout">
  <figure>
    <svg id="map" role="group" aria-label="${esc(t("map.aria"))}" viewBox="0 0 ${WIDTH} 545"></svg>
    <figcaption><span id="map-legend"></span>
      <small>${t("map.boundaries")}</small></figcaption>
  </figure>
  <div>
    <p id="map-status" role="status" class="muted"></p>
    <table id="map-table"><caption>${t("map.table_caption")}</caption>
      <thead><tr><th scope="col">${t("map.area")}</th><th scope="col" class="num">${t("map.measure.supply_head")}</th><th scope="col" class="num">${t("map.measure.demand_head")}</th><th scope="col" class="num">${t("map.measure.gap_head")}</th><th scope="col" class="num" id="map-kind-head">${t("map.shown")}</th></tr></thead>
      <tbody></tbody></table>
  </div>
</div>`;
}

function project([lon, lat]) {
  return [(lon - 20) * Math.cos(LAT0), 48.4 - lat];
}

function pathOf(geometry, scale) {
  const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
  return polygons.map((rings) => rings.map((ring) => ring.map((point, i) => {
    const [x, y] = project(point);
    return `${i ? "L" : "M"}${(x * scale).toFixed(1)},${(y * scale).toFixed(1)}`;
  }).join("") + "Z").join("")).join("");
}

function colourFor(value, max, measure) {
  if (!max) return "#f2f2f2";
  const t = Math.min(1, Math.abs(value) / max);
  if (measure === "gap") {
    if (value === 0) return "#f7f7f7";
    return value > 0 ? `rgba(202, 0, 32, ${0.15 + 0.85 * t})` : `rgba(5, 113, 176, ${0.15 + 0.85 * t})`;
  }
  if (isKind(measure)) return `rgba(84, 39, 143, ${0.1 + 0.9 * t})`;
  return measure === "supply" ? `rgba(26, 152, 80, ${0.1 + 0.9 * t})` : `rgba(230, 97, 1, ${0.1 + 0.9 * t})`;
}

async function fieldOptions(select, scheme) {
  const concepts = await vocabulary(scheme);
  const shallow = concepts.filter((c) => c.notation && (scheme === "nace2"
    ? /^[A-U]$|^\d\d$/.test(c.notation) : c.notation.split("/").length <= 3));
  select.innerHTML = `<option value="">${t("map.all_fields")}</option>` + shallow.map((c) => {
    const indent = scheme === "nace2" ? (/^\d/.test(c.notation) ? "\u2003" : "") : "\u2003".repeat(c.notation.split("/").length - 2);
    return `<option value="${esc(c.notation)}">${indent}${esc(c.notation)} ${esc(conceptLabel(c).toLocaleLowerCase(lang()))}</option>`;
  }).join("");
}

export async function mount(root, params, go) {
  root.innerHTML = template();
  const form = root.querySelector("#map-form");
  const svg = root.querySelector("#map");
  let scheme = null;
  if (!geojson) geojson = await getJson("/ui/data/nuts-ro.geojson");

  function read() {
    return Object.fromEntries(["scheme", "field", "measure", "level"].map((k) => [k, form.elements.namedItem(k).value]));
  }

  async function draw(next) {
    const wanted = { scheme: next.get("scheme") || "nace2", field: next.get("field") || "",
      measure: next.get("measure") || "gap", level: next.get("level") || "3", region: next.get("region") || "" };
    if (wanted.scheme !== scheme) {
      await fieldOptions(form.elements.namedItem("field"), wanted.scheme);
      scheme = wanted.scheme;
    }
    for (const key of ["scheme", "field", "measure", "level"]) form.elements.namedItem(key).value = wanted[key];
    const status = root.querySelector("#map-status");
    status.textContent = t("app.loading");
    const page = await getJson("/network/gaps", { level: wanted.level, scheme: wanted.scheme, field: wanted.field,
      depth: wanted.field ? 1 : 0, limit: 100 });
    const byCode = new Map(page.data.map((cell) => [cell.region.code, cell]));
    const value = (cell) => (cell ? cell[wanted.measure] : 0);
    const areas = geojson.features.filter((f) => String(f.properties.LEVL_CODE) === wanted.level);
    const max = Math.max(0, ...areas.map((f) => Math.abs(value(byCode.get(f.properties.NUTS_ID)))));
    const scale = WIDTH / ((29.8 - 20) * Math.cos(LAT0));
    const regions = geojson.features.filter((f) => f.properties.LEVL_CODE === 2);
    svg.innerHTML = areas.map((f) => {
      const code = f.properties.NUTS_ID;
      const cell = byCode.get(code);
      const label = t("map.area_label", { name: f.properties.NAME_LATN, code, supply: cell ? cell.supply : 0,
        demand: cell ? cell.demand : 0, gap: cell ? cell.gap : 0 })
        + (isKind(wanted.measure) ? `, ${measureName(wanted.measure)} ${value(cell)}` : "");
      const chosen = wanted.region && code.startsWith(wanted.region) ? " chosen" : "";
      return `<path class="area${chosen}" data-code="${code}" d="${pathOf(f.geometry, scale)}" fill="${colourFor(value(cell), max, wanted.measure)}"
        tabindex="0" role="img" aria-label="${esc(label)}"><title>${esc(label)}</title></path>`;
    }).join("") + (wanted.level === "3"
      ? regions.map((f) => `<path class="region-outline" d="${pathOf(f.geometry, scale)}"/>`).join("") : "");
    const rows = areas.map((f) => ({ name: f.properties.NAME_LATN, code: f.properties.NUTS_ID, cell: byCode.get(f.properties.NUTS_ID) }))
      .sort((a, b) => value(b.cell) - value(a.cell) || a.code.localeCompare(b.code));
    const extra = byCode.get("RO");
    root.querySelector("#map-table tbody").innerHTML = rows.map((r) => `<tr><td><a href="#/region?code=${esc(r.code)}" title="${esc(t("map.indicators", { name: r.name }))}">${esc(r.name)} (${esc(r.code)})</a></td>
      <td class="num">${r.cell ? r.cell.supply : 0}</td><td class="num">${r.cell ? r.cell.demand : 0}</td><td class="num">${r.cell ? r.cell.gap : 0}</td><td class="num">${value(r.cell)}</td></tr>`).join("")
      + (extra ? `<tr class="muted"><td>${esc(t("map.unplaced_row"))}</td><td class="num">${extra.supply}</td><td class="num">${extra.demand}</td><td class="num">${extra.gap}</td><td class="num">${value(extra)}</td></tr>` : "");
    const shownName = measureName(["gap", "supply", "demand"].includes(wanted.measure) ? `${wanted.measure}_head` : wanted.measure);
    root.querySelector("#map-kind-head").textContent = shownName;
    const fieldName = wanted.field ? form.elements.namedItem("field").selectedOptions[0]?.textContent.trim() : t("map.all_fields");
    root.querySelector("#map-legend").textContent = wanted.measure === "gap"
      ? t("map.legend.gap", { max, field: fieldName })
      : t("map.legend.darker", { measure: measureName(wanted.measure), max, field: fieldName });
    const level = wanted.level === "3" ? "county" : "region";
    status.textContent = t(`map.status.${level}`, { measure: measureName(wanted.measure), field: fieldName })
      + (extra ? ` ${t(`map.unplaced.${level}`, { supply: extra.supply, demand: extra.demand })}`
        + (isKind(wanted.measure) ? `, ${measureName(wanted.measure)} ${value(extra)}` : "") + ` ${t("map.last_row")}` : "")
      + (page.unplaced && Object.keys(page.unplaced).length ? ` ${t("map.coarser")}` : "");
  }

  form.addEventListener("change", () => go("map", read()));
  svg.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && event.target.dataset.code) go("map", { ...read(), region: event.target.dataset.code });
  });
  await draw(params);
  return { update: draw };
}
