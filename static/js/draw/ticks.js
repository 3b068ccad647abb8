// Axis ticks at round numbers: a few for a linear range (1, 2 or 5 × 10^k apart), decades (and
// their 2× and 5× when a range spans less than two) for a log-10 range; and their labels, with
// as many digits as the ticks' spacing needs. Pure: no DOM.

const MINUS = "\u2212";

/**
 * Round values from lo to hi, about `count` of them.
 * @param {number} lo
 * @param {number} hi
 * @param {number} count
 * @param {boolean} [integer] only whole numbers (training steps)
 * @returns {number[]}
 */
export function niceTicks(lo, hi, count, integer = false) {
  if (!(hi > lo) || count < 2) return [lo];
  // A rounder step can leave fewer than three: ask for more until there are three.
  for (let c = count; c < count + 6; c += 1) {
    const ticks = stepTicks(lo, hi, c, integer);
    if (ticks.length >= Math.min(3, count)) return ticks;
  }
  return stepTicks(lo, hi, count + 6, integer);
}

/**
 * Ticks every step (1, 2 or 5 × 10^k, near (hi − lo) / (count − 1)) from lo to hi.
 * @param {number} lo
 * @param {number} hi
 * @param {number} count
 * @param {boolean} integer
 * @returns {number[]}
 */
function stepTicks(lo, hi, count, integer) {
  const raw = (hi - lo) / (count - 1);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  let step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
  if (integer) step = Math.max(1, Math.round(step));
  const out = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) {
    out.push(Math.abs(v) < step * 1e-9 ? 0 : Number(v.toPrecision(12)));
  }
  return out;
}

/**
 * Ticks on a log-10 axis, as exponents: log10 of 1, 2 and 5 × 10^k when the range is short.
 * @param {number} lo log10 of the smallest value
 * @param {number} hi log10 of the largest
 * @returns {{e: number, mantissa: number, k: number}[]} position e = log10(mantissa × 10^k)
 */
export function logTicks(lo, hi) {
  const decades = [];
  const every = Math.max(1, Math.ceil((hi - lo) / 4));
  for (let k = Math.ceil(lo); k <= Math.floor(hi); k += every) decades.push({ e: k, mantissa: 1, k });
  if (decades.length >= 3) return decades;
  // Fewer than three decades in range: 1 and 5 × 10^k, or 1, 2 and 5 when that is still short.
  for (const mantissas of [[1, 5], [1, 2, 5]]) {
    const out = [];
    for (let k = Math.floor(lo); k <= Math.ceil(hi); k += 1) {
      for (const mantissa of mantissas) {
        const e = k + Math.log10(mantissa);
        if (e >= lo && e <= hi) out.push({ e, mantissa, k });
      }
    }
    if (out.length >= 3 || mantissas.length === 3) return out;
  }
  return decades;
}

/**
 * Labels for ticks of a linear axis, all with the same number of decimals: as many as their
 * spacing needs, so no two read the same and each reads its value to within half a step
 * (0.690, 0.695, 0.700 on a narrow range; 0.0, 0.5, 1.0 on a wide one). Values below 10⁻³ or
 * from 10⁵ are written as 2e−4, 1.5e−4 with as many significant digits as the spacing needs.
 * @param {number[]} ticks increasing values, as niceTicks gives them
 * @returns {string[]}
 */
export function tickLabels(ticks) {
  if (ticks.length === 0) return [];
  const gaps = ticks.slice(1).map((v, k) => v - ticks[k]).filter((g) => g > 0);
  const biggest = Math.max(...ticks.map(Math.abs));
  const step = gaps.length ? Math.min(...gaps) : biggest || 1;
  // The digit of the step's own magnitude must show (1e-9: 0.1 is not taken as 0.0999…).
  const stepDigit = Math.floor(Math.log10(step) + 1e-9);
  if (biggest >= 1e5 || (biggest > 0 && biggest < 1e-3)) {
    const significant = Math.max(1, Math.floor(Math.log10(biggest) + 1e-9) - stepDigit + 1);
    return ticks.map((v) => (v === 0 ? "0" : signed(v.toExponential(significant - 1).replace("e+", "e"))));
  }
  const decimals = Math.max(0, -stepDigit);
  return ticks.map((v) => signed(v.toFixed(decimals)));
}

/** A real minus sign, and none before a zero ("−0.00" reads as a value below zero). */
function signed(text) {
  const zero = /^-0(\.0*)?$/.test(text);
  return (zero ? text.slice(1) : text).replace(/-/g, MINUS);
}
