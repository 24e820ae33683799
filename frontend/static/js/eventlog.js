// The console's event log: every event, newest first, in plain language (describe.js), with
// filters by team, kind and text.
import { $, $$, clockText, h } from "./dom.js";
import { audienceText, describe } from "./describe.js";
import { kindLabel } from "./labels.js";

const kinds = new Set();

function row(event, page) {
  return h(
    "tr",
    { dataset: { seq: event.seq, team: event.team || "", kind: event.kind } },
    h("td", {}, String(event.seq)),
    h("td", {}, clockText(event.clock)),
    h("td", { class: "kind" }, kindLabel(event.kind)),
    h("td", { class: `team-${event.team}` }, event.team ? page.teamName(event.team) : ""),
    h("td", {}, event.actor ? page.name(event.actor) : ""),
    h("td", {}, audienceText(event.audience, page)),
    h("td", { class: "what" }, describe(event, page)),
  );
}

function applyFilters() {
  const team = $("#filter-team").value;
  const kind = $("#filter-kind").value;
  const text = $("#filter-text").value.trim().toLowerCase();
  for (const line of $$("#log tbody tr")) {
    line.hidden = !((!team || line.dataset.team === team) && (!kind || line.dataset.kind === kind) && (!text || line.textContent.toLowerCase().includes(text)));
  }
}

/** Fill the team filter and listen to the filters. */
export function wireLog(page) {
  for (const team of [...page.scenario.teams.map((t) => t.id), "white_cell", "observers"]) $("#filter-team").append(h("option", { value: team }, page.teamName(team)));
  for (const id of ["#filter-team", "#filter-kind", "#filter-text"]) $(id).addEventListener("input", applyFilters);
}

/** Add `event` at the top of the log. */
export function logEvent(event, page) {
  $("#log tbody").prepend(row(event, page));
  if (!kinds.has(event.kind)) {
    kinds.add(event.kind);
    $("#filter-kind").append(h("option", { value: event.kind }, kindLabel(event.kind)));
  }
  if ($("#filter-team").value || $("#filter-kind").value || $("#filter-text").value) applyFilters();
}
