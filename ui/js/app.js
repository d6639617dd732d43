// The single-page router: every view is a hash route with query parameters, so any state a
// broker sees can be bookmarked or sent to a colleague (#/match?q=..., #/org?id=osim,
// #/network?focus=osim&color=community, #/map?field=A&measure=gap).
import * as match from "./match.js";
import * as org from "./org.js";
import * as network from "./network.js";
import * as map from "./map.js";
import * as me from "./me.js";
import * as region from "./region.js";
import { mountSwitch, t } from "./i18n.js";

const VIEWS = { match, org, network, map, me, region };
let current = { name: null, instance: null };

export function parseHash(hash = location.hash) {
  const raw = hash.replace(/^#\/?/, "");
  const [name, query = ""] = raw.split("?", 2);
  return { name: VIEWS[name] ? name : "match", params: new URLSearchParams(query) };
}

/** Navigate to ``name`` with ``params`` (an object; empty values dropped); returns the new hash. */
export function go(name, params = {}, { replace = false } = {}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const item of [].concat(value)) {
      if (item !== undefined && item !== null && item !== "") query.append(key, item);
    }
  }
  const hash = `#/${name}${query.toString() ? `?${query}` : ""}`;
  if (hash === location.hash) {
    route();
  } else if (replace) {
    history.replaceState(null, "", hash);
    route();
  } else {
    location.hash = hash;
  }
  return hash;
}

function markNav(name) {
  for (const link of document.querySelectorAll("nav a[data-view]")) {
    const active = link.dataset.view === name || (name === "org" && link.dataset.view === "match")
      || (name === "region" && link.dataset.view === "map");
    if (active) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

async function route() {
  const { name, params } = parseHash();
  const main = document.getElementById("main");
  markNav(name);
  try {
    if (current.name === name && current.instance && current.instance.update) {
      await current.instance.update(params);
      return;
    }
    if (current.instance && current.instance.destroy) current.instance.destroy();
    main.replaceChildren();
    const mounting = { name, instance: null };
    current = mounting;
    const instance = await VIEWS[name].mount(main, params, go);
    if (current !== mounting) { // the user moved on while this view loaded
      if (instance && instance.destroy) instance.destroy();
      return;
    }
    mounting.instance = instance;
    document.title = `innograph — ${main.querySelector("h1")?.textContent || t(`nav.${name}`)}`;
  } catch (error) {
    const box = document.createElement("p");
    box.className = "error";
    box.setAttribute("role", "alert");
    box.textContent = t("app.view_failed", { reason: error.message });
    main.append(box);
  }
}

/** Draw the current view again from scratch, in the language just chosen (its state is in the URL). */
function redraw() {
  if (current.instance && current.instance.destroy) current.instance.destroy();
  current = { name: null, instance: null };
  route();
}

mountSwitch(document.querySelector(".lang-switch"));
window.addEventListener("langchange", redraw);
window.addEventListener("hashchange", route);
// module scripts run once the document is parsed: route now, exactly once (a second concurrent
// mount would draw into a container the first one is replacing)
if (document.readyState === "loading") window.addEventListener("DOMContentLoaded", route, { once: true });
else route();
