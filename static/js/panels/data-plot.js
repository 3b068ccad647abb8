// The data plot (SVG): the dataset's points by class (test points hollow), the current batch
// ringed, the decision boundary behind them; clicking a training point asks for a
// single-sample step on it.

import { clear, svgEl } from "../ui/dom.js";
import { outputImage } from "../draw/heatmap.js";
import { classColor, divergingRGB, linear } from "../draw/scales.js";

const PAD = 3;

export class DataPlot {
  /** @param {SVGSVGElement} svg */
  constructor(svg) {
    this.svg = svg;
    this.onPoint = (_t) => {};
    this.onRebuilt = () => {};
    this.data = null;
    this.circles = [];
    this.trainPoint = [];
    this.highlighted = [];
    svg.addEventListener("click", (ev) => {
      const el = ev.target instanceof Element ? ev.target.closest(".point.train") : null;
      if (el) this.onPoint(Number(el.dataset.trainIndex));
    });
    new ResizeObserver(() => this.data && this.resizeIfNeeded()).observe(svg.parentElement);
  }

  /** @param {(trainIndex: number) => void} fn */
  bindPointClick(fn) {
    this.onPoint = fn;
  }

  /** @param {() => void} fn called when the plot is drawn anew (its scales may have changed) */
  bindRebuilt(fn) {
    this.onRebuilt = fn;
  }

  /**
   * Draws a dataset (GET …/data).
   * @param {any} data
   */
  setData(data) {
    this.data = data;
    this.boundary = null;
    this.range = null;
    this.build();
  }

  /** @private */
  resizeIfNeeded() {
    if (Math.abs(this.svg.parentElement.clientWidth - this.width - 2 * this.inset) > 2) {
      this.build();
      this.paintBatch();
      if (this.boundary) this.setBoundary(this.boundary);
    }
  }

  /** @private */
  build() {
    const data = this.data;
    const style = getComputedStyle(this.svg.parentElement);
    this.inset = parseFloat(style.paddingLeft) || 0;
    const width = Math.max(160, this.svg.parentElement.clientWidth - 2 * this.inset);
    const height = Math.round(Math.min(width, 300));
    this.width = width;
    this.svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    this.svg.setAttribute("width", String(width));
    this.svg.setAttribute("height", String(height));
    clear(this.svg);
    const oneD = data.points[0].length === 1;
    const xs = data.points.map((p) => p[0]);
    const ys = oneD ? data.y.map((v) => (Array.isArray(v) ? v[0] : v)) : data.points.map((p) => p[1]);
    // The boundary grid's ranges once known, so the heatmap fills the plot exactly.
    const [x0, x1] = this.range ? this.range[0] : paddedRange(oneD ? xs : xs.concat(ys));
    const [y0, y1] = this.range ? this.range[1] : oneD ? paddedRange(ys) : [x0, x1];
    this.sx = linear([x0, x1], [PAD, width - PAD]);
    this.sy = linear([y0, y1], [height - PAD, PAD]);
    this.oneD = oneD;
    this.regression = data.task === "regression";
    const yr = this.regression ? [Math.min(...ys), Math.max(...ys)] : [0, 1];
    this.yRange = yr;
    svgEl("rect", { class: "plot-bg", x: 0, y: 0, width, height, rx: 6 }, this.svg);
    this.image = svgEl("image", { class: "boundary", preserveAspectRatio: "none" }, this.svg);
    this.curve = svgEl("polyline", { class: "model-curve", points: "" }, this.svg);
    const axes = svgEl("g", { class: "axes" }, this.svg);
    if (x0 < 0 && x1 > 0) svgEl("line", { x1: this.sx(0), x2: this.sx(0), y1: 0, y2: height }, axes);
    if (y0 < 0 && y1 > 0) svgEl("line", { x1: 0, x2: width, y1: this.sy(0), y2: this.sy(0) }, axes);
    const gPoints = svgEl("g", { class: "points" }, this.svg);
    const trainPos = new Map(data.train_index.map((p, t) => [p, t]));
    this.trainPoint = data.train_index.slice();
    this.circles = data.points.map((p, idx) => {
      const t = trainPos.get(idx);
      const isTrain = t !== undefined;
      const target = data.y[idx];
      const yv = Array.isArray(target) ? target[0] : target;
      const fill = this.regression ? `rgb(${divergingRGB(yv, yr[0], yr[1], 0.4).join(",")})` : classColor(yv);
      const attrs = {
        class: isTrain ? "point train" : "point test", cx: this.sx(p[0]).toFixed(1),
        cy: (oneD ? this.sy(yv) : this.sy(p[1])).toFixed(1), r: 4.2, "data-index": idx,
      };
      if (isTrain) attrs["data-train-index"] = t;
      const c = svgEl("circle", attrs, gPoints);
      if (isTrain) c.style.fill = fill;
      else c.style.stroke = fill;
      return c;
    });
    this.highlighted = [];
    this.onRebuilt();
  }

  /**
   * Rings the points of the current batch; `row` (a position in the batch) gets a second ring.
   * @param {number[] | null} batch training indices
   * @param {number} row
   */
  setBatch(batch, row) {
    this.batch = batch;
    this.row = row;
    this.paintBatch();
  }

  /** @private */
  paintBatch() {
    for (const c of this.highlighted) c.classList.remove("in-batch", "selected");
    this.highlighted = [];
    if (!this.batch) return;
    this.batch.forEach((t, k) => {
      const c = this.circles[this.trainPoint[t]];
      if (!c) return;
      c.classList.add("in-batch");
      if (k === this.row) c.classList.add("selected");
      this.highlighted.push(c);
    });
    // Draw the selected point last so its ring is on top.
    const sel = this.highlighted[this.row];
    if (sel) sel.parentNode.appendChild(sel);
  }

  /**
   * The decision boundary (GET …/boundary) behind the points.
   * @param {any} b
   */
  setBoundary(b) {
    this.boundary = b;
    if (!this.data || !b) return;
    if (b.kind === "curve") {
      const pts = b.x.map((x, k) => `${this.sx(x).toFixed(1)},${this.sy(b.y[k]).toFixed(1)}`);
      this.curve.setAttribute("points", pts.join(" "));
      return;
    }
    const [x0, x1] = b.x_range;
    const [y0, y1] = b.y_range;
    const r = this.range;
    if (!r || r[0][0] !== x0 || r[0][1] !== x1 || r[1][0] !== y0 || r[1][1] !== y1) {
      this.range = [[x0, x1], [y0, y1]];
      this.build();
      this.paintBatch();
    }
    this.image.setAttribute("x", this.sx(x0).toFixed(1));
    this.image.setAttribute("y", this.sy(y1).toFixed(1));
    this.image.setAttribute("width", (this.sx(x1) - this.sx(x0)).toFixed(1));
    this.image.setAttribute("height", (this.sy(y0) - this.sy(y1)).toFixed(1));
    this.image.setAttribute("href", outputImage(b, this.yRange));
  }
}

/** A symmetric-ish padded range around values. */
function paddedRange(values) {
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (hi - lo < 1e-9) {
    lo -= 1;
    hi += 1;
  }
  const pad = (hi - lo) * 0.06;
  return [lo - pad, hi + pad];
}
