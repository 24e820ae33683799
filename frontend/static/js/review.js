// The after-action review page (white cell): figures, the white cell's writing, the
// recommendations to curate, the timeline with filters and a side-by-side view, downloads.
// Everything shown comes from GET /review, exactly as the report shows it (names scrubbed under
// the Chatham House Rule unless the facilitator asks for the attributed view); what the editors
// write comes from GET /review/notes, as written, so saving never loses a name.
// Participants and observers get the downloads they may have (brief, their own JSON/CSV).
import { ApiError, RunApi } from "./api.js";
import { $, $$, h } from "./dom.js";
import { _, lang, loadCatalog, pick } from "./i18n.js";
import { decisionLabel, statusLabel } from "./labels.js";
import { recommendationList } from "./review-curation.js";
import { banner, setupPage, submitting } from "./run.js";
import { runEntry, takeFragment } from "./session.js";
import { Stream } from "./stream.js";

const runId = document.body.dataset.run;
takeFragment(runId);
const entry = runEntry(runId);
const RATINGS = { P: () => _("P: performed without challenges"), S: () => _("S: performed with some challenges"), M: () => _("M: performed with major challenges"), U: () => _("U: unable to be performed") };
let api, scenario, review, notes;

/** Seconds as h:mm:ss, rounded to the nearest second like every figure of the review. */
function clock(seconds) {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
}
const time = (s) => (s == null ? "—" : clock(s));

function teamName(id) {
  const team = scenario.teams.find((t) => t.id === id);
  return team ? pick(team.name) : { white_cell: _("White cell"), observers: _("Observers") }[id] || id || "";
}

const moveName = (id) => pick(scenario.moves.find((m) => m.id === id)?.label) || id;
const levelName = (index) => pick(scenario.escalation.levels[index]?.label) || "";

async function load() {
  const attributed = $("#show-names").checked ? "&chatham=false" : "";
  [review, notes] = await Promise.all([api.get(`/review?lang=${lang()}${attributed}`), api.get("/review/notes")]);
  render();
}

/** What the Chatham House scrubber looks for, so the facilitator sees what it rewrites. */
async function loadChathamWords() {
  const words = await api.get("/review/chatham");
  $("#chatham-words").hidden = !review.chatham_house;
  $("#hunted-words").textContent = words.words.join(", ") || "—";
  $("#skipped-words").textContent = words.skipped.join(", ");
  $("#skipped-block").hidden = !words.skipped.length;
}

/** "Saved" beside a form's button for a moment, read out by screen readers (aria-live). */
function saved(form) {
  const slot = form.querySelector(".saved");
  if (!slot) return;
  slot.textContent = _("Saved");
  clearTimeout(slot.timer);
  slot.timer = setTimeout(() => (slot.textContent = ""), 4000);
}

/** A text field's words as they print (a form does not print): paragraphs kept. */
function printed(text) {
  return (text || "").split(/\n\s*\n/).filter((p) => p.trim()).map((p) => h("p", {}, p));
}

function render() {
  renderSummary();
  $("#chart").src = "data:image/svg+xml;base64," + btoa(unescape(encodeURIComponent(review.chart_svg)));
  renderObjectives();
  renderResponses();
  renderHotline();
  renderPhases();
  renderRecommendations();
  renderTimeline();
  $("#names-toggle").hidden = !review.chatham_house && !$("#show-names").checked;
}

function renderSummary() {
  $("#facts").replaceChildren(...review.facts.map((fact) => h("li", {}, fact)));
  if (document.activeElement !== $("#summary-text")) $("#summary-text").value = notes.summary || "";
  $("#summary-print").replaceChildren(...printed(review.notes.summary));
}

function renderObjectives() {
  const rows = review.objectives.map((o) => {
    const objective = scenario.objectives.find((x) => x.id === o.objective);
    const select = h(
      "select",
      { class: "rating-select", "aria-label": _("Rating of {objective}", { objective: pick(objective.title) }), onchange: () => rate(o.objective, select.value || null) },
      h("option", { value: "" }, o.computed_rating ? _("As computed: {rating}", { rating: o.computed_rating }) : _("not rated")),
      ...Object.entries(RATINGS).map(([code, label]) => h("option", { value: code, selected: o.source === "facilitator" && o.rating === code }, label())),
    );
    return h(
      "tr",
      { class: `rating-${o.rating || "none"}`, dataset: { objective: o.objective } },
      h("td", {}, h("strong", {}, pick(objective.title)), h("div", { class: "small muted" }, pick(objective.measure))),
      h("td", {}, select, h("span", { class: "print-only" }, o.rating ? RATINGS[o.rating]() : _("not rated")), o.source === "facilitator" ? h("div", { class: "small muted" }, _("set by the facilitator")) : null),
      h("td", {}, o.explanation, h("div", { class: "small" }, o.evidence.map((seq) => h("a", { href: `#e${seq}` }, `#${seq} `)))),
    );
  });
  $("#objectives tbody").replaceChildren(...rows);
}

async function rate(objective, rating) {
  try {
    await api.post("/review/objectives", { objective, rating, note: notes.rating_notes[objective] || "" });
    await load();
  } catch (error) {
    banner("error", error.message);
  }
}

function renderResponses() {
  const teams = scenario.teams.slice(0, 2);
  const cell = (x, what) => (x.sent ? time(x[what]) : _("not sent"));
  const heads = [_("Inject"), _("At"), ...teams.flatMap((t) => [`${pick(t.name)}: ${_("message")}`, `${pick(t.name)}: ${_("move")}`, `${pick(t.name)}: ${_("hotline")}`])];
  $("#responses thead").replaceChildren(h("tr", {}, ...heads.map((x) => h("th", {}, x))));
  $("#responses tbody").replaceChildren(
    ...review.injects.map((f) => {
      const cells = [h("a", { href: `#e${f.seq}` }, lang() === "ru" && f.title_ru ? f.title_ru : f.title), clock(f.clock), ...teams.flatMap((t) => ["message", "move", "hotline"].map((what) => cell(f.teams[t.id], what)))];
      return h("tr", {}, ...cells.map((content, i) => h("td", { "data-label": heads[i] }, content)));
    }),
  );
}

function renderHotline() {
  const s = review.hotline;
  const why = s.unanswered_why;
  const unanswered = s.unanswered ? `${s.unanswered} (${_("rang out or declined")} ${why.rang_out_or_declined}, ${_("abandoned by the caller")} ${why.abandoned}, ${_("cut by the white cell while ringing")} ${why.cut_while_ringing})` : "0";
  const rows = [
    [_("Calls placed"), String(s.placed)],
    [_("Answered"), String(s.answered)],
    [_("Unanswered"), unanswered],
    [_("Time to answer (mean / median / longest, wall time)"), [s.ring_seconds.mean, s.ring_seconds.median, s.ring_seconds.max].map(time).join(" / ")],
    [_("Talk time (wall time)"), clock(s.talk_seconds)],
    [_("Line cut by the white cell (wall time)"), `${s.cuts} (${clock(s.cut_seconds)})`],
    [_("First inject to first hotline contact (exercise time)"), time(s.first_inject_to_first_contact)],
  ];
  $("#hotline-stats").replaceChildren(...rows.flatMap(([label, value]) => [h("dt", {}, label), h("dd", {}, value)]));
}

/** A phase's notes as they print: the page's (scrubbed under the Rule), with their headings. */
function phaseNotes(shown = {}) {
  const part = (title, text) => (text ? [h("h4", {}, title), ...printed(text)] : []);
  return [...part(_("Why it differed"), shown.why), ...part(_("What to do next time"), shown.next_time)];
}

function renderPhases() {
  // what was typed and not yet saved survives a redraw (after another form is saved)
  const typed = new Map([...$$("#phases textarea")].map((area) => [area.id, area.value]));
  $("#phases").replaceChildren(
    ...review.phases.map((p, index) => {
      const phase = scenario.phases[index];
      const written = notes.phases[p.id] || {};
      const area = (id, name, text) => h("textarea", { id, name }, typed.get(id) ?? text ?? "");
      const fields = h(
        "form",
        { dataset: { phase: p.id } },
        h("label", { for: `why-${p.id}` }, _("Why it differed")),
        area(`why-${p.id}`, "why", written.why),
        h("label", { for: `next-${p.id}` }, _("What to do next time")),
        area(`next-${p.id}`, "next_time", written.next_time),
        h("p", { class: "form-error", role: "alert" }),
        h("p", { class: "inline" }, h("button", { type: "submit", class: "secondary" }, _("Save")), h("span", { class: "saved", role: "status", "aria-live": "polite" })),
      );
      fields.addEventListener("submit", async (event) => {
        event.preventDefault();
        const body = { phase: p.id, why: fields.elements.why.value, next_time: fields.elements.next_time.value };
        const again = () => $(`#phases form[data-phase="${p.id}"]`);
        const done = await submitting(
          fields,
          async () => {
            await api.post("/review/phases", body);
            await load(); // the printed notes, scrubbed as the page shows them
            return true;
          },
          () => again()?.querySelector("button[type=submit]"),
        );
        if (done) saved(again());
      });
      const moves = Object.entries(p.moves).map(([team, list]) => h("li", {}, `${teamName(team)}: ${list.map((m) => `${moveName(m.move_type)} (${m.decision ? decisionLabel(m.decision) : _("awaiting a ruling")})`).join(", ") || _("no moves")}`));
      const planned = (scenario.injects || []).filter((i) => i.phase === p.id);
      return h(
        "article",
        { class: "phase" },
        h("h3", {}, `${index + 1}. ${pick(phase.title)}`, p.reached ? h("span", { class: "muted small" }, ` ${clock(p.start)}–${clock(p.end)}`) : h("span", { class: "muted small" }, ` (${_("not reached")})`)),
        h("h4", {}, _("What was supposed to happen")),
        h("ul", {}, p.planned.map((i) => h("li", {}, pick(planned.find((x) => x.id === i.inject_id)?.title) || i.title, i.fired ? "" : ` (${_("not fired")})`, h("ul", {}, (planned.find((x) => x.id === i.inject_id)?.expected_actions || []).map((a) => h("li", { class: "small" }, `${a.team ? teamName(a.team) + ": " : ""}${pick(a.text)}`)))))),
        h("h4", {}, _("What happened")),
        h("ul", {}, h("li", {}, `${_("Injects fired")}: ${p.injects_fired}`), moves, h("li", {}, `${_("Hotline calls")}: ${p.hotline_calls}, ${_("answered")}: ${p.hotline_answered}`), p.escalation_start ? h("li", {}, `${_("Escalation")}: ${levelName(p.escalation_start.index)} → ${levelName(p.escalation_end.index)}`) : null),
        h("div", { class: "print-only phase-notes" }, ...phaseNotes(review.notes.phases[p.id])),
        fields,
      );
    }),
  );
}

function renderRecommendations() {
  const act = async (seq, body, raise = false) => {
    try {
      await api.post(`/recommendations/${seq}`, body);
      await load();
      return true;
    } catch (error) {
      if (raise) throw error;
      banner("error", error.message);
      return false;
    }
  };
  // the texts as written, for the edit form (the review shows them scrubbed under the Rule)
  const written = async () => new Map((await api.get("/recommendations")).recommendations.map((r) => [r.seq, r]));
  $("#recommendations").replaceChildren(...recommendationList(review.recommendations, { teams: scenario.teams, act, written }));
}

function renderTimeline() {
  const rows = review.timeline;
  const fill = (id, pairs) => {
    const select = $(id);
    const current = select.value;
    select.replaceChildren(h("option", { value: "" }, _("All")), ...[...pairs].filter(([v]) => v).map(([v, label]) => h("option", { value: v, selected: v === current }, label)));
  };
  fill("#tl-team", new Map(rows.map((r) => [r.team, r.team_name])));
  fill("#tl-kind", new Map(rows.map((r) => [r.kind, r.kind_label])));
  fill("#tl-phase", new Map(rows.map((r) => [r.phase, r.phase])));
  fill("#tl-channel", new Map(rows.map((r) => [r.channel, r.channel_label])));
  drawTimeline();
}

function drawTimeline() {
  const team = $("#tl-team").value, kind = $("#tl-kind").value, phase = $("#tl-phase").value, channel = $("#tl-channel").value;
  const shown = review.timeline.filter((r) => (!team || r.team === team) && (!kind || r.kind === kind) && (!phase || r.phase === phase) && (!channel || r.channel === channel));
  if ($("#tl-side").checked) {
    const teams = scenario.teams.slice(0, 2);
    $("#timeline thead").replaceChildren(h("tr", {}, h("th", {}, _("Clock")), h("th", {}, pick(teams[0].name)), h("th", {}, _("White cell and injects")), h("th", {}, pick(teams[1].name))));
    const side = shown.filter((r) => r.column != null);
    $("#timeline tbody").replaceChildren(...side.map((r) => h("tr", { id: `e${r.seq}` }, h("td", { class: "clock" }, clock(r.clock)), ...[0, 1, 2].map((i) => h("td", {}, i === r.column ? `${r.kind_label} · ${i === 1 ? "" : r.who + ": "}${r.what}` : "")))));
    return;
  }
  const heads = ["#", _("Clock"), _("Phase"), _("Kind"), _("Team"), _("Who"), _("What")];
  $("#timeline thead").replaceChildren(h("tr", {}, ...heads.map((x) => h("th", {}, x))));
  $("#timeline tbody").replaceChildren(
    ...shown.map((r) => h("tr", { id: `e${r.seq}` }, ...[String(r.seq), clock(r.clock), r.phase, r.kind_label, r.team_name, r.who, r.what].map((x, i) => h("td", { "data-label": heads[i], class: i === 3 ? "kind" : i === 1 ? "clock" : null }, x)))),
  );
}

async function download(button, white) {
  const params = new URLSearchParams({ format: button.dataset.download, lang: $("#dl-lang").value });
  if (button.dataset.brief) params.set("brief", "true");
  if (button.dataset.handout) params.set("edition", "handout");
  else if (white) {
    params.set("chatham", String($("#dl-chatham").checked));
    if ($("#dl-notes").checked) params.set("include_notes", "true");
  }
  button.disabled = true;
  try {
    const response = await fetch(`/api/runs/${runId}/export?${params}`, { headers: { Authorization: `Bearer ${entry.token}` } });
    if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => null));
    const name = (response.headers.get("content-disposition") || "").match(/filename="([^"]+)"/)?.[1] || "ttx-export";
    const link = h("a", { href: URL.createObjectURL(await response.blob()), download: name });
    document.body.append(link);
    link.click();
    link.remove();
    $("#download-error").textContent = "";
  } catch (error) {
    $("#download-error").textContent = error.message;
  } finally {
    button.disabled = false;
  }
}

/** Recommendations drafted, endorsed or curated elsewhere (a team's room, another console)
 * show here as they happen: the list is drawn again, unless one is being edited here. */
function followRecommendations(lastSeq) {
  let timer = null;
  const refresh = async () => {
    if ($("#recommendations form.edit-recommendation") || $("#recommendations").contains(document.activeElement)) {
      timer = setTimeout(refresh, 2000); // not under the facilitator's hands: a moment later
      return;
    }
    try {
      const attributed = $("#show-names").checked ? "&chatham=false" : "";
      review = await api.get(`/review?lang=${lang()}${attributed}`);
      renderRecommendations();
    } catch {
      /* the next event tries again */
    }
  };
  const stream = new Stream(runId, entry.token, {
    onEvent: (event) => {
      if (!event.kind.startsWith("recommendation.")) return;
      clearTimeout(timer);
      timer = setTimeout(refresh, 300);
    },
  });
  stream.lastSeq = lastSeq || 0; // what came before is in the review already
  stream.start();
}

async function start() {
  await loadCatalog();
  setupPage();
  if (!entry?.token) {
    $("#no-token").hidden = false;
    return;
  }
  api = new RunApi(runId, entry.token);
  let state;
  try {
    state = await api.get("");
    scenario = await api.get("/scenario");
  } catch (error) {
    banner("error", error.message);
    $("#no-token").hidden = error.status !== 401 && error.status !== 403;
    return;
  }
  const white = state.you.team === "white_cell";
  document.body.classList.toggle("white-cell", white);
  $("#run-title").textContent = state.title;
  $("#status").textContent = statusLabel(state.status);
  $("#status").className = `badge ${state.status}`;
  $("#back-link").href = white ? `/runs/${runId}/console` : `/runs/${runId}/room`;
  $("#back-link").hidden = false;
  $("#downloads").hidden = false;
  for (const button of $$("[data-download]")) button.addEventListener("click", () => download(button, white));
  if (!white) {
    $("#refused").hidden = false;
    $("#own-view").hidden = false;
    return;
  }
  $("#review-body").hidden = false;
  try {
    await load();
  } catch (error) {
    banner("error", error.message);
  }
  followRecommendations(state.last_seq);
  $("#summary-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const done = await submitting(event.target, async () => {
      await api.post("/review/summary", { text: $("#summary-text").value });
      await load();
      return true;
    });
    if (done) saved(event.target);
  });
  $("#print").addEventListener("click", () => window.print());
  loadChathamWords().catch((error) => banner("error", error.message));
  $("#use-facts").addEventListener("click", () => {
    const facts = review.facts.join("\n");
    $("#summary-text").value = $("#summary-text").value ? `${$("#summary-text").value}\n\n${facts}` : facts;
  });
  $("#show-names").addEventListener("change", () => load().catch((error) => banner("error", error.message)));
  for (const id of ["#tl-team", "#tl-kind", "#tl-phase", "#tl-channel", "#tl-side"]) $(id).addEventListener("change", drawTimeline);
}

await start();
