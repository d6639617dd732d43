// Network explorer: search an organisation, see its partners, click a node to expand it, colour
// by kind or Leiden community, and ask "who can introduce me" for the chain between two.
// The URL keeps focus, expanded nodes, colouring and the path ends, so a view can be shared.
import { esc, getJson, orgHref } from "./api.js";
import { kindLabel } from "./explain.js";
import { createGraph, cytoscapeAvailable, elements, legendFor } from "./graph.js";
import { t } from "./i18n.js";

function template() {
  return `
<h1>${t("nav.network")}</h1>
<form id="net-search" class="inline" role="search">
  <label for="net-q">${t("net.organisation")}</label>
  <input id="net-q" name="q" placeholder="${esc(t("net.search_placeholder"))}" autocomplete="off" required minlength="2">
  <button type="submit">${t("net.search")}</button>
  <label for="net-colour">${t("net.colour_by")}</label>
  <select id="net-colour"><option value="kind">${t("net.by_kind")}</option><option value="community">${t("net.by_community")}</option></select>
</form>
<ul id="net-hits" class="hits" aria-label="${esc(t("net.hits"))}"></ul>
<div class="network-layout">
  <div>
    <div id="cy" class="cy" role="img" aria-label="${esc(t("net.picture"))}"></div>
    <p id="net-status" role="status" class="muted"></p>
    <ul id="legend" class="legend" aria-label="${esc(t("net.legend"))}"></ul>
  </div>
  <aside>
    <h2>${t("net.selected")}</h2>
    <div id="selected"><p class="muted">${t("net.select_hint")}</p></div>
    <h2>${t("net.introduce")}</h2>
    <form id="path-form">
      <label for="path-from">${t("net.from")}</label><input id="path-from" name="from" required>
      <label for="path-to">${t("net.to")}</label><input id="path-to" name="to" required>
      <button type="submit">${t("net.show_path")}</button>
    </form>
    <div id="path-result" aria-live="polite"></div>
    <h2>${t("net.shown")}</h2>
    <ul id="node-list" class="node-list"></ul>
  </aside>
</div>`;
}

function csv(value) {
  return value ? value.split(",").filter(Boolean) : [];
}

export async function mount(root, params, go) {
  root.innerHTML = template();
  const status = root.querySelector("#net-status");
  const colour = root.querySelector("#net-colour");
  let cy = null;
  let state = { focus: null, expand: [], colour: "kind", from: null, to: null };
  const nodeData = new Map();

  function share(replace = false) {
    go("network", { focus: state.focus, expand: state.expand.join(","), color: state.colour,
      from: state.from, to: state.to }, { replace });
  }

  function describe(node) {
    root.querySelector("#selected").innerHTML = `<p><strong>${esc(node.label)}</strong><br>
      ${esc(kindLabel(node.kind))} · ${esc(node.country || "")}${node.region ? ` · ${esc(node.region)}` : ""}<br>
      ${t("net.partners", { count: node.partners })}${node.community !== null && node.community !== undefined ? ` · ${t("net.community", { id: node.community })}` : ""}</p>
      <p><a href="${orgHref(node.id)}">${t("net.open_profile")}</a></p>
      <p><button type="button" id="use-from">${t("net.use_from")}</button> <button type="button" id="use-to">${t("net.use_to")}</button></p>`;
    root.querySelector("#use-from").onclick = () => { root.querySelector("#path-from").value = node.id; };
    root.querySelector("#use-to").onclick = () => { root.querySelector("#path-to").value = node.id; };
  }

  function refreshLists() {
    const nodes = [...nodeData.values()];
    root.querySelector("#legend").innerHTML = legendFor(state.colour, nodes)
      .map((l) => `<li><span class="swatch" style="background:${l.colour}"></span>${esc(state.colour !== "community" ? kindLabel(l.key) : l.key === "unknown" ? t("net.no_community") : t("net.community", { id: l.key }))}</li>`).join("");
    root.querySelector("#node-list").innerHTML = nodes
      .sort((a, b) => b.partners - a.partners).slice(0, 60)
      .map((n) => `<li><button type="button" class="link" data-id="${esc(n.id)}">${esc(n.label)}</button> <span class="muted">${n.partners}</span></li>`)
      .join("");
  }

  async function fetchEgo(id, maxNodes) {
    return getJson(`/network/ego/${id}`, { max_nodes: maxNodes, communities: state.colour === "community" ? "true" : "" });
  }

  function merge(ego) {
    for (const node of ego.nodes) if (!nodeData.has(node.id)) nodeData.set(node.id, node);
    const fresh = elements(ego, state.colour).filter((el) => cy.getElementById(el.data.id).empty());
    cy.add(fresh);
  }

  async function expand(id, { record = true } = {}) {
    status.textContent = t("net.expanding", { id });
    const ego = await fetchEgo(id, 15);
    merge(ego);
    cy.layout({ name: "cose", animate: false, randomize: false, nodeRepulsion: 9000, idealEdgeLength: 70 }).run();
    status.textContent = t("net.status", { count: nodeData.size, partners: t("net.partners_of", { count: ego.partners, name: ego.nodes[0].label }) });
    refreshLists();
    if (record && !state.expand.includes(id) && id !== state.focus) {
      state.expand.push(id);
      share(true);
    }
  }

  async function showPath() {
    const box = root.querySelector("#path-result");
    cy && cy.elements().removeClass("on-path");
    if (!state.from || !state.to) { box.replaceChildren(); return; }
    box.innerHTML = `<p class="muted">${t("net.looking")}</p>`;
    const found = await getJson("/network/path", { source: state.from, target: state.to, limit: 3 });
    if (!found.paths.length) { box.innerHTML = `<p>${esc(t("net.no_path"))}</p>`; return; }
    for (const path of found.paths) {
      for (const step of path.steps) {
        const ego = { nodes: [step.from, step.to], edges: [{ source: step.from.id, target: step.to.id, projects: step.shared }] };
        merge(ego);
      }
    }
    const best = found.paths[0];
    for (const step of best.steps) {
      cy.getElementById(step.from.id).addClass("on-path");
      cy.getElementById(step.to.id).addClass("on-path");
      cy.edges().filter((e) => (e.data("source") === step.from.id && e.data("target") === step.to.id)
        || (e.data("source") === step.to.id && e.data("target") === step.from.id)).addClass("on-path");
    }
    cy.layout({ name: "cose", animate: false, randomize: false }).run();
    refreshLists();
    box.innerHTML = found.paths.map((path, i) => `<ol class="path" aria-label="${esc(t("net.chain", { n: i + 1 }))}">${path.steps.map((s) =>
      `<li><a href="${orgHref(s.from.id)}">${esc(s.from.label)}</a> → <a href="${orgHref(s.to.id)}">${esc(s.to.label)}</a>
       <span class="muted">${t("net.via")} ${s.via.map((v) => esc(v.label)).join(", ")}${s.shared > s.via.length ? ` ${t("net.and_more", { count: s.shared - s.via.length })}` : ""}</span></li>`).join("")}</ol>`).join("");
  }

  async function load(next) {
    const wanted = { focus: next.get("focus"), expand: csv(next.get("expand")), colour: next.get("color") || "kind",
      from: next.get("from"), to: next.get("to") };
    colour.value = wanted.colour;
    if (!cytoscapeAvailable()) {
      status.textContent = t("net.needs_cytoscape");
      return;
    }
    const rebuild = !cy || wanted.focus !== state.focus || wanted.colour !== state.colour
      || wanted.expand.some((id) => !state.expand.includes(id));
    state = wanted;
    if (rebuild) {
      if (cy) cy.destroy();
      cy = null;
      nodeData.clear();
      const start = state.focus || state.from;
      if (!start) { status.textContent = t("net.start"); root.querySelector("#net-q").focus(); return; }
      status.textContent = t("net.loading");
      const ego = await fetchEgo(start, 30);
      for (const node of ego.nodes) nodeData.set(node.id, node);
      cy = createGraph(root.querySelector("#cy"), ego, { colourBy: state.colour, centre: ego.centre });
      cy.on("tap", "node", (event) => {
        const node = nodeData.get(event.target.id());
        describe(node);
        expand(node.id).catch((error) => { status.textContent = error.message; });
      });
      status.textContent = t("net.status", { count: ego.nodes.length, partners: t("net.partners_of", { count: ego.partners, name: ego.nodes[0].label }) });
      for (const id of state.expand) await expand(id, { record: false });
      refreshLists();
      describe(ego.nodes[0]);
    }
    root.querySelector("#path-from").value = state.from || "";
    root.querySelector("#path-to").value = state.to || "";
    await showPath();
  }

  root.querySelector("#net-search").addEventListener("submit", async (event) => {
    event.preventDefault();
    const q = root.querySelector("#net-q").value.trim();
    const hits = await getJson("/search", { q, kind: "organisation", limit: 10 });
    root.querySelector("#net-hits").innerHTML = hits.data.length
      ? hits.data.map((h) => `<li><button type="button" class="link" data-id="${esc(h.id)}">${esc(h.label)}</button> <span class="muted">${esc(h.id)}</span></li>`).join("")
      : `<li>${t("net.no_hits")}</li>`;
  });
  root.querySelector("#net-hits").addEventListener("click", (event) => {
    const id = event.target.dataset && event.target.dataset.id;
    if (id) { root.querySelector("#net-hits").replaceChildren(); go("network", { focus: id, color: state.colour }); }
  });
  root.querySelector("#node-list").addEventListener("click", (event) => {
    const id = event.target.dataset && event.target.dataset.id;
    if (id) { describe(nodeData.get(id)); expand(id).catch((error) => { status.textContent = error.message; }); }
  });
  colour.addEventListener("change", () => go("network", { focus: state.focus, expand: state.expand.join(","),
    color: colour.value, from: state.from, to: state.to }));
  root.querySelector("#path-form").addEventListener("submit", (event) => {
    event.preventDefault();
    state.from = root.querySelector("#path-from").value.trim();
    state.to = root.querySelector("#path-to").value.trim();
    share();
  });
  await load(params);
  return { update: load, destroy: () => cy && cy.destroy() };
}
