// "My organisation": the organisation's own profile, edited by its member (PATCH /organisations/{id}
// with the ETag of GET /organisations/{id} as If-Match). Only the fields the person changed are sent:
// a field left alone keeps the sources' values; an emptied field clears the member's own value.
// Values are put into the form as values (never as markup), so HTML typed here stays text.
import { call } from "./records.js";
import { t } from "./i18n.js";

const FIELDS = ["description", "competences", "fields", "sectors", "region", "website"];
const LISTS = new Set(["competences", "fields", "sectors"]);

function template() {
  return `<h2>${t("profile.title")}</h2>
<form id="profile-form" class="record-form">
  <label>${t("profile.description")} <textarea name="description" rows="4"></textarea></label>
  <label>${t("profile.competences")} <input name="competences"></label>
  <label>${t("profile.fields")} <input name="fields"></label>
  <label>${t("profile.sectors")} <input name="sectors" placeholder="01.61, 72.19"></label>
  <label>${t("profile.region")} <input name="region" placeholder="RO21"></label>
  <label>${t("profile.website")} <input name="website" type="url" placeholder="https://"></label>
  <button type="submit">${t("profile.save")}</button>
  <button type="button" id="profile-reload" class="secondary" hidden>${t("profile.reload")}</button>
</form>
<p id="profile-status" role="status"></p>`;
}

function code(concept) {
  return concept.notation || concept.label || concept.iri;
}

/** The form's text for each field, from the merged profile of GET /organisations/{id}. */
function values(profile) {
  return {
    description: profile.description || "",
    competences: (profile.competences || []).join(", "),
    fields: (profile.fields || []).map(code).join(", "),
    sectors: (profile.sectors || []).map(code).join(", "),
    region: profile.region ? code(profile.region) : "",
    website: profile.website || "",
  };
}

function parsed(name, text) {
  if (LISTS.has(name)) {
    const items = text.split(",").map((item) => item.trim()).filter(Boolean);
    return items.length ? items : null;
  }
  return text.trim() || null;
}

/** Add the profile form of organisation ``id`` to ``root`` (the member is signed in). */
export async function mountProfile(root, id) {
  root.insertAdjacentHTML("beforeend", template());
  const form = root.querySelector("#profile-form");
  const status = root.querySelector("#profile-status");
  const reload = root.querySelector("#profile-reload");
  const path = `/organisations/${id.split("/").map(encodeURIComponent).join("/")}`;
  let etag = null;
  let shown = {};

  async function load() {
    const answer = await call("GET", path);
    etag = answer.etag;
    shown = values(answer.data);
    for (const name of FIELDS) form.elements[name].value = shown[name];
    for (const name of FIELDS) form.elements[name].removeAttribute("aria-invalid");
    reload.hidden = true;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = {};
    for (const name of FIELDS) {
      if (form.elements[name].value !== shown[name]) body[name] = parsed(name, form.elements[name].value);
    }
    if (!Object.keys(body).length) {
      status.textContent = t("profile.unchanged");
      return;
    }
    try {
      await call("PATCH", path, body, etag);
      await load();
      status.textContent = t("profile.saved");
    } catch (error) {
      if (error.status === 412) {
        status.textContent = t("profile.stale");
        reload.hidden = false;
        return;
      }
      for (const field of error.fields || []) {
        if (form.elements[field]) form.elements[field].setAttribute("aria-invalid", "true");
      }
      status.textContent = t("me.failed", { reason: error.message });
    }
  });
  reload.addEventListener("click", () => load().then(() => { status.textContent = t("profile.reloaded"); },
    (error) => { status.textContent = t("me.failed", { reason: error.message }); }));
  try {
    await load();
  } catch (error) {
    status.textContent = t("me.failed", { reason: error.message });
  }
}
