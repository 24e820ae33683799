// The team room (and, read-only, the observer view): the strip, the feed of injects and
// rulings, the phase, the channels and the move composer; the hotline, the comcheck, the
// recommendations and what is unread have modules of their own.
import { clientId } from "./api.js";
import { hideComcheck, showComcheck, wireComcheck } from "./comcheck.js";
import { $, clear, h } from "./dom.js";
import { describe } from "./describe.js";
import { injectCard, messageLine, noticeLine, rulingCard } from "./feed.js";
import { closeControl, closeForm, formError, keepDraft, sendOnCtrlEnter, submitting } from "./forms.js";
import { renderHotline, wireHotline } from "./hotline.js";
import { _, other, pick } from "./i18n.js";
import { categoryLabel, decisionLabel, statusLabel } from "./labels.js";
import { markdown } from "./markdown.js";
import { keepClearOf, toast, wireNotes } from "./notify.js";
import { recommendationsSoon, renderRecommendations, wireRecommendations } from "./recommendations.js";
import { RunPage, renderEscalation } from "./run.js";
import { addToFeed, clearTab, loadRead, markTab, readBefore } from "./unread.js";

const page = new RunPage({ banner: playerBanner });
const myMoves = new Map(); // move seq -> list item

function playerBanner(state) {
  if (state.status === "lobby") return [_("Waiting for the facilitator to start the exercise. Read the briefing meanwhile.")];
  if (state.status === "paused") return [_("The exercise is paused. The clock has stopped; the hotline and moves wait until it resumes.")];
  if (state.status === "ended") return [_("The exercise has ended. Thank you. The facilitator will share the after-action review.")];
  return [];
}

function isObserver() {
  return page.me.team === "observers";
}

// ---- state ----------------------------------------------------------------------------------

let briefingSet = false;

function renderState(state) {
  const before = document.activeElement;
  if (!briefingSet) {
    $("#briefing").open = state.status === "lobby"; // before the start it is what there is to read
    briefingSet = true;
  }
  $("#marking").textContent = pick(state.marking);
  $("#team-name").textContent = page.teamName(state.you.team);
  $("#team-name").className = `team-${state.you.team}`;
  $("#run-title").textContent = state.title;
  $("#strip .title").title = `${page.teamName(state.you.team)} · ${state.title}`; // the strip shows one line of it
  const status = $("#status");
  status.className = `badge ${state.status}`;
  status.textContent = statusLabel(state.status);
  const phaseTitle = $("#phase-title");
  phaseTitle.textContent = phaseTitle.title = `${state.phase.index + 1}/${state.phase.count} · ${pick(state.phase.title)}`;
  $("#phase-name").textContent = pick(state.phase.title); // whole here; the strip may cut it
  const phase = page.scenario.phases[state.phase.index];
  $("#phase-description").replaceChildren(phase?.description ? markdown(pick(phase.description)) : "");
  $("#questions").replaceChildren(...state.phase.questions.map((q) => h("li", {}, pick(q), other(q) ? h("div", { class: "other-lang" }, other(q)) : null)));
  renderEscalation(page, $("#escalation"));
  for (const form of ["#chat-form", "#move-form", "#hotline-form", "#rec-form"]) $(form).hidden = isObserver();
  $("#moves-panel").hidden = isObserver();
  if (isObserver()) observerNotes();
  $("#comcheck").hidden ||= state.status === "ended";
  closeForm($("#chat-form"), state.status === "ended" ? _("The exercise has ended: the channels are closed.") : "");
  renderMoveButton(state);
  renderHotline(state, before, isObserver());
}

/** What an observer can do, and what does not reach observers, said once. */
function observerNotes() {
  $("#recs-help").textContent = _("Lessons for real-world risk reduction, drafted and endorsed by the teams. As an observer you can read them as they come; drafting and endorsing are for team members.");
  const allTeams = page.scenario.rules?.observers === "all_teams";
  $("#observer-note").textContent = allTeams
    ? _("You are observing: you see what the teams see, read-only, but you cannot write, call or submit moves.")
    : _("You are observing, read-only: you see what goes to everyone and what is addressed to observers. You do not see the hotline, the teams' own channels, or injects the white cell sends only to some teams.");
  $("#observer-note").hidden = false;
}

const MOVES_WAIT = {
  lobby: () => _("Moves open when the exercise starts."),
  paused: () => _("The exercise is paused: moves can be written but not submitted until it resumes."),
  ended: () => _("The exercise has ended: no more moves."),
};

function renderMoveButton(state) {
  const why = MOVES_WAIT[state.status]?.() || "";
  closeControl($("#move-form button[type=submit]"), why);
  $("#move-why").textContent = why;
  $("#move-why").hidden = !why;
}

// ---- the feed, the chat and what the toasts say about them ----------------------------------

/** What the player did in the exercise before this page opened: what came before it counts as
 * read, also on a new device. Joining is not an action. */
function ownAction(event) {
  if (page.isLive(event) || !event.actor || event.actor !== page.me.participant_id || event.kind === "participant.joined") return;
  readBefore(event.seq);
}

function chat(event) {
  const mine = event.actor && event.actor === page.me.participant_id;
  const who = page.name(event.actor, event.team);
  const list = event.payload.channel === "plenary" ? $("#chat-plenary") : event.payload.channel === "team" ? $("#chat-team") : $("#hotline-messages");
  const line = messageLine(event, event.team && event.team !== page.me.team && event.payload.channel === "team" ? `${who} (${page.teamName(event.team)})` : who, mine);
  list.append(line);
  list.scrollTop = list.scrollHeight;
  const tab = { plenary: $("#tab-plenary"), team: $("#tab-team") }[event.payload.channel];
  if (tab && page.isLive(event) && !mine) markTab(tab);
}

function moveItem(event) {
  const p = event.payload;
  return h(
    "li",
    { dataset: { seq: event.seq } },
    h("div", { class: "tag" }, page.moveLabel(p.move_type)),
    h("strong", {}, p.action),
    p.intended_result ? h("div", { class: "small" }, _("Intended result: {text}", { text: p.intended_result })) : null,
    h("div", { class: "ruling small muted awaiting" }, _("Awaiting the white cell's ruling")),
  );
}

/** What deserves a toast, said as the event log says it (describe.js). */
function notify(event, card) {
  if (!page.isLive(event)) return;
  switch (event.kind) {
    case "inject.fired":
      toast(describe(event, page), { kind: "inject", target: card });
      break;
    case "move.adjudicated":
      toast(event.team === page.me.team ? _("The white cell ruled on your move: {decision}", { decision: decisionLabel(event.payload.decision) }) : describe(event, page), { target: card });
      break;
    case "hotline.call_placed":
      if (event.team !== page.me.team) toast(describe(event, page), { kind: "alert", target: $("#hotline-h") });
      break;
    case "hotline.cut":
    case "run.paused":
    case "run.resumed":
    case "run.ended":
    case "phase.advanced":
      toast(describe(event, page), { kind: event.kind === "run.paused" || event.kind === "hotline.cut" ? "alert" : "info" });
      break;
    default:
  }
}

function onEvent(event) {
  let card = null;
  ownAction(event);
  switch (event.kind) {
    case "run.started":
      if (page.isLive(event)) {
        $("#briefing").open = false; // "Incoming" is what matters now; the briefing stays one click away
        toast(_("The exercise has started. The briefing is folded away above Incoming."));
      }
      break;
    case "run.ended":
      $("#comcheck").hidden = true;
      break;
    case "inject.fired":
      card = injectCard(event, page.state?.marking || page.scenario.metadata.marking);
      addToFeed(card);
      break;
    case "move.adjudicated": {
      card = rulingCard(event, (team) => page.teamName(team));
      addToFeed(card);
      const item = myMoves.get(event.payload.move_seq);
      if (item) {
        const ruling = item.querySelector(".ruling");
        ruling.classList.remove("awaiting");
        ruling.replaceChildren(h("span", { class: `decision ${event.payload.decision}` }, decisionLabel(event.payload.decision)), ": ", event.payload.outcome);
        // "Move submitted — awaiting…" beside the button is over once nothing awaits
        if (!$("#moves .ruling.awaiting")) $("#move-sent").textContent = "";
      }
      break;
    }
    case "move.submitted":
      if (event.team === page.me.team) {
        const item = moveItem(event);
        myMoves.set(event.seq, item);
        $("#moves").prepend(item);
        if (page.isLive(event) && event.actor === page.me.participant_id) justSubmitted(item);
      }
      break;
    case "message.sent":
    case "message.delivered":
      chat(event);
      break;
    case "recommendation.drafted":
    case "recommendation.endorsed":
    case "recommendation.edited":
    case "recommendation.merged":
    case "recommendation.accepted":
    case "recommendation.declined":
    case "recommendation.reopened":
      recommendationsSoon(page, isObserver());
      break;
    case "comcheck.sent":
      if (page.state?.status !== "ended") showComcheck(event, page.isLive(event));
      break;
    case "comcheck.acked":
      if (event.actor === page.me.participant_id) hideComcheck();
      break;
    default:
      if (event.kind.startsWith("hotline.")) $("#hotline-messages").append(noticeLine(event, describe(event, page)));
  }
  notify(event, card);
}

/** A move this player just submitted: brought into view under the form, highlighted a while. */
function justSubmitted(item) {
  item.classList.add("just-submitted");
  item.scrollIntoView({ block: "nearest" });
  setTimeout(() => item.classList.remove("just-submitted"), 6000);
}

// ---- forms ----------------------------------------------------------------------------------

function moveMenu() {
  const select = $("#move-type");
  const groups = new Map();
  for (const move of page.scenario.moves) {
    if (!groups.has(move.category)) groups.set(move.category, h("optgroup", { label: categoryLabel(move.category) }));
    groups.get(move.category).append(h("option", { value: move.id }, pick(move.label)));
  }
  select.replaceChildren(h("option", { value: "" }, _("Choose…")), ...groups.values());
  const help = () => {
    const move = page.scenario.moves.find((m) => m.id === select.value);
    $("#move-type-help").textContent = move?.description ? pick(move.description) : "";
  };
  select.addEventListener("change", help);
  return help;
}

const draft = (id) => keepDraft($(id), `ttx.draft.${page.runId}.${id}`);

/** The Team / Plenary tabs, with the ARIA tabs pattern: arrow keys, Home and End move between
 * them. Observers see the teams' channels only when the scenario lets them. */
function wireTabs() {
  const tabs = [$("#tab-team"), $("#tab-plenary")];
  let channel = "team";
  const select = (tab, focus = false) => {
    channel = tab === tabs[0] ? "team" : "plenary";
    for (const other of tabs) {
      const on = other === tab;
      other.setAttribute("aria-selected", String(on));
      if (on) clearTab(other);
      other.tabIndex = on ? 0 : -1;
      $(`#${other.getAttribute("aria-controls")}`).hidden = !on;
    }
    $("#chat-label").textContent = channel === "team" ? _("Message to your team") : _("Message to everyone (plenary)");
    if (focus) tab.focus();
  };
  for (const tab of tabs) {
    tab.addEventListener("click", () => select(tab));
    tab.addEventListener("keydown", (event) => {
      const visible = tabs.filter((t) => !t.hidden);
      const at = visible.indexOf(tab);
      const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: visible.length - 1 }[event.key];
      if (to === undefined) return;
      event.preventDefault();
      select(visible[(to + visible.length) % visible.length], true);
    });
  }
  if (isObserver()) {
    const seesTeams = page.scenario.rules?.observers === "all_teams";
    tabs[0].hidden = !seesTeams;
    tabs[0].textContent = _("Team channels");
    if (!seesTeams) select(tabs[1]);
  }
  return () => channel;
}

function wireForms() {
  const channel = wireTabs();
  const clearChat = draft("#chat-text");
  sendOnCtrlEnter($("#chat-text"));
  $("#chat-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = $("#chat-text").value.trim();
    if (!text) return;
    submitting(event.target, async () => {
      await page.api.post("/messages", { client_id: clientId(), channel: channel(), text });
      clearChat(text);
    });
  });
  wireHotline(page);
  wireRecommendations(page);
  wireComcheck(page);
  const showHelp = moveMenu();
  const drafts = ["#move-action", "#move-result", "#move-reasons"].map(draft);
  $("#move-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.target;
    if (!$("#move-type").value || !$("#move-action").value.trim()) {
      formError(form, { message: _("Choose a type of move and describe the action."), field: !$("#move-type").value ? "move_type" : "action" });
      return;
    }
    submitting(
      form,
      async () => {
        const confidence = $("#move-confidence").value;
        await page.api.post("/moves", {
          client_id: clientId(),
          move_type: $("#move-type").value,
          action: $("#move-action").value.trim(),
          intended_result: $("#move-result").value.trim(),
          reasons: $("#move-reasons").value.trim(),
          confidence: confidence ? Number(confidence) : null,
        });
        drafts.forEach((reset) => reset());
        $("#move-type").value = "";
        $("#move-confidence").value = "";
        showHelp();
        $("#move-sent").textContent = _("Move submitted — awaiting the white cell's ruling");
      },
      $("#move-type"),
    );
  });
  $("#move-form").addEventListener("input", () => ($("#move-sent").textContent = ""));
  $("#move-type").dataset.field = "move_type";
  $("#move-action").dataset.field = "action";
  $("#review-link").href = `/runs/${page.runId}/review`;
}

function renderBriefing() {
  const background = page.scenario.background;
  $("#read-ahead").replaceChildren(markdown(pick(background.read_ahead)));
  if (other(background.read_ahead)) $("#read-ahead").append(h("div", { class: "other-lang" }, markdown(other(background.read_ahead))));
  const own = background.briefings?.[page.me.team];
  $("#own-briefing-h").hidden = !own;
  clear($("#own-briefing"));
  if (own) {
    $("#own-briefing").append(markdown(pick(own)));
    if (other(own)) $("#own-briefing").append(h("div", { class: "other-lang" }, markdown(other(own))));
  }
}

page.on("state", renderState);
page.on("event", onEvent);
keepClearOf($("#strip"));
wireNotes();
loadRead(page.runId);
if (await page.start()) {
  renderBriefing();
  wireForms();
  renderRecommendations(page, isObserver());
}
