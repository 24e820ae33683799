// The after-action review page: figures from the log, the white cell's writing, the
// recommendations to curate, the timeline with filters and a side-by-side view, downloads.
import { ApiError, RunApi } from "./api.js";
import { $, $$, clockText, h } from "./dom.js";
import { _, lang, loadCatalog, pick } from "./i18n.js";
import { banner, setupPage, submitting } from "./run.js";
import { runEntry, takeFragment } from "./session.js";

const runId = document.body.dataset.run;
takeFragment(runId);
const entry = runEntry(runId);
const RATINGS = { P: () => _("P: performed without challenges"), S: () => _("S: performed with some challenges"), M: () => _("M: performed with major challenges"), U: () => _("U: unable to be performed") };
const CATEGORIES = { quality_of_dialogue: () => _("Quality of dialogue"), substance_of_dialogue: () => _("Substance of dialogue"), restraint_on_the_ground: () => _("Restraint on the ground"), positive_agenda: () => _("Positive agenda") };
const TIERS = { basic: () => _("Basic steps (immediate)"), enhanced: () => _("Enhanced steps (for a better climate)") };
let api, scenario, review, events = [], white = false;

function teamName(id) {
  const team = scenario.teams.find((t) => t.id === id);
  return team ? pick(team.name) : { white_cell: _("White cell"), observers: _("Observers") }[id] || id || "";
}

async function load() {
  review = await api.get(`/review?lang=${lang()}`);
  events = [];
  let after = 0;
  for (;;) {
    const page = await api.get(`/events?after=${after}`);
    events.push(...page.events);
    if (!page.more) break;
    after = page.next_after;
  }
  render();
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
}

function renderSummary() {
  $("#facts").replaceChildren(...review.facts.map((fact) => h("li", {}, fact)));
  const summary = review.notes.summary || "";
  if (white && document.activeElement !== $("#summary-text")) $("#summary-text").value = summary;
  $("#summary-shown").replaceChildren(...(white ? [] : summary.split("\n\n").map((p) => h("p", {}, p))));
}

function renderObjectives() {
  const rows = review.objectives.map((o) => {
    const objective = scenario.objectives.find((x) => x.id === o.objective);
    let rating = h("span", {}, o.rating ? RATINGS[o.rating]() : _("not rated"));
    if (white) {
      const select = h(
        "select",
        { "aria-label": _("Rating of {objective}", { objective: pick(objective.title) }), onchange: () => rate(o.objective, select.value || null) },
        h("option", { value: "" }, o.computed_rating ? _("As computed: {rating}", { rating: o.computed_rating }) : _("not rated")),
        ...Object.entries(RATINGS).map(([code, label]) => h("option", { value: code, selected: o.source === "facilitator" && o.rating === code }, label())),
      );
      rating = select;
    }
    return h(
      "tr",
      { class: `rating-${o.rating || "none"}`, dataset: { objective: o.objective } },
      h("td", {}, h("strong", {}, pick(objective.title)), h("div", { class: "small muted" }, pick(objective.measure))),
      h("td", {}, rating, o.source === "facilitator" ? h("div", { class: "small muted" }, _("set by the facilitator")) : null),
      h("td", {}, o.explanation, h("div", { class: "small" }, o.evidence.map((seq) => h("a", { href: `#e${seq}` }, `#${seq} `)))),
    );
  });
  $("#objectives tbody").replaceChildren(...rows);
}

async function rate(objective, rating) {
  try {
    await api.post("/review/objectives", { objective, rating });
    await load();
  } catch (error) {
    banner("error", error.message);
  }
}

function renderResponses() {
  const teams = scenario.teams.slice(0, 2);
  $("#responses thead").replaceChildren(h("tr", {}, h("th", {}, _("Inject")), h("th", {}, _("At")), ...teams.flatMap((t) => [h("th", {}, `${pick(t.name)}: ${_("message")}`), h("th", {}, _("move")), h("th", {}, _("hotline"))])));
  const time = (s) => (s == null ? "—" : clockText(s));
  $("#responses tbody").replaceChildren(
    ...review.injects.map((f) =>
      h("tr", {}, h("td", {}, h("a", { href: `#e${f.seq}` }, lang() === "ru" && f.title_ru ? f.title_ru : f.title)), h("td", {}, clockText(f.clock)), ...teams.flatMap((t) => [h("td", {}, time(f.teams[t.id].message)), h("td", {}, time(f.teams[t.id].move)), h("td", {}, time(f.teams[t.id].hotline))])),
    ),
  );
}

function renderHotline() {
  const s = review.hotline;
  const rows = [
    [_("Calls placed"), String(s.placed)],
    [_("Answered"), String(s.answered)],
    [_("Unanswered"), String(s.unanswered)],
    [_("Time to answer (mean / median / longest)"), [s.ring_seconds.mean, s.ring_seconds.median, s.ring_seconds.max].map((x) => (x == null ? "—" : clockText(x))).join(" / ")],
    [_("Talk time"), clockText(s.talk_seconds)],
    [_("Line cut by the facilitator"), `${s.cuts} (${clockText(s.cut_seconds)})`],
  ];
  $("#hotline-stats").replaceChildren(...rows.flatMap(([label, value]) => [h("dt", {}, label), h("dd", {}, value)]));
}

function renderPhases() {
  $("#phases").replaceChildren(
    ...review.phases.map((p, index) => {
      const phase = scenario.phases[index];
      const notes = review.notes.phases[p.id] || {};
      const fields = h(
        "form",
        { class: "white-only", dataset: { phase: p.id } },
        h("label", { for: `why-${p.id}` }, _("Why it differed")),
        h("textarea", { id: `why-${p.id}`, name: "why" }, notes.why || ""),
        h("label", { for: `next-${p.id}` }, _("What to do next time")),
        h("textarea", { id: `next-${p.id}`, name: "next_time" }, notes.next_time || ""),
        h("p", { class: "form-error", role: "alert" }),
        h("button", { type: "submit", class: "secondary" }, _("Save")),
      );
      fields.addEventListener("submit", (event) => {
        event.preventDefault();
        submitting(fields, () => api.post("/review/phases", { phase: p.id, why: fields.elements.why.value, next_time: fields.elements.next_time.value }));
      });
      const moves = Object.entries(p.moves).map(([team, list]) => h("li", {}, `${teamName(team)}: ${list.map((m) => `${m.move_type} (${m.decision || _("awaiting a ruling")})`).join(", ")}`));
      return h(
        "article",
        { class: "phase" },
        h("h3", {}, `${index + 1}. ${pick(phase.title)}`, p.reached ? h("span", { class: "muted small" }, ` ${clockText(p.start)}–${clockText(p.end)}`) : h("span", { class: "muted small" }, ` (${_("not reached")})`)),
        h("h4", {}, _("What was supposed to happen")),
        h("ul", {}, p.planned.map((i) => h("li", {}, i.title, i.fired ? "" : ` (${_("not fired")})`, h("ul", {}, i.expected_actions.map((a) => h("li", { class: "small" }, `${a.team ? teamName(a.team) + ": " : ""}${a.text}`)))))),
        h("h4", {}, _("What happened")),
        h("ul", {}, h("li", {}, `${_("Injects fired")}: ${p.injects_fired}`), moves, h("li", {}, `${_("Hotline calls")}: ${p.hotline_calls}`)),
        white ? fields : h("div", {}, h("h4", {}, _("Why it differed")), h("p", {}, notes.why || _("Not written yet.")), h("h4", {}, _("What to do next time")), h("p", {}, notes.next_time || _("Not written yet."))),
      );
    }),
  );
}

function renderRecommendations() {
  const items = review.recommendations.filter((r) => r.status !== "merged");
  const others = items.filter((r) => r.status !== "declined");
  $("#recommendations").replaceChildren(
    ...items.map((r) => {
      const counts = scenario.teams.map((t) => `${pick(t.name)} ${r.endorsements[t.id] || 0}`).join(", ");
      const item = h(
        "li",
        { dataset: { rec: r.seq, status: r.status } },
        h("div", { class: "tag" }, `${TIERS[r.tier]()} · ${CATEGORIES[r.category]()} · ${{ draft: _("draft"), accepted: _("accepted"), declined: _("declined") }[r.status]}`),
        h("strong", {}, r.title),
        h("p", {}, r.text),
        h("div", { class: "small muted" }, `${_("Endorsed by")}: ${counts}`),
        r.merged_from.length ? h("div", { class: "small muted" }, _("Merged from {list}", { list: r.merged_from.map((s) => "#" + s).join(", ") })) : null,
      );
      if (white) item.append(curation(r, others));
      return item;
    }),
  );
  if (!items.length) $("#recommendations").append(h("li", { class: "muted" }, _("No recommendations yet. Participants draft them from their rooms.")));
}

function curation(r, others) {
  const act = (body) => api.post(`/recommendations/${r.seq}`, body).then(load).catch((error) => banner("error", error.message));
  const merge = h("select", { "aria-label": _("Merge into") }, h("option", { value: "" }, _("Merge into…")), ...others.filter((o) => o.seq !== r.seq).map((o) => h("option", { value: o.seq }, `#${o.seq} ${o.title}`)));
  merge.addEventListener("change", () => merge.value && act({ action: "merge", into: Number(merge.value) }));
  const edit = h("button", { type: "button", class: "secondary" }, _("Edit"));
  edit.addEventListener("click", () => {
    const title = prompt(_("Title"), r.title);
    if (title === null) return;
    const text = prompt(_("Text"), r.text);
    if (text === null) return;
    act({ action: "edit", title, text });
  });
  return h(
    "div",
    { class: "controls" },
    r.status !== "accepted" ? h("button", { type: "button", onclick: () => act({ action: "accept" }) }, _("Accept")) : null,
    r.status !== "declined" ? h("button", { type: "button", class: "secondary", onclick: () => act({ action: "decline" }) }, _("Decline")) : null,
    r.status !== "draft" ? h("button", { type: "button", class: "secondary", onclick: () => act({ action: "reopen" }) }, _("Reopen")) : null,
    edit,
    merge,
  );
}

function summaryOf(e) {
  const p = e.payload;
  if (e.kind === "inject.fired") return pick(p.title);
  if (p.text) return `[${p.channel || ""}] ${p.text}`;
  if (e.kind === "move.submitted") return `${p.move_type}: ${p.action}`;
  if (e.kind === "move.adjudicated") return `${p.decision}: ${p.outcome}`;
  if (e.kind === "participant.joined") return `${review.chatham_house ? review.aliases[p.participant_id] : p.name}`;
  if (p.title) return typeof p.title === "string" ? p.title : pick(p.title);
  return "";
}

function who(e) {
  if (!e.actor) return teamName(e.team);
  if (review.chatham_house) return review.aliases[e.actor] || "";
  const joined = events.find((x) => x.kind === "participant.joined" && x.payload.participant_id === e.actor);
  return joined ? joined.payload.name : "";
}

function renderTimeline() {
  const fill = (id, values, label) => {
    const select = $(id);
    const current = select.value;
    select.replaceChildren(h("option", { value: "" }, _("All")), ...[...values].filter(Boolean).map((v) => h("option", { value: v, selected: v === current }, label(v))));
  };
  fill("#tl-team", new Set(events.map((e) => e.team)), teamName);
  fill("#tl-kind", new Set(events.map((e) => e.kind)), (v) => v);
  fill("#tl-phase", new Set(events.map((e) => e.phase)), (v) => pick(scenario.phases.find((p) => p.id === v)?.title) || v);
  fill("#tl-channel", new Set(events.map((e) => e.payload.channel)), (v) => v);
  drawTimeline();
}

function drawTimeline() {
  const team = $("#tl-team").value, kind = $("#tl-kind").value, phase = $("#tl-phase").value, channel = $("#tl-channel").value;
  const side = $("#tl-side").checked;
  const teams = scenario.teams.slice(0, 2).map((t) => t.id);
  const shown = events.filter((e) => (!team || e.team === team) && (!kind || e.kind === kind) && (!phase || e.phase === phase) && (!channel || e.payload.channel === channel));
  if (side) {
    $("#timeline thead").replaceChildren(h("tr", {}, h("th", {}, _("Clock")), ...teams.map((t) => h("th", {}, teamName(t)))));
    const rows = shown.filter((e) => teams.includes(e.team) && (e.kind.startsWith("move.") || e.kind.startsWith("message.") || e.kind.startsWith("hotline.")));
    $("#timeline tbody").replaceChildren(...rows.map((e) => h("tr", { id: `e${e.seq}` }, h("td", {}, clockText(e.clock)), ...teams.map((t) => h("td", {}, t === e.team ? `${e.kind} · ${who(e)}: ${summaryOf(e)}` : "")))));
    return;
  }
  $("#timeline thead").replaceChildren(h("tr", {}, ...["#", _("Clock"), _("Phase"), _("Kind"), _("Team"), _("Who"), _("What")].map((x) => h("th", {}, x))));
  $("#timeline tbody").replaceChildren(
    ...shown.map((e) => h("tr", { id: `e${e.seq}` }, h("td", {}, String(e.seq)), h("td", {}, clockText(e.clock)), h("td", {}, e.phase || ""), h("td", { class: "kind" }, e.kind), h("td", {}, teamName(e.team)), h("td", {}, who(e)), h("td", {}, summaryOf(e)))),
  );
}

async function download(button) {
  const params = new URLSearchParams({ format: button.dataset.download, lang: $("#dl-lang").value, chatham: String($("#dl-chatham").checked) });
  if (button.dataset.brief) params.set("brief", "true");
  if (white && $("#dl-notes").checked) params.set("include_notes", "true");
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

await loadCatalog();
setupPage();
if (!entry?.token) {
  banner("error", _("This device has not joined this exercise."));
} else {
  api = new RunApi(runId, entry.token);
  try {
    const state = await api.get("");
    scenario = await api.get("/scenario");
    white = state.you.team === "white_cell";
    document.body.classList.toggle("white-cell", white);
    $("#run-title").textContent = state.title;
    $("#status").textContent = state.status;
    $("#back-link").href = white ? `/runs/${runId}/console` : `/runs/${runId}/room`;
    $("#dl-chatham").disabled = !white;
    await load();
  } catch (error) {
    banner("error", error.message);
  }
  $("#summary-form").addEventListener("submit", (event) => {
    event.preventDefault();
    submitting(event.target, async () => {
      await api.post("/review/summary", { text: $("#summary-text").value });
      await load();
    });
  });
  $("#use-facts").addEventListener("click", () => {
    const facts = review.facts.join("\n");
    $("#summary-text").value = $("#summary-text").value ? `${$("#summary-text").value}\n\n${facts}` : facts;
  });
  for (const button of $$("[data-download]")) button.addEventListener("click", () => download(button));
  for (const id of ["#tl-team", "#tl-kind", "#tl-phase", "#tl-channel", "#tl-side"]) $(id).addEventListener("change", drawTimeline);
}

