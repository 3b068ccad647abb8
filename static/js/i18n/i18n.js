// Looks up visible strings in the catalog (strings.js) for the page's language, which the
// reader can switch (remembered in localStorage; at first the browser's language).

import { STRINGS } from "./strings.js";

const STORAGE_KEY = "backprop-lens.lang";

let lang = pickLang(document.documentElement.lang);
/** @type {Array<(lang: string) => void>} */
const listeners = [];

/**
 * A language of the catalog for a code such as "ko-KR"; null when there is none.
 * @param {string | null | undefined} code
 * @returns {string | null}
 */
function known(code) {
  const base = String(code || "").toLowerCase().split("-")[0];
  return base in STRINGS ? base : null;
}

function pickLang(code) {
  return known(code) || "en";
}

function stored() {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage disabled: the choice lasts for this page only
  }
}

/**
 * Chooses the starting language: the reader's last choice, else the browser's first
 * language the catalog has, else the one the server guessed (the page's lang attribute).
 * @returns {string}
 */
export function initLang() {
  const browser = (navigator.languages || [navigator.language]).map(known).find(Boolean);
  lang = known(stored()) || browser || pickLang(document.documentElement.lang);
  document.documentElement.lang = lang;
  return lang;
}

/**
 * Resolves once the fonts the page's text needs for the language are loaded (the shipped
 * Hangul subset for Korean), or after `ms` at the latest. Text laid out before a web font
 * arrives can keep the fallback's empty boxes in Chromium even after it has loaded, so the
 * page writes its first strings only after this.
 * @param {number} [ms]
 * @returns {Promise<void>}
 */
export function langFontsReady(ms = 3000) {
  if (!document.fonts || !document.body) return Promise.resolve();
  const loaded = document.fonts.load(getComputedStyle(document.body).font, langName(lang)).then(
    () => {},
    () => {}, // the fallback then draws what it can; the page still starts
  );
  return Promise.race([loaded, new Promise((resolve) => setTimeout(resolve, ms))]);
}

/** @returns {string} "en" or "ko" */
export function getLang() {
  return lang;
}

/** @returns {string[]} the catalog's languages */
export function languages() {
  return Object.keys(STRINGS);
}

/**
 * Switches the language, remembers it, relabels the document and tells the listeners.
 * @param {string} code
 */
export function setLang(code) {
  lang = pickLang(code);
  document.documentElement.lang = lang;
  try {
    window.localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // storage disabled: nothing to remember it in
  }
  applyStrings(document);
  for (const fn of listeners) fn(lang);
}

/**
 * @param {(lang: string) => void} fn called after every switch of language
 */
export function onLangChange(fn) {
  listeners.push(fn);
}

/**
 * The string for `key`, with {name} placeholders filled from `params`.
 * @param {string} key
 * @param {Record<string, string | number>} [params]
 * @returns {string}
 */
export function t(key, params) {
  const s = STRINGS[lang][key] ?? STRINGS.en[key];
  if (s === undefined || !(key in STRINGS[lang])) {
    console.warn(`missing string: ${key} (${lang})`);
    if (s === undefined) return key;
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

/**
 * A language's name in itself ("English", "한국어"), for the language menu.
 * @param {string} code
 * @returns {string}
 */
export function langName(code) {
  return STRINGS[code]["lang.name"];
}
