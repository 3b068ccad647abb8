// The curves tab: loss and accuracy on the train and test sets, and each weight layer's
// gradient norm ‖∂L/∂W‖ on a log scale (vanishing and exploding gradients), over the steps.

import { layerMark } from "../draw/format.js";
import { t } from "../i18n/i18n.js";
import { downsample, LineChart } from "../draw/line-chart.js";

const MAX_POINTS = 300;

export class CurvesView {
  /**
   * @param {{loss: SVGSVGElement, accuracy: SVGSVGElement, norms: SVGSVGElement,
   *          accuracyBlock: HTMLElement}} els
   */
  constructor(els) {
    this.els = els;
    this.loss = new LineChart(els.loss, { height: 104 });
    this.accuracy = new LineChart(els.accuracy, { height: 92, percent: true, fixed: [0, 1] });
    this.norms = new LineChart(els.norms, { height: 132, log: true });
  }

  /**
   * Draws the charts; with `one`, only the chart whose turn it is (play mode spreads the
   * three over successive frames).
   * @param {any[]} history the network's history entries (one per step)
   * @param {boolean} classification accuracy exists
   * @param {boolean} [one]
   */
  render(history, classification, one = false) {
    const pts = downsample(history, MAX_POINTS);
    const n = history.length;
    const series = (name, cls, key) => ({ name, cls, points: pts.map((h) => [h.step, h[key]]) });
    this.els.accuracyBlock.hidden = !classification;
    const charts = [
      () => this.loss.render([
        series("train", "line-train", "train_loss"), series("test", "line-test", "test_loss"),
      ], t("chart.empty"), n),
      () => classification && this.accuracy.render([
        series("train", "line-train", "train_accuracy"), series("test", "line-test", "test_accuracy"),
      ], t("chart.empty"), n),
      () => {
        const layers = pts.length ? pts[pts.length - 1].grad_norms.length : 0;
        this.norms.render(Array.from({ length: layers }, (_, l) => ({
          name: `layer-${l}`, cls: `line-norm norm-${l % 8}`, label: `W${layerMark(l + 1)}`,
          points: pts.map((h) => [h.step, h.grad_norms[l] ?? null]),
        })), t("chart.empty_norms"), n);
      },
    ];
    if (!one) {
      for (const draw of charts) draw();
      return;
    }
    this.turn = ((this.turn ?? -1) + 1) % charts.length;
    charts[this.turn]();
  }
}
