// The facilitator console: clock and controls, MSEL, ad-hoc injects, rulings, escalation,
// hotline, participants and comcheck, white-cell messages, notes and the live event log.
import { clientId } from "./api.js";
import { $, $$, clockText, h, timeOfDay } from "./dom.js";
import { CHANNELS, hotlineNotice, messageLine, noticeLine } from "./feed.js";
import { _, pick } from "./i18n.js";
import { RunPage, submitting } from "./run.js";

const page = new RunPage();
const acks = new Map(); // participant id -> comcheck seq acknowledged
const online = new Set();
const openDetails = new Set(); // MSEL rows the facilitator expanded stay expanded on refresh

// ---- state ----------------------------------------------------------------------------------

function renderState(state) {
  $("#marking").textContent = pick(state.marking);
  $("#run-title").textContent = state.title;
  $("#review-link").href = `/runs/${page.runId}/review`;
  const status = $("#status");
  status.className = `badge ${state.status}`;
  status.textContent = { lobby: _("Not started"), running: _("Running"), paused: _("Paused"), ended: _("Ended") }[state.status];
  $("#phase-title").textContent = `${state.phase.index + 1}/${state.phase.count} · ${pick(state.phase.title)} ·`;
  const allowed = {
    lobby: ["start", "end"],
    running: ["pause", "next_phase", "end"],
    paused: ["resume", "next_phase", "end"],
    ended: [],
  }[state.status];
  for (const button of $$("[data-action]")) {
    button.disabled = !allowed.includes(button.dataset.action) || (button.dataset.action === "next_phase" && state.phase.index + 1 >= state.phase.count);
  }
  renderMsel(state);
  renderQueue(state);
  renderLadder(state);
  renderHotline(state);
  renderCodes(state);
}

function renderMsel(state) {
  const rows = state.msel.map((row) => {
    const inject = page.scenario.injects.find((i) => i.id === row.id);
    const when = row.trigger === "manual" ? _("manual") : row.status === "due" ? _("at {time}", { time: clockText(row.due_clock) }) : row.trigger;
    const statusText = { fired: _("fired"), due: _("due"), pending: _("pending") }[row.status];
    const audience = inject.audience.includes("all") ? _("all") : inject.audience.map((t) => page.teamName(t)).join(", ");
    const variants = Object.keys(inject.variants || {});
    return h(
      "tr",
      { class: row.status, dataset: { inject: row.id } },
      h(
        "td",
        {},
        h("strong", {}, pick(inject.title)),
        h("div", { class: "small muted" }, _("{id} · {channel} · phase {phase}", { id: row.id, channel: CHANNELS[inject.channel]?.() || inject.channel, phase: row.phase })),
        variants.length ? h("div", { class: "small" }, _("Own version for: {teams}", { teams: variants.map((t) => page.teamName(t)).join(", ") })) : null,
        inject.contingency_for ? h("div", { class: "small" }, _("Contingency for {inject}", { inject: inject.contingency_for })) : null,
        (inject.expected_actions || []).length || inject.controller_notes
          ? h(
              "details",
              { class: "small", open: openDetails.has(row.id), ontoggle: (event) => (event.target.open ? openDetails.add(row.id) : openDetails.delete(row.id)) },
              h("summary", {}, _("Expected actions and notes")),
              h("ul", {}, (inject.expected_actions || []).map((a) => h("li", {}, `${a.team ? page.teamName(a.team) + ": " : ""}${pick(a.text)}`))),
              inject.controller_notes ? h("div", { class: "notes" }, pick(inject.controller_notes)) : null,
            )
          : null,
      ),
      h("td", {}, when),
      h("td", {}, audience),
      h("td", {}, statusText, row.fired_seq ? h("div", { class: "small muted" }, `#${row.fired_seq}`) : null),
      h("td", {}, h("button", { type: "button", class: row.status === "fired" ? "secondary" : "", disabled: row.status === "fired" || state.status === "ended", "aria-label": _("Fire {inject} now", { inject: pick(inject.title) }), onclick: () => fire(row.id) }, _("Fire"))),
    );
  });
  $("#msel tbody").replaceChildren(...rows);
}

async function fire(injectId) {
  try {
    await page.api.post("/injects", { inject: injectId });
  } catch (error) {
    alertError(error);
  }
}

function alertError(error) {
  const banner = $("#banner");
  banner.className = "banner error";
  banner.textContent = error.message;
  banner.hidden = false;
  setTimeout(() => page.statusBanner(), 6000);
}

function renderQueue(state) {
  const list = $("#queue");
  const open = new Set(state.pending_moves.map((m) => String(m.seq)));
  for (const item of [...list.children]) if (!open.has(item.dataset.seq)) item.remove();
  for (const move of state.pending_moves) {
    if (list.querySelector(`[data-seq="${move.seq}"]`)) continue;
    list.append(rulingForm(move));
  }
  $("#queue-count").textContent = String(state.pending_moves.length);
  $("#queue-empty").hidden = state.pending_moves.length > 0;
}

function rulingForm(move) {
  const submitted = page.events.find((e) => e.seq === move.seq);
  const type = page.scenario.moves.find((m) => m.id === move.move_type);
  const p = submitted?.payload || {};
  const id = (name) => `m${move.seq}-${name}`;
  const objectives = page.scenario.objectives.map((o) => h("label", {}, h("input", { type: "checkbox", name: "objectives_met", value: o.id }), " ", pick(o.title)));
  const form = h(
    "form",
    { class: "ruling-form" },
    h("label", { for: id("decision") }, _("Ruling")),
    h("select", { id: id("decision"), name: "decision" }, h("option", { value: "accept" }, _("Accept")), h("option", { value: "modify" }, _("Modify")), h("option", { value: "reject" }, _("Reject"))),
    h("label", { for: id("outcome") }, _("Outcome (what happens)")),
    h("textarea", { id: id("outcome"), name: "outcome", required: true, maxlength: "8000" }),
    h("label", { for: id("rationale") }, _("Rationale")),
    h("textarea", { id: id("rationale"), name: "rationale", maxlength: "8000" }),
    h("label", { for: id("change") }, _("Escalation change")),
    h("select", { id: id("change"), name: "escalation_change" }, ...[-2, -1, 0, 1, 2].map((n) => h("option", { value: String(n), selected: n === 0 ? true : null }, n > 0 ? `+${n}` : String(n)))),
    objectives.length ? h("fieldset", {}, h("legend", {}, _("Objectives met")), h("div", { class: "inline" }, objectives)) : null,
    h("p", { class: "form-error", role: "alert" }),
    h("button", { type: "submit" }, _("Rule")),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    submitting(form, () =>
      page.api.post("/adjudications", {
        move_seq: move.seq,
        decision: data.get("decision"),
        outcome: String(data.get("outcome")).trim(),
        rationale: String(data.get("rationale")).trim(),
        escalation_change: Number(data.get("escalation_change")),
        objectives_met: data.getAll("objectives_met"),
      }),
    );
  });
  return h(
    "li",
    { dataset: { seq: move.seq } },
    h("div", { class: "tag" }, `${page.teamName(move.team)} · ${type ? pick(type.label) : move.move_type} · #${move.seq}`),
    h("strong", {}, move.action),
    p.intended_result ? h("div", { class: "small" }, _("Intended result: {text}", { text: p.intended_result })) : null,
    p.reasons ? h("div", { class: "small" }, _("Reasons: {text}", { text: p.reasons })) : null,
    p.confidence ? h("div", { class: "small" }, _("Confidence: {n}/5", { n: p.confidence })) : null,
    type ? h("div", { class: "small muted" }, _("Default escalation weight: {weight}", { weight: type.escalation })) : null,
    form,
  );
}

function renderLadder(state) {
  const levels = page.scenario.escalation.levels;
  $("#ladder").replaceChildren(
    ...levels.map((level, index) => h("li", { class: index === state.escalation.level ? "current" : "", "aria-current": index === state.escalation.level ? "true" : null, title: pick(level.description) }, `${index + 1}. ${pick(level.label)}`)),
  );
  $("#ladder").dataset.level = String(state.escalation.level);
}

function renderHotline(state) {
  const line = state.hotline;
  const badge = $("#hotline-state");
  badge.className = `hotline-state ${line.status}`;
  badge.textContent = { idle: _("Idle"), ringing: _("Ringing"), connected: _("Connected"), cut: _("Cut") }[line.status];
  const caller = line.caller ? _("Caller: {team}", { team: page.teamName(line.caller) }) : "";
  const delay = line.delay_seconds ? _("Delay: {seconds} s", { seconds: line.delay_seconds }) : _("No delay");
  $("#hotline-detail").textContent = [caller, delay].filter(Boolean).join(" · ");
  $("#hotline-cut").disabled = line.status === "cut" || state.status === "ended";
  $("#hotline-restore").disabled = line.status !== "cut";
  $("#delay-seconds").value = String(line.delay_seconds || 0);
}

function renderCodes(state) {
  const labels = { observers: _("Observers"), white_cell: _("Co-facilitators") };
  $("#codes").replaceChildren(
    ...Object.entries(state.join_codes).flatMap(([team, code]) => [h("span", { class: `team-${team}` }, labels[team] || page.teamName(team)), h("span", { dataset: { team } }, `${code.slice(0, 4)}-${code.slice(4)}`)]),
  );
}

async function renderPeople() {
  let people;
  try {
    people = (await page.api.get("/participants")).participants;
  } catch {
    return;
  }
  online.clear();
  for (const person of people) if (person.connected) online.add(person.id);
  const teams = [...page.scenario.teams.map((t) => t.id), "observers", "white_cell"];
  const sections = teams.map((team) => {
    const members = people.filter((p) => p.team === team);
    if (!members.length && (team === "observers" || team === "white_cell")) return null;
    return h(
      "div",
      {},
      h("h3", { class: `team-${team}` }, `${page.teamName(team)} (${members.length})`),
      h(
        "ul",
        { class: "people" },
        members.map((p) =>
          h(
            "li",
            { dataset: { participant: p.id } },
            h("span", {}, h("span", { class: `dot ${p.connected ? "on" : ""}`, title: p.connected ? _("connected") : _("not connected") }), p.name, p.role === "team_lead" ? " " + _("(lead)") : ""),
            h("span", { class: "small" }, acks.has(p.id) ? "✔ " + _("acknowledged") : ""),
          ),
        ),
      ),
    );
  });
  $("#people").replaceChildren(...sections.filter(Boolean));
}

let peopleTimer = null;
function peopleSoon() {
  clearTimeout(peopleTimer);
  peopleTimer = setTimeout(renderPeople, 300);
}

// ---- the event log ----------------------------------------------------------------------------

const kinds = new Set();

function summary(event) {
  const p = event.payload;
  switch (event.kind) {
    case "inject.fired":
      return `${pick(p.title)}${p.variant ? ` [${page.teamName(p.variant)}]` : ""}`;
    case "message.sent":
    case "message.delivered":
      return `(${p.channel}) ${p.text}`;
    case "move.submitted":
      return `${p.move_type}: ${p.action}`;
    case "move.adjudicated":
      return `${p.decision} #${p.move_seq}: ${p.outcome}`;
    case "escalation.changed":
      return `${page.levelLabel(p.from)} → ${page.levelLabel(p.to)} (${p.reason})`;
    case "phase.advanced":
      return `${p.from} → ${p.to}`;
    case "participant.joined":
      return `${p.name} (${p.role})`;
    case "note.added":
    case "comcheck.sent":
      return p.text;
    default:
      return Object.keys(p).length ? JSON.stringify(p) : "";
  }
}

function logRow(event) {
  const audience = event.audience === "all" ? _("all") : event.audience.map((t) => page.teamName(t)).join(", ");
  return h(
    "tr",
    { dataset: { seq: event.seq, team: event.team || "", kind: event.kind } },
    h("td", {}, String(event.seq)),
    h("td", {}, clockText(event.clock)),
    h("td", { class: "kind" }, event.kind),
    h("td", { class: `team-${event.team}` }, event.team ? page.teamName(event.team) : ""),
    h("td", {}, event.actor ? page.name(event.actor) : ""),
    h("td", {}, audience),
    h("td", {}, summary(event)),
  );
}

function applyFilters() {
  const team = $("#filter-team").value;
  const kind = $("#filter-kind").value;
  const text = $("#filter-text").value.trim().toLowerCase();
  for (const row of $$("#log tbody tr")) {
    const show = (!team || row.dataset.team === team) && (!kind || row.dataset.kind === kind) && (!text || row.textContent.toLowerCase().includes(text));
    row.hidden = !show;
  }
}

function onEvent(event) {
  const row = logRow(event);
  $("#log tbody").prepend(row);
  if (!kinds.has(event.kind)) {
    kinds.add(event.kind);
    $("#filter-kind").append(h("option", { value: event.kind }, event.kind));
  }
  const filtered = $("#filter-team").value || $("#filter-kind").value || $("#filter-text").value;
  if (filtered) applyFilters();
  switch (event.kind) {
    case "participant.joined":
      peopleSoon();
      break;
    case "comcheck.sent":
      acks.clear();
      peopleSoon();
      break;
    case "comcheck.acked":
      acks.set(event.actor, event.payload.comcheck_seq);
      peopleSoon();
      break;
    case "note.added":
      $("#notes").prepend(h("li", {}, h("span", { class: "when" }, `${timeOfDay(event.ts)} · ${clockText(event.clock)}`), h("div", { class: "text" }, event.payload.text)));
      break;
    case "message.sent":
    case "message.delivered":
      if (event.payload.channel === "hotline") $("#hotline-messages").append(messageLine(event, `${page.name(event.actor, event.team)} (${page.teamName(event.team)})`, false));
      break;
    default:
      {
        const notice = hotlineNotice(event, (team) => page.teamName(team), true);
        if (notice) $("#hotline-messages").append(noticeLine(event, notice));
      }
  }
}

// ---- forms ----------------------------------------------------------------------------------

function wire() {
  for (const button of $$("[data-action]")) {
    button.addEventListener("click", async () => {
      const action = button.dataset.action;
      if (action === "end" && !confirm(_("End the exercise for everyone?"))) return;
      button.disabled = true;
      try {
        page.setState(await page.api.post("/control", { action }));
      } catch (error) {
        alertError(error);
      }
    });
  }
  $("#adhoc-channel").replaceChildren(...Object.entries(CHANNELS).map(([id, label]) => h("option", { value: id }, label())));
  const audience = $("#adhoc-audience");
  audience.replaceChildren(
    h("label", {}, h("input", { type: "checkbox", value: "all", checked: true }), " ", _("Everyone")),
    ...[...page.scenario.teams.map((t) => t.id), "observers"].map((team) => h("label", {}, h("input", { type: "checkbox", value: team }), " ", page.teamName(team))),
  );
  audience.dataset.field = "audience";
  $("#adhoc-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.target;
    const chosen = $$("input:checked", audience).map((i) => i.value);
    const to = chosen.includes("all") || !chosen.length ? "all" : chosen;
    const body = { title: $("#adhoc-title").value.trim(), body: $("#adhoc-body").value.trim(), audience: to, channel: $("#adhoc-channel").value };
    if ($("#adhoc-from").value.trim()) body.from = $("#adhoc-from").value.trim();
    submitting(form, async () => {
      await page.api.post("/injects", body);
      form.reset();
    });
  });
  for (const button of $$("[data-change]")) {
    button.addEventListener("click", async () => {
      try {
        await page.api.post("/escalation", { change: Number(button.dataset.change), reason: $("#escalation-reason").value.trim() });
        $("#escalation-reason").value = "";
        $("#escalation-error").textContent = "";
      } catch (error) {
        $("#escalation-error").textContent = error.message;
      }
    });
  }
  $("#hotline-cut").addEventListener("click", () => page.api.post("/hotline", { action: "cut" }).catch(alertError));
  $("#hotline-restore").addEventListener("click", () => page.api.post("/hotline", { action: "restore" }).catch(alertError));
  $("#delay-form").addEventListener("submit", (event) => {
    event.preventDefault();
    page.api.post("/hotline", { action: "delay", seconds: Number($("#delay-seconds").value || 0) }).catch(alertError);
  });
  $("#comcheck-form").addEventListener("submit", (event) => {
    event.preventDefault();
    page.api.post("/comcheck", { text: $("#comcheck-text").value.trim() || undefined }).catch(alertError);
  });
  $("#say-to").replaceChildren(h("option", { value: "plenary" }, _("Everyone (plenary)")), ...page.scenario.teams.map((t) => h("option", { value: t.id }, _("Team channel: {team}", { team: pick(t.name) }))));
  $("#say-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const to = $("#say-to").value;
    const body = to === "plenary" ? { channel: "plenary" } : { channel: "team", team: to };
    submitting(event.target, async () => {
      await page.api.post("/messages", { client_id: clientId(), text: $("#say-text").value.trim(), ...body });
      $("#say-text").value = "";
    });
  });
  $("#note-form").addEventListener("submit", (event) => {
    event.preventDefault();
    submitting(event.target, async () => {
      await page.api.post("/notes", { text: $("#note-text").value.trim() });
      $("#note-text").value = "";
    });
  });
  for (const team of [...page.scenario.teams.map((t) => t.id), "white_cell", "observers"]) $("#filter-team").append(h("option", { value: team }, page.teamName(team)));
  for (const id of ["#filter-team", "#filter-kind", "#filter-text"]) $(id).addEventListener("input", applyFilters);
}

page.on("state", renderState);
page.on("event", onEvent);
page.on("frame", (frame) => {
  if (frame.type === "presence") peopleSoon();
});
if (await page.start()) {
  wire();
  renderPeople();
  setInterval(renderPeople, 30_000);
}

