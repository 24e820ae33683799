// One line of plain language for every kind of event, built from its payload: what the
// console's event log says and what the team room's notices and toasts say. The white cell
// reads about its own cuts and delays; a team only notices that the line died.
import { durationText, timeOfDay } from "./dom.js";
import { _, pick } from "./i18n.js";
import { categoryLabel, decisionLabel, ratingLabel, roleLabel } from "./labels.js";

/** Who an event is for: "everyone" or the teams' names. */
export function audienceText(audience, page) {
  return audience === "all" || audience?.includes?.("all") ? _("everyone") : audience.map((team) => page.teamName(team)).join(", ");
}

function recommendationTitle(page, seq) {
  const drafted = page.events.find((e) => e.seq === seq && e.kind === "recommendation.drafted");
  return drafted ? drafted.payload.title : `#${seq}`;
}

function message(event, page) {
  const p = event.payload;
  const text = p.text;
  if (p.channel === "plenary") return _("In the plenary: {text}", { text });
  if (p.channel === "hotline") return _("On the hotline to {team}: {text}", { team: page.teamName(p.to), text });
  if (event.team === "white_cell" && p.to) return _("To {team}'s channel: {text}", { team: page.teamName(p.to), text });
  return _("On the team channel: {text}", { text });
}

function escalation(p, page) {
  const values = { from: page.levelLabel(p.from), to: page.levelLabel(p.to), note: p.note };
  if (p.reason === "ruling") return _("Escalation from {from} to {to}, after a ruling", values);
  return p.note ? _("Escalation from {from} to {to}, by the white cell: {note}", values) : _("Escalation from {from} to {to}, by the white cell", values);
}

const DESCRIBE = {
  "run.created": (e) => _("Run “{title}” set up", { title: e.payload.title }),
  "participant.joined": (e, page) => _("{name} joined {team} as {role}", { name: e.payload.name, team: page.teamName(e.team), role: roleLabel(e.payload.role) }),
  "run.started": (e, page) => _("The exercise started, with the phase “{phase}”", { phase: page.phaseTitle(e.payload.phase) }),
  "run.paused": () => _("The exercise was paused"),
  "run.resumed": () => _("The exercise resumed"),
  "run.ended": () => _("The exercise ended"),
  "phase.advanced": (e, page) => {
    const values = { from: page.phaseTitle(e.payload.from), to: page.phaseTitle(e.payload.to) };
    return e.payload.reason === "timebox" ? _("Time was up for “{from}”; now “{to}”", values) : _("The phase “{from}” gave way to “{to}”", values);
  },
  "inject.fired": (e, page) => {
    const title = pick(e.payload.title);
    if (!page.isWhiteCell) return _("New inject: “{title}”", { title });
    const to = e.payload.variant ? _("{team}'s version", { team: page.teamName(e.payload.variant) }) : audienceText(e.audience, page);
    return e.payload.trigger === "scheduled" ? _("Inject “{title}” arrived on schedule ({to})", { title, to }) : _("Inject “{title}” sent ({to})", { title, to });
  },
  "message.sent": message,
  "message.delivered": (e, page) => _("Delayed hotline message reached {team}: {text}", { team: page.teamName(e.payload.to), text: e.payload.text }),
  "hotline.lost": () => _("Held-back hotline messages were lost: the line was cut or the run ended"),
  "hotline.held": (e, page) => _("Hotline message held back from {team} until {time}: {text}", { team: page.teamName(e.payload.to), time: timeOfDay(e.payload.deliver_at * 1000), text: e.payload.text }),
  "move.submitted": (e, page) => _("Move “{type}” ({category}): {action}", { type: page.moveLabel(e.payload.move_type), category: categoryLabel(e.payload.category), action: e.payload.action }),
  "move.adjudicated": (e) => _("Ruling on “{action}”: {decision}. {outcome}", { action: e.payload.action, decision: decisionLabel(e.payload.decision), outcome: e.payload.outcome }),
  "escalation.changed": (e, page) => escalation(e.payload, page),
  "hotline.call_placed": (e, page) => _("{team} is calling", { team: page.teamName(e.team) }),
  "hotline.answered": (e, page) => _("{team} answered the call after {time}", { team: page.teamName(e.team), time: durationText(e.payload.ring_seconds) }),
  "hotline.hung_up": (e, page) => {
    const team = page.teamName(e.team);
    if (e.payload.was !== "ringing") return _("{team} hung up after {time} on the line", { team, time: durationText(e.payload.talk_seconds) });
    const call = page.events.find((c) => c.seq === e.payload.call_seq);
    return call && call.team !== e.team ? _("{team} declined the call", { team }) : _("{team} hung up before the call was answered", { team });
  },
  "hotline.unanswered": (e) => _("Nobody answered the call ({time} of ringing)", { time: durationText(e.payload.ring_seconds) }),
  "hotline.cut": (e, page) => (page.isWhiteCell ? _("The white cell cut the line") : _("The line went dead")),
  "hotline.restored": (e, page) => (page.isWhiteCell ? _("The white cell restored the line") : _("The line works again")),
  "hotline.delay_set": (e) => (e.payload.seconds ? _("Hotline delay set to {seconds} s", { seconds: e.payload.seconds }) : _("Hotline delay removed")),
  "note.added": (e) => _("Note: {text}", { text: e.payload.text }),
  "comcheck.sent": (e) => _("Communications check: {text}", { text: e.payload.text }),
  "comcheck.acked": (e, page) => _("{name} acknowledged the communications check", { name: page.name(e.actor, e.team) }),
  "recommendation.drafted": (e) => _("Recommendation proposed: “{title}”", { title: e.payload.title }),
  "recommendation.endorsed": (e, page) => _("Endorsed “{title}”", { title: recommendationTitle(page, e.payload.recommendation) }),
  "recommendation.edited": (e, page) => _("Recommendation “{title}” edited", { title: recommendationTitle(page, e.payload.recommendation) }),
  "recommendation.merged": (e, page) => _("“{title}” merged into “{into}”", { title: recommendationTitle(page, e.payload.recommendation), into: recommendationTitle(page, e.payload.into) }),
  "recommendation.accepted": (e, page) => _("Recommendation “{title}” accepted", { title: recommendationTitle(page, e.payload.recommendation) }),
  "recommendation.declined": (e, page) => _("Recommendation “{title}” declined", { title: recommendationTitle(page, e.payload.recommendation) }),
  "recommendation.reopened": (e, page) => _("Recommendation “{title}” reopened", { title: recommendationTitle(page, e.payload.recommendation) }),
  "aar.summary_set": () => _("The review's summary was written"),
  "aar.phase_noted": (e, page) => _("Review note on the phase “{phase}”", { phase: page.phaseTitle(e.payload.phase) }),
  "objective.rated": (e, page) =>
    e.payload.rating
      ? _("Objective “{objective}” rated {rating}", { objective: page.objectiveTitle(e.payload.objective), rating: ratingLabel(e.payload.rating) })
      : _("Objective “{objective}” back to its computed rating", { objective: page.objectiveTitle(e.payload.objective) }),
};

/** The event in one line of plain language, for the viewer of `page` (a RunPage). */
export function describe(event, page) {
  const line = DESCRIBE[event.kind];
  return line ? line(event, page) : _("Something happened that this page does not know how to show");
}
