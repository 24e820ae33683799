// The team room's hotline: its state (also in the sticky strip), call / answer / hang up,
// and the box to talk in. An incoming call puts Answer and Decline in the strip, and rings if
// the player turned the sound on. The keyboard focus follows the conversation: after Answer
// it is in the text box, after Call on Hang up, after Hang up on Call.
import { clientId } from "./api.js";
import { $ } from "./dom.js";
import { closeControl, closeForm, keepDraft, refocus, sendOnCtrlEnter, submitting } from "./forms.js";
import { _ } from "./i18n.js";
import { ring, wireRing } from "./ring.js";

const WAIT = {
  lobby: () => _("The hotline opens when the exercise starts."),
  paused: () => _("The exercise is paused: the hotline waits until it resumes."),
  ended: () => _("The exercise has ended: the hotline is closed."),
};

let teamName = (team) => team;

/** Draw the line's state; `before` is what had the focus before this redraw. */
export function renderHotline(state, before, readOnly) {
  const on = Boolean(state.hotline);
  $("#hotline-panel").hidden = !on;
  $("#strip-hotline").hidden = !on;
  if (!on) return;
  const line = state.hotline;
  const me = state.you.team;
  const incoming = line.status === "ringing" && line.caller !== me;
  const label = { idle: _("Idle"), ringing: incoming ? _("Incoming call") : _("Calling…"), connected: _("Connected"), cut: _("Line down") }[line.status];
  for (const badge of [$("#hotline-state"), $("#strip-hotline .hotline-state")]) {
    badge.className = `hotline-state ${line.status}${incoming ? " incoming" : ""}`;
    badge.textContent = label;
  }
  const running = state.status === "running";
  const call = $("#strip-call");
  call.hidden = readOnly || !(running && incoming);
  $("#strip-call-text").textContent = incoming ? _("{team} is calling on the hotline", { team: teamName(line.caller) }) : "";
  ring(!call.hidden, call);
  $("#hotline-buttons").hidden = readOnly;
  $("#hotline-call").disabled = !(running && line.status === "idle");
  $("#hotline-answer").disabled = !(running && incoming);
  $("#hotline-hangup").disabled = !(line.status === "ringing" || line.status === "connected");
  $("#hotline-hangup").textContent = incoming ? _("Decline") : _("Hang up"); // as in the strip while it rings
  $("#hotline-why").textContent = WAIT[state.status]?.() || (line.status === "cut" ? _("The line is down.") : "");
  closeForm($("#hotline-form"), state.status === "ended" ? WAIT.ended() : "");
  closeControl($("#hotline-form button[type=submit]"), line.status !== "connected" || state.status === "ended");
  const next = { connected: $("#hotline-text"), ringing: $("#hotline-hangup"), idle: $("#hotline-call") }[line.status];
  refocus(before, next, $("#hotline-h"));
}

export function wireHotline(page) {
  const clear = keepDraft($("#hotline-text"), `ttx.draft.${page.runId}.#hotline-text`);
  sendOnCtrlEnter($("#hotline-text"));
  $("#hotline-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = $("#hotline-text").value.trim();
    if (!text) return;
    submitting(event.target, async () => {
      await page.api.post("/messages", { client_id: clientId(), channel: "hotline", text });
      clear(text);
    });
  });
  teamName = (team) => page.teamName(team);
  const buttons = [["#hotline-call", "call"], ["#hotline-answer", "answer"], ["#hotline-hangup", "hang_up"], ["#strip-answer", "answer"], ["#strip-decline", "hang_up"]];
  for (const [button, action] of buttons) {
    const form = button.startsWith("#strip") ? $("#strip-call") : $("#hotline-form");
    $(button).addEventListener("click", () => submitting(form, () => page.api.post("/hotline", { action, client_id: clientId() })));
  }
  wireRing($("#ring-sound"), () => page.state && renderHotline(page.state, null, false));
}
