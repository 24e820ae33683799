// The review page's recommendations: the list the white cell curates (accept, decline, reopen,
// merge) and an inline form to edit one (title, text, category, tier). The form starts from the
// text as written (GET /recommendations), never from the scrubbed one the review shows, so
// saving under the Chatham House Rule loses no name.
import { h } from "./dom.js";
import { _, pick } from "./i18n.js";
import { formError, submitting } from "./forms.js";

export const CATEGORIES = { quality_of_dialogue: () => _("Quality of dialogue"), substance_of_dialogue: () => _("Substance of dialogue"), restraint_on_the_ground: () => _("Restraint on the ground"), positive_agenda: () => _("Positive agenda") };
export const TIERS = { basic: () => _("Basic steps (immediate)"), enhanced: () => _("Enhanced steps (for a better climate)") };

/** The list, each recommendation with its curation controls. `act(seq, body)` posts one. */
export function recommendationList(items, { teams, act, written }) {
  const shown = items.filter((r) => r.status !== "merged");
  const others = shown.filter((r) => r.status !== "declined");
  if (!shown.length) return [h("li", { class: "muted" }, _("No recommendations yet. Participants draft them from their rooms."))];
  return shown.map((r) => {
    const counts = teams.map((t) => `${pick(t.name)} ${r.endorsements[t.id] || 0}`).join(", ");
    const status = { draft: _("draft"), accepted: _("accepted"), declined: _("declined") }[r.status];
    const item = h(
      "li",
      { dataset: { rec: r.seq, status: r.status } },
      h("div", { class: "tag" }, `${TIERS[r.tier]()} · ${CATEGORIES[r.category]()} · ${status}`),
      h("strong", {}, r.title),
      h("p", {}, r.text),
      h("div", { class: "small muted" }, `${_("Endorsed by")}: ${counts}`),
      r.merged_from.length ? h("div", { class: "small muted" }, _("Merged from {list}", { list: r.merged_from.map((s) => "#" + s).join(", ") })) : null,
    );
    item.append(controls(r, others, item, { act, written }));
    return item;
  });
}

function controls(r, others, item, { act, written }) {
  // merging cannot be undone: pick the target, then press Merge
  const targets = others.filter((o) => o.seq !== r.seq);
  const mergeId = `rec-${r.seq}-merge`;
  const merge = h("select", { id: mergeId }, h("option", { value: "" }, _("Choose…")), ...targets.map((o) => h("option", { value: o.seq }, `#${o.seq} ${o.title}`)));
  const mergeButton = h("button", { type: "button", class: "secondary", disabled: true }, _("Merge"));
  merge.addEventListener("change", () => {
    mergeButton.disabled = !merge.value;
    mergeButton.textContent = merge.value ? _("Merge #{seq} into #{into}", { seq: r.seq, into: merge.value }) : _("Merge");
  });
  mergeButton.addEventListener("click", () => merge.value && act(r.seq, { action: "merge", into: Number(merge.value) }));
  const merging = targets.length ? h("span", { class: "merge" }, h("label", { for: mergeId }, _("Merge into")), " ", merge, " ", mergeButton) : null;
  const edit = h("button", { type: "button", class: "secondary", "aria-expanded": "false" }, _("Edit"));
  edit.addEventListener("click", async () => {
    const open = item.querySelector("form.edit-recommendation");
    if (open) return open.querySelector("input").focus();
    const form = editForm(r, (await written()).get(r.seq) || r, act, () => {
      form.remove();
      edit.setAttribute("aria-expanded", "false");
      // saved: the list was drawn again, so the focus goes to the new list's Edit button
      const again = document.querySelector(`#recommendations li[data-rec="${r.seq}"] button[aria-expanded]`);
      (again || edit).focus();
    });
    item.append(form);
    edit.setAttribute("aria-expanded", "true");
    form.querySelector("input").focus();
  });
  return h(
    "div",
    { class: "controls" },
    r.status !== "accepted" ? h("button", { type: "button", onclick: () => act(r.seq, { action: "accept" }) }, _("Accept")) : null,
    r.status !== "declined" ? h("button", { type: "button", class: "secondary", onclick: () => act(r.seq, { action: "decline" }) }, _("Decline")) : null,
    r.status !== "draft" ? h("button", { type: "button", class: "secondary", onclick: () => act(r.seq, { action: "reopen" }) }, _("Reopen")) : null,
    edit,
    merging,
  );
}

function editForm(r, original, act, close) {
  const id = (name) => `rec-${r.seq}-${name}`;
  const choices = (table, current) => Object.entries(table).map(([value, label]) => h("option", { value, selected: value === current }, label()));
  const form = h(
    "form",
    { class: "edit-recommendation", "aria-label": _("Edit recommendation #{seq}", { seq: r.seq }) },
    h("label", { for: id("title") }, _("Title")),
    h("input", { id: id("title"), name: "title", maxlength: 200, required: true, value: original.title }),
    h("label", { for: id("text") }, _("Text")),
    h("textarea", { id: id("text"), name: "text", rows: 4, maxlength: 4000, required: true }, original.text),
    h("div", { class: "row" },
      h("div", {}, h("label", { for: id("category") }, _("Category")), h("select", { id: id("category"), name: "category" }, ...choices(CATEGORIES, original.category))),
      h("div", {}, h("label", { for: id("tier") }, _("Tier")), h("select", { id: id("tier"), name: "tier" }, ...choices(TIERS, original.tier)))),
    h("p", { class: "form-error", role: "alert" }),
    h("p", { class: "controls" }, h("button", { type: "submit" }, _("Save")), h("button", { type: "button", class: "secondary", onclick: close }, _("Cancel"))),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const { title, text, category, tier } = form.elements;
    const body = { action: "edit", title: title.value, text: text.value, category: category.value, tier: tier.value };
    const done = await submitting(form, () => act(r.seq, body, true));
    if (done) close();
  });
  form.addEventListener("keydown", (event) => event.key === "Escape" && close());
  formError(form, null);
  return form;
}
