// The console's "Write an inject": an incident of the facilitator's own, styled as a channel,
// to everyone or to the teams ticked, in one language or both; the form says whom it went to.
import { $, $$, h } from "./dom.js";
import { submitting } from "./forms.js";
import { _, lang } from "./i18n.js";
import { CHANNELS } from "./labels.js";

/** An ad-hoc text as the API takes it ({en, ru}): `main` is in the interface language, `second`
 * (optional) in the other one. Russian alone is also the English text: the API needs one. */
function bilingual(main, second) {
  const [first, other] = [main.trim(), second.trim()];
  if (lang() === "ru") return { en: other || first, ru: first };
  return other ? { en: first, ru: other } : { en: first };
}

// The audience is either everyone or the teams ticked, never both: ticking a team chooses
// "Only these teams", choosing "Everyone" unticks them.
export function wireAdhoc(page) {
  $("#adhoc-channel").replaceChildren(...Object.entries(CHANNELS).map(([id, label]) => h("option", { value: id }, label())));
  const teams = $("#adhoc-teams");
  teams.replaceChildren(...[...page.scenario.teams.map((t) => t.id), "observers"].map((team) => h("label", {}, h("input", { type: "checkbox", name: "audience-team", value: team }), " ", page.teamName(team))));
  const form = $("#adhoc-form");
  const audienceKind = () => form.elements["audience-kind"].value;
  form.addEventListener("change", (event) => {
    if (event.target.name === "audience-team" && event.target.checked) form.elements["audience-kind"].value = "teams";
    if (event.target.name === "audience-kind" && event.target.value === "all") $$("input", teams).forEach((box) => (box.checked = false));
    $("#adhoc-audience").removeAttribute("aria-invalid");
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const chosen = $$("input:checked", teams).map((i) => i.value);
    $("#adhoc-sent").textContent = "";
    if (audienceKind() === "teams" && !chosen.length) {
      form.querySelector(".form-error").textContent = _("Choose at least one team, or send it to everyone.");
      $("#adhoc-audience").setAttribute("aria-invalid", "true");
      return;
    }
    const audience = audienceKind() === "all" ? "all" : chosen;
    const title = $("#adhoc-title").value.trim();
    const body = { title: bilingual(title, $("#adhoc-title-2").value), body: bilingual($("#adhoc-body").value, $("#adhoc-body-2").value), audience, channel: $("#adhoc-channel").value };
    // "From" as each reader sees it: in both languages when the inject is in both (one
    // language only would show Russian to English readers), else the white cell's own name
    const [from, from2] = [$("#adhoc-from").value.trim(), $("#adhoc-from-2").value.trim()];
    if ((from || from2) && $("#adhoc-title-2").value.trim() && !(from && from2)) {
      form.querySelector(".form-error").textContent = _("This inject is in both languages: give “From” in both too, or leave both empty (it then reads “White cell”).");
      $("#adhoc-second").open = true;
      (from ? $("#adhoc-from-2") : $("#adhoc-from")).focus();
      return;
    }
    if (from || from2) body.from = bilingual(from || from2, from2);
    submitting(form, async () => {
      await page.api.post("/injects", body);
      form.reset();
      const to = audience === "all" ? _("everyone") : chosen.map((t) => page.teamName(t)).join(", ");
      $("#adhoc-sent").textContent = _("Sent to {audience}: “{title}”", { audience: to, title });
    });
  });
}
