// Builds MathML (rendered natively by the browser, no library) from small helpers. Numbers are
// written as the page writes them (real minus signs); a negative factor gets parentheses.

import { fmt } from "./format.js";
import { htmlEl } from "../ui/dom.js";

const MATH_NS = "http://www.w3.org/1998/Math/MathML";

/**
 * @typedef {Element | string} MathChild a MathML element, or text for an <mi>
 */

/**
 * A MathML element.
 * @param {string} name
 * @param {Record<string, string | number>} [attrs]
 * @param {MathChild[]} [children] strings become <mi> (single letters) or <mtext>
 * @returns {Element}
 */
export function m(name, attrs = {}, children = []) {
  const el = document.createElementNS(MATH_NS, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.appendChild(typeof c === "string" ? leaf("mi", c) : c);
  return el;
}

/**
 * A token element (mi, mn, mo, mtext) holding text.
 * @param {string} name
 * @param {string} text
 * @param {Record<string, string | number>} [attrs]
 * @returns {Element}
 */
export function leaf(name, text, attrs = {}) {
  const el = m(name, attrs);
  el.textContent = text;
  return el;
}

/** @param {string} text @returns {Element} an operator */
export const mo = (text) => leaf("mo", text);

/** @param {...MathChild} children @returns {Element} a group */
export const row = (...children) => m("mrow", {}, children);

/**
 * x with a subscript and/or a superscript.
 * @param {MathChild} base
 * @param {MathChild | null} sub
 * @param {MathChild | null} [sup]
 * @returns {Element}
 */
export function script(base, sub, sup = null) {
  if (sub !== null && sup !== null) return m("msubsup", {}, [base, sub, sup]);
  if (sup !== null) return m("msup", {}, [base, sup]);
  return m("msub", {}, [base, sub]);
}

/**
 * The layer mark of the seed: ⁽ˡ⁾ as a superscript row "(l)".
 * @param {number | string} l
 * @returns {Element}
 */
export function layerSup(l) {
  return row(mo("("), typeof l === "number" ? leaf("mn", String(l)) : l, mo(")"));
}

/**
 * A fraction.
 * @param {MathChild} num
 * @param {MathChild} den
 * @returns {Element}
 */
export const frac = (num, den) => m("mfrac", {}, [num, den]);

/**
 * ∂a/∂b as a fraction.
 * @param {MathChild} a
 * @param {MathChild} b
 * @returns {Element}
 */
export const partial = (a, b) => frac(row(mo("∂"), a), row(mo("∂"), b));

/**
 * Σ with a subscript (e.g. Σ over s).
 * @param {MathChild} under
 * @returns {Element}
 */
export const sum = (under) => m("munder", {}, [leaf("mo", "∑", { largeop: "true" }), under]);

/**
 * A number as the page writes it; negative numbers in parentheses when `paren`.
 * @param {number} v
 * @param {{digits?: number, paren?: boolean, attrs?: Record<string, string | number>}} [options]
 * @returns {Element}
 */
export function num(v, { digits = 4, paren = false, attrs = {} } = {}) {
  const all = { "data-value": v, ...attrs };
  if (!(paren && v < 0)) return leaf("mn", fmt(v, digits), all);
  return m("mrow", all, [mo("("), leaf("mn", fmt(v, digits)), mo(")")]);
}

/**
 * A <math> element; `block` for display style on its own line.
 * @param {Element[]} children
 * @param {{block?: boolean, label?: string}} [options] label: an aria-label read instead
 * @returns {Element}
 */
export function math(children, { block = false, label = "" } = {}) {
  const attrs = block ? { display: "block" } : {};
  if (label) attrs["aria-label"] = label;
  return m("math", attrs, children);
}

/** Operators a long formula may break after, as printed mathematics does. */
const BREAK_AFTER = new Set(["=", "+", "−", "⋅"]);

/**
 * A display formula that wraps on a narrow screen instead of scrolling: its top-level children
 * are cut after each =, +, − and ⋅ (and a wide space) into pieces, each an inline <math> in display style, side by
 * side on a baseline; a line breaks between two pieces, never inside one (group what must stay
 * together, a bracket and its content, in a row).
 * @param {Element[]} children
 * @param {{display?: boolean}} [options] display: false for text-style (smaller) fractions
 * @returns {HTMLElement}
 */
export function flow(children, { display = true } = {}) {
  const box = htmlEl("div", { class: "math-flow" });
  let piece = [];
  const close = () => {
    if (piece.length) box.append(m("math", { displaystyle: String(display) }, piece));
    piece = [];
  };
  for (const c of children) {
    piece.push(c);
    const space = c.localName === "mtext" && c.textContent.trim() === "";
    if (space || (c.localName === "mo" && BREAK_AFTER.has(c.textContent))) close();
  }
  close();
  return box;
}

/**
 * Lines of a calculation, each a flow, as wide as the widest line and never wider than their
 * box: right-aligned like a column of sums (each line ends in "= its value"), or left-aligned
 * when the lines start alike (∂L/∂o₁ = …, ∂L/∂o₂ = …).
 * @param {Element[][]} lines
 * @param {{align?: "end" | "start", display?: boolean}} [options] display: as for flow
 * @returns {HTMLElement}
 */
export function flowLines(lines, { align = "end", display = true } = {}) {
  const box = htmlEl("div", { class: `math-lines math-lines-${align}` });
  for (const children of lines) box.append(flow(children, { display }));
  return box;
}
