// "My organisation": publish an offer or request, and renew or withdraw the ones published from
// this tab. The API has no "list my records" read yet, so the ids published here are kept in this
// tab (sessionStorage) and each is re-read from GET /{kind}s/{id} (status, expiry, ETag) on display.
// Titles are inserted as text (esc): they are what a person typed.
import { esc } from "./api.js";
import { t } from "./i18n.js";

const STORE = "innograph.records";

function remembered() {
  try { return JSON.parse(sessionStorage.getItem(STORE) || "[]"); } catch { return []; }
}

function remember(kind, id) {
  const items = remembered().filter((item) => item.id !== id);
  items.unshift({ kind, id });
  try { sessionStorage.setItem(STORE, JSON.stringify(items)); } catch { /* storage disabled */ }
}

async function call(method, path, body, etag) {
  const headers = { Accept: "application/json", "X-API-Key": sessionStorage.getItem("innograph.key") || "" };
  if (body) headers["Content-Type"] = "application/json";
  if (etag) headers["If-Match"] = etag;
  const response = await fetch(path, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const data = (response.headers.get("content-type") || "").includes("json") ? await response.json() : null;
  if (!response.ok) {
    const detail = data && data.detail ? data.detail : `${response.status}`;
    const where = data && Array.isArray(data.errors) && data.errors.length
      ? data.errors.map((e) => e.field || e.location).filter(Boolean).join(", ")
      : "";
    throw new Error(where ? t("records.error_field", { field: where, detail }) : detail);
  }
  return { data, etag: response.headers.get("ETag") };
}

function form() {
  return `<h2>${t("records.publish")}</h2>
<form id="record-form" class="record-form">
  <label>${t("records.kind")} <select name="kind"><option value="offer">${t("kind.offer")}</option><option value="request">${t("kind.request")}</option></select></label>
  <label>${t("records.title")} <input name="title" required maxlength="300"></label>
  <label>${t("records.description")} <textarea name="description" required rows="3"></textarea></label>
  <label>${t("records.trl")} <input name="trl" type="number"></label>
  <label>${t("records.sectors")} <input name="sectors" placeholder="C28.3, A01.1"></label>
  <label>${t("records.keywords")} <input name="keywords"></label>
  <button type="submit">${t("records.submit")}</button>
</form>
<p id="record-status" role="status"></p>
<h2>${t("records.mine")}</h2><ul id="record-list" class="cards"></ul>`;
}

function list(value) {
  return value.split(",").map((item) => item.trim()).filter(Boolean);
}

function item(record) {
  const actions = record.status === "withdrawn" ? "" : `
    <button type="button" data-record="renew">${t("records.renew")}</button>
    <button type="button" data-record="withdraw" class="secondary">${t("records.withdraw")}</button>`;
  return `<li class="record" data-id="${esc(record.id)}" data-kind="${esc(record.kind)}">
    <p><strong class="record-title">${esc(record.title)}</strong> <span class="badge">${t(`kind.${record.kind}`)}</span>
    · <span class="badge record-status">${t(`records.status.${record.effective_status}`)}</span>
    · ${esc(t("records.expires", { date: record.expires || "—" }))}</p>${actions}</li>`;
}

/** Add the publish form and the list of this tab's records to ``root`` (the member is signed in). */
export async function mountRecords(root) {
  root.insertAdjacentHTML("beforeend", form());
  const status = root.querySelector("#record-status");
  const ul = root.querySelector("#record-list");
  const etags = new Map();

  async function refresh() {
    const records = [];
    for (const { kind, id } of remembered()) {
      try {
        const { data, etag } = await call("GET", `/${kind}s/${encodeURIComponent(id)}`);
        etags.set(id, etag);
        records.push(data);
      } catch { /* no longer readable with this key: left out */ }
    }
    ul.innerHTML = records.length ? records.map(item).join("") : `<li class="muted">${t("records.none")}</li>`;
  }

  root.querySelector("#record-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const f = event.target;
    const kind = f.kind.value;
    const body = { title: f.title.value, description: f.description.value };
    if (f.trl.value !== "") body[kind === "offer" ? "trl" : "desired_trl"] = Number(f.trl.value);
    if (list(f.sectors.value).length) body.sectors = list(f.sectors.value);
    if (list(f.keywords.value).length) body.keywords = list(f.keywords.value);
    try {
      const { data } = await call("POST", `/${kind}s`, body);
      remember(kind, data.id);
      status.textContent = t("records.published");
      f.reset();
      await refresh();
    } catch (error) {
      status.textContent = t("me.failed", { reason: error.message });
    }
  });
  ul.addEventListener("click", async (event) => {
    const action = event.target.dataset && event.target.dataset.record;
    if (!action) return;
    const li = event.target.closest(".record");
    const path = `/${li.dataset.kind}s/${encodeURIComponent(li.dataset.id)}`;
    try {
      if (action === "renew") await call("POST", `${path}/renew`, null, etags.get(li.dataset.id));
      else await call("DELETE", path, null, etags.get(li.dataset.id));
      status.textContent = t(`records.done.${action}`);
      await refresh();
    } catch (error) {
      status.textContent = t("me.failed", { reason: error.message });
    }
  });
  await refresh();
}
