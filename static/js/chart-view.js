// The loss curves (train and test) over the steps taken, as a small SVG chart.

import { clear, svgEl } from "./dom.js";
import { fmt } from "./format.js";
import { t } from "./i18n.js";
import { linear } from "./scales.js";

const MAX_POINTS = 300;

export class ChartView {
  /** @param {SVGSVGElement} svg */
  constructor(svg) {
    this.svg = svg;
    this.history = [];
    this.width = 0;
    // The width comes from the observer, never read back after a change (no forced layout).
    new ResizeObserver((entries) => {
      this.width = entries[0].contentRect.width;
      this.render(this.history);
    }).observe(svg.parentElement);
  }

  /**
   * @param {Array<{step: number, train_loss: number, test_loss: number | null}>} history
   */
  render(history) {
    this.history = history;
    const svg = this.svg;
    const width = Math.max(120, this.width);
    const height = 110;
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.setAttribute("height", String(height));
    clear(svg);
    const left = 34;
    const pad = 6;
    svgEl("rect", { class: "chart-bg", x: left, y: pad, width: width - left - pad, height: height - 2 * pad - 12 }, svg);
    if (history.length === 0) {
      const empty = svgEl("text", { class: "chart-empty", x: (width + left) / 2, y: height / 2 }, svg);
      empty.textContent = t("chart.empty");
      return;
    }
    const pts = downsample(history, MAX_POINTS);
    const steps = [pts[0].step, pts[pts.length - 1].step];
    const values = pts.flatMap((p) => [p.train_loss, p.test_loss ?? p.train_loss]);
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    const span = Math.max(hi - lo, 1e-3 * Math.max(1, hi));
    const [y0, ymax] = [Math.max(0, lo - 0.08 * span), hi + 0.08 * span];
    const sx = linear(steps[0] === steps[1] ? [steps[0] - 1, steps[1]] : steps, [left, width - pad]);
    const sy = linear([y0, ymax], [height - pad - 12, pad]);
    for (const [key, cls] of [["train_loss", "line-train"], ["test_loss", "line-test"]]) {
      const coords = pts.filter((p) => p[key] !== null && p[key] !== undefined)
        .map((p) => `${sx(p.step).toFixed(1)},${sy(p[key]).toFixed(1)}`);
      if (coords.length) svgEl("polyline", { class: cls, points: coords.join(" ") }, svg);
    }
    const label = (x, y, text, cls) => { svgEl("text", { x, y, class: cls }, svg).textContent = text; };
    label(left - 4, pad + 8, fmt(ymax, 2), "tick tick-y");
    label(left - 4, height - pad - 12, fmt(y0, 2), "tick tick-y");
    label(width - pad - 4, pad + 10, t("chart.legend"), "tick tick-legend");
    label(left, height - 2, String(steps[0]), "tick tick-x0");
    label(width - pad, height - 2, t("chart.steps", { n: steps[1] }), "tick tick-x1");
  }
}

/** At most `max` entries, evenly spaced, always keeping the last. */
function downsample(history, max) {
  if (history.length <= max) return history;
  const out = [];
  const stride = history.length / max;
  for (let k = 0; k < max - 1; k += 1) out.push(history[Math.floor(k * stride)]);
  out.push(history[history.length - 1]);
  return out;
}
