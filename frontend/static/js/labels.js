// Words for the server's ids: run statuses, roles, channels, rulings, move categories and
// event kinds. Pages never show an id; they ask here.
import { _ } from "./i18n.js";

function lookup(table, id) {
  return id in table ? table[id]() : String(id ?? "");
}

const STATUSES = { lobby: () => _("Not started"), running: () => _("Running"), paused: () => _("Paused"), ended: () => _("Ended") };
export const statusLabel = (status) => lookup(STATUSES, status);

const ROLES = { player: () => _("player"), team_lead: () => _("team lead"), observer: () => _("observer"), facilitator: () => _("facilitator") };
export const roleLabel = (role) => lookup(ROLES, role);

/** How an inject is styled: the channel it simulates. */
export const CHANNELS = {
  news: () => _("News flash"),
  intelligence_report: () => _("Intelligence report"),
  diplomatic_cable: () => _("Diplomatic cable"),
  military_report: () => _("Military report"),
  hotline_call: () => _("Hotline call"),
  social_media: () => _("Social media"),
  email: () => _("Email"),
};
export const channelLabel = (channel) => lookup(CHANNELS, channel);

const DECISIONS = { accept: () => _("Accepted"), modify: () => _("Modified"), reject: () => _("Rejected") };
export const decisionLabel = (decision) => lookup(DECISIONS, decision);

/** An objective's rating with its legend: "S: performed with some challenges". */
const RATINGS = { P: () => _("P: performed without challenges"), S: () => _("S: performed with some challenges"), M: () => _("M: performed with major challenges"), U: () => _("U: unable to be performed") };
export const ratingLabel = (rating) => lookup(RATINGS, rating);

const CATEGORIES = {
  diplomatic: () => _("Diplomatic"),
  military: () => _("Military"),
  communication: () => _("Communication"),
  information: () => _("Information"),
  cyber: () => _("Cyber"),
};
export const categoryLabel = (category) => lookup(CATEGORIES, category);

const KINDS = {
  "run.created": () => _("Run set up"),
  "participant.joined": () => _("Participant joined"),
  "run.started": () => _("Started"),
  "run.paused": () => _("Paused"),
  "run.resumed": () => _("Resumed"),
  "run.ended": () => _("Ended"),
  "phase.advanced": () => _("Phase change"),
  "inject.fired": () => _("Inject"),
  "message.sent": () => _("Message"),
  "message.delivered": () => _("Delayed message delivered"),
  "hotline.held": () => _("Hotline message held back"),
  "hotline.lost": () => _("Held hotline messages lost"),
  "move.submitted": () => _("Move"),
  "move.adjudicated": () => _("Ruling"),
  "escalation.changed": () => _("Escalation"),
  "hotline.call_placed": () => _("Hotline call"),
  "hotline.answered": () => _("Hotline answered"),
  "hotline.hung_up": () => _("Hotline hung up"),
  "hotline.unanswered": () => _("Hotline not answered"),
  "hotline.cut": () => _("Hotline cut"),
  "hotline.restored": () => _("Hotline restored"),
  "hotline.delay_set": () => _("Hotline delay"),
  "note.added": () => _("Note"),
  "comcheck.sent": () => _("Communications check"),
  "comcheck.acked": () => _("Acknowledgement"),
  "recommendation.drafted": () => _("Recommendation"),
  "recommendation.endorsed": () => _("Endorsement"),
  "recommendation.edited": () => _("Recommendation edited"),
  "recommendation.merged": () => _("Recommendations merged"),
  "recommendation.accepted": () => _("Recommendation accepted"),
  "recommendation.declined": () => _("Recommendation declined"),
  "recommendation.reopened": () => _("Recommendation reopened"),
  "aar.summary_set": () => _("Review summary"),
  "aar.phase_noted": () => _("Review note"),
  "objective.rated": () => _("Objective rated"),
};
export const kindLabel = (kind) => lookup(KINDS, kind);
