// Telling a player what just arrived without moving them from what they are typing: short
// notes in the sticky status strip (a polite live region, so screen readers read them out),
// and the number of unread items in the tab's title.
import { $, h, timeOfDay } from "./dom.js";

const SHOWN_MS = 10_000;
const MAX = 3;
const baseTitle = document.title;

/** Show `text` for a few seconds; `target` (an element) is where a click on it leads. */
export function toast(text, { kind = "info", target = null } = {}) {
  const list = $("#toasts");
  if (!list) return;
  const item = h("li", { class: `toast ${kind}` }, h("span", { class: "when" }, timeOfDay(new Date())), " ", text);
  if (target) {
    item.classList.add("link");
    item.addEventListener("click", () => {
      target.scrollIntoView({ block: "center" });
      target.focus({ preventScroll: true });
    });
  }
  list.append(item);
  while (list.children.length > MAX) list.firstElementChild.remove();
  setTimeout(() => item.remove(), SHOWN_MS);
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
