// The organisation page: profile, region, projects, partners, offers and requests, memberships,
// and a small picture of its ego network linking to the explorer.
import { esc, euro, getJson, orgHref } from "./api.js";
import { createGraph, cytoscapeAvailable } from "./graph.js";

function concept(ref) {
  return ref ? esc(ref.label || ref.notation || ref.iri) : "—";
}

function list(items, render, empty = "none") {
  return items.length ? `<ul>${items.map((x) => `<li>${render(x)}</li>`).join("")}</ul>` : `<p class="muted">${empty}</p>`;
}

function entity(ref) {
  return ref.id ? `<a href="${orgHref(ref.id)}">${esc(ref.label)}</a>` : esc(ref.label);
}

function offerLine(item) {
  const trl = item.trl ? ` <span class="badge">TRL ${esc(item.trl.notation)}</span>` : "";
  const ill = item.illustrative ? ' <span class="badge illustrative">illustrative</span>' : "";
  return `${esc(item.title)}${trl}${ill}`;
}

function profileHtml(p) {
  const placed = p.placement && p.placement.method
    ? ` <span class="muted">(found by ${esc(p.placement.method)}: ${esc(p.placement.evidence || "")})</span>` : "";
  const region = p.region
    ? `<a href="#/map?region=${encodeURIComponent(p.region.notation)}">${concept(p.region)} (${esc(p.region.notation)})</a>${placed}`
    : p.placement && p.placement.unplaced_reason
      ? `no county found: ${esc(p.placement.unplaced_reason)}`
      : "no NUTS region (CORDIS gives only the country)";
  const records = [...(p.cordis_records || []), ...(p.record_of || [])];
  const projects = p.projects.data.map((r) => `<tr><td>${esc(r.acronym || r.project.label)}</td>
      <td>${concept(r.role)}</td><td>${esc(r.start_date || "")}</td><td class="num">${euro(r.ec_contribution)}</td></tr>`).join("");
  return `
  <h1>${esc(p.name)} ${p.illustrative ? '<span class="badge illustrative">illustrative</span>' : ""}</h1>
  <p class="muted">${esc(p.other_names.join(" · "))}</p>
  <div class="columns">
    <section aria-labelledby="profile-title">
      <h2 id="profile-title">Profile</h2>
      <dl class="facts">
        <dt>Kind</dt><dd>${concept(p.kind)}</dd>
        <dt>Country</dt><dd>${concept(p.country)}</dd>
        <dt>Region</dt><dd>${region}</dd>
        ${p.short_name ? `<dt>Short name</dt><dd>${esc(p.short_name)}</dd>` : ""}
        ${p.address ? `<dt>Address</dt><dd>${esc(p.address)}</dd>` : ""}
        ${records.length ? `<dt>Same body in CORDIS / partnership</dt><dd>${records.map(entity).join(", ")}</dd>` : ""}
        ${p.parent ? `<dt>Part of</dt><dd>${entity(p.parent)}</dd>` : ""}
        ${p.pic ? `<dt>PIC</dt><dd>${esc(p.pic)}</dd>` : ""}
        ${p.website ? `<dt>Website</dt><dd><a href="${esc(p.website)}" rel="noopener">${esc(p.website)}</a></dd>` : ""}
        ${p.sme !== null ? `<dt>SME</dt><dd>${p.sme ? "yes" : "no"}</dd>` : ""}
        <dt>Fields</dt><dd>${p.fields.map(concept).join(", ") || "—"}</dd>
        <dt>Sectors</dt><dd>${p.sectors.map(concept).join(", ") || "—"}</dd>
        <dt>Competences</dt><dd>${esc(p.competences.join(", ")) || "—"}</dd>
      </dl>
      ${p.description ? `<p>${esc(p.description)}</p>` : ""}
      <h3>Units</h3>${list(p.units, entity)}
      <h3>Technology offers</h3>${list(p.offers, offerLine)}
      <h3>Technology requests</h3>${list(p.requests, offerLine)}
      <h3>Partnerships</h3>${list(p.memberships, (m) => `${esc(m.partnership.label)} (${concept(m.role)})`)}
    </section>
    <section aria-labelledby="ego-title">
      <h2 id="ego-title">Network</h2>
      <div id="ego" class="ego" role="img" aria-label="Partners of ${esc(p.name)}"></div>
      <p id="ego-caption" class="muted"></p>
      <p><a id="explore-link" href="#/network?focus=${encodeURIComponent(p.id)}">Explore the network around ${esc(p.name)}</a></p>
      <h3>Project partners (${p.partners_count})</h3>
      ${list(p.partners.slice(0, 15), (x) => `${entity(x.organisation)} <span class="muted">${x.shared_projects} shared</span>`)}
    </section>
  </div>
  <section aria-labelledby="projects-title">
    <h2 id="projects-title">Projects (${p.projects.count})</h2>
    ${projects ? `<table><thead><tr><th scope="col">Project</th><th scope="col">Role</th><th scope="col">Start</th>
      <th scope="col" class="num">EU contribution</th></tr></thead><tbody>${projects}</tbody></table>` : '<p class="muted">none</p>'}
  </section>`;
}

async function drawEgo(root, id) {
  const box = root.querySelector("#ego");
  if (!cytoscapeAvailable()) {
    box.textContent = "The network picture needs cytoscape.js (npm ci --prefix ui).";
    return null;
  }
  const ego = await getJson(`/network/ego/${id}`, { max_nodes: 25 });
  if (ego.nodes.length <= 1) {
    box.textContent = "No partners in the collaboration network.";
    return null;
  }
  root.querySelector("#ego-caption").textContent = `${ego.partners} partners through shared projects and partnerships`
    + (ego.truncated ? `; the ${ego.nodes.length - 1} strongest ties are drawn.` : ".");
  return createGraph(box, ego, { centre: ego.centre, layout: "concentric" });
}

export async function mount(root, params) {
  let cy = null;
  async function show(next) {
    const id = next.get("id");
    if (!id) {
      root.innerHTML = '<h1>Organisation</h1><p>No organisation chosen: <a href="#/match">find one</a>.</p>';
      return;
    }
    root.innerHTML = '<p class="loading" role="status">Loading the profile…</p>';
    const profile = await getJson(`/organisations/${id}`, { limit: 10 });
    root.innerHTML = profileHtml(profile);
    root.querySelector("h1").setAttribute("tabindex", "-1");
    root.querySelector("h1").focus();
    if (cy) cy.destroy();
    cy = await drawEgo(root, id).catch((error) => {
      root.querySelector("#ego").textContent = `No network picture: ${error.message}`;
      return null;
    });
  }
  await show(params);
  return { update: show, destroy: () => cy && cy.destroy() };
}
