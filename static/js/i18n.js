// Looks up visible strings in the catalog (strings.js) for the page's language.

import { STRINGS } from "./strings.js";

let lang = pickLang(document.documentElement.lang);

function pickLang(code) {
  const base = String(code || "en").toLowerCase().split("-")[0];
  return base in STRINGS ? base : "en";
}

/** @returns {string} "en" or "ko" */
export function getLang() {
  return lang;
}

/**
 * Switches the language and relabels the document.
 * @param {string} code
 */
export function setLang(code) {
  lang = pickLang(code);
  document.documentElement.lang = lang;
  applyStrings(document);
}

/**
 * The string for `key`, with {name} placeholders filled from `params`.
 * @param {string} key
 * @param {Record<string, string | number>} [params]
 * @returns {string}
 */
export function t(key, params) {
  const s = STRINGS[lang][key] ?? STRINGS.en[key];
  if (s === undefined) {
    console.warn(`missing string: ${key}`);
    return key;
  }
  return params ? s.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m)) : s;
}

/**
 * Fills every [data-i18n] (text), [data-i18n-title] and [data-i18n-aria-label] under root.
 * @param {ParentNode} root
 */
export function applyStrings(root) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-title]")) el.title = t(el.dataset.i18nTitle);
  for (const el of root.querySelectorAll("[data-i18n-aria-label]")) {
    el.setAttribute("aria-label", t(el.dataset.i18nAriaLabel));
  }
}
