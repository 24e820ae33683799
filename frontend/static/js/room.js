// The team room (and, read-only, the observer view).
import { clientId } from "./api.js";
import { $, announce, clear, h } from "./dom.js";
import { decisionText, hotlineNotice, injectCard, messageLine, noticeLine, rulingCard } from "./feed.js";
import { _, other, pick } from "./i18n.js";
import { markdown } from "./markdown.js";
import { RunPage, formError, renderEscalation, submitting } from "./run.js";

const page = new RunPage();
const readKey = () => `ttx.read.${page.runId}`;
const read = new Set(JSON.parse(localStorage.getItem(readKey()) || "[]"));
const myMoves = new Map(); // move seq -> list item

function isObserver() {
  return page.me.team === "observers";
}

function onHotline() {
  return Boolean(page.state?.hotline);
}

// ---- state ----------------------------------------------------------------------------------

let briefingOpened = false;

function renderState(state) {
  if (!briefingOpened) {
    $("#briefing").open = state.status === "lobby"; // before the start it is what there is to read
    briefingOpened = true;
  }
  const marking = $("#marking");
  marking.textContent = pick(state.marking);
  $("#team-name").textContent = page.teamName(state.you.team);
  $("#team-name").className = `team-${state.you.team}`;
  $("#run-title").textContent = state.title;
  const status = $("#status");
  status.className = `badge ${state.status}`;
  status.textContent = { lobby: _("Not started"), running: _("Running"), paused: _("Paused"), ended: _("Ended") }[state.status];
  $("#phase-title").textContent = `${state.phase.index + 1}/${state.phase.count} · ${pick(state.phase.title)} ·`;
  const phase = page.scenario.phases[state.phase.index];
  $("#phase-description").replaceChildren(phase?.description ? markdown(pick(phase.description)) : "");
  $("#questions").replaceChildren(...state.phase.questions.map((q) => h("li", {}, pick(q), other(q) ? h("div", { class: "other-lang" }, other(q)) : null)));
  renderEscalation(page, $("#escalation"));
  renderHotline(state);
  for (const form of ["#chat-form", "#move-form", "#hotline-form", "#rec-form"]) $(form).hidden = isObserver();
  $("#moves-panel").hidden = isObserver();
  const running = state.status === "running";
  $("#move-form button[type=submit]").disabled = !running;
}

function renderHotline(state) {
  const panel = $("#hotline-panel");
  panel.hidden = !onHotline();
  if (!onHotline()) return;
  const line = state.hotline;
  const me = state.you.team;
  const label = {
    idle: _("Idle"),
    ringing: line.caller === me ? _("Calling…") : _("Incoming call"),
    connected: _("Connected"),
    cut: _("Line down"),
  }[line.status];
  const badge = $("#hotline-state");
  badge.className = `hotline-state ${line.status}`;
  badge.textContent = label;
  const running = state.status === "running";
  const player = !isObserver();
  $("#hotline-buttons").hidden = !player;
  $("#hotline-call").disabled = !(running && line.status === "idle");
  $("#hotline-answer").disabled = !(running && line.status === "ringing" && line.caller !== me);
  $("#hotline-hangup").disabled = !(line.status === "ringing" || line.status === "connected");
  $("#hotline-form button").disabled = line.status !== "connected";
  if (line.status === "ringing" && line.caller !== me) announce(_("Incoming hotline call"));
}

// ---- events ---------------------------------------------------------------------------------

function addToFeed(card) {
  const seq = Number(card.dataset.seq);
  if (!read.has(seq)) {
    card.classList.add("unread");
    card.append(h("span", { class: "unread-label" }, _("New")));
    observer.observe(card);
    card.addEventListener("click", () => markRead(card));
    card.addEventListener("focus", () => markRead(card));
  }
  $("#feed").prepend(card); // newest first
  $("#feed-empty").hidden = true;
  countUnread();
}

function markRead(card) {
  if (!card.classList.contains("unread")) return;
  card.classList.remove("unread");
  card.querySelector(".unread-label")?.remove();
  read.add(Number(card.dataset.seq));
  localStorage.setItem(readKey(), JSON.stringify([...read].slice(-2000)));
  countUnread();
}

function countUnread() {
  const count = document.querySelectorAll("#feed .unread").length;
  const badge = $("#unread-count");
  badge.hidden = count === 0;
  badge.textContent = _("{count} new", { count });
}

// A card counts as read once it has been on screen for two seconds.
const observer = new IntersectionObserver((entries) => {
  for (const entry of entries) {
    const card = entry.target;
    if (entry.isIntersecting) card._readTimer = setTimeout(() => markRead(card), 2000);
    else clearTimeout(card._readTimer);
  }
}, { threshold: 0.6 });

function chat(event) {
  const mine = event.actor && event.actor === page.me.participant_id;
  const who = page.name(event.actor, event.team);
  const list = event.payload.channel === "plenary" ? $("#chat-plenary") : event.payload.channel === "team" ? $("#chat-team") : $("#hotline-messages");
  const line = messageLine(event, event.team && event.team !== page.me.team && event.payload.channel === "team" ? `${who} (${page.teamName(event.team)})` : who, mine);
  if (event.payload.deliver_at) line.append(h("div", { class: "small muted" }, _("Held back on the line: the other side receives it later.")));
  list.append(line);
  list.scrollTop = list.scrollHeight;
}

function moveItem(event) {
  const p = event.payload;
  const type = page.scenario.moves.find((m) => m.id === p.move_type);
  return h(
    "li",
    { dataset: { seq: event.seq } },
    h("div", { class: "tag" }, type ? pick(type.label) : p.move_type),
    h("strong", {}, p.action),
    p.intended_result ? h("div", { class: "small" }, _("Intended result: {text}", { text: p.intended_result })) : null,
    h("div", { class: "ruling small muted" }, _("Awaiting the white cell's ruling")),
  );
}

function onEvent(event) {
  switch (event.kind) {
    case "inject.fired":
      addToFeed(injectCard(event, page.state?.marking || page.scenario.metadata.marking));
      announce(_("New inject: {title}", { title: pick(event.payload.title) }));
      break;
    case "move.adjudicated": {
      addToFeed(rulingCard(event, (team) => page.teamName(team)));
      const item = myMoves.get(event.payload.move_seq);
      if (item) {
        item.querySelector(".ruling").replaceChildren(
          h("span", { class: `decision ${event.payload.decision}` }, decisionText(event.payload.decision)),
          ": ",
          event.payload.outcome,
        );
      }
      break;
    }
    case "move.submitted":
      if (event.team === page.me.team) {
        const item = moveItem(event);
        myMoves.set(event.seq, item);
        $("#moves").prepend(item);
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
      recommendationsSoon();
      break;
    case "comcheck.sent":
      showComcheck(event);
      break;
    case "comcheck.acked":
      if (event.actor === page.me.participant_id) $("#comcheck").hidden = true;
      break;
    default:
      {
        const notice = hotlineNotice(event, (team) => page.teamName(team));
        if (notice) $("#hotline-messages").append(noticeLine(event, notice));
      }
  }
}

let pendingComcheck = null;
function showComcheck(event) {
  pendingComcheck = event.seq;
  $("#comcheck-text").textContent = event.payload.text;
  $("#comcheck").hidden = false;
}

let recTimer = null;
function recommendationsSoon() {
  clearTimeout(recTimer);
  recTimer = setTimeout(renderRecommendations, 250);
}

async function renderRecommendations() {
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
      return h(
        "li",
        { dataset: { rec: r.seq } },
        h("div", { class: "tag" }, status[r.status] || r.status),
        h("strong", {}, r.title),
        h("p", { class: "small" }, r.text),
        h("div", { class: "small muted" }, `${_("Endorsed by")}: ${counts}`),
        isObserver() ? null : h("button", { type: "button", class: "secondary", disabled: mine, onclick: () => page.api.post(`/recommendations/${r.seq}/endorse`, {}).then(recommendationsSoon) }, mine ? _("Endorsed") : _("Endorse")),
      );
    }),
  );
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
  select.addEventListener("change", () => {
    const move = page.scenario.moves.find((m) => m.id === select.value);
    $("#move-type-help").textContent = move?.description ? pick(move.description) : "";
  });
}

function categoryLabel(category) {
  return { diplomatic: _("Diplomatic"), military: _("Military"), communication: _("Communication"), information: _("Information"), cyber: _("Cyber") }[category] || category;
}

function keepDraft(id) {
  const element = $(id);
  const key = `ttx.draft.${page.runId}.${id}`;
  element.value = sessionStorage.getItem(key) || element.value;
  element.addEventListener("input", () => sessionStorage.setItem(key, element.value));
  return () => {
    element.value = "";
    sessionStorage.removeItem(key);
  };
}

function wireForms() {
  const clearChat = keepDraft("#chat-text");
  let channel = "team";
  for (const [tab, target] of [["#tab-team", "team"], ["#tab-plenary", "plenary"]]) {
    $(tab).addEventListener("click", () => {
      channel = target;
      $("#tab-team").setAttribute("aria-selected", String(target === "team"));
      $("#tab-plenary").setAttribute("aria-selected", String(target === "plenary"));
      $("#chat-team").hidden = target !== "team";
      $("#chat-plenary").hidden = target !== "plenary";
      $("#chat-label").textContent = target === "team" ? _("Message to your team") : _("Message to everyone (plenary)");
    });
  }
  $("#chat-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = $("#chat-text").value.trim();
    if (!text) return;
    submitting(event.target, async () => {
      await page.api.post("/messages", { client_id: clientId(), channel, text });
      clearChat();
    });
  });
  const clearHotline = keepDraft("#hotline-text");
  $("#hotline-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = $("#hotline-text").value.trim();
    if (!text) return;
    submitting(event.target, async () => {
      await page.api.post("/messages", { client_id: clientId(), channel: "hotline", text });
      clearHotline();
    });
  });
  for (const [button, action] of [["#hotline-call", "call"], ["#hotline-answer", "answer"], ["#hotline-hangup", "hang_up"]]) {
    $(button).addEventListener("click", () => submitting($("#hotline-form"), () => page.api.post("/hotline", { action, client_id: clientId() })));
  }
  const drafts = ["#move-action", "#move-result", "#move-reasons"].map(keepDraft);
  $("#move-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.target;
    if (!$("#move-type").value || !$("#move-action").value.trim()) {
      formError(form, { message: _("Choose a type of move and describe the action."), field: !$("#move-type").value ? "move_type" : "action" });
      return;
    }
    submitting(form, async () => {
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
      announce(_("Move submitted"));
    });
  });
  $("#move-type").dataset.field = "move_type";
  $("#move-action").dataset.field = "action";
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
  $("#review-link").href = `/runs/${page.runId}/review`;
  $("#comcheck-ack").addEventListener("click", async () => {
    try {
      await page.api.post("/comcheck/ack", { comcheck_seq: pendingComcheck });
      $("#comcheck").hidden = true;
    } catch (error) {
      $("#comcheck-text").textContent = error.message;
    }
  });
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
if (await page.start()) {
  renderBriefing();
  moveMenu();
  wireForms();
  renderRecommendations();
}
