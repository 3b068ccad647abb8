// The softmax panel for the selected sample: logits o, o − max, exp(o − max), their sum, the
// probabilities as bars and the prediction (argmax, one-hot), as in the seed.

import { clear, htmlEl } from "../ui/dom.js";
import { fmt, fmtPercent } from "../draw/format.js";
import { t } from "../i18n/i18n.js";
import { classColor } from "../draw/scales.js";
import { softmaxSteps } from "../model/softmax-math.js";
import { renderSoftmaxCode } from "./softmax-code-view.js";

/**
 * @typedef {{o: number[], probs: number[] | null, y: number | number[], trainIndex: number,
 *            row: number, batchSize: number, softmax: boolean}} SoftmaxInput
 */

export class SoftmaxView {
  /** @param {HTMLElement} el */
  constructor(el) {
    this.el = el;
  }

  /** @param {SoftmaxInput | null} s */
  render(s) {
    const el = this.el;
    clear(el);
    if (!s) {
      htmlEl("p", { class: "empty", text: t("softmax.empty") }, el);
      return;
    }
    htmlEl("p", {
      class: "softmax-sample",
      text: t("softmax.sample", { row: s.row + 1, n: s.batchSize, index: s.trainIndex }),
    }, el);
    if (!s.softmax) {
      this.renderPlain(s);
      return;
    }
    const steps = softmaxSteps(s.o);
    const table = htmlEl("table", { class: "softmax-table" }, el);
    const head = htmlEl("tr", {}, htmlEl("thead", {}, table));
    for (const h of ["k", "o", "o − max", "exp(o − max)", "p"]) htmlEl("th", { text: h, scope: "col" }, head);
    const body = htmlEl("tbody", {}, table);
    s.o.forEach((o, k) => {
      const p = s.probs ? s.probs[k] : steps.probs[k];
      const tr = htmlEl("tr", { class: k === steps.argmax ? "argmax" : "" }, body);
      const kc = htmlEl("td", { class: "k" }, tr);
      htmlEl("span", { class: "swatch", "data-class": k }, kc).style.background = classColor(k);
      kc.append(String(k));
      htmlEl("td", { class: "num", text: fmt(o, 3), "data-testid": `softmax-o-${k}`, "data-value": o }, tr);
      htmlEl("td", { class: "num", text: fmt(steps.shifted[k], 3) }, tr);
      htmlEl("td", { class: "num", text: fmt(steps.exps[k], 3) }, tr);
      const pc = htmlEl("td", { class: "bar-cell", "data-testid": `softmax-p-${k}`, "data-value": p }, tr);
      const bar = htmlEl("span", { class: "bar" }, pc);
      bar.style.width = `${Math.max(0, Math.min(1, p)) * 100}%`;
      bar.style.background = classColor(k);
      htmlEl("span", { class: "bar-label", text: fmtPercent(p) }, pc);
    });
    const foot = htmlEl("div", { class: "softmax-foot" }, el);
    htmlEl("div", { text: t("softmax.sum", { sum: fmt(steps.sum) }), "data-testid": "softmax-sum", "data-value": steps.sum }, foot);
    const ok = steps.argmax === s.y;
    htmlEl("div", {
      class: ok ? "verdict ok" : "verdict wrong",
      "data-testid": "softmax-prediction", "data-value": steps.argmax,
      text: t(ok ? "softmax.right" : "softmax.wrong", { k: steps.argmax, y: String(s.y), onehot: `[${steps.oneHot.join(", ")}]` }),
    }, foot);
    renderSoftmaxCode(el, s.o, steps);
  }

  /** @private Output without softmax (regression or mse): o next to its target. */
  renderPlain(s) {
    const table = htmlEl("table", { class: "softmax-table" }, this.el);
    const head = htmlEl("tr", {}, htmlEl("thead", {}, table));
    for (const h of ["k", "o", "y"]) htmlEl("th", { text: h, scope: "col" }, head);
    const body = htmlEl("tbody", {}, table);
    const ys = Array.isArray(s.y) ? s.y : s.o.map((_, k) => (k === s.y ? 1 : 0));
    s.o.forEach((o, k) => {
      const tr = htmlEl("tr", {}, body);
      htmlEl("td", { class: "k", text: String(k) }, tr);
      htmlEl("td", { class: "num", text: fmt(o, 3), "data-testid": `softmax-o-${k}`, "data-value": o }, tr);
      htmlEl("td", { class: "num", text: fmt(ys[k]) }, tr);
    });
    htmlEl("p", { class: "hint", text: t("softmax.none") }, this.el);
  }
}
