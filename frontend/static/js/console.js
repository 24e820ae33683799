// The facilitator console: clock and controls, a checklist before the start, MSEL, ad-hoc
// injects, rulings, escalation, hotline, participants and comcheck, join codes, white-cell
// messages, notes and the live event log.
import { wireAdhoc } from "./adhoc.js";
import { clientId } from "./api.js";
import { $, $$, clockText, h, timeOfDay } from "./dom.js";
import { renderCodes } from "./codes.js";
import { describe } from "./describe.js";
import { logEvent, wireLog } from "./eventlog.js";
import { messageLine, noticeLine } from "./feed.js";
import { closeForm, refocus, sendOnCtrlEnter, submitting } from "./forms.js";
import { _, pick } from "./i18n.js";
import { statusLabel } from "./labels.js";
import { renderMsel, tickMsel } from "./msel.js";
import { renderQueue } from "./ruling.js";
import { RunPage, banner, levelTone } from "./run.js";

const page = new RunPage({ banner: consoleBanner, whiteCellOnly: true, notWhiteCell });

/** A participant's token on the console: no console, the way to the team's room instead. */
function notWhiteCell() {
  $("#console-body").hidden = true;
  $("#not-white-cell").hidden = false;
}
const acks = new Map(); // participant id -> comcheck seq acknowledged
const openDetails = new Set(); // MSEL rows the facilitator expanded stay expanded on refresh
let people = [];

// ---- the banner: a checklist before the start, the pause, the end ---------------------------

function check(done, ...content) {
  return h("li", { class: done ? "done" : "todo" }, h("span", { class: "mark", "aria-hidden": "true" }, done ? "✔" : "○"), " ", h("span", { class: "visually-hidden" }, done ? _("done:") : _("to do:")), " ", ...content);
}

function consoleBanner(state) {
  if (state.status === "lobby") {
    const teams = page.scenario.teams.map((t) => t.id);
    const joined = teams.filter((team) => people.some((p) => p.team === team)).length;
    const comcheck = [...page.events].reverse().find((e) => e.kind === "comcheck.sent");
    const players = people.filter((p) => p.team !== "white_cell").length;
    const acked = [...acks.values()].filter((seq) => seq === comcheck?.seq).length;
    return [
      h("strong", {}, _("Before you start")),
      h(
        "ol",
        { class: "checklist" },
        check(joined === teams.length, _("Hand out the join codes and links"), " (", h("a", { href: "#codes-h" }, _("Join codes")), ")"),
        check(joined === teams.length, _("Teams joined: {joined} of {total}", { joined, total: teams.length })),
        check(Boolean(comcheck) && acked >= players, comcheck ? _("Communications check: {acked} of {count} acknowledged", { acked, count: players }) : _("Send a communications check (Participants)")),
        check(false, _("Start the exercise when the room is ready")),
      ),
    ];
  }
  if (state.status === "paused") return [_("Paused: the exercise clock, scheduled injects, the hotline and moves wait until you resume.")];
  if (state.status === "ended") {
    const ended = [...page.events].reverse().find((e) => e.kind === "run.ended");
    const at = ended ? _("The exercise ended at {clock} on the exercise clock ({time} local).", { clock: clockText(ended.clock), time: timeOfDay(ended.ts) }) : _("The exercise has ended.");
    return [at, " ", h("a", { class: "button", href: `/runs/${page.runId}/review` }, _("Open the after-action review"))];
  }
  return [];
}

// ---- state ----------------------------------------------------------------------------------

const ENDED = () => _("The exercise has ended.");

function renderState(state) {
  const before = document.activeElement;
  $("#marking").textContent = pick(state.marking);
  $("#run-title").textContent = state.title;
  $(".runbar .title").title = state.title; // the bar shows one line of it
  $("#review-link").href = `/runs/${page.runId}/review`;
  $("#review-link").classList.toggle("secondary", state.status !== "ended");
  const status = $("#status");
  status.className = `badge ${state.status}`;
  status.textContent = statusLabel(state.status);
  $("#phase-title").textContent = `${state.phase.index + 1}/${state.phase.count} · ${pick(state.phase.title)}`;
  const allowed = { lobby: ["start", "end"], running: ["pause", "next_phase", "end"], paused: ["resume", "next_phase", "end"], ended: [] }[state.status];
  for (const button of $$("[data-action]")) {
    button.disabled = !allowed.includes(button.dataset.action) || (button.dataset.action === "next_phase" && state.phase.index + 1 >= state.phase.count);
  }
  const ended = state.status === "ended";
  $(".console-grid").dataset.status = state.status; // before the start the codes come first on a tablet
  renderMsel($("#msel"), page, state, fire, openDetails);
  $("#msel-closed").hidden = !ended;
  $("#msel-closed").textContent = _("The exercise has ended: injects can no longer be sent.");
  renderQueue(page, state);
  renderLadder(state);
  for (const form of ["#adhoc-form", "#say-form", "#comcheck-form", "#escalation-form", "#delay-form"]) closeForm($(form), ended ? ENDED() : "");
  if (!ended) ladderEnds(state);
  renderHotline(state);
  renderCodes(page, state.join_codes);
  const near = before?.dataset?.change ? [...$$("[data-change]"), $("#escalation-reason")] : []; // the other way, not the top
  refocus(before, ...near, ...$$("[data-action]"), $("#banner a"), $("#hotline-restore"), $("#hotline-cut"));
}

/** "Move on to the next phase?", naming the current phase's injects not sent yet. */
function nextPhaseQuestion(state) {
  const current = page.scenario.phases[state.phase.index]?.id;
  const unsent = state.msel.filter((entry) => entry.status !== "fired" && page.scenario.injects.find((i) => i.id === entry.id)?.phase === current);
  const titles = unsent.map((entry) => `• ${page.injectTitle(entry.id)}`).join("\n");
  return unsent.length
    ? _("Move on to the next phase? These injects of this phase were not sent (you can still fire them by hand later):\n{titles}", { titles })
    : _("Move on to the next phase? Every inject of this phase has been sent.");
}

/** At either end of the ladder the way further is closed, and says why. */
function ladderEnds(state) {
  const { level, levels } = state.escalation;
  const why = level <= 0 ? _("Already at the lowest level.") : level >= levels - 1 ? _("Already at the highest level.") : "";
  $("[data-change='-1']").disabled = level <= 0;
  $("[data-change='1']").disabled = level >= levels - 1;
  $("#ladder-why").textContent = why;
}

async function fire(injectId) {
  try {
    await page.api.post("/injects", { inject: injectId });
  } catch (error) {
    alertError(error);
  }
}

function alertError(error) {
  banner("error", error.message);
  setTimeout(() => page.statusBanner(), 6000);
}

function renderLadder(state) {
  const levels = page.scenario.escalation.levels;
  const current = state.escalation.level;
  $("#ladder").replaceChildren(
    ...levels.map((level, index) =>
      h("li", { class: index === current ? `current tone-${levelTone(index, levels.length)}` : "", "aria-current": index === current ? "true" : null, title: pick(level.description) }, `${index + 1}. ${pick(level.label)}`),
    ),
  );
  $("#ladder").dataset.level = String(current);
  $("#ladder").dataset.tone = levelTone(current, levels.length);
}

function renderHotline(state) {
  const line = state.hotline;
  const badge = $("#hotline-state");
  badge.className = `hotline-state ${line.status}`;
  badge.textContent = { idle: _("Idle"), ringing: _("Ringing"), connected: _("Connected"), cut: _("Cut") }[line.status];
  const caller = line.caller ? _("Caller: {team}", { team: page.teamName(line.caller) }) : "";
  const delay = line.delay_seconds ? _("Delay: {seconds} s", { seconds: line.delay_seconds }) : _("No delay");
  $("#hotline-detail").textContent = [caller, delay].filter(Boolean).join(" · ");
  if (state.status !== "ended") {
    $("#hotline-cut").disabled = line.status === "cut";
    $("#hotline-restore").disabled = line.status !== "cut";
  }
  if (document.activeElement !== $("#delay-seconds")) $("#delay-seconds").value = String(line.delay_seconds || 0);
}

// ---- participants ---------------------------------------------------------------------------

async function renderPeople() {
  try {
    people = (await page.api.get("/participants")).participants;
  } catch {
    return;
  }
  const teams = [...page.scenario.teams.map((t) => t.id), "observers", "white_cell"];
  const sections = teams.map((team) => {
    const members = people.filter((p) => p.team === team);
    if (!members.length && (team === "observers" || team === "white_cell")) return null;
    return h(
      "div",
      {},
      h("h3", { class: `team-${team}` }, _("{team}: {count} joined", { team: page.teamName(team), count: members.length })),
      members.length
        ? h(
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
          )
        : h("p", { class: "small muted" }, _("Nobody yet: hand out this team's code.")),
    );
  });
  $("#people").replaceChildren(...sections.filter(Boolean));
  page.statusBanner();
}

let peopleTimer = null;
function peopleSoon() {
  clearTimeout(peopleTimer);
  peopleTimer = setTimeout(renderPeople, 300);
}

// ---- events ---------------------------------------------------------------------------------

function onEvent(event) {
  logEvent(event, page);
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
      if (event.kind.startsWith("hotline.")) $("#hotline-messages").append(noticeLine(event, describe(event, page)));
  }
}

// ---- forms ----------------------------------------------------------------------------------

function wire() {
  for (const button of $$("[data-action]")) {
    button.addEventListener("click", async () => {
      const action = button.dataset.action;
      if (action === "end" && !confirm(_("End the exercise for everyone?"))) return;
      if (action === "next_phase" && !confirm(nextPhaseQuestion(page.state))) return;
      try {
        page.setState(await page.api.post("/control", { action }));
      } catch (error) {
        alertError(error);
      }
    });
  }
  wireAdhoc(page);
  for (const button of $$("[data-change]")) {
    button.addEventListener("click", () =>
      submitting($("#escalation-form"), async () => {
        await page.api.post("/escalation", { change: Number(button.dataset.change), reason: $("#escalation-reason").value.trim() });
        $("#escalation-reason").value = "";
      }),
    );
  }
  const hotline = (body) => () => submitting($("#delay-form"), () => page.api.post("/hotline", body));
  $("#hotline-cut").addEventListener("click", hotline({ action: "cut" }));
  $("#hotline-restore").addEventListener("click", hotline({ action: "restore" }));
  $("#delay-form").addEventListener("submit", (event) => {
    event.preventDefault();
    hotline({ action: "delay", seconds: Number($("#delay-seconds").value || 0) })();
  });
  $("#comcheck-form").addEventListener("submit", (event) => {
    event.preventDefault();
    submitting(event.target, () => page.api.post("/comcheck", { text: $("#comcheck-text").value.trim() || undefined }));
  });
  $("#say-to").replaceChildren(h("option", { value: "plenary" }, _("Everyone (plenary)")), ...page.scenario.teams.map((t) => h("option", { value: t.id }, _("Team channel: {team}", { team: pick(t.name) }))));
  sendOnCtrlEnter($("#say-text"));
  $("#say-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const to = $("#say-to").value;
    const body = to === "plenary" ? { channel: "plenary" } : { channel: "team", team: to };
    const text = $("#say-text").value.trim();
    $("#say-sent").textContent = "";
    submitting(event.target, async () => {
      await page.api.post("/messages", { client_id: clientId(), text, ...body });
      if ($("#say-text").value.trim() === text) $("#say-text").value = ""; // not what was typed meanwhile
      const short = text.length > 80 ? `${text.slice(0, 78)}…` : text;
      $("#say-sent").textContent = _("Sent to {to}: “{text}”", { to: to === "plenary" ? _("everyone (plenary)") : page.teamName(to), text: short });
    });
  });
  $("#note-form").addEventListener("submit", (event) => {
    event.preventDefault();
    submitting(event.target, async () => {
      await page.api.post("/notes", { text: $("#note-text").value.trim() });
      $("#note-text").value = "";
    });
  });
  wireLog(page);
}

page.on("state", renderState);
page.on("event", onEvent);
page.on("tick", () => tickMsel(page));
page.on("frame", (frame) => {
  if (frame.type === "presence") peopleSoon();
});
if (await page.start()) {
  wire();
  renderPeople();
  setInterval(renderPeople, 30_000);
}
