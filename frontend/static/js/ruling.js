// The console's queue of moves awaiting a ruling: one form per move, kept while the move
// waits (a half-written ruling survives a redraw and a reload), its escalation change preset
// to the move type's weight. After a ruling the focus goes to the next move waiting.
import { $, h } from "./dom.js";
import { closeForm, keepDraft, refocus, submitting } from "./forms.js";
import { _, pick } from "./i18n.js";

/** The changes of level the ladder allows from `level`, and `weight` kept within them. */
function changes(level, levels, weight) {
  const lowest = -level;
  const highest = levels - 1 - level;
  const options = [];
  for (let n = lowest; n <= highest; n += 1) options.push(n);
  return { options, preset: Math.min(highest, Math.max(lowest, weight)) };
}

const signed = (n) => (n > 0 ? `+${n}` : String(n));

/** Who will read the ruling (docs/api.md: move.adjudicated goes to all, or to the move's team
 * only when the scenario's moves_visible is "never"). */
function audience(page, move) {
  if (page.scenario.rules?.moves_visible === "never") return _("Only {team} will see this ruling (its outcome and rationale): this scenario keeps moves and rulings within the team.", { team: page.teamName(move.team) });
  return _("Every participant will see this ruling, its outcome and rationale: every team and the observers.");
}

function rulingForm(page, move) {
  const submitted = page.events.find((e) => e.seq === move.seq);
  const type = page.scenario.moves.find((m) => m.id === move.move_type);
  const p = submitted?.payload || {};
  const id = (name) => `m${move.seq}-${name}`;
  const weight = type ? type.escalation : 0;
  const { options, preset } = changes(page.state.escalation.level, page.state.escalation.levels, weight);
  const objectives = page.scenario.objectives.map((o) => h("label", {}, h("input", { type: "checkbox", name: "objectives_met", value: o.id }), " ", pick(o.title)));
  const fields = {
    decision: h("select", { id: id("decision"), name: "decision" }, h("option", { value: "accept" }, _("Accept")), h("option", { value: "modify" }, _("Modify")), h("option", { value: "reject" }, _("Reject"))),
    outcome: h("textarea", { id: id("outcome"), name: "outcome", required: true, "aria-required": "true", maxlength: "8000" }),
    rationale: h("textarea", { id: id("rationale"), name: "rationale", maxlength: "8000" }),
    change: h(
      "select",
      { id: id("change"), name: "escalation_change", "aria-describedby": id("weight") },
      ...options.map((n) => h("option", { value: String(n), selected: n === preset }, n === 0 ? _("0 (no change)") : signed(n))),
    ),
  };
  const form = h(
    "form",
    { class: "ruling-form", id: id("form") },
    h("label", { for: id("decision") }, _("Ruling")),
    fields.decision,
    h("label", { for: id("outcome") }, _("Outcome (what happens)"), " ", h("span", { class: "required" }, _("(required)"))),
    fields.outcome,
    h("label", { for: id("rationale") }, _("Rationale")),
    fields.rationale,
    h("label", { for: id("change") }, _("Escalation change")),
    fields.change,
    h("p", { class: "small muted", id: id("reject"), hidden: true }, _("A rejected move does not change the escalation level.")),
    type
      ? h(
          "p",
          { class: "small muted", id: id("weight") },
          preset === weight
            ? _("Preset to this type of move's usual weight: {weight}", { weight: signed(weight) })
            : _("This type of move usually weighs {weight}; the ladder allows {preset} from here.", { weight: signed(weight), preset: signed(preset) }),
        )
      : null,
    objectives.length ? h("fieldset", {}, h("legend", {}, _("Objectives met")), h("div", { class: "inline" }, objectives)) : null,
    h("p", { class: "small audience", id: id("audience") }, audience(page, move)),
    h("p", { class: "form-error", role: "alert" }),
    h("button", { type: "submit" }, _("Rule")),
  );
  const drafts = Object.entries(fields).map(([name, element]) => keepDraft(element, `ttx.draft.${page.runId}.ruling.${move.seq}.${name}`));
  // a rejected move does not change the level (the API refuses one that does): 0, and the
  // field closed; accept or modify brings back the change chosen before (at first the preset)
  let chosen = fields.decision.value === "reject" ? String(preset) : fields.change.value;
  fields.change.addEventListener("change", () => (chosen = fields.change.value));
  form.applyDecision = () => {
    const reject = fields.decision.value === "reject";
    fields.change.value = reject ? "0" : chosen;
    fields.change.disabled = reject || fields.decision.disabled;
    form.querySelector(`#${id("reject")}`).hidden = !reject;
  };
  fields.decision.addEventListener("change", form.applyDecision);
  form.applyDecision();
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    submitting(
      form,
      async () => {
        await page.api.post("/adjudications", {
          move_seq: move.seq,
          decision: data.get("decision"),
          outcome: String(data.get("outcome")).trim(),
          rationale: String(data.get("rationale")).trim(),
          escalation_change: data.get("decision") === "reject" ? 0 : Number(data.get("escalation_change")),
          objectives_met: data.getAll("objectives_met"),
        });
        drafts.forEach((clear) => clear());
        item.remove();
      },
      () => $("#queue select[name=decision]") || $("#queue-h"),
    );
  });
  const item = h(
    "li",
    { dataset: { seq: move.seq } },
    h("div", { class: "tag" }, `${page.teamName(move.team)} · ${type ? pick(type.label) : move.move_type}`),
    h("strong", {}, move.action),
    p.intended_result ? h("div", { class: "small" }, _("Intended result: {text}", { text: p.intended_result })) : null,
    p.reasons ? h("div", { class: "small" }, _("Reasons: {text}", { text: p.reasons })) : null,
    p.confidence ? h("div", { class: "small" }, _("Confidence: {n}/5", { n: p.confidence })) : null,
    form,
  );
  return item;
}

/** Draw the moves waiting in `state`, keeping the forms already on screen. */
export function renderQueue(page, state) {
  const list = $("#queue");
  const open = new Set(state.pending_moves.map((m) => String(m.seq)));
  const before = document.activeElement;
  for (const item of [...list.children]) if (!open.has(item.dataset.seq)) item.remove();
  for (const move of state.pending_moves) {
    if (!list.querySelector(`[data-seq="${move.seq}"]`)) list.append(rulingForm(page, move));
  }
  const reason = state.status === "ended" ? _("The exercise has ended: moves can no longer be ruled on.") : state.status === "lobby" ? _("Rulings open when the exercise starts.") : "";
  for (const form of list.querySelectorAll("form")) {
    closeForm(form, reason);
    form.applyDecision?.();
  }
  if (list.contains(before) || !before?.isConnected) refocus(before, $("#queue select[name=decision]"), $("#queue-h")); // a ruling just made
  $("#queue-count").textContent = String(state.pending_moves.length);
  $("#queue-empty").hidden = state.pending_moves.length > 0;
}
