// Cards for the inject feed, each channel styled as what it simulates, and chat lines.
import { clockText, h, timeOfDay } from "./dom.js";
import { _, other, pick } from "./i18n.js";
import { markdown } from "./markdown.js";

export const CHANNELS = {
  news: () => _("News flash"),
  intelligence_report: () => _("Intelligence report"),
  diplomatic_cable: () => _("Diplomatic cable"),
  military_report: () => _("Military report"),
  hotline_call: () => _("Hotline call"),
  social_media: () => _("Social media"),
  email: () => _("Email"),
};

function bilingualBlock(value, render) {
  const second = other(value);
  return [render(pick(value)), second ? h("div", { class: "other-lang" }, render(second)) : null];
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
    news: () => CHANNELS.news() + " · " + pick(p.from),
  }[channel]();
  return h(
    "li",
    { class: `card ${channel}`, dataset: { seq: event.seq, kind: "inject" }, tabindex: "0", "aria-label": pick(p.title) },
    h("div", { class: "sim" }, pick(marking)),
    h("div", { class: "channel-head" }, head),
    h("h3", {}, pick(p.title)),
    other(p.title) ? h("p", { class: "other-lang" }, other(p.title)) : null,
    h("div", { class: "body" }, ...bilingualBlock(p.body, (text) => h("div", {}, markdown(text)))),
    h(
      "div",
      { class: "meta" },
      h("span", {}, CHANNELS[channel]()),
      h("span", {}, _("Exercise time {time}", { time: clockText(event.clock) })),
      h("span", {}, timeOfDay(event.ts)),
    ),
  );
}

const DECISIONS = { accept: () => _("Accepted"), modify: () => _("Modified"), reject: () => _("Rejected") };

export function decisionText(decision) {
  return (DECISIONS[decision] || (() => decision))();
}

/** A white-cell ruling, as everyone allowed to see it does. */
export function rulingCard(event, teamName) {
  const p = event.payload;
  return h(
    "li",
    { class: "card ruling", dataset: { seq: event.seq, kind: "ruling" }, tabindex: "0" },
    h("div", { class: "channel-head" }, _("White cell ruling on a move by {team}", { team: teamName(event.team) })),
    h("h3", {}, h("span", { class: `decision ${p.decision}` }, decisionText(p.decision)), " · ", p.action),
    h("p", { class: "body" }, p.outcome),
    p.rationale ? h("p", { class: "small muted" }, _("Rationale: {text}", { text: p.rationale })) : null,
    p.escalation_change ? h("p", { class: "small" }, _("Escalation change: {change}", { change: p.escalation_change > 0 ? "+" + p.escalation_change : p.escalation_change })) : null,
    h("div", { class: "meta" }, h("span", {}, _("Exercise time {time}", { time: clockText(event.clock) }))),
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

/** A line for the hotline log: who called, answered, hung up, what happened to the line.
 * The white cell reads about its own cuts and delays; teams only notice the line die. */
export function hotlineNotice(event, teamName, whiteCell = false) {
  const team = teamName(event.team);
  switch (event.kind) {
    case "hotline.call_placed":
      return _("{team} is calling", { team });
    case "hotline.answered":
      return _("{team} answered", { team });
    case "hotline.hung_up":
      return _("{team} hung up", { team });
    case "hotline.unanswered":
      return _("The call was not answered");
    case "hotline.cut":
      return whiteCell ? _("You cut the line") : _("The line went dead");
    case "hotline.restored":
      return whiteCell ? _("You restored the line") : _("The line works again");
    case "hotline.delay_set":
      return whiteCell ? _("Delay set to {seconds} s", { seconds: event.payload.seconds }) : null;
    default:
      return null;
  }
}
