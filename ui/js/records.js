// "My organisation": publish an offer or request, and list the organisation's records from the API
// (GET /me/records: drafts, expired and withdrawn ones too, from any browser), each with its status,
// expiry, the interest it received and its ETag, which renew and withdraw send as If-Match.
// Titles are inserted as text (esc): they are what a person typed.
import { esc, getJson } from "./api.js";
import { t } from "./i18n.js";

const PAGE = 20;
const STATUSES = ["draft", "published", "expired", "withdrawn"];

/** One JSON call with the member's key; a failure is an Error with the HTTP ``status`` and the ``fields`` at fault. */
export async function call(method, path, body, etag) {
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
    const error = new Error(where ? t("records.error_field", { field: where, detail }) : detail);
    error.status = response.status;
    error.fields = data && Array.isArray(data.errors) ? data.errors.map((e) => e.field).filter(Boolean) : [];
    throw error;
  }
  return { data, etag: response.headers.get("ETag") };
}

function form() {
  return `<h2>${t("records.mine")}</h2>
<p><label>${t("records.filter")} <select id="record-filter"><option value="">${t("records.filter.all")}</option>
  ${STATUSES.map((s) => `<option value="${s}">${t(`records.status.${s}`)}</option>`).join("")}</select></label>
  <span id="record-count" class="muted"></span></p>
<ul id="record-list" class="cards"></ul>
<button type="button" id="record-more" class="secondary" hidden>${t("records.more")}</button>
<p id="record-status" role="status"></p>
<h2>${t("records.publish")}</h2>
<form id="record-form" class="record-form">
  <label>${t("records.kind")} <select name="kind"><option value="offer">${t("kind.offer")}</option><option value="request">${t("kind.request")}</option></select></label>
  <label>${t("records.title")} <input name="title" required maxlength="300"></label>
  <label>${t("records.description")} <textarea name="description" required rows="3"></textarea></label>
  <label>${t("records.trl")} <input name="trl" type="number"></label>
  <label>${t("records.sectors")} <input name="sectors" placeholder="28.30, 01.11"></label>
  <label>${t("records.keywords")} <input name="keywords"></label>
  <button type="submit">${t("records.submit")}</button>
</form>`;
}

function list(value) {
  return value.split(",").map((item) => item.trim()).filter(Boolean);
}

function item(record) {
  const actions = record.status === "withdrawn" || !record.managed ? "" : `
    <button type="button" data-record="renew">${t("records.renew")}</button>
    <button type="button" data-record="withdraw" class="secondary">${t("records.withdraw")}</button>`;
  return `<li class="record" data-id="${esc(record.id)}" data-kind="${esc(record.kind)}">
    <p><strong class="record-title">${esc(record.title)}</strong> <span class="badge">${t(`kind.${record.kind}`)}</span>
    · <span class="badge record-status">${t(`records.status.${record.effective_status}`)}</span>
    · ${esc(record.expires ? t("records.expires", { date: record.expires }) : t("records.no_expiry"))}
    · <span class="record-interest">${esc(t("records.interest", { count: record.interest.total, pending: record.interest.pending }))}</span>
    ${record.illustrative ? `<span class="badge">${t("badge.illustrative")}</span>` : ""}</p>${actions}</li>`;
}

/** Add the list of the organisation's records and the publish form to ``root`` (the member is signed in). */
export async function mountRecords(root) {
  root.insertAdjacentHTML("beforeend", form());
  const status = root.querySelector("#record-status");
  const ul = root.querySelector("#record-list");
  const filter = root.querySelector("#record-filter");
  const more = root.querySelector("#record-more");
  const etags = new Map();
  let shown = [];

  async function refresh(append = false) {
    const page = await getJson("/me/records", { status: filter.value, limit: PAGE, offset: append ? shown.length : 0 });
    shown = append ? shown.concat(page.data) : page.data;
    for (const record of page.data) etags.set(record.id, record.etag);
    ul.innerHTML = shown.length ? shown.map(item).join("") : `<li class="muted">${t("records.none")}</li>`;
    root.querySelector("#record-count").textContent = t("records.count", { count: page.count });
    more.hidden = shown.length >= page.count;
  }

  filter.addEventListener("change", () => refresh().catch((error) => {
    status.textContent = t("me.failed", { reason: error.message });
  }));
  more.addEventListener("click", () => refresh(true).catch((error) => {
    status.textContent = t("me.failed", { reason: error.message });
  }));

  root.querySelector("#record-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const f = event.target;
    const kind = f.kind.value;
    const body = { title: f.title.value, description: f.description.value };
    if (f.trl.value !== "") body[kind === "offer" ? "trl" : "desired_trl"] = Number(f.trl.value);
    if (list(f.sectors.value).length) body.sectors = list(f.sectors.value);
    if (list(f.keywords.value).length) body.keywords = list(f.keywords.value);
    try {
      await call("POST", `/${kind}s`, body);
      f.reset();
      await refresh();
      status.textContent = t("records.published");
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
      await refresh();  // the new ETags first: a click on the next button must send the current one
      status.textContent = t(`records.done.${action}`);
    } catch (error) {
      status.textContent = t("me.failed", { reason: error.message });
    }
  });
  try {
    await refresh();
  } catch (error) {  // a key that acts for no organisation (an editor's) lists nothing: say why
    ul.innerHTML = `<li class="muted">${esc(t("me.failed", { reason: error.message }))}</li>`;
  }
}
