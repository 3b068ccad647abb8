// Colours and widths of the drawing: pure functions from numbers to visual attributes.

/** Weight signs are blue/orange; red is reserved for gradient flow. */
export const COLORS = Object.freeze({
  positive: "#1f77b4",
  negative: "#ff7f0e",
  gradient: "#d62728",
});

// Class colours for the data plot: blue and orange first (safe for red-green colour
// blindness), then Okabe-Ito-like hues; never red, which is the gradient's.
const CLASS_COLORS = [
  "#1f77b4", "#ff7f0e", "#009e73", "#9467bd", "#56b4e9", "#8c564b", "#4b5563", "#d4b300",
];

/**
 * @param {number} w
 * @returns {string}
 */
export function weightColor(w) {
  return w >= 0 ? COLORS.positive : COLORS.negative;
}

/**
 * @param {number} k class index
 * @returns {string}
 */
export function classColor(k) {
  return CLASS_COLORS[((k % CLASS_COLORS.length) + CLASS_COLORS.length) % CLASS_COLORS.length];
}

/**
 * Largest absolute value in a list of matrices (or vectors); 0 when empty.
 * @param {Array<Array<number> | Array<Array<number>>>} arrays
 * @returns {number}
 */
export function maxAbs(arrays) {
  let m = 0;
  for (const a of arrays) {
    for (const row of a) {
      if (Array.isArray(row)) {
        for (const v of row) if (Math.abs(v) > m) m = Math.abs(v);
      } else if (Math.abs(row) > m) {
        m = Math.abs(row);
      }
    }
  }
  return m;
}

/**
 * A width proportional to |value|: `maxWidth` at |value| = maxAbsValue, never below
 * `minWidth` so that a tiny value stays visible (ties only among the tiniest).
 * @param {number} value
 * @param {number} maxAbsValue
 * @param {number} maxWidth
 * @param {number} [minWidth]
 * @returns {number}
 */
export function proportionalWidth(value, maxAbsValue, maxWidth, minWidth = 0.6) {
  if (!(maxAbsValue > 0)) return minWidth;
  return Math.max(minWidth, (maxWidth * Math.abs(value)) / maxAbsValue);
}

/**
 * Fill of a node holding activation `h`: white at 0, deepening towards |h| = 1, tinted by sign.
 * @param {number | null} h
 * @returns {string}
 */
export function nodeFill(h) {
  if (h === null || h === undefined || Number.isNaN(h)) return "#ffffff";
  const t = Math.min(1, Math.abs(h)) * 0.42;
  const [r, g, b] = h >= 0 ? [31, 119, 180] : [255, 127, 14];
  const mix = (c) => Math.round(255 + (c - 255) * t);
  return `rgb(${mix(r)}, ${mix(g)}, ${mix(b)})`;
}

/**
 * The colour of a regression value v in [lo, hi] on the blue/orange diverging scale.
 * @param {number} v
 * @param {number} lo
 * @param {number} hi
 * @param {number} [floor] least intensity (0: white at the middle), so points stay visible
 * @returns {[number, number, number]}
 */
export function divergingRGB(v, lo, hi, floor = 0) {
  const mid = (lo + hi) / 2;
  const half = (hi - lo) / 2 || 1;
  const t = Math.max(-1, Math.min(1, (v - mid) / half));
  const [r, g, b] = t >= 0 ? [31, 119, 180] : [255, 127, 14];
  const a = floor + (1 - floor) * Math.abs(t);
  return [255 + (r - 255) * a, 255 + (g - 255) * a, 255 + (b - 255) * a].map(Math.round);
}

/**
 * "#rrggbb" → [r, g, b].
 * @param {string} hex
 * @returns {[number, number, number]}
 */
export function hexToRGB(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/**
 * A linear map from [d0, d1] onto [r0, r1].
 * @param {[number, number]} domain
 * @param {[number, number]} range
 * @returns {(v: number) => number}
 */
export function linear([d0, d1], [r0, r1]) {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}
