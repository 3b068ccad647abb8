// The loss panel's numbers: this batch's loss, and loss and accuracy on the train and test sets.

import { clear, htmlEl } from "../ui/dom.js";
import { fmt, fmtPercent } from "../draw/format.js";
import { t } from "../i18n/i18n.js";

/**
 * @typedef {{batchLoss: number | null, lossName: string, trainLoss: number | null,
 *            testLoss: number | null, trainAccuracy: number | null,
 *            testAccuracy: number | null}} MetricsInput
 */

export class MetricsView {
  /** @param {HTMLElement} el */
  constructor(el) {
    this.el = el;
    /** @type {MetricsInput | null} */
    this.last = null;
    this.build();
  }

  /** Rebuilds the labels in the current language. */
  relabel() {
    this.build();
    if (this.last) this.render(this.last);
  }

  /** @private */
  build() {
    const el = this.el;
    clear(el);
    const main = htmlEl("div", { class: "metric-main" }, el);
    this.lossLabel = htmlEl("div", { class: "metric-label" }, main);
    this.loss = htmlEl("div", { class: "metric-big", "data-testid": "loss" }, main);
    const grid = htmlEl("div", { class: "metric-grid" }, el);
    this.cells = {};
    for (const [key, label] of [
      ["train-loss", "metrics.train_loss"], ["test-loss", "metrics.test_loss"],
      ["train-accuracy", "metrics.train_accuracy"], ["test-accuracy", "metrics.test_accuracy"],
    ]) {
      const cell = htmlEl("div", { class: "metric" }, grid);
      htmlEl("div", { class: "metric-label", text: t(label) }, cell);
      this.cells[key] = htmlEl("div", { class: "metric-value", "data-testid": key }, cell);
    }
  }

  /** @param {MetricsInput} m */
  render(m) {
    this.last = m;
    this.lossLabel.textContent = t("metrics.batch_loss", { loss: m.lossName });
    setNumber(this.loss, m.batchLoss, fmt);
    setNumber(this.cells["train-loss"], m.trainLoss, fmt);
    setNumber(this.cells["test-loss"], m.testLoss, fmt);
    setNumber(this.cells["train-accuracy"], m.trainAccuracy, fmtPercent);
    setNumber(this.cells["test-accuracy"], m.testAccuracy, fmtPercent);
  }
}

function setNumber(el, v, format) {
  const missing = v === null || v === undefined;
  el.textContent = missing ? "—" : format(v);
  el.dataset.value = missing ? "" : String(v);
}
