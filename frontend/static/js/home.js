// Home: join with a code, reopen this device's exercises, and (with the facilitator key)
// create runs of library scenarios.
import { request } from "./api.js";
import { $, $$, h } from "./dom.js";
import { _, loadCatalog } from "./i18n.js";
import { setupPage, submitting } from "./run.js";
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

async function renderKey() {
  const key = facilitatorKey();
  $$("form.create").forEach((form) => (form.hidden = !key));
  $("#forget-key").hidden = !key;
  $("#run-list").hidden = !key;
  if (!key) return;
  $("#key-status").textContent = _("You hold the facilitator key on this device: you can create runs.");
  try {
    const { runs } = await request("GET", "/api/runs", { token: key });
    $("#server-runs").replaceChildren(
      ...runs.slice(0, 20).map((run) => {
        const mine = knownRuns().find((r) => r.id === run.id && r.team === "white_cell");
        const label = _("{title} · {status} · {count} participants", { title: run.title, status: run.status, count: run.participants });
        return h("li", {}, mine ? h("a", { href: `/runs/${run.id}/console` }, label) : label);
      }),
    );
  } catch (error) {
    $("#key-error").textContent = error.status === 403 ? _("This facilitator key is not valid for this server.") : error.message;
    if (error.status === 403) {
      setFacilitatorKey("");
      $$("form.create").forEach((form) => (form.hidden = true));
    }
  }
}

$("#key-form").addEventListener("submit", (event) => {
  event.preventDefault();
  setFacilitatorKey($("#facilitator-key").value.trim());
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

renderMyRuns();
renderKey();

