// The console's list of scripted injects (MSEL): what each is, when it is due, whether it has
// been sent, and a Fire button. Rows are built once and then updated in place, so a redraw
// never moves the keyboard focus; a Fire button that cannot fire says so but keeps the focus.
import { clockText, fill, h } from "./dom.js";
import { _, lang, other, otherLang, pick, quote } from "./i18n.js";
import { audienceText } from "./describe.js";
import { channelLabel } from "./labels.js";
import { markdown } from "./markdown.js";

const rows = new Map(); // inject id -> {row, status, when, button}
const OVERDUE_AFTER = 5; // seconds past due before a scheduled inject counts as late (it fires within one)

/** The white cell's text names injects by title; an id left in backticks (`no-contact`)
 * becomes that inject's title in quotes, in the text's language. */
function namedInjects(page, text, language) {
  return text.replace(/`([\w-]+)`/g, (whole, id) => {
    const inject = page.scenario.injects.find((i) => i.id === id);
    return inject ? quote(pick(inject.title, language), language).replace(/[\\`*_[\]<>]/g, "\\$&") : whole;
  });
}

/** Controller notes or an expected action: sanitised markdown, and with "Show both languages"
 * the other language below. */
function whiteCellText(page, value, inline, before = null) {
  const render = (text, language) => h(inline ? "span" : "div", { class: "md" }, markdown(namedInjects(page, text, language), { inline }));
  const first = render(pick(value), lang());
  const second = other(value);
  return [before ? fill(before, { text: first }) : first, second ? h("div", { class: "other-lang" }, render(second, otherLang())) : null];
}

function details(page, inject, openDetails) {
  const actions = inject.expected_actions || [];
  if (!actions.length && !inject.controller_notes) return null;
  const action = (a) => h("li", {}, a.team ? whiteCellText(page, a.text, true, _("{team}: {text}", { team: page.teamName(a.team) })) : whiteCellText(page, a.text, true));
  return h(
    "details",
    { class: "small", open: openDetails.has(inject.id), ontoggle: (event) => (event.target.open ? openDetails.add(inject.id) : openDetails.delete(inject.id)) },
    h("summary", {}, _("Expected actions and notes")),
    actions.length ? h("ul", { class: "expected" }, actions.map(action)) : null,
    inject.controller_notes ? h("div", { class: "notes" }, whiteCellText(page, inject.controller_notes, false)) : null,
  );
}

function build(page, inject, onFire, openDetails) {
  const variants = Object.keys(inject.variants || {});
  const status = h("span", { class: "badge" });
  const whenText = h("span", { class: "small when" });
  const button = h("button", { type: "button", class: "fire" }, _("Fire"));
  button.addEventListener("click", () => {
    if (button.getAttribute("aria-disabled") !== "true") onFire(inject.id);
  });
  const row = h(
    "li",
    { dataset: { inject: inject.id } },
    h(
      "div",
      { class: "msel-main" },
      h("strong", { class: "msel-title" }, pick(inject.title)),
      other(inject.title) ? h("div", { class: "other-lang" }, other(inject.title)) : null,
      h("div", { class: "small muted" }, _("{channel} · phase “{phase}” · to {audience}", { channel: channelLabel(inject.channel), phase: page.phaseTitle(inject.phase), audience: audienceText(inject.audience, page) })),
      variants.length ? h("div", { class: "small" }, _("Own version for: {teams}", { teams: variants.map((t) => page.teamName(t)).join(", ") })) : null,
      inject.contingency_for ? h("div", { class: "small contingency" }, _("Contingency: fire it if “{inject}” did not get the expected response", { inject: page.injectTitle(inject.contingency_for) })) : null,
      details(page, inject, openDetails),
    ),
    h("div", { class: "msel-side" }, status, whenText, button),
  );
  return { row, status, when: whenText, button };
}

/** What a row says: its status (its class too) and when. A scheduled inject counts down on
 * the exercise clock; only one the clock has passed while running is overdue. */
function shown(entry, page, state) {
  if (entry.status === "fired") {
    const fired = page.events.find((e) => e.seq === entry.fired_seq);
    return { status: "fired", badge: _("sent"), when: fired ? _("at {time}", { time: clockText(fired.clock) }) : "" };
  }
  if (entry.status === "due" && state.status !== "ended") {
    const left = entry.due_clock - page.clockNow();
    if (left > 0) return { status: "scheduled", badge: _("scheduled"), when: _("in {time}", { time: clockText(Math.ceil(left)) }) };
    const late = state.status === "running" && -left > OVERDUE_AFTER;
    return { status: late ? "overdue" : "scheduled", badge: late ? _("overdue") : _("scheduled"), when: late ? _("was due at {time}", { time: clockText(entry.due_clock) }) : _("due now") };
  }
  const phase = page.scenario.phases.findIndex((p) => p.id === page.scenario.injects.find((i) => i.id === entry.id)?.phase);
  if (phase >= 0 && phase < state.phase.index) return { status: "pending", badge: _("not sent"), when: _("not sent in its phase; you can still fire it by hand") };
  const when = entry.trigger === "manual" ? _("by hand") : _("{time} into its phase", { time: entry.trigger.replace(/^\+(00:)?0?/, "") });
  return { status: "pending", badge: _("not sent"), when };
}

function update(parts, entry, page, state) {
  const view = shown(entry, page, state);
  parts.row.className = `msel-row ${view.status}`;
  parts.status.className = `badge ${view.status}`;
  parts.status.textContent = view.badge;
  parts.when.textContent = view.when;
}

/** Draw the MSEL of `state` into `list` (an <ol>), reusing the rows already there. */
export function renderMsel(list, page, state, onFire, openDetails) {
  for (const entry of state.msel) {
    let parts = rows.get(entry.id);
    const inject = page.scenario.injects.find((i) => i.id === entry.id);
    if (!parts) {
      parts = build(page, inject, onFire, openDetails);
      rows.set(entry.id, parts);
      list.append(parts.row);
    }
    update(parts, entry, page, state);
    const blocked = entry.status === "fired" || state.status === "ended";
    parts.button.setAttribute("aria-disabled", String(blocked));
    parts.button.textContent = entry.status === "fired" ? _("Sent") : _("Fire");
    const title = pick(inject.title);
    parts.button.setAttribute("aria-label", entry.status === "fired" ? _("{inject}: sent", { inject: title }) : _("Fire {inject} now", { inject: title }));
  }
}

/** Every second: the countdowns of the scheduled injects (and a sent one's time, once its
 * event is in). */
export function tickMsel(page) {
  const state = page.state;
  if (!state?.msel) return;
  for (const entry of state.msel) {
    const parts = rows.get(entry.id);
    if (parts) update(parts, entry, page, state);
  }
}
