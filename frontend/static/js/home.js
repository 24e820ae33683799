// Home: join with a code, reopen this device's exercises, and (with the facilitator key)
// create runs of library scenarios and see the runs on this server.
import { request } from "./api.js";
import { $, $$, h } from "./dom.js";
import { submitting } from "./forms.js";
import { _, loadCatalog } from "./i18n.js";
import { statusLabel } from "./labels.js";
import { setupPage } from "./run.js";
import { facilitatorKey, knownRuns, roomUrl, saveRun, setFacilitatorKey, takeFragment } from "./session.js";

await loadCatalog();
setupPage();
takeFragment(null);

function renderMyRuns() {
  const runs = knownRuns();
  $("#my-runs-panel").hidden = runs.length === 0;
  $("#my-runs").replaceChildren(
    ...runs.map((run) =>
      h("li", {}, h("a", { href: roomUrl(run.id, run.team) }, run.title || run.id), " ", h("span", { class: "small muted" }, run.team === "white_cell" ? _("facilitator") : run.name || "")),
    ),
  );
}

/** Show what a facilitator can do with the key this device holds (or that it holds none). */
function showKey(valid) {
  $$("form.create").forEach((form) => (form.hidden = !valid));
  $("#forget-key").hidden = !valid;
  $("#run-list").hidden = !valid;
  $("#key-status").textContent = valid
    ? _("You hold the facilitator key on this device: you can create runs.")
    : _("Enter the facilitator key printed when the server started, or open the facilitator link.");
}

function serverRun(run) {
  const mine = knownRuns().find((r) => r.id === run.id && r.team === "white_cell");
  // Translators: plural forms separated by | (Russian: one|few|many), chosen by {count}
  const label = _("{title} · {status} · {count} participant|{title} · {status} · {count} participants", { title: run.title, status: statusLabel(run.status), count: run.participants });
  if (mine) return h("li", {}, h("a", { href: `/runs/${run.id}/console` }, label));
  return h("li", {}, label, " ", h("span", { class: "small muted" }, _("(created in another browser: see below)")));
}

async function renderKey() {
  const key = facilitatorKey();
  showKey(Boolean(key));
  if (!key) return;
  try {
    const { runs } = await request("GET", "/api/runs", { token: key });
    $("#server-runs").replaceChildren(...runs.slice(0, 20).map(serverRun));
    $("#server-runs-empty").hidden = runs.length > 0;
    $("#server-runs-help").hidden = runs.every((run) => knownRuns().some((r) => r.id === run.id && r.team === "white_cell"));
  } catch (error) {
    const refused = error.status === 401 || error.status === 403;
    $("#key-error").textContent = refused ? _("This facilitator key is not valid for this server.") : error.message;
    if (refused) {
      setFacilitatorKey("");
      showKey(false);
      $("#facilitator-key").focus();
    }
  }
}

$("#key-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const key = $("#facilitator-key").value.trim();
  if (!key) return;
  setFacilitatorKey(key);
  $("#facilitator-key").value = "";
  $("#key-error").textContent = "";
  renderKey();
});
$("#forget-key").addEventListener("click", () => {
  setFacilitatorKey("");
  location.reload();
});

for (const form of $$("form.create")) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const body = { scenario: form.dataset.scenario, auto_advance: form.elements.auto_advance.checked };
    const title = form.elements.title.value.trim();
    if (title) body.title = title;
    submitting(form, async () => {
      const created = await request("POST", "/api/runs", { token: facilitatorKey(), body });
      saveRun(created.id, { token: created.facilitator_token, team: "white_cell", role: "facilitator", title: title || form.closest("article").querySelector("h2").textContent });
      location.href = `/runs/${created.id}/console`;
    });
  });
}

// the facilitator link pasted into a tab already on this page changes only the fragment
window.addEventListener("hashchange", () => {
  takeFragment(null);
  $("#key-error").textContent = "";
  renderKey();
});

renderMyRuns();
renderKey();
