// "My organisation": the member's key and whom it acts for (GET /me), the organisation's profile (edited
// here: profile.js), the expressions of interest received and sent (answered here), the needs it follows,
// and the organisation's own records. Everything a person typed (messages, needs) is inserted as
// text (esc), never as markup: a message is someone else's input.
import { apiKey, deleteResource, esc, getJson, orgHref, postJson, setApiKey } from "./api.js";
import { lang, t } from "./i18n.js";
import { mountProfile } from "./profile.js";
import { mountRecords } from "./records.js";

const REASONS = ["too-early", "not-our-field", "no-capacity", "other"];

function template() {
  return `
<h1>${t("me.title")}</h1>
<form id="key-form" class="inline" autocomplete="off">
  <label for="api-key">${t("me.key")}</label>
  <input id="api-key" name="key" type="password" size="40" placeholder="${esc(t("me.key_placeholder"))}">
  <button type="submit">${t("me.key_save")}</button>
  <button type="button" id="key-forget" class="secondary">${t("me.key_forget")}</button>
</form>
<p class="hint">${t("me.key_hint")}</p>
<p id="me-who"></p>
<p id="me-status" role="status"></p>
<div id="me-content"></div>`;
}

function status(value) {
  return t(`me.status.${value}`);
}

function interestItem(item, box) {
  const other = box === "received" ? item.from_organisation : item.owner_organisation;
  const answer = box === "received" && item.status === "pending" && item.seen_as === "owner"
    ? `<div class="answer" data-id="${esc(item.id)}">
        <button type="button" data-action="accept">${t("me.accept")}</button>
        <label>${t("me.reason")} <select name="reason">${REASONS.map((r) => `<option value="${r}">${t(`me.reason.${r}`)}</option>`).join("")}</select></label>
        <button type="button" data-action="decline" class="secondary">${t("me.decline")}</button></div>` : "";
  const contact = item.contact ? `<p>${t("me.contact")}: ${esc([item.contact.name, item.contact.email, item.contact.phone].filter(Boolean).join(", "))}</p>` : "";
  return `<li class="interest">
    <p><strong>${esc(item.target.title)}</strong> <span class="badge">${t(`kind.${item.target.kind}`)}</span>
      · ${t(box === "received" ? "me.from" : "me.to")} <a href="${orgHref(other)}">${esc(other)}</a>
      · <span class="badge status-${esc(item.status)}">${status(item.status)}</span>
      ${item.reason ? `(${esc(lang() === "ro" ? item.reason.label_ro : item.reason.label_en)})` : ""}</p>
    <p class="message">${esc(item.message)}</p>${contact}${answer}</li>`;
}

function alertItem(alert) {
  return `<li class="saved-need" data-id="${esc(alert.id)}"><p class="message">${esc(alert.text)}</p>
    <p class="muted">${esc(t("me.alert_meta", { created: alert.created.slice(0, 10), count: alert.hit_count }))}
    <button type="button" data-action="delete-alert" class="link">${t("me.alert_delete")}</button></p></li>`;
}

function section(title, items, render, empty) {
  return `<h2>${title}</h2>${items.length ? `<ul class="cards">${items.map(render).join("")}</ul>` : `<p class="muted">${empty}</p>`}`;
}

export async function mount(root) {
  root.innerHTML = template();
  const box = root.querySelector("#me-status");
  const content = root.querySelector("#me-content");

  const who = root.querySelector("#me-who");

  function whoText(me) {
    const name = `<strong>${esc(me.key_name)}</strong>`;
    if (!me.organisation) return t("me.who_none", { name, role: t(`me.role.${me.role}`) });
    const organisation = `<a class="me-org" href="${orgHref(me.organisation.id)}">${esc(me.organisation.label || me.organisation.id)}</a>`;
    return t("me.who", { name, role: t(`me.role.${me.role}`), organisation });
  }

  async function load() {
    content.replaceChildren();
    who.replaceChildren();
    if (!apiKey()) {
      box.textContent = t("me.no_key");
      return;
    }
    box.textContent = t("app.loading");
    try {
      const [me, received, sent, alerts] = await Promise.all([
        getJson("/me"), getJson("/inbox", { box: "received", limit: 50 }), getJson("/inbox", { box: "sent", limit: 50 }),
        getJson("/alerts", { limit: 50 })]);
      who.innerHTML = whoText(me);
      content.innerHTML = `<div id="me-profile"></div><div id="me-records"></div>` + section(t("me.inbox"), received.data, (i) => interestItem(i, "received"), t("me.inbox_empty"))
        + section(t("me.sent"), sent.data, (i) => interestItem(i, "sent"), t("me.sent_empty"))
        + section(t("me.alerts"), alerts.data, alertItem, t("me.alerts_empty"));
      const mine = content.querySelector("#me-records");
      if (me.organisation) {
        await Promise.all([mountProfile(content.querySelector("#me-profile"), me.organisation.id), mountRecords(mine)]);
      }
      else mine.innerHTML = `<p class="muted">${esc(t("records.no_organisation"))}</p>`;
      box.textContent = t("me.loaded", { count: received.count });
    } catch (error) {
      box.textContent = t("me.failed", { reason: error.message });
    }
  }

  root.querySelector("#key-form").addEventListener("submit", (event) => {
    event.preventDefault();
    setApiKey(root.querySelector("#api-key").value.trim());
    root.querySelector("#api-key").value = "";
    load();
  });
  root.querySelector("#key-forget").addEventListener("click", () => { setApiKey(""); load(); });
  content.addEventListener("click", async (event) => {
    const action = event.target.dataset && event.target.dataset.action;
    if (!action) return;
    try {
      if (action === "delete-alert") {
        await deleteResource(`/alerts/${encodeURIComponent(event.target.closest("[data-id]").dataset.id)}`);
      } else {
        const answer = event.target.closest(".answer");
        const body = action === "decline" ? { reason: answer.querySelector("select").value } : {};
        await postJson(`/interests/${encodeURIComponent(answer.dataset.id)}/${action}`, body);
      }
      await load();
    } catch (error) {
      box.textContent = t("me.failed", { reason: error.message });
    }
  });
  await load();
  return {};
}
