// Cards for the inject feed, each channel styled as what it simulates, and chat lines.
import { clockText, h, timeOfDay } from "./dom.js";
import { _, other, pick } from "./i18n.js";
import { CHANNELS, channelLabel, decisionLabel } from "./labels.js";
import { markdown } from "./markdown.js";

function bilingualBlock(value, render) {
  const second = other(value);
  return [render(pick(value)), second ? h("div", { class: "other-lang" }, render(second)) : null];
}

/** "exercise 0:06 · 13:19 local": both clocks, each saying which it is. */
function when(event) {
  return h("span", { class: "when" }, _("exercise {clock} · {time} local", { clock: clockText(event.clock), time: timeOfDay(event.ts) }));
}

/** An inject as the team sees it; `marking` is the scenario's SIMULATION text. */
export function injectCard(event, marking) {
  const p = event.payload;
  const channel = p.channel in CHANNELS ? p.channel : "news";
  const head = {
    intelligence_report: () => _("INTELLIGENCE REPORT — EXERCISE"),
    diplomatic_cable: () => _("CABLE · FROM: {from}", { from: pick(p.from) }),
    military_report: () => _("MILITARY REPORT · {from}", { from: pick(p.from) }),
    social_media: () => pick(p.from),
    email: () => _("From: {from}", { from: pick(p.from) }),
    hotline_call: () => "☎ " + pick(p.from),
    news: () => channelLabel("news") + " · " + pick(p.from),
  }[channel]();
  return h(
    "li",
    { class: `card ${channel}`, dataset: { seq: event.seq, kind: "inject" }, tabindex: "0", "aria-label": pick(p.title) },
    h("div", { class: "sim" }, pick(marking)),
    h("div", { class: "channel-head" }, head),
    h("h3", {}, pick(p.title)),
    other(p.title) ? h("p", { class: "other-lang" }, other(p.title)) : null,
    h("div", { class: "body" }, ...bilingualBlock(p.body, (text) => h("div", {}, markdown(text)))),
    h("div", { class: "meta" }, h("span", {}, channelLabel(channel)), "·", when(event)),
  );
}

/** A white-cell ruling, as everyone allowed to see it does. */
export function rulingCard(event, teamName) {
  const p = event.payload;
  return h(
    "li",
    { class: "card ruling", dataset: { seq: event.seq, kind: "ruling" }, tabindex: "0" },
    h("div", { class: "channel-head" }, _("White cell ruling on a move by {team}", { team: teamName(event.team) })),
    h("h3", {}, h("span", { class: `decision ${p.decision}` }, decisionLabel(p.decision)), " · ", p.action),
    h("p", { class: "body" }, p.outcome),
    p.rationale ? h("p", { class: "small muted" }, _("Rationale: {text}", { text: p.rationale })) : null,
    p.escalation_change ? h("p", { class: "small" }, _("Escalation change: {change}", { change: p.escalation_change > 0 ? "+" + p.escalation_change : p.escalation_change })) : null,
    h("div", { class: "meta" }, when(event)),
  );
}

export function messageLine(event, who, mine) {
  return h(
    "li",
    { class: mine ? "mine" : "", dataset: { seq: event.seq } },
    h("span", { class: `who team-${event.team}` }, who),
    h("span", { class: "when" }, timeOfDay(event.ts)),
    h("div", { class: "text" }, event.payload.text),
  );
}

export function noticeLine(event, text) {
  return h("li", { class: "notice", dataset: { seq: event.seq } }, h("span", { class: "when" }, timeOfDay(event.ts)), " ", h("em", {}, text));
}
