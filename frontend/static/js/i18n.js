// The interface language: the server's gettext catalogue, fetched as JSON, behind `_()`.
// English is the source language, so an English page needs no catalogue at all.

let catalog = {};
let current = document.body.dataset.lang || "en";

export async function loadCatalog() {
  if (current === "en") return;
  const response = await fetch(`/i18n/${current}.json`);
  if (response.ok) catalog = await response.json();
}

export function lang() {
  return current;
}

/** Translate `msgid`, then fill `{name}` placeholders from `params`. */
export function _(msgid, params = {}) {
  const text = catalog[msgid] || msgid;
  return text.replace(/\{(\w+)\}/g, (whole, key) => (key in params ? String(params[key]) : whole));
}

/** Scenario text ({en, ru} or a plain string) in the interface language, English as fallback. */
export function pick(value, language = current) {
  if (value == null) return "";
  if (typeof value === "string") return value;
  return value[language] || value.en || "";
}

/** The same text in the other language, when it exists and differs. */
export function other(value) {
  if (value == null || typeof value === "string") return "";
  const second = current === "en" ? value.ru : value.en;
  return second && second !== pick(value) ? second : "";
}
