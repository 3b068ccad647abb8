// A small SVG line chart over training steps: several series, a linear or log-10 y axis, its
// width from a ResizeObserver (never read back after a change, so no forced layout).

import { clear, svgEl } from "../ui/dom.js";
import { linear } from "./scales.js";
import { logTicks, niceTicks, tickLabels } from "./ticks.js";

const LABEL_GAP = 14; // px between two series labels at the right end: a 12 px label's box
const DIGIT_WIDTH = 7.5; // px a character of a 12 px tick label takes, at most (app.css .tick)

/**
 * @typedef {{name: string, cls: string, points: Array<[number, number | null]>, label?: string}} Series
 *   points: (step, value), already thinned (see downsample); `label` is written at the line's
 *   right end
 * @typedef {{height?: number, log?: boolean, percent?: boolean, fixed?: [number, number]}} ChartOptions
 *   fixed: a y range that never changes (e.g. [0, 1] for accuracy)
 */

export class LineChart {
  /**
   * @param {SVGSVGElement} svg
   * @param {ChartOptions} [options]
   */
  constructor(svg, options = {}) {
    this.svg = svg;
    this.options = { height: 110, log: false, percent: false, fixed: null, ...options };
    /** @type {Series[]} */
    this.series = [];
    this.empty = "";
    this.count = 0;
    this.width = 0;
    new ResizeObserver((entries) => {
      const width = entries[0].contentRect.width;
      if (width > 0 && Math.abs(width - this.width) > 1) {
        this.width = width;
        this.render(this.series, this.empty, this.count);
      }
    }).observe(svg.parentElement);
  }

  /**
   * @param {Series[]} series
   * @param {string} empty what the chart says with no points
   * @param {number} count entries the points were thinned from (data-count, for tests)
   */
  render(series, empty, count) {
    this.series = series;
    this.empty = empty;
    this.count = count;
    const { svg } = this;
    const { height, log, percent, fixed } = this.options;
    const width = Math.max(120, this.width);
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.setAttribute("height", String(height));
    clear(svg);
    const least = log ? 50 : 40; // px left of the plot, for 2·10⁻³ at least
    const right = series.some((s) => s.label) ? 34 : 8;
    const pad = 6;
    const bottom = height - pad - 12;
    const tf = log ? (v) => (v > 0 ? Math.log10(v) : null) : (v) => v;
    const drawn = series.map((s) => ({
      ...s,
      pts: s.points
        .filter((p) => p[1] !== null && p[1] !== undefined && Number.isFinite(p[1]))
        .map(([x, y]) => [x, tf(y)])
        .filter((p) => p[1] !== null),
    }));
    const all = drawn.flatMap((s) => s.pts);
    svg.dataset.count = String(count);
    if (all.length === 0) {
      svgEl("text", { class: "chart-empty", x: (width + least) / 2, y: height / 2 }, svg).textContent = empty;
      return;
    }
    const xs = all.map((p) => p[0]);
    const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
    const [y0, y1] = fixed || yRange(all.map((p) => p[1]), log);
    const yTicks = yTickLabels(y0, y1, log, percent);
    // Room for the longest label (0.6925 on a narrow range).
    const left = Math.max(least, 6 + DIGIT_WIDTH * Math.max(...yTicks.map((k) => k.text.length)));
    svgEl("rect", { class: "chart-bg", x: left, y: pad, width: width - left - right, height: bottom - pad }, svg);
    const sx = linear(x0 === x1 ? [x0 - 1, x1] : [x0, x1], [left, width - right]);
    const sy = linear([y0, y1], [bottom, pad]);
    const grid = svgEl("g", { class: "grid" }, svg); // under the lines
    const labels = [];
    for (const s of drawn) {
      const coords = s.pts.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`);
      const last = s.points.length ? s.points[s.points.length - 1][1] : null;
      svgEl("polyline", {
        class: s.cls, points: coords.join(" "), "data-series": s.name,
        "data-last": last === null || last === undefined ? "" : String(last),
      }, svg);
      if (s.label && s.pts.length) {
        const [x, y] = s.pts[s.pts.length - 1];
        labels.push({ text: s.label, cls: s.cls, x: sx(x) + 3, y: sy(y) + 3 });
      }
    }
    for (const l of spread(labels, LABEL_GAP, pad + 8, bottom + 3)) {
      svgEl("text", { class: `series-label ${l.cls.split(" ").map((c) => `${c}-label`).join(" ")}`, x: l.x, y: l.y }, svg)
        .textContent = l.text;
    }
    // Light grid lines and labels at a few round values of each axis (12 px text, see app.css).
    for (const { at, value, text } of yTicks) {
      const y = sy(at);
      svgEl("line", { x1: left, x2: width - right, y1: y, y2: y }, grid);
      svgEl("text", { x: left - 4, y, class: "tick tick-y", "data-value": String(value) }, svg).textContent = text;
    }
    // The first and last step, and round steps between them far enough from both.
    const xCount = Math.max(2, Math.min(6, Math.floor((width - left - right) / 70)));
    const inner = x0 === x1 ? [] : niceTicks(x0, x1, xCount, true).filter((x) => sx(x) - sx(x0) > 40 && sx(x1) - sx(x) > 40);
    const xTicks = x0 === x1 ? [x0] : [x0, ...inner, x1];
    xTicks.forEach((x, k) => {
      const end = k === xTicks.length - 1 && sx(x) > width - right - 14;
      const anchor = end ? " tick-end" : k === 0 && sx(x) < left + 14 ? " tick-start" : "";
      svgEl("text", { x: sx(x), y: height - 2, class: `tick tick-x${anchor}` }, svg).textContent = String(x);
    });
  }
}

/**
 * Moves labels apart vertically (keeping their order) so that none overlaps the next.
 * @template {{y: number}} T
 * @param {T[]} labels
 * @param {number} gap least distance between two labels
 * @param {number} top
 * @param {number} bottom
 * @returns {T[]}
 */
export function spread(labels, gap, top, bottom) {
  const out = labels.map((l) => ({ ...l })).sort((a, b) => a.y - b.y);
  for (let k = 0; k < out.length; k += 1) out[k].y = Math.max(out[k].y, k ? out[k - 1].y + gap : top);
  const over = out.length ? out[out.length - 1].y - bottom : 0;
  if (over > 0) {
    for (let k = out.length - 1; k >= 0; k -= 1) {
      out[k].y = Math.min(out[k].y - over, k < out.length - 1 ? out[k + 1].y - gap : Infinity);
    }
  }
  return out;
}

/**
 * The y axis's ticks: where each sits (log10 of the value on a log axis), its value and label.
 * @returns {{at: number, value: number, text: string}[]}
 */
function yTickLabels(y0, y1, log, percent) {
  if (log) {
    return logTicks(y0, y1).map(({ e, mantissa, k }) => ({
      at: e, value: mantissa * 10 ** k, text: `${mantissa === 1 ? "" : `${mantissa}·`}10${superscriptSigned(k)}`,
    }));
  }
  const values = niceTicks(y0, y1, 4);
  const texts = percent ? values.map((v) => `${Math.round(v * 100)}%`) : tickLabels(values);
  return values.map((v, k) => ({ at: v, value: v, text: texts[k] }));
}

/** A padded range around values; a log range spans at least one decade. */
function yRange(values, log) {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  if (log) {
    const mid = (lo + hi) / 2;
    const half = Math.max(0.5, (hi - lo) / 2 + 0.15);
    return [mid - half, mid + half];
  }
  const span = Math.max(hi - lo, 1e-3 * Math.max(1, Math.abs(hi)));
  return [Math.max(lo >= 0 ? 0 : -Infinity, lo - 0.08 * span), hi + 0.08 * span];
}

/** 10⁻³ style exponents. */
function superscriptSigned(e) {
  const digits = "⁰¹²³⁴⁵⁶⁷⁸⁹";
  return (e < 0 ? "⁻" : "") + String(Math.abs(e)).replace(/\d/g, (d) => digits[Number(d)]);
}

/**
 * At most `max` points, evenly spaced, always keeping the last.
 * @template T
 * @param {T[]} points
 * @param {number} max
 * @returns {T[]}
 */
export function downsample(points, max) {
  if (points.length <= max) return points;
  const out = [];
  const stride = points.length / max;
  for (let k = 0; k < max - 1; k += 1) out.push(points[Math.floor(k * stride)]);
  out.push(points[points.length - 1]);
  return out;
}
