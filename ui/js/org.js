// The organisation page: profile, region, projects, partners, offers and requests, memberships,
// and a small picture of its ego network linking to the explorer.
import { esc, euro, getJson, orgHref } from "./api.js";
import { createGraph, cytoscapeAvailable } from "./graph.js";
import { lang, t } from "./i18n.js";

function concept(ref) {
  return ref ? esc(ref.label || ref.notation || ref.iri) : "—";
}

function list(items, render) {
  return items.length ? `<ul>${items.map((x) => `<li>${render(x)}</li>`).join("")}</ul>` : `<p class="muted">${t("org.none")}</p>`;
}

function entity(ref) {
  return ref.id ? `<a href="${orgHref(ref.id)}">${esc(ref.label)}</a>` : esc(ref.label);
}

function offerLine(item) {
  const trl = item.trl ? ` <span class="badge">TRL ${esc(item.trl.notation)}</span>` : "";
  const ill = item.illustrative ? ` <span class="badge illustrative">${t("badge.illustrative")}</span>` : "";
  return `${esc(item.title)}${trl}${ill}`;
}

function placementMethod(method) {
  return ["coordinates", "postcode", "city"].includes(method) ? t(`placement.${method}`) : method;
}

function profileHtml(p) {
  const placed = p.placement && p.placement.method
    ? ` <span class="muted">(${esc(t("org.placed_by", { method: placementMethod(p.placement.method), evidence: p.placement.evidence || "" }))})</span>` : "";
  const region = p.region
    ? `<a href="#/map?region=${encodeURIComponent(p.region.notation)}">${concept(p.region)} (${esc(p.region.notation)})</a>${placed}`
    : p.placement && p.placement.unplaced_reason
      ? esc(t("org.unplaced", { reason: p.placement.unplaced_reason }))
      : t("org.no_region");
  const records = [...(p.cordis_records || []), ...(p.record_of || [])];
  const projects = p.projects.data.map((r) => `<tr><td>${esc(r.acronym || r.project.label)}</td>
      <td>${concept(r.role)}</td><td>${esc(r.start_date || "")}</td><td class="num">${euro(r.ec_contribution)}</td></tr>`).join("");
  return `
  <h1>${esc(p.name)} ${p.illustrative ? `<span class="badge illustrative">${t("badge.illustrative")}</span>` : ""}</h1>
  <p class="muted">${esc(p.other_names.join(" · "))}</p>
  <div class="columns">
    <section aria-labelledby="profile-title">
      <h2 id="profile-title">${t("org.profile")}</h2>
      <dl class="facts">
        <dt>${t("org.kind")}</dt><dd>${concept(p.kind)}</dd>
        <dt>${t("org.country")}</dt><dd>${concept(p.country)}</dd>
        <dt>${t("org.region")}</dt><dd>${region}</dd>
        ${p.short_name ? `<dt>${t("org.short_name")}</dt><dd>${esc(p.short_name)}</dd>` : ""}
        ${p.address ? `<dt>${t("org.address")}</dt><dd>${esc(p.address)}</dd>` : ""}
        ${records.length ? `<dt>${t("org.same_body")}</dt><dd>${records.map(entity).join(", ")}</dd>` : ""}
        ${p.parent ? `<dt>${t("org.part_of")}</dt><dd>${entity(p.parent)}</dd>` : ""}
        ${p.pic ? `<dt>PIC</dt><dd>${esc(p.pic)}</dd>` : ""}
        ${p.website ? `<dt>${t("org.website")}</dt><dd><a href="${esc(p.website)}" rel="noopener">${esc(p.website)}</a></dd>` : ""}
        ${p.sme !== null ? `<dt>${t("org.sme")}</dt><dd>${p.sme ? t("org.yes") : t("org.no")}</dd>` : ""}
        <dt>${t("org.fields")}</dt><dd>${p.fields.map(concept).join(", ") || "—"}</dd>
        <dt>${t("org.sectors")}</dt><dd>${p.sectors.map(concept).join(", ") || "—"}</dd>
        <dt>${t("org.competences")}</dt><dd>${esc(p.competences.join(", ")) || "—"}</dd>
      </dl>
      ${p.description ? `<p>${esc(p.description)}</p>` : ""}
      <h3>${t("org.units")}</h3>${list(p.units, entity)}
      <h3>${t("org.offers")}</h3>${list(p.offers, offerLine)}
      <h3>${t("org.requests")}</h3>${list(p.requests, offerLine)}
      <h3>${t("org.partnerships")}</h3>${list(p.memberships, (m) => `${esc(m.partnership.label)} (${concept(m.role)})`)}
    </section>
    <section aria-labelledby="ego-title">
      <h2 id="ego-title">${t("org.network")}</h2>
      <div id="ego" class="ego" role="img" aria-label="${esc(t("org.partners_of", { name: p.name }))}"></div>
      <p id="ego-caption" class="muted"></p>
      <p><a id="explore-link" href="#/network?focus=${encodeURIComponent(p.id)}">${esc(t("org.explore", { name: p.name }))}</a></p>
      <h3>${t("org.project_partners", { count: p.partners_count })}</h3>
      ${list(p.partners.slice(0, 15), (x) => `${entity(x.organisation)} <span class="muted">${t("org.shared", { count: x.shared_projects })}</span>`)}
    </section>
  </div>
  <section aria-labelledby="projects-title">
    <h2 id="projects-title">${t("org.projects", { count: p.projects.count })}</h2>
    ${projects ? `<table><thead><tr><th scope="col">${t("org.project")}</th><th scope="col">${t("org.role")}</th><th scope="col">${t("org.start")}</th>
      <th scope="col" class="num">${t("org.eu_contribution")}</th></tr></thead><tbody>${projects}</tbody></table>` : `<p class="muted">${t("org.none")}</p>`}
  </section>`;
}

async function drawEgo(root, id) {
  const box = root.querySelector("#ego");
  if (!cytoscapeAvailable()) {
    box.textContent = t("org.needs_cytoscape");
    return null;
  }
  const ego = await getJson(`/network/ego/${id}`, { max_nodes: 25 });
  if (ego.nodes.length <= 1) {
    box.textContent = t("org.no_partners");
    return null;
  }
  root.querySelector("#ego-caption").textContent = t("org.ego_caption", { count: ego.partners })
    + (ego.truncated ? t("org.ego_truncated", { count: ego.nodes.length - 1 }) : ".");
  return createGraph(box, ego, { centre: ego.centre, layout: "concentric" });
}

export async function mount(root, params) {
  let cy = null;
  async function show(next) {
    const id = next.get("id");
    if (!id) {
      root.innerHTML = `<h1>${t("nav.org")}</h1><p>${t("org.none_chosen")} <a href="#/match">${t("org.find_one")}</a>.</p>`;
      return;
    }
    root.innerHTML = `<p class="loading" role="status">${t("org.loading")}</p>`;
    const profile = await getJson(`/organisations/${id}`, { limit: 10, lang: lang() });
    root.innerHTML = profileHtml(profile);
    root.querySelector("h1").setAttribute("tabindex", "-1");
    root.querySelector("h1").focus();
    if (cy) cy.destroy();
    cy = await drawEgo(root, id).catch((error) => {
      root.querySelector("#ego").textContent = t("org.no_picture", { reason: error.message });
      return null;
    });
  }
  await show(params);
  return { update: show, destroy: () => cy && cy.destroy() };
}
