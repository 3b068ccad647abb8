// The numbers of a layer's activation plot: the z window it shows (a round extent that holds
// the batch's z, so the curve is asked for again only when the batch outgrows it), where the
// batch's z values sit on the API's σ and σ′ curves, and how many of them are saturated. Pure.

/** Half-widths of the window, smallest first: the curve is fetched once per rung. */
const EXTENTS = [3, 5, 10, 20, 50, 100, 200, 500, 1000, 1e4, 1e5, 1e6];

/** The windows a fresh network's z usually falls in (fetched ahead, at the page's start). */
export const FIRST_EXTENTS = EXTENTS.slice(0, 3);

/** σ′ at most this is "≈ 0": the gradient through the neuron has all but vanished. */
export const FLAT = 0.01;

/** The most dots one plot draws (an even stride through the batch past it). */
export const MAX_DOTS = 400;

/**
 * The half-width E of the window [−E, E] that holds every z (at least ±3, where the
 * activations bend).
 * @param {number[][] | null} z (n, width) of one layer, or null
 * @returns {number}
 */
export function zExtent(z) {
  let m = 0;
  if (z) for (const row of z) for (const v of row) if (Math.abs(v) > m) m = Math.abs(v);
  return EXTENTS.find((e) => m <= e * 0.96) ?? EXTENTS[EXTENTS.length - 1];
}

/**
 * A curve's value at z, by linear interpolation between the API's evenly spaced points.
 * @param {{lo: number, hi: number, z: number[]}} curve
 * @param {number[]} values sigma or sigma_prime of the curve
 * @param {number} z
 * @returns {number}
 */
export function curveAt(curve, values, z) {
  const n = values.length;
  const t = ((z - curve.lo) / (curve.hi - curve.lo)) * (n - 1);
  if (!(t > 0)) return values[0];
  if (t >= n - 1) return values[n - 1];
  const k = Math.floor(t);
  return values[k] + (values[k + 1] - values[k]) * (t - k);
}

/**
 * @typedef {{s: number, k: number, z: number, sigma: number, sigmaPrime: number}} CurveDot
 *   s: batch row, k: neuron
 */

/**
 * The batch's z values of one layer as dots on σ and σ′ (at most MAX_DOTS, evenly strided),
 * and how many of all of them have σ′ ≈ 0.
 * @param {{lo: number, hi: number, z: number[], sigma: number[], sigma_prime: number[]}} curve
 * @param {number[][]} z (n, width)
 * @returns {{dots: CurveDot[], total: number, flat: number}}
 */
export function curveDots(curve, z) {
  const all = [];
  z.forEach((row, s) => row.forEach((v, k) => all.push({ s, k, z: v })));
  const stride = Math.max(1, Math.ceil(all.length / MAX_DOTS));
  let flat = 0;
  const dots = [];
  all.forEach((p, idx) => {
    const sigmaPrime = curveAt(curve, curve.sigma_prime, p.z);
    if (Math.abs(sigmaPrime) <= FLAT) flat += 1;
    if (idx % stride === 0) dots.push({ ...p, sigma: curveAt(curve, curve.sigma, p.z), sigmaPrime });
  });
  return { dots, total: all.length, flat };
}
