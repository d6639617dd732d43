// Map of Romania's 8 development regions and 42 counties, coloured by supply, demand or the gap
// (demand - supply) for a chosen field. Plain SVG drawn from the GISCO NUTS 2021 polygons with
// an equirectangular projection scaled by cos(46°): no tiles, no internet, nothing to install.
import { conceptLabel, esc, getJson, vocabulary } from "./api.js";

const WIDTH = 760;
// Measures by kind of organisation (issue 11), with their Romanian names: counted beside supply and demand.
const KINDS = {
  universities: ["universities (HES)", "universități"],
  research_organisations: ["research organisations (REC)", "organizații de cercetare"],
  public_bodies: ["public bodies (PUB)", "organisme publice"],
  companies: ["companies (PRC)", "întreprinderi"],
  smes: ["SMEs", "IMM-uri"],
  offers: ["technology offers", "oferte de tehnologie"],
  requests: ["technology requests", "cereri de tehnologie"],
};
const kindOptions = Object.entries(KINDS).map(([key, [en, ro]]) => `<option value="${key}">${en} / ${ro}</option>`).join("");
const LAT0 = 46 * Math.PI / 180;
let geojson = null;

const TEMPLATE = `
<h1>Supply and demand by region</h1>
<form id="map-form" class="inline">
  <label for="map-scheme">Classification</label>
  <select id="map-scheme" name="scheme"><option value="nace2">sectors (NACE)</option><option value="euroscivoc">fields of science (EuroSciVoc)</option></select>
  <label for="map-field">Field</label>
  <select id="map-field" name="field"><option value="">all fields</option></select>
  <label for="map-measure">Colour by</label>
  <select id="map-measure" name="measure"><option value="gap">gap (demand − supply)</option><option value="supply">supply</option><option value="demand">demand</option><optgroup label="Organisations and items by kind / după tip">${kindOptions}</optgroup></select>
  <label for="map-level">Areas</label>
  <select id="map-level" name="level"><option value="3">42 counties</option><option value="2">8 development regions</option></select>
</form>
<div class="map-layout">
  <figure>
    <svg id="map" role="group" aria-label="Map of Romania" viewBox="0 0 ${WIDTH} 545"></svg>
    <figcaption><span id="map-legend"></span>
      <small>Boundaries: © EuroGeographics for the administrative boundaries (Eurostat GISCO, NUTS 2021, 1:60M).</small></figcaption>
  </figure>
  <div>
    <p id="map-status" role="status" class="muted"></p>
    <table id="map-table"><caption>Values shown on the map</caption>
      <thead><tr><th scope="col">Area</th><th scope="col" class="num">Supply</th><th scope="col" class="num">Demand</th><th scope="col" class="num">Gap</th><th scope="col" class="num" id="map-kind-head">Shown</th></tr></thead>
      <tbody></tbody></table>
  </div>
</div>`;

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
  if (KINDS[measure]) return `rgba(84, 39, 143, ${0.1 + 0.9 * t})`;
  return measure === "supply" ? `rgba(26, 152, 80, ${0.1 + 0.9 * t})` : `rgba(230, 97, 1, ${0.1 + 0.9 * t})`;
}

async function fieldOptions(select, scheme) {
  const concepts = await vocabulary(scheme);
  const shallow = concepts.filter((c) => c.notation && (scheme === "nace2"
    ? /^[A-U]$|^\d\d$/.test(c.notation) : c.notation.split("/").length <= 3));
  select.innerHTML = '<option value="">all fields</option>' + shallow.map((c) => {
    const indent = scheme === "nace2" ? (/^\d/.test(c.notation) ? "\u2003" : "") : "\u2003".repeat(c.notation.split("/").length - 2);
    return `<option value="${esc(c.notation)}">${indent}${esc(c.notation)} ${esc(conceptLabel(c).toLowerCase())}</option>`;
  }).join("");
}

export async function mount(root, params, go) {
  root.innerHTML = TEMPLATE;
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
    status.textContent = "Loading…";
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
      const label = `${f.properties.NAME_LATN} (${code}): supply ${cell ? cell.supply : 0}, demand ${cell ? cell.demand : 0}, gap ${cell ? cell.gap : 0}`
        + (KINDS[wanted.measure] ? `, ${KINDS[wanted.measure][0]} ${value(cell)}` : "");
      const chosen = wanted.region && code.startsWith(wanted.region) ? " chosen" : "";
      return `<path class="area${chosen}" data-code="${code}" d="${pathOf(f.geometry, scale)}" fill="${colourFor(value(cell), max, wanted.measure)}"
        tabindex="0" role="img" aria-label="${esc(label)}"><title>${esc(label)}</title></path>`;
    }).join("") + (wanted.level === "3"
      ? regions.map((f) => `<path class="region-outline" d="${pathOf(f.geometry, scale)}"/>`).join("") : "");
    const rows = areas.map((f) => ({ name: f.properties.NAME_LATN, code: f.properties.NUTS_ID, cell: byCode.get(f.properties.NUTS_ID) }))
      .sort((a, b) => value(b.cell) - value(a.cell) || a.code.localeCompare(b.code));
    const extra = byCode.get("RO");
    root.querySelector("#map-table tbody").innerHTML = rows.map((r) => `<tr><td>${esc(r.name)} (${esc(r.code)})</td>
      <td class="num">${r.cell ? r.cell.supply : 0}</td><td class="num">${r.cell ? r.cell.demand : 0}</td><td class="num">${r.cell ? r.cell.gap : 0}</td><td class="num">${value(r.cell)}</td></tr>`).join("")
      + (extra ? `<tr class="muted"><td>${esc(extra.region.label)}</td><td class="num">${extra.supply}</td><td class="num">${extra.demand}</td><td class="num">${extra.gap}</td><td class="num">${value(extra)}</td></tr>` : "");
    const measureName = KINDS[wanted.measure] ? KINDS[wanted.measure].join(" / ") : wanted.measure;
    root.querySelector("#map-kind-head").textContent = measureName;
    const fieldName = wanted.field ? form.elements.namedItem("field").selectedOptions[0]?.textContent.trim() : "all fields";
    root.querySelector("#map-legend").textContent = wanted.measure === "gap"
      ? `Red: more demand than supply; blue: more supply (largest |gap| ${max}). Field: ${fieldName}.`
      : `Darker: more ${measureName} (most ${max}). Field: ${fieldName}.`;
    status.textContent = `${measureName} of ${fieldName} by ${wanted.level === "3" ? "county" : "development region"}.`
      + (extra ? ` Not placed in a ${wanted.level === "3" ? "county" : "region"}: supply ${extra.supply}, demand ${extra.demand}`
        + (KINDS[wanted.measure] ? `, ${measureName} ${value(extra)}` : "") + " (last row of the table)." : "")
      + (page.unplaced && Object.keys(page.unplaced).length ? " Some items are located only at a coarser level (see the API's 'unplaced')." : "");
  }

  form.addEventListener("change", () => go("map", read()));
  svg.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && event.target.dataset.code) go("map", { ...read(), region: event.target.dataset.code });
  });
  await draw(params);
  return { update: draw };
}
