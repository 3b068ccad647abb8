// Number formatting for the page: pure functions, no DOM.

const MINUS = "\u2212";

/**
 * A number with a real minus sign; tiny and huge values in exponent form.
 * @param {number | null | undefined} v
 * @param {number} [digits] significant digits
 * @returns {string}
 */
export function fmt(v, digits = 4) {
  if (v === null || v === undefined || Number.isNaN(v)) return "—";
  if (v === 0) return "0";
  const a = Math.abs(v);
  let s;
  if (a >= 1e5 || a < 1e-4) {
    s = v.toExponential(Math.max(0, digits - 2)).replace("e+", "e").replace(/e-/, "e" + MINUS);
  } else {
    s = String(Number(v.toPrecision(digits)));
  }
  return s.replace(/^-/, MINUS);
}

/**
 * A short label for a node or a small cell: at most ~5 characters.
 * @param {number | null | undefined} v
 * @returns {string}
 */
export function fmtShort(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return "";
  const a = Math.abs(v);
  if (a !== 0 && a < 0.005) {
    const [mantissa, exponent] = v.toExponential(0).split("e");
    return `${mantissa}e${Number(exponent)}`.replace(/-/g, MINUS);
  }
  if (a >= 100) return fmt(v, 3);
  const s = a >= 10 ? v.toFixed(1) : v.toFixed(2);
  return (s === "-0.00" ? "0.00" : s).replace(/^-/, MINUS);
}

/**
 * @param {number | null | undefined} v in 0..1
 * @returns {string}
 */
export function fmtPercent(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return "—";
  return `${(100 * v).toFixed(1)}%`;
}

/**
 * Full precision for tooltips and inspectors (what the API returned, rounded to 6 digits).
 * @param {number | null | undefined} v
 * @returns {string}
 */
export function fmtFull(v) {
  return fmt(v, 6);
}

/**
 * 1-based math index as the seed writes it: W⁽¹⁾ for weight layer 0.
 * @param {number} n
 * @returns {string}
 */
export function superscript(n) {
  const digits = "⁰¹²³⁴⁵⁶⁷⁸⁹";
  return String(n).replace(/\d/g, (d) => digits[Number(d)]);
}

/**
 * The seed's layer mark in superscript parentheses: W⁽¹⁾ for weight layer 0.
 * @param {number} n 1-based layer
 * @returns {string}
 */
export function layerMark(n) {
  return `⁽${superscript(n)}⁾`;
}
