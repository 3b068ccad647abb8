// The legend under the network: weight colours and widths, the gradient-arrow width scale,
// update marks and the per-layer gradient norms.

import { clear, htmlEl, svgEl } from "../ui/dom.js";
import { fmt } from "../draw/format.js";
import { t } from "../i18n/i18n.js";
import { COLORS } from "../draw/scales.js";

export class Legend {
  /** @param {HTMLElement} el */
  constructor(el) {
    this.el = el;
    /** @type {import("./network-paint.js").Scales | null} */
    this.scales = null;
    this.build();
  }

  /** Rebuilds the labels in the current language. */
  relabel() {
    this.build();
    this.render(this.scales);
  }

  /** @private */
  build() {
    const el = this.el;
    this.maxArrow = 0;
    clear(el);
    const weights = htmlEl("div", { class: "legend-item" }, el);
    this.swatchLine(weights, COLORS.positive, 4);
    htmlEl("span", { text: t("legend.positive") }, weights);
    this.swatchLine(weights, COLORS.negative, 4);
    htmlEl("span", { text: t("legend.negative") }, weights);
    this.wmax = htmlEl("span", { class: "legend-scale" }, weights);

    const grads = htmlEl("div", { class: "legend-item", "data-testid": "grad-legend" }, el);
    this.gradScale = htmlEl("span", { class: "legend-arrows" }, grads);
    htmlEl("span", { text: t("legend.gradient") }, grads);
    this.gmax = htmlEl("span", { class: "legend-scale" }, grads);

    const marks = htmlEl("div", { class: "legend-item" }, el);
    const dot = svgEl("svg", { width: 14, height: 14, viewBox: "0 0 14 14", "aria-hidden": "true" }, marks);
    svgEl("circle", { cx: 7, cy: 7, r: 5, fill: COLORS.positive, class: "legend-dot" }, dot);
    htmlEl("span", { text: t("legend.update") }, marks);
    htmlEl("div", { class: "legend-item legend-norms", text: t("legend.norms") }, el);
  }

  /**
   * @param {import("./network-paint.js").Scales | null} s
   */
  render(s) {
    if (!s) return;
    this.scales = s;
    this.wmax.textContent = t("legend.w_scale", { max: fmt(s.wmax, 3) });
    this.wmax.dataset.value = String(s.wmax);
    if (this.maxArrow !== s.maxArrow) this.drawArrows(s.maxArrow);
    this.gmax.dataset.value = String(s.gmax);
    this.gmax.textContent = s.gmax > 0
      ? t("legend.g_scale", { q: fmt(s.gmax / 4, 2), h: fmt(s.gmax / 2, 2), max: fmt(s.gmax, 3) })
      : t("legend.g_none");
  }

  /** @private Three sample arrows, a quarter, half and all of the widest. */
  drawArrows(maxArrow) {
    this.maxArrow = maxArrow;
    clear(this.gradScale);
    const svg = svgEl("svg", { width: 96, height: 22, viewBox: "0 0 96 22", "aria-hidden": "true" }, this.gradScale);
    [0.25, 0.5, 1].forEach((f, k) => {
      const w = Math.max(0.6, maxArrow * f);
      const x = 4 + k * 31;
      svgEl("path", { d: `M${x + 26} 11H${x + 4}`, class: "legend-arrow", "stroke-width": w.toFixed(2) }, svg);
      svgEl("path", { d: `M${x + 6} ${11 - w / 2 - 3}L${x} 11L${x + 6} ${11 + w / 2 + 3}z`, class: "grad-head" }, svg);
    });
  }

  /** @private */
  swatchLine(parent, color, width) {
    const svg = svgEl("svg", { width: 26, height: 12, viewBox: "0 0 26 12", "aria-hidden": "true" }, parent);
    svgEl("line", { x1: 2, x2: 24, y1: 6, y2: 6, stroke: color, "stroke-width": width, "stroke-linecap": "round" }, svg);
  }
}
