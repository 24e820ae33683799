// The console's list of scripted injects (MSEL): what each is, when it is due, whether it has
// been sent, and a Fire button. Rows are built once and then updated in place, so a redraw
// never moves the keyboard focus; a Fire button that cannot fire says so but keeps the focus.
import { clockText, h } from "./dom.js";
import { _, pick } from "./i18n.js";
import { audienceText } from "./describe.js";
import { channelLabel } from "./labels.js";

const rows = new Map(); // inject id -> {row, status, when, button}

function when(row) {
  if (row.status === "due") return _("at {time}", { time: clockText(row.due_clock) });
  if (row.trigger === "manual") return _("by hand");
  return _("{time} into its phase", { time: row.trigger.replace(/^\+(00:)?0?/, "") });
}

function build(page, inject, onFire, openDetails) {
  const variants = Object.keys(inject.variants || {});
  const actions = inject.expected_actions || [];
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
      h("div", { class: "small muted" }, _("{channel} · phase “{phase}” · to {audience}", { channel: channelLabel(inject.channel), phase: page.phaseTitle(inject.phase), audience: audienceText(inject.audience, page) })),
      variants.length ? h("div", { class: "small" }, _("Own version for: {teams}", { teams: variants.map((t) => page.teamName(t)).join(", ") })) : null,
      inject.contingency_for ? h("div", { class: "small contingency" }, _("Contingency: fire it if “{inject}” did not get the expected response", { inject: page.injectTitle(inject.contingency_for) })) : null,
      actions.length || inject.controller_notes
        ? h(
            "details",
            { class: "small", open: openDetails.has(inject.id), ontoggle: (event) => (event.target.open ? openDetails.add(inject.id) : openDetails.delete(inject.id)) },
            h("summary", {}, _("Expected actions and notes")),
            h("ul", {}, actions.map((a) => h("li", {}, a.team ? _("{team}: {text}", { team: page.teamName(a.team), text: pick(a.text) }) : pick(a.text)))),
            inject.controller_notes ? h("div", { class: "notes" }, pick(inject.controller_notes)) : null,
          )
        : null,
    ),
    h("div", { class: "msel-side" }, status, whenText, button),
  );
  return { row, status, when: whenText, button };
}

const STATUS = { fired: () => _("sent"), due: () => _("due"), pending: () => _("not sent") };

/** Draw the MSEL of `state` into `list` (an <ol>), reusing the rows already there. */
export function renderMsel(list, page, state, onFire, openDetails) {
  for (const row of state.msel) {
    const entry = state.status === "ended" && row.status === "due" ? { ...row, status: "pending" } : row; // nothing is due any more
    let parts = rows.get(entry.id);
    if (!parts) {
      const inject = page.scenario.injects.find((i) => i.id === entry.id);
      parts = build(page, inject, onFire, openDetails);
      rows.set(entry.id, parts);
      list.append(parts.row);
    }
    parts.row.className = `msel-row ${entry.status}`;
    parts.status.className = `badge ${entry.status}`;
    parts.status.textContent = STATUS[entry.status]();
    parts.when.textContent = entry.status === "fired" ? "" : when(entry);
    const blocked = entry.status === "fired" || state.status === "ended";
    parts.button.setAttribute("aria-disabled", String(blocked));
    parts.button.textContent = entry.status === "fired" ? _("Sent") : _("Fire");
    const title = pick(page.scenario.injects.find((i) => i.id === entry.id).title);
    parts.button.setAttribute("aria-label", entry.status === "fired" ? _("{inject}: sent", { inject: title }) : _("Fire {inject} now", { inject: title }));
  }
}
