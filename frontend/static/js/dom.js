// Small DOM helpers. Text always goes in through textContent; the only HTML that reaches the
// page is sanitised markdown (markdown.js).
import { _, locale } from "./i18n.js";

/** h("button", {class: "x", onclick: f}, "Label", child) */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value == null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      element.addEventListener(key.slice(2), value);
    } else if (key === "class") {
      element.className = value;
    } else if (key === "dataset") {
      Object.assign(element.dataset, value);
    } else if (value === true) {
      element.setAttribute(key, "");
    } else {
      element.setAttribute(key, String(value));
    }
  }
  append(element, children);
  return element;
}

export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** A translated sentence with placeholders left for DOM nodes, so it stays one sentence:
 * `fill(_("{team}: {text}", { team }), { text: node })`. */
export function fill(sentence, nodes) {
  return sentence.split(/\{(\w+)\}/).map((part, i) => (i % 2 ? (nodes[part] ?? `{${part}}`) : part));
}

export function $(selector, root = document) {
  return root.querySelector(selector);
}

export function $$(selector, root = document) {
  return [...root.querySelectorAll(selector)];
}

export function clear(element) {
  element.replaceChildren();
  return element;
}

/** 754.2 -> "12:34"; 3725 -> "1:02:05" */
export function clockText(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const hh = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(hh ? 2 : 1, "0");
  const ss = String(s % 60).padStart(2, "0");
  return hh ? `${hh}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** Wall time in the interface language, 24-hour: "13:19". */
export function timeOfDay(iso) {
  return new Intl.DateTimeFormat(locale(), { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(iso));
}

/** A short duration: "8 s" under a minute, else "2:05". */
export function durationText(seconds) {
  const s = Math.max(0, Math.round(seconds || 0));
  return s < 60 ? _("{n} s", { n: s }) : clockText(s);
}

/** Announce something to screen readers without moving focus. */
export function announce(message) {
  const region = document.getElementById("announcer");
  if (region) region.textContent = message;
}
