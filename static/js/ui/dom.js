// Small helpers for finding and building DOM and SVG elements (used by the view modules only).

/**
 * The page's element with this id (the template's ids are the views' contract).
 * @param {string} id
 * @returns {any}
 */
export function byId(id) {
  return document.getElementById(id);
}

const SVG_NS = "http://www.w3.org/2000/svg";

/**
 * @param {string} name
 * @param {Record<string, string | number>} [attrs]
 * @param {Element} [parent]
 * @returns {SVGElement}
 */
export function svgEl(name, attrs = {}, parent) {
  const el = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (parent) parent.appendChild(el);
  return el;
}

/**
 * @param {string} name
 * @param {Record<string, string | number | boolean>} [attrs] "text" sets textContent
 * @param {Element} [parent]
 * @returns {HTMLElement}
 */
export function htmlEl(name, attrs = {}, parent) {
  const el = document.createElement(name);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") el.textContent = String(v);
    else if (v === true) el.setAttribute(k, "");
    else if (v !== false) el.setAttribute(k, String(v));
  }
  if (parent) parent.appendChild(el);
  return el;
}

/**
 * Removes every child of an element.
 * @param {Element} el
 */
export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
}

/**
 * Sets an attribute only when it changes (cheap repaints in play mode).
 * @param {Element} el
 * @param {string} name
 * @param {string} value
 */
export function setAttr(el, name, value) {
  if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}
