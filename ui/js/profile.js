// "My organisation's profile" on #/me: the organisation's profile as GET /organisations/{id} shows it
// (the member's statements merged with the sources'), and a form that changes it with PATCH and the
// ETag of that GET as If-Match. Only the fields the member changed are sent: a field left as it was
// stays as it is, so the sources' values are not copied into the member's own statements.
//
// Why the DOM is built with textContent/value and never innerHTML for values: a description or a
// competence is what a person typed ("<script>" stays text). Errors are shown in the interface's
// language from the problem's field names and types, not from the server's (English) messages.
import { ApiError, getVersioned, patchJson } from "./api.js";
import { lang, t } from "./i18n.js";

/** The editable fields, in the order of PATCH /organisations/{id}'s body (contact details are private: not here). */
const FIELDS = [
  { name: "description", multi: false, area: true },
  { name: "competences", multi: true },
  { name: "fields", multi: true },
  { name: "sectors", multi: true },
  { name: "region", multi: false },
  { name: "website", multi: false },
];

function template() {
  const controls = FIELDS.map(({ name, area }) => {
    const attributes = `id="profile-${name}" name="${name}" aria-describedby="profile-error-${name}"`;
    const control = area ? `<textarea ${attributes} rows="4"></textarea>`
      : `<input ${attributes} ${name === "website" ? 'inputmode="url"' : ""} placeholder="${t(`profile.placeholder.${name}`)}">`;
    return `<div class="profile-field${area ? " wide" : ""}"><label for="profile-${name}">${t(`profile.${name}`)}</label>
      ${control}<p class="field-error error" id="profile-error-${name}" hidden></p></div>`;
  }).join("");
  return `<section id="profile" aria-labelledby="profile-title">
<h2 id="profile-title">${t("profile.title")}</h2>
<dl class="facts" id="profile-values"></dl>
<h3>${t("profile.edit")}</h3>
<p class="hint">${t("profile.hint")}</p>
<form id="profile-form" class="profile-form" novalidate>${controls}
  <button type="submit">${t("profile.save")}</button>
</form>
<p id="profile-status" role="status"></p>
<button type="button" id="profile-reload" hidden>${t("profile.reload")}</button>
</section>`;
}

/** The items of a comma-separated field, trimmed, empty ones dropped. */
function items(value) {
  return value.split(",").map((item) => item.trim()).filter(Boolean);
}

/** What the form shows for each field of a profile: texts as they are, concepts by their codes. */
function formValues(profile) {
  const codes = (concepts) => concepts.map((c) => c.notation || c.iri).join(", ");
  return {
    description: profile.description || "",
    competences: profile.competences.join(", "),
    fields: codes(profile.fields),
    sectors: codes(profile.sectors),
    region: profile.region ? profile.region.notation || profile.region.iri : "",
    website: profile.website || "",
  };
}

/** What the list above the form shows for each field: concepts by label and code. */
function shownValues(profile) {
  const named = (c) => (c.label && c.notation && c.label !== c.notation ? `${c.label} (${c.notation})` : c.label || c.notation || c.iri);
  return {
    description: profile.description || "",
    competences: profile.competences.join(", "),
    fields: profile.fields.map(named).join("; "),
    sectors: profile.sectors.map(named).join("; "),
    region: profile.region ? named(profile.region) : "",
    website: profile.website || "",
  };
}

/** The same field, normalised, so that spaces around commas are no change. */
function normalised(spec, value) {
  return spec.multi ? items(value).join("\n") : value.trim();
}

/** The message shown next to a field the API refused (a problem's ``errors`` entry), in the interface's language. */
function fieldMessage(name, error) {
  const type = String(error.type || "");
  if (type.includes("too_long")) return t("profile.error.too_long");
  if (type.includes("too_short") || type === "missing") return t("profile.error.empty");
  if (type === "invalid_input") return t(`profile.error.${name}`);
  return t("profile.error.invalid");
}

/** Add the profile of organisation ``id`` and its edit form to ``root`` (a member of it is signed in). */
export async function mountProfile(root, id) {
  root.insertAdjacentHTML("beforeend", template());
  const form = root.querySelector("#profile-form");
  const status = root.querySelector("#profile-status");
  const reload = root.querySelector("#profile-reload");
  const path = `/organisations/${id.split("/").map(encodeURIComponent).join("/")}`;
  let etag = null;
  let loaded = {};

  function clearErrors() {
    for (const element of form.querySelectorAll(".field-error")) {
      element.textContent = "";
      element.hidden = true;
    }
    for (const control of form.querySelectorAll("[aria-invalid]")) control.removeAttribute("aria-invalid");
  }

  function show(profile) {
    const shown = shownValues(profile);
    const list = root.querySelector("#profile-values");
    list.replaceChildren();
    for (const { name } of FIELDS) {
      const term = document.createElement("dt");
      term.textContent = t(`profile.${name}`);
      const value = document.createElement("dd");
      value.className = "profile-value";
      value.dataset.field = name;
      value.textContent = shown[name] || "—";
      list.append(term, value);
    }
    loaded = formValues(profile);
    for (const { name } of FIELDS) form.elements[name].value = loaded[name];
  }

  async function load() {
    const answer = await getVersioned(path, { lang: lang(), limit: 1 });
    etag = answer.etag;
    show(answer.data);
  }

  function changes() {
    const body = {};
    for (const spec of FIELDS) {
      const typed = form.elements[spec.name].value;
      if (normalised(spec, typed) === normalised(spec, loaded[spec.name])) continue;
      if (spec.multi) body[spec.name] = items(typed).length ? items(typed) : null;  // null: the member's own value goes
      else body[spec.name] = typed.trim() || null;
    }
    return body;
  }

  function refused(error) {
    if (error instanceof ApiError && error.status === 412) {
      status.textContent = t("profile.stale");
      reload.hidden = false;
      return;
    }
    const located = error instanceof ApiError && error.status === 422 && error.problem && Array.isArray(error.problem.errors)
      ? error.problem.errors.filter((e) => FIELDS.some((spec) => spec.name === e.field)) : [];
    for (const e of located) {
      const element = root.querySelector(`#profile-error-${e.field}`);
      element.textContent = fieldMessage(e.field, e);
      element.hidden = false;
      form.elements[e.field].setAttribute("aria-invalid", "true");
    }
    status.textContent = located.length ? t("profile.invalid") : t("me.failed", { reason: error.message });
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors();
    reload.hidden = true;
    const body = changes();
    if (!Object.keys(body).length) {
      status.textContent = t("profile.unchanged");
      return;
    }
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    status.textContent = t("profile.saving");
    try {
      await patchJson(path, body, etag);
      await load();  // the merged view again: the sources' values beside the member's, and the new ETag
      status.textContent = t("profile.saved");
    } catch (error) {
      refused(error);
    } finally {
      button.disabled = false;
    }
  });
  reload.addEventListener("click", async () => {
    clearErrors();
    try {
      await load();
      reload.hidden = true;
      status.textContent = t("profile.reloaded");
    } catch (error) {
      status.textContent = t("me.failed", { reason: error.message });
    }
  });
  try {
    await load();
  } catch (error) {
    status.textContent = t("me.failed", { reason: error.message });
  }
}
