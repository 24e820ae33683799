// What the console and the team room share: the token for this run, the scenario, the live
// stream, the run's state, and who is who. Pages register renderers; this keeps them fed.
import { ApiError, RunApi } from "./api.js";
import { $, clockText, h } from "./dom.js";
import { _, loadCatalog, pick } from "./i18n.js";
import { forgetRun, runEntry, saveRun, takeFragment } from "./session.js";
import { Stream } from "./stream.js";

export { submitting } from "./forms.js"; // for review.js, which takes it from here

const STATUS_KINDS = { "run.started": "running", "run.paused": "paused", "run.resumed": "running", "run.ended": "ended" };
const OFFLINE_AFTER_MS = 2000;
const REFRESH_KINDS = new Set(["run.started", "run.paused", "run.resumed", "run.ended", "phase.advanced", "escalation.changed", "move.submitted", "move.adjudicated", "inject.fired"]);

export function setupPage() {
  const toggle = $("#show-both");
  if (!toggle) return;
  toggle.checked = localStorage.getItem("ttx.showBoth") === "1";
  document.body.classList.toggle("show-both", toggle.checked);
  toggle.addEventListener("change", () => {
    localStorage.setItem("ttx.showBoth", toggle.checked ? "1" : "0");
    document.body.classList.toggle("show-both", toggle.checked);
  });
}

export function banner(kind, ...content) {
  const element = $("#banner");
  if (!element) return;
  const focused = element.contains(document.activeElement) ? document.activeElement : null;
  element.className = `banner ${kind}`;
  element.replaceChildren(...content);
  element.hidden = content.length === 0;
  // redrawn with the focus in it: the same link or button gets it back
  if (focused) [...element.querySelectorAll("a, button")].find((el) => el.textContent === focused.textContent)?.focus();
}

export class RunPage {
  /** @param {{banner?: (state: object) => Node[], whiteCellOnly?: boolean, notWhiteCell?: () => void}} options:
   * what the banner says in each state; whether the page is the white cell's, and what it
   * shows anyone else */
  constructor(options = {}) {
    this.options = options;
    this.runId = document.body.dataset.run;
    takeFragment(this.runId);
    this.entry = runEntry(this.runId);
    this.events = [];
    this.people = new Map();
    this.state = null;
    this.scenario = null;
    this.receivedAt = 0;
    this.renderers = { state: [], event: [], frame: [], tick: [] };
    this.refreshTimer = null;
    this.liveAfter = null;
  }

  on(what, renderer) {
    this.renderers[what].push(renderer);
  }

  /** Whether `event` happened while this page was open (not replayed history). */
  isLive(event) {
    return this.liveAfter != null && event.seq > this.liveAfter;
  }

  get isWhiteCell() {
    return this.me.team === "white_cell";
  }

  get me() {
    return this.state?.you || { team: this.entry?.team, role: this.entry?.role, participant_id: this.entry?.participant_id };
  }

  async start() {
    await loadCatalog();
    setupPage();
    if (!this.entry?.token) {
      banner("error", _("This device has not joined this exercise."), " ", h("a", { href: "/join" }, _("Join with your code")));
      this.connection("refused");
      return false;
    }
    this.api = new RunApi(this.runId, this.entry.token);
    try {
      const [state, scenario] = await Promise.all([this.options.whiteCellOnly ? this.api.get("") : null, this.api.get("/scenario")]);
      if (state && state.you?.team !== "white_cell") {
        this.options.notWhiteCell?.(); // a participant's token: the server refuses the console's actions
        this.connection("refused");
        return false;
      }
      this.scenario = scenario;
      for (const person of (await this.api.get("/participants")).participants) this.people.set(person.id, person);
    } catch (error) {
      this.refused(error);
      return false;
    }
    this.stream = new Stream(this.runId, this.entry.token, {
      onWelcome: (frame) => {
        this.liveAfter ??= frame.last_seq; // what came before the first welcome is history
        this.setState(frame.state);
      },
      onEvent: (event) => this.apply(event),
      onFrame: (frame) => this.renderers.frame.forEach((render) => render(frame)),
      onStatus: (status) => this.connection(status),
      onFatal: () => this.refused(new ApiError(401, null)),
    });
    this.stream.start();
    window.addEventListener("ttx:unreachable", () => this.unreachable());
    setInterval(() => this.tick(), 1000);
    return true;
  }

  refused(error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
      forgetRun(this.runId);
      banner("error", _("This device's pass for the exercise is no longer valid."), " ", h("a", { href: "/join" }, _("Join again")));
    } else {
      banner("error", error.message);
    }
    this.connection("refused");
  }

  connection(status) {
    const element = $("#connection");
    if (!element) return;
    const labels = { connecting: _("Connecting…"), live: _("Live"), reconnecting: _("Reconnecting…"), refused: _("Not connected") };
    element.className = `connection ${status}`;
    element.textContent = labels[status] || status;
    clearTimeout(this.offlineTimer);
    if (status === "reconnecting") this.offlineTimer = setTimeout(() => this.offline(true), OFFLINE_AFTER_MS);
    else this.offline(false);
  }

  /** The banner that says the server is out of reach (a reconnect that takes a moment does
   * not raise it; a write that could not reach the server does at once). */
  offline(down) {
    const element = $("#offline");
    if (!element) return;
    element.textContent = down ? _("No connection to the server. ttx keeps trying to reconnect; until then nothing new arrives and nothing you send gets through.") : "";
    element.hidden = !down;
  }

  /** A write could not reach the server: say so, and check the live link now rather than at
   * its next heartbeat. */
  unreachable() {
    this.offline(true);
    this.stream?.check();
  }

  setState(state) {
    if (state.title !== this.state?.title) saveRun(this.runId, { title: state.title });
    this.state = state;
    this.receivedAt = Date.now() / 1000;
    this.statusBanner(); // first: a renderer may move the focus into it
    this.renderers.state.forEach((render) => render(state));
    this.tick();
  }

  apply(event) {
    this.events.push(event);
    if (event.kind === "participant.joined") {
      this.people.set(event.payload.participant_id, { id: event.payload.participant_id, name: event.payload.name, team: event.team, role: event.payload.role });
    }
    if (this.state) {
      if (STATUS_KINDS[event.kind]) this.state.status = STATUS_KINDS[event.kind];
      if (event.kind === "escalation.changed") Object.assign(this.state.escalation, { level: event.payload.to, id: event.payload.to_id });
      if (event.kind.startsWith("hotline.") && this.state.hotline) this.applyHotline(event);
    }
    this.renderers.event.forEach((render) => render(event));
    if (REFRESH_KINDS.has(event.kind) || event.kind.startsWith("hotline.")) this.refreshSoon();
  }

  applyHotline(event) {
    const line = this.state.hotline;
    const next = { "hotline.call_placed": "ringing", "hotline.answered": "connected", "hotline.hung_up": "idle", "hotline.unanswered": "idle", "hotline.cut": "cut", "hotline.restored": "idle" }[event.kind];
    if (!next) return;
    line.status = next;
    line.caller = next === "ringing" ? event.team : next === "connected" ? line.caller : null;
  }

  refreshSoon() {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(async () => {
      try {
        this.setState(await this.api.get(""));
      } catch {
        /* the stream will reconnect and bring the state with its welcome */
      }
    }, 200);
  }

  clockNow() {
    if (!this.state) return 0;
    const elapsed = this.state.status === "running" ? Date.now() / 1000 - this.receivedAt : 0;
    return this.state.clock + elapsed;
  }

  phaseRemaining() {
    if (!this.state) return 0;
    const elapsed = this.state.status === "running" ? Date.now() / 1000 - this.receivedAt : 0;
    return this.state.phase.remaining_seconds - elapsed;
  }

  tick() {
    if (!this.state) return;
    const clock = $("#clock");
    if (clock) clock.textContent = clockText(this.clockNow());
    const countdown = $("#countdown");
    if (countdown && (this.state.status === "running" || this.state.status === "paused")) {
      const left = this.phaseRemaining();
      countdown.textContent = left >= 0 ? _("{time} left", { time: clockText(left) }) : _("{time} over time", { time: clockText(-left) });
      countdown.classList.toggle("over", left < 0);
    } else if (countdown) {
      countdown.textContent = "";
    }
    this.renderers.tick.forEach((render) => render());
  }

  statusBanner() {
    if (!this.state) return;
    banner(this.state.status, ...(this.options.banner?.(this.state) || []));
  }

  name(participantId, team) {
    if (!participantId) return team === "white_cell" || !team ? _("White cell") : this.teamName(team);
    return this.people.get(participantId)?.name || _("Participant");
  }

  teamName(teamId) {
    if (teamId === "white_cell") return _("White cell");
    if (teamId === "observers") return _("Observers");
    const team = this.scenario?.teams.find((t) => t.id === teamId);
    return team ? pick(team.name) : teamId;
  }

  levelLabel(index) {
    const level = this.scenario?.escalation.levels[index];
    return level ? pick(level.label) : String(index);
  }

  phaseTitle(phaseId) {
    const phase = this.scenario?.phases.find((p) => p.id === phaseId);
    return phase ? pick(phase.title) : phaseId;
  }

  injectTitle(injectId) {
    const inject = this.scenario?.injects?.find((i) => i.id === injectId);
    return inject ? pick(inject.title) : injectId;
  }

  moveLabel(moveType) {
    const move = this.scenario?.moves.find((m) => m.id === moveType);
    return move ? pick(move.label) : moveType;
  }

  objectiveTitle(objectiveId) {
    const objective = this.scenario?.objectives.find((o) => o.id === objectiveId);
    return objective ? pick(objective.title) : objectiveId;
  }
}

/** Where a level stands on the ladder, for its colour: low, middle or high third. */
export function levelTone(level, levels) {
  const position = levels > 1 ? level / (levels - 1) : 0;
  return position < 1 / 3 ? "low" : position < 2 / 3 ? "middle" : "high";
}

/** The escalation indicator: a meter of the ladder's levels and the current level's label. */
export function renderEscalation(page, element) {
  if (!element || !page.state) return;
  const { level, levels } = page.state.escalation;
  const meter = element.querySelector(".meter");
  meter.replaceChildren(...Array.from({ length: levels }, (_unused, i) => h("span", { class: i <= level ? `on tone-${levelTone(i, levels)}` : "" })));
  const label = element.querySelector(".label");
  label.textContent = label.title = `${level + 1}/${levels} · ${page.levelLabel(level)}`; // the room's strip may cut it short
  element.dataset.level = String(level);
  element.dataset.tone = levelTone(level, levels);
}
