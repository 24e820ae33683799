// What a player has read in the room's feed: cards are unread until they have been on screen
// for two seconds in a visible tab (or clicked, or focused); the count is in the heading and
// the tab's title. What a player has read is remembered by this browser; on a new device what
// came before the player's own last action counts as read (docs/facilitator-guide.md).
import { $, $$, h } from "./dom.js";
import { _ } from "./i18n.js";
import { titleCount } from "./notify.js";

let key = "";
let read = new Set();

const observer = new IntersectionObserver(
  (entries) => {
    for (const entry of entries) {
      const card = entry.target;
      if (entry.isIntersecting && !document.hidden) card._readTimer = setTimeout(() => markRead(card), 2000);
      else clearTimeout(card._readTimer);
    }
  },
  { threshold: 0.6 },
);

/** Start with what this browser remembers of run `runId`. */
export function loadRead(runId) {
  key = `ttx.read.${runId}`;
  read = new Set(JSON.parse(localStorage.getItem(key) || "[]"));
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) $$("#feed .unread").forEach((card) => (observer.unobserve(card), observer.observe(card)));
  });
}

/** Put `card` (with its data-seq) at the top of the feed, marked unread if it is. */
export function addToFeed(card) {
  if (!read.has(Number(card.dataset.seq))) {
    card.classList.add("unread");
    card.append(h("span", { class: "unread-label" }, _("Unread")));
    observer.observe(card);
    card.addEventListener("click", () => markRead(card));
    card.addEventListener("focus", () => markRead(card));
  }
  $("#feed").prepend(card); // newest first
  $("#feed-empty").hidden = true;
  countUnread();
}

/** Everything in the feed older than `seq` (the seq of the player's own action) is read. */
export function readBefore(seq) {
  for (const card of $$("#feed .unread")) if (Number(card.dataset.seq) < seq) markRead(card);
}

function markRead(card) {
  if (!card.classList.contains("unread")) return;
  card.classList.remove("unread");
  card.querySelector(".unread-label")?.remove();
  read.add(Number(card.dataset.seq));
  localStorage.setItem(key, JSON.stringify([...read].slice(-2000)));
  countUnread();
}

/** A chat tab that is not open gets a marker when a message arrives in it (cleared on opening). */
export function markTab(tab) {
  if (tab.getAttribute("aria-selected") === "true" || tab.querySelector(".tab-unread")) return;
  tab.append(h("span", { class: "tab-unread" }, h("span", { "aria-hidden": "true" }, " ●"), h("span", { class: "visually-hidden" }, " " + _("new messages"))));
}

export function clearTab(tab) {
  tab.querySelector(".tab-unread")?.remove();
}

function countUnread() {
  const count = document.querySelectorAll("#feed .unread").length;
  const badge = $("#unread-count");
  badge.hidden = count === 0;
  // Translators: plural forms separated by | (Russian: one|few|many), chosen by {count}
  badge.textContent = _("{count} unread|{count} unread", { count });
  titleCount(count);
}
