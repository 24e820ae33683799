// Join: code + name + language -> the right room. The token stays on this device.
import { request } from "./api.js";
import { $ } from "./dom.js";
import { _, loadCatalog } from "./i18n.js";
import { submitting } from "./forms.js";
import { setupPage } from "./run.js";
import { roomUrl, saveRun } from "./session.js";

await loadCatalog();
setupPage();

const form = $("#join-form");
for (const [name, field] of [["code", "#code"], ["name", "#name"], ["language", "#language"]]) $(field).setAttribute("name", name);
$(form.elements.code.value ? "#name" : "#code").focus();

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const code = form.elements.code.value.trim();
  const name = form.elements.name.value.trim();
  if (!code || !name) {
    $("#join-error").textContent = !code ? _("Enter the join code from your facilitator.") : _("Enter your name.");
    (code ? form.elements.name : form.elements.code).setAttribute("aria-invalid", "true");
    return;
  }
  const body = { code, name, language: form.elements.language.value };
  if (form.elements.role.value === "team_lead") body.role = "team_lead";
  submitting(form, async () => {
    const joined = await request("POST", "/api/join", { body });
    saveRun(joined.run_id, { token: joined.token, team: joined.team, role: joined.role, name: joined.name, participant_id: joined.participant_id });
    const lang = body.language;
    location.href = `${roomUrl(joined.run_id, joined.team)}?lang=${lang}`;
  });
});
