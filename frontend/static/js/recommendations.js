// Recommendations in the team room: either team's drafts with their endorsements, an Endorse
// button, and the form to propose one.
import { clientId } from "./api.js";
import { $, h } from "./dom.js";
import { submitting } from "./forms.js";
import { _, pick } from "./i18n.js";

let timer = null;

/** Redraw soon (several recommendation events often come together). */
export function recommendationsSoon(page, readOnly) {
  clearTimeout(timer);
  timer = setTimeout(() => renderRecommendations(page, readOnly), 250);
}

export async function renderRecommendations(page, readOnly) {
  let items;
  try {
    items = (await page.api.get("/recommendations")).recommendations.filter((r) => r.status !== "merged" && r.status !== "declined");
  } catch {
    return;
  }
  const me = page.me.participant_id;
  const status = { draft: _("draft"), accepted: _("accepted"), declined: _("declined") };
  $("#recommendations").replaceChildren(
    ...items.map((r) => {
      const counts = page.scenario.teams.map((t) => `${pick(t.name)} ${r.endorsements[t.id] || 0}`).join(", ");
      const mine = r.endorsers.includes(me);
      const endorse = () => page.api.post(`/recommendations/${r.seq}/endorse`, {}).then(() => recommendationsSoon(page, readOnly));
      return h(
        "li",
        { dataset: { rec: r.seq } },
        h("div", { class: "tag" }, status[r.status] || r.status),
        h("strong", {}, r.title),
        h("p", { class: "small" }, r.text),
        h("div", { class: "small muted" }, _("Endorsed by: {counts}", { counts })),
        readOnly ? null : h("button", { type: "button", class: "secondary", disabled: mine, onclick: endorse }, mine ? _("Endorsed") : _("Endorse")),
      );
    }),
  );
}

export function wireRecommendations(page) {
  $("#rec-form").addEventListener("submit", (event) => {
    event.preventDefault();
    submitting(event.target, async () => {
      await page.api.post("/recommendations", {
        client_id: clientId(),
        title: $("#rec-title").value.trim(),
        text: $("#rec-text").value.trim(),
        category: $("#rec-category").value,
        tier: $("#rec-tier").value,
      });
      $("#rec-title").value = "";
      $("#rec-text").value = "";
    });
  });
}
