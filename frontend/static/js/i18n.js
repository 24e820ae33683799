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

/** The locale for dates and numbers: the interface language, never the browser's. */
export function locale() {
  return current === "ru" ? "ru" : "en-GB";
}

// Plural forms, in the order of the catalogue's Plural-Forms header (English one|other,
// Russian one|few|many), from the CLDR categories the browser knows.
const PLURAL_ORDER = { en: ["one", "other"], ru: ["one", "few", "many"] };

function pluralForm(forms, count) {
  const order = PLURAL_ORDER[current] || PLURAL_ORDER.en;
  const category = new Intl.PluralRules(locale()).select(Number(count));
  const index = order.indexOf(category);
  return forms[Math.min(index < 0 ? order.length - 1 : index, forms.length - 1)];
}

// Quotes inside quotes: a value the sentence puts between «…» (or “…”) has its own quotes
// turned into the inner kind, „…“ (or ‘…’): «Вводная «Видео „военного“ самолёта» выдана».
const INNER = { "«": { "«": "„", "»": "“" }, "“": { "“": "‘", "”": "’" } };

function nested(value, before) {
  const inner = INNER[before];
  return inner ? value.replace(/[«»“”]/g, (q) => inner[q] || q) : value;
}

/** `text` in the quotes of `language`: «…» in Russian, “…” in English, quotes inside nested. */
export function quote(text, language = current) {
  const [open, close] = language === "ru" ? ["«", "»"] : ["“", "”"];
  return open + nested(text, open) + close;
}

/** Translate `msgid`, then fill `{name}` placeholders from `params`. A message with plural
 * forms separated by "|" is one that counts: `params.count` chooses the form. */
export function _(msgid, params = {}) {
  let text = catalog[msgid] || msgid;
  if (text.includes("|") && "count" in params) text = pluralForm(text.split("|"), params.count);
  return text.replace(/\{(\w+)\}/g, (whole, key, at) => (key in params ? nested(String(params[key]), text[at - 1]) : whole));
}

/** Scenario text ({en, ru} or a plain string) in the interface language, English as fallback. */
export function pick(value, language = current) {
  if (value == null) return "";
  if (typeof value === "string") return value;
  return value[language] || value.en || "";
}

/** The interface language's counterpart: "ru" beside English, "en" beside Russian. */
export function otherLang() {
  return current === "en" ? "ru" : "en";
}

/** The same text in the other language, when it exists and differs. */
export function other(value) {
  if (value == null || typeof value === "string") return "";
  const second = current === "en" ? value.ru : value.en;
  return second && second !== pick(value) ? second : "";
}
