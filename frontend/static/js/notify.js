// Telling a player what just arrived without moving them from what they are typing: short
// notes in the sticky status strip (a polite live region, so screen readers read them out),
// one line at a time with the count of the others, and the number of unread items in the
// tab's title. A note that leads somewhere is a button in the tab order.
import { $, h, timeOfDay } from "./dom.js";
import { _ } from "./i18n.js";

const SHOWN_MS = 20_000;
const MAX = 5;
const baseTitle = document.title;

/** Show `text` for a while; `target` (an element) is where activating it leads. */
export function toast(text, { kind = "info", target = null } = {}) {
  const list = $("#toasts");
  if (!list) return;
  const when = timeOfDay(new Date());
  const content = [h("span", { class: "when" }, when), " ", text];
  const item = h(
    "li",
    { class: `toast ${kind}` },
    target ? h("button", { type: "button", class: "toast-link", title: text, "aria-label": _("{note} (show it)", { note: `${when} ${text}` }), onclick: () => go(target) }, content) : h("span", { class: "toast-text", title: text }, content),
  );
  list.append(item);
  while (list.children.length > MAX) list.firstElementChild.remove();
  expire(item);
  update();
}

function go(target) {
  collapse();
  target.scrollIntoView({ block: "center" });
  target.focus({ preventScroll: true });
}

/** Gone after a while, but not while the keyboard is among the notes. */
function expire(item) {
  setTimeout(() => {
    if ($("#notes-bar").contains(document.activeElement)) return expire(item);
    item.remove();
    update();
  }, SHOWN_MS);
}

function collapse() {
  $("#notes-bar").classList.remove("expanded");
  update();
}

/** The bar shows the latest note; "+2 more" opens the list of all, × dismisses them. (The
 * list itself never hides: a live region must be in the page before what it announces.) */
function update() {
  const bar = $("#notes-bar");
  const count = $("#toasts").children.length;
  if (count < 2) bar.classList.remove("expanded");
  const expanded = bar.classList.contains("expanded");
  bar.classList.toggle("empty", count === 0);
  $("#notes-dismiss").hidden = count === 0;
  const more = $("#notes-more");
  more.hidden = count < 2;
  more.setAttribute("aria-expanded", String(expanded));
  more.textContent = expanded ? _("Show only the latest") : _("+{count} more", { count: count - 1 });
}

export function wireNotes() {
  const bar = $("#notes-bar");
  if (!bar) return;
  $("#notes-more").addEventListener("click", () => {
    bar.classList.toggle("expanded");
    update();
  });
  $("#notes-dismiss").addEventListener("click", () => {
    $("#toasts").replaceChildren();
    update();
    $("#feed-h")?.focus({ preventScroll: true });
  });
}

/** Keep what the keyboard focuses out from under the sticky strip: the page scrolls with a
 * top padding as tall as the strip is now (it grows with the notes in it). */
export function keepClearOf(strip) {
  const pad = () => (document.documentElement.style.scrollPaddingTop = `${strip.offsetHeight + 8}px`);
  new ResizeObserver(pad).observe(strip);
  pad();
}

/** "(3) ttx · Team room" while three items are unread. */
export function titleCount(count) {
  document.title = count > 0 ? `(${count}) ${baseTitle}` : baseTitle;
}
